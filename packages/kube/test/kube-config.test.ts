import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { startKubeApiServer, type KubeApiServer } from '@tributary/testkit';
import { loadKubeConfig } from '../src/index.ts';

describe('loadKubeConfig with a plain-http server (what `kubectl proxy` serves)', () => {
  let server: KubeApiServer;
  beforeAll(async () => {
    server = await startKubeApiServer();
  });
  afterAll(() => server.close());

  /** A kubeconfig as a user writes it for `kubectl proxy`: http, no insecure-skip-tls-verify. */
  function proxyKubeconfig(): string {
    const path = join(mkdtempSync(join(tmpdir(), 'kube-http-')), 'config');
    writeFileSync(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: proxy, cluster: {server: "' + server.url + '"}}]',
        'users: [{name: proxy, user: {token: "' + server.token + '"}}]',
        'contexts: [{name: proxy, context: {cluster: proxy, user: proxy}}]',
        'current-context: proxy',
      ].join('\n'),
    );
    return path;
  }

  it('reaches the API server instead of refusing http', async () => {
    const kc = loadKubeConfig({ kind: 'kubeconfig', path: proxyKubeconfig() });
    const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' });
    expect(pods.items).toEqual([]);
  });

  it('keeps TLS verification for https servers', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kube-https-')), 'config');
    writeFileSync(
      path,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://10.0.0.1:6443"}}]\n' +
        'users: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    );
    expect(loadKubeConfig({ kind: 'kubeconfig', path }).getCurrentCluster()?.skipTLSVerify).toBe(false);
  });
});
