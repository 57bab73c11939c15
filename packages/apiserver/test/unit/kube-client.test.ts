import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '@tributary/testkit';
import { loadKubeConfig } from '@tributary/kube';
import { KubeApi, KubeApiError, watchEvents } from '../../src/index.ts';

describe('loadKubeConfig', () => {
  const sa = mkdtempSync(join(tmpdir(), 'apiserver-sa-'));
  writeFileSync(join(sa, 'token'), 'sa-token\n');

  it('builds the in-cluster config as client-go does (https://host:port, service account CA and token)', () => {
    const kc = loadKubeConfig({ kind: 'in-cluster', host: '10.96.0.1', port: '443', serviceAccountDir: sa });
    expect(kc.getCurrentCluster()).toMatchObject({
      server: 'https://10.96.0.1:443',
      caFile: join(sa, 'ca.crt'),
      skipTLSVerify: false,
    });
    expect(kc.getCurrentUser()?.authProvider).toEqual({
      name: 'tokenFile',
      config: { tokenFile: join(sa, 'token') },
    });
    expect(
      loadKubeConfig({
        kind: 'in-cluster',
        host: 'fd00::1',
        port: '6443',
        serviceAccountDir: sa,
      }).getCurrentCluster()?.server,
    ).toBe('https://[fd00::1]:6443');
  });
});

describe('KubeApi against the test API server', () => {
  let server: KubeApiServer;
  let api: KubeApi;
  beforeAll(async () => {
    server = await startKubeApiServer();
    const dir = mkdtempSync(join(tmpdir(), 'apiserver-kc-'));
    api = new KubeApi(
      loadKubeConfig({ kind: 'kubeconfig', path: await server.writeKubeconfig(join(dir, 'kubeconfig')) }),
    );
  });
  afterAll(async () => {
    await api.close();
    await server.close();
  });

  it('reports the API server URL and sends the kubeconfig credentials', async () => {
    expect(api.server).toBe(server.url);
    const list = await api.getJson<{ kind: string }>('/api/v1/namespaces/default/pods', { limit: 10 });
    expect(list.kind).toBe('PodList');
    expect(server.requests.at(-1)).toMatchObject({
      authorization: `Bearer ${server.token}`,
      query: { limit: '10' },
      status: 200,
    });
  });

  it('turns a Status failure into a KubeApiError with its code and reason', async () => {
    server.failNext(1, 403, { path: '/api/v1/pods', message: 'pods is forbidden' });
    const error = await api.getJson('/api/v1/pods').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({ code: 403, reason: 'Forbidden', message: 'pods is forbidden' });
  });

  it('streams a watch', async () => {
    const controller = new AbortController();
    const body = await api.openStream('/api/v1/namespaces/default/pods', { watch: true }, controller.signal);
    server.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' } });
    const first = await watchEvents(body, 5_000).next();
    expect(first.value).toMatchObject({ type: 'ADDED', object: { kind: 'Pod', metadata: { name: 'p' } } });
    controller.abort();
  });
});
