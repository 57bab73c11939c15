import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhooks } from '@octokit/webhooks';
import {
  bundlePath,
  freePort,
  githubSourceObject,
  secretObject,
  startKubeApiServer,
  startProcess,
  startRecordingSink,
  type AdapterProcess,
  type GitHubSourceSpec,
  type KubeApiServer,
  type RecordingSink,
} from '@tributary/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './support/fixtures.ts';

const push = JSON.stringify(fixture('push'));

function spec(ownerAndRepository: string, secret: string, extra: Partial<GitHubSourceSpec> = {}): GitHubSourceSpec {
  return {
    ownerAndRepository,
    eventTypes: ['push'],
    accessToken: { secretKeyRef: { name: secret, key: 'accessToken' } },
    secretToken: { secretKeyRef: { name: secret, key: 'secretToken' } },
    ...extra,
  };
}

// eventing-github's multi-tenant adapter as its manifest runs it (v0.48.0
// config/mt-github/500-adapter-ksvc.yaml: no K_SINK, no secret, no repository), against the test
// API server holding GitHubSources and Secrets; GitHub's deliveries signed by @octokit/webhooks.
describe('multi-tenant GitHub adapter: every GitHubSource served at /<namespace>/<name>', () => {
  let kube: KubeApiServer;
  let sinkA: RecordingSink;
  let sinkB: RecordingSink;
  let adapter: AdapterProcess;
  let port: number;
  let metricsPort: number;

  async function deliver(path: string, secret: string, options: { id?: string; body?: string } = {}) {
    const body = options.body ?? push;
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/044aadd',
        'x-github-event': 'push',
        'x-github-delivery': options.id ?? randomUUID(),
        'x-hub-signature-256': await new Webhooks({ secret }).sign(body),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    kube = await startKubeApiServer({ namespaces: ['default', 'team-a', 'team-b', 'knative-sources'] });
    sinkA = await startRecordingSink();
    sinkB = await startRecordingSink();
    kube.create(secretObject('team-a', 'gh-a', { secretToken: 'secret of a', accessToken: 'ghp_a' }));
    kube.create(secretObject('team-b', 'gh-b', { secretToken: 'secret of b', accessToken: 'ghp_b' }));
    kube.create(githubSourceObject({ namespace: 'team-a', name: 'repo-a', spec: spec('octo/a', 'gh-a'), sinkUri: sinkA.url }));
    kube.create(
      githubSourceObject({
        namespace: 'team-b',
        name: 'repo-b',
        spec: spec('octo/b', 'gh-b', { ceOverrides: { extensions: { team: 'b' } } }),
        sinkUri: sinkB.url,
      }),
    );
    kube.create(githubSourceObject({ namespace: 'team-b', name: 'no-sink-yet', spec: spec('octo/c', 'gh-b') }));

    port = await freePort();
    metricsPort = await freePort();
    const kubeconfig = await kube.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'github-mt-')), 'kubeconfig'));
    adapter = startProcess(bundlePath('github'), {
      NAMESPACE: 'knative-sources',
      SYSTEM_NAMESPACE: 'knative-sources',
      K_METRICS_CONFIG: '{}',
      K_LOGGING_CONFIG: '{}',
      K_TRACING_CONFIG: '{}',
      KUBECONFIG: kubeconfig,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      GITHUB_SECRET_REREAD_INTERVAL: '0s',
      K_SINK_BACKOFF_DELAY: 'PT0.01S',
    });
    await adapter.waitForReady(port);
  });

  afterAll(async () => {
    await adapter.stop();
    await Promise.all([sinkA.close(), sinkB.close(), kube.close()]);
  });

  it('forwards each source’s deliveries to its own sink, with its own source and namespace', async () => {
    const idA = randomUUID();
    const idB = randomUUID();
    expect(await deliver('/team-a/repo-a', 'secret of a', { id: idA })).toMatchObject({ status: 200 });
    expect(await deliver('/team-b/repo-b', 'secret of b', { id: idB })).toMatchObject({ status: 200 });

    const a = sinkA.events.find((event) => event.attributes['id'] === idA);
    const b = sinkB.events.find((event) => event.attributes['id'] === idB);
    expect(a?.attributes).toMatchObject({ type: 'dev.knative.source.github.push', source: 'https://github.com/octo/a', subject: 'simple-tag' });
    expect(a?.attributes['team']).toBeUndefined();
    expect(a?.headers['kn-namespace']).toBe('team-a');
    expect(b?.attributes).toMatchObject({ type: 'dev.knative.source.github.push', source: 'https://github.com/octo/b', team: 'b' });
    expect(b?.headers['kn-namespace']).toBe('team-b');
    expect(sinkA.events.some((event) => event.attributes['id'] === idB)).toBe(false);
    expect(sinkB.events.some((event) => event.attributes['id'] === idA)).toBe(false);
  });

  it('checks each path against its own source’s secret', async () => {
    const before = sinkB.events.length;
    const crossed = await deliver('/team-b/repo-b', 'secret of a');
    expect(crossed).toMatchObject({ status: 401, body: { error: 'SIGNATURE_INVALID' } });
    expect(sinkB.events).toHaveLength(before);
  });

  it('answers 404 for a path that is no source, and for a source whose sink is not resolved yet', async () => {
    expect(await deliver('/team-a/unknown', 'secret of a')).toMatchObject({ status: 404, body: { error: 'SOURCE_NOT_FOUND' } });
    expect(await deliver('/', 'secret of a')).toMatchObject({ status: 404 });
    expect(await deliver('/team-b/no-sink-yet', 'secret of b')).toMatchObject({ status: 404 });
  });

  it('serves a source added while running, stops serving a deleted one, follows a changed sink', async () => {
    kube.create(secretObject('team-a', 'gh-new', { secretToken: 'new secret' }));
    kube.create(githubSourceObject({ namespace: 'team-a', name: 'added', spec: spec('octo/new', 'gh-new'), sinkUri: sinkA.url }));
    await expect.poll(async () => (await deliver('/team-a/added', 'new secret')).status, { timeout: 10_000 }).toBe(200);
    expect(sinkA.events.at(-1)?.attributes['source']).toBe('https://github.com/octo/new');

    kube.patch('sources.knative.dev/v1alpha1', 'GitHubSource', 'team-a', 'added', { status: { sinkUri: sinkB.url } });
    const moved = randomUUID();
    await expect.poll(async () => {
      await deliver('/team-a/added', 'new secret', { id: moved });
      return sinkB.events.some((event) => event.attributes['id'] === moved);
    }, { timeout: 10_000 }).toBe(true);

    kube.delete('sources.knative.dev/v1alpha1', 'githubsources', 'team-a', 'added');
    await expect.poll(async () => (await deliver('/team-a/added', 'new secret')).status, { timeout: 10_000 }).toBe(404);
  });

  it('picks up a rotated secret at the first delivery signed with it', async () => {
    kube.patch('v1', 'Secret', 'team-a', 'gh-a', { data: { secretToken: Buffer.from('rotated').toString('base64') } });
    expect(await deliver('/team-a/repo-a', 'rotated')).toMatchObject({ status: 200 });
    expect(await deliver('/team-a/repo-a', 'secret of a')).toMatchObject({ status: 401 });
  });

  it('reports the sources it serves', async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^tributary_github_sources_served(\{[^}]*\})? 2$/m);
  });
});

