import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Env, readRuntimeConfig } from '@tributary/core';
import { labelSelectorString, readApiServerConfig, type ApiServerConfig } from '../../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'apiserver-config-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\n');

function read(vars: Record<string, string>): {
  config: ApiServerConfig;
  problems: readonly { variable: string; message: string }[];
} {
  const env = new Env({ K_SINK: 'http://sink.default.svc/', KUBECONFIG: kubeconfig, ...vars });
  const config = readApiServerConfig(env, readRuntimeConfig(env));
  return { config, problems: env.problems };
}

describe('K_SOURCE_CONFIG', () => {
  it('reads the document Knative’s controller writes', () => {
    // The shape of pkg/reconciler/apiserversource/resources/receive_adapter_test.go.
    const { config, problems } = read({
      K_SOURCE_CONFIG:
        '{"namespaces":["source-namespace"],"allNamespaces":false,"resources":[{"gvr":{"Group":"","Version":"v1","Resource":"namespaces"}},{"gvr":{"Group":"batch","Version":"v1","Resource":"jobs"}},{"gvr":{"Group":"","Version":"v1","Resource":"pods"},"selector":"test-key1=test-value1"}],"owner":{"apiVersion":"custom/v1","kind":"Parent"},"mode":"Resource"}',
    });
    expect(problems).toEqual([]);
    expect(config.source).toEqual({
      namespaces: ['source-namespace'],
      allNamespaces: false,
      resources: [
        { at: 'resources[0]', group: '', version: 'v1', resource: 'namespaces', selector: '' },
        { at: 'resources[1]', group: 'batch', version: 'v1', resource: 'jobs', selector: '' },
        { at: 'resources[2]', group: '', version: 'v1', resource: 'pods', selector: 'test-key1=test-value1' },
      ],
      owner: { apiVersion: 'custom/v1', kind: 'Parent' },
      mode: 'Resource',
      filters: [],
      failFast: false,
    });
  });

  it('accepts {apiVersion, kind} entries with a spec label selector, null namespaces and allNamespaces', () => {
    const { config, problems } = read({
      K_SOURCE_CONFIG: JSON.stringify({
        namespaces: null,
        allNamespaces: true,
        resources: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            selector: {
              matchLabels: { app: 'web' },
              matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }],
            },
          },
        ],
      }),
    });
    expect(problems).toEqual([]);
    expect(config.source.resources).toEqual([
      {
        at: 'resources[0]',
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        selector: 'app=web,tier in (a,b)',
      },
    ]);
    expect(config.source.mode).toBe('Reference');
    expect(config.source.allNamespaces).toBe(true);
  });

  it('falls back to NAMESPACE when no namespace is listed', () => {
    const { config } = read({
      NAMESPACE: 'home',
      K_SOURCE_CONFIG: '{"resources":[{"apiVersion":"v1","kind":"Pod"}]}',
    });
    expect(config.source.namespaces).toEqual(['home']);
  });

  it.each([
    ['not JSON', '{nope', /is not valid JSON/],
    [
      'an unknown mode',
      '{"namespaces":["a"],"resources":[{"apiVersion":"v1","kind":"Pod"}],"mode":"Full"}',
      /"Reference"\|"Resource" at mode/,
    ],
    ['no resources', '{"namespaces":["a"],"resources":[]}', /at least one resource is required/],
    [
      'a gvr without version',
      '{"namespaces":["a"],"resources":[{"gvr":{"Group":"","Version":"","Resource":"pods"}}]}',
      /gvr.Version is required/,
    ],
    [
      'a cesql filter',
      '{"namespaces":["a"],"resources":[{"apiVersion":"v1","kind":"Pod"}],"filters":[{"cesql":"type = \'x\'"}]}',
      /cesql filters are not supported/,
    ],
    ['no namespace at all', '{"resources":[{"apiVersion":"v1","kind":"Pod"}]}', /lists no namespaces/],
  ])('names K_SOURCE_CONFIG for %s', (_what, value, message) => {
    const { problems } = read({ K_SOURCE_CONFIG: value });
    expect(problems.map((p) => p.variable)).toEqual(['K_SOURCE_CONFIG']);
    expect(problems[0]?.message).toMatch(message);
  });

  it('is required', () => {
    expect(read({}).problems).toEqual([{ variable: 'K_SOURCE_CONFIG', message: 'required but not set' }]);
  });
});

describe('Kubernetes access and knobs', () => {
  const SOURCE = '{"namespaces":["a"],"resources":[{"apiVersion":"v1","kind":"Pod"}]}';

  it('prefers an explicit KUBECONFIG and defaults the knobs', () => {
    const { config } = read({ K_SOURCE_CONFIG: SOURCE, KUBERNETES_SERVICE_HOST: '10.96.0.1' });
    expect(config.kube).toEqual({ kind: 'kubeconfig', path: kubeconfig, context: undefined });
    expect(config).toMatchObject({
      sendInitial: false,
      namespaceWatchLimit: 10,
      queueSize: 1000,
      concurrency: 64,
      listPageSize: 500,
      backoffMaxMs: 30_000,
    });
  });

  it('uses the service account in a pod', () => {
    const sa = mkdtempSync(join(tmpdir(), 'apiserver-sa-'));
    writeFileSync(join(sa, 'token'), 'token');
    const env = new Env({
      K_SINK: 'http://sink/',
      K_SOURCE_CONFIG: SOURCE,
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_ACCOUNT_DIR: sa,
    });
    expect(readApiServerConfig(env, readRuntimeConfig(env)).kube).toEqual({
      kind: 'in-cluster',
      host: '10.96.0.1',
      port: '443',
      serviceAccountDir: sa,
    });
    expect(env.problems).toEqual([]);
  });

  it('names what is missing for Kubernetes access', () => {
    const env = new Env({ K_SINK: 'http://sink/', K_SOURCE_CONFIG: SOURCE });
    readApiServerConfig(env, readRuntimeConfig(env));
    expect(env.problems.map((p) => p.variable)).toEqual(['KUBECONFIG']);
    expect(read({ K_SOURCE_CONFIG: SOURCE, KUBECONFIG: join(dir, 'missing') }).problems[0]?.message).toMatch(
      /no such file/,
    );
    const noToken = new Env({
      K_SINK: 'http://sink/',
      K_SOURCE_CONFIG: SOURCE,
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_ACCOUNT_DIR: dir,
    });
    readApiServerConfig(noToken, readRuntimeConfig(noToken));
    expect(noToken.problems[0]?.message).toMatch(/no service account token/);
  });
});

describe('labelSelectorString (metav1.LabelSelectorAsSelector)', () => {
  it('sorts requirements by key and writes each operator as Go does', () => {
    expect(
      labelSelectorString({
        matchLabels: { tier: 'web', app: 'shop' },
        matchExpressions: [
          { key: 'env', operator: 'NotIn', values: ['prod', 'dev'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'team', operator: 'Exists' },
        ],
      }),
    ).toBe('app=shop,!canary,env notin (dev,prod),team,tier=web');
  });
});