// Knative's `github-adapter` Service has no readiness probe: queue-proxy sends traffic as soon as the
// port listens, possibly before the GitHubSources are listed.
describe('multi-tenant GitHub adapter before its first list', () => {
  it('holds a delivery that arrives before the GitHubSources are listed, then forwards it', async () => {
    const kube = await startKubeApiServer({ namespaces: ['default', 'team-a'] });
    const sink = await startRecordingSink();
    kube.create(secretObject('team-a', 'gh-a', { secretToken: 'secret of a' }));
    kube.create(githubSourceObject({ namespace: 'team-a', name: 'repo-a', spec: spec('octo/a', 'gh-a'), sinkUri: sink.url }));
    const port = await freePort();
    const kubeconfig = await kube.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'github-mt-')), 'kubeconfig'));
    kube.pause('hang');
    const adapter = startProcess(bundlePath('github'), {
      KUBECONFIG: kubeconfig,
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
    });
    try {
      await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status, { timeout: 15_000 }).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/readiness`)).status).toBe(503);
      const body = push;
      const answer = fetch(`http://127.0.0.1:${port}/team-a/repo-a`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': await new Webhooks({ secret: 'secret of a' }).sign(body),
        },
        body,
      });
      kube.resume();
      expect((await answer).status).toBe(200);
      expect(sink.events[0]?.attributes['source']).toBe('https://github.com/octo/a');
    } finally {
      kube.resume();
      await adapter.stop();
      await Promise.all([sink.close(), kube.close()]);
    }
  });
});
