import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate, startKubeApiServer, startRecordingSink, waitFor, type KubeApiServer, type RecordingSink } from '@tributary/testkit';
import { createMetrics, Env, readRuntimeConfig, readSinkTokens, SinkClients, type CloudEvent } from '../src/index.ts';
import { TokenRequestToken } from '../src/oidc/token-request.ts';
import { connectToApiServer } from '../src/kube/api-connection.ts';

const event: CloudEvent = { id: 'id-1', source: 'urn:test', type: 'dev.tributary.test', data: { n: 1 } };
const AUDIENCE = 'https://broker.example/team-a/default';

/** The env the ApiServerSource controller hands its adapter with OIDC on, plus a kubeconfig. */
async function clientsFor(kube: KubeApiServer, sink: RecordingSink, extra: Record<string, string> = {}) {
  const kubeconfig = await kube.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'oidc-')), 'config'));
  const env = new Env({
    K_SINK: sink.url,
    K_AUDIENCE: AUDIENCE,
    K_OIDC_SERVICE_ACCOUNT: 'oidc-apiserversource-sa',
    NAMESPACE: 'team-a',
    KUBECONFIG: kubeconfig,
    K_SINK_RETRY: '0',
    ...extra,
  });
  const runtime = readRuntimeConfig(env);
  const tokens = await readSinkTokens(env, runtime);
  env.assertValid();
  return { clients: new SinkClients(runtime, tokens, createMetrics({ adapter: 'test' }, false)), kubeconfig };
}

describe('OIDC tokens from the TokenRequest API (K_AUDIENCE + K_OIDC_SERVICE_ACCOUNT)', () => {
  let kube: KubeApiServer;
  let sink: RecordingSink;
  let clients: SinkClients | undefined;
  beforeEach(async () => {
    kube = await startKubeApiServer({ namespaces: ['default', 'team-a', 'team-b'] });
    kube.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'oidc-apiserversource-sa', namespace: 'team-a' } });
    sink = await startRecordingSink({ authorize: (header) => kube.verifyToken(header, AUDIENCE, 'team-a/oidc-apiserversource-sa') });
  });
  afterEach(async () => {
    await clients?.close();
    clients = undefined;
    await Promise.all([sink.close(), kube.close()]);
  });

  it('sends a token for the service account and audience on every delivery, requested once while fresh', async () => {
    ({ clients } = await clientsFor(kube, sink));
    const emit = clients.emitTo({});
    await Promise.all([emit(event), emit(event), emit(event)]);
    await emit(event);
    expect(sink.rejected).toEqual([]);
    expect(sink.events).toHaveLength(4);
    const [issued, ...more] = kube.issuedTokens;
    expect(more).toEqual([]);
    expect(issued).toMatchObject({ namespace: 'team-a', serviceAccount: 'oidc-apiserversource-sa', audiences: [AUDIENCE], requestedSeconds: 3600 });
    for (const received of sink.events) expect(received.headers.authorization).toBe(`Bearer ${issued?.token}`);
    const [request] = kube.requests.filter((r) => r.path.endsWith('/token'));
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/team-a/serviceaccounts/oidc-apiserversource-sa/token' });
  });

  it('after a 401 requests a new token and delivers with it, without spending a retry', async () => {
    ({ clients } = await clientsFor(kube, sink));
    const emit = clients.emitTo({});
    await emit(event);
    kube.revokeTokens();
    await emit(event);
    expect(sink.rejected.map((r) => r.status)).toEqual([401]);
    expect(sink.events).toHaveLength(2);
    expect(kube.issuedTokens).toHaveLength(2);
    expect(sink.events[1]?.headers.authorization).toBe(`Bearer ${kube.issuedTokens[1]?.token}`);
  });

  it('requests a new token once the cached one is past its renewal point', async () => {
    kube.setTokenTtl(2);
    ({ clients } = await clientsFor(kube, sink));
    const emit = clients.emitTo({});
    await emit(event);
    const first = kube.issuedTokens[0];
    await waitFor(() => first !== undefined && Date.now() >= first.expiresAt, { timeoutMs: 10_000 });
    await emit(event);
    expect(sink.rejected).toEqual([]);
    expect(kube.issuedTokens).toHaveLength(2);
    expect(sink.events[1]?.headers.authorization).toBe(`Bearer ${kube.issuedTokens[1]?.token}`);
  });

  it('gives each target with its own identity its own token (multi-tenant ping)', async () => {
    kube.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'oidc-pingsource-b', namespace: 'team-b' } });
    const other = await startRecordingSink({ authorize: (header) => kube.verifyToken(header, 'aud-b', 'team-b/oidc-pingsource-b') });
    try {
      ({ clients } = await clientsFor(kube, sink));
      await clients.emitTo({ sink: new URL(other.url), oidc: { audience: 'aud-b', serviceAccount: 'oidc-pingsource-b', namespace: 'team-b' } })(event);
      await clients.emitTo({})(event);
      // Another sink without an identity of its own gets no token: K_SINK's is for K_SINK's audience.
      await clients.emitTo({ sink: new URL(`${other.url}plain`) })(event).catch(() => undefined);
      expect(sink.rejected).toEqual([]);
      expect(other.events).toHaveLength(1);
      expect(other.rejected.map((r) => r.reason)).toEqual(['no Authorization header']);
      expect(kube.issuedTokens.map((t) => `${t.namespace}/${t.serviceAccount} ${t.audiences.join()}`).sort()).toEqual([
        `team-a/oidc-apiserversource-sa ${AUDIENCE}`,
        'team-b/oidc-pingsource-b aud-b',
      ]);
    } finally {
      await other.close();
    }
  });

  it('fails the delivery with the API server reason when the service account does not exist', async () => {
    ({ clients } = await clientsFor(kube, sink, { K_OIDC_SERVICE_ACCOUNT: 'missing' }));
    await expect(clients.emitTo({})(event)).rejects.toThrow(/could not request an OIDC token for team-a\/missing: serviceaccounts "missing" not found/);
    expect(sink.requestCount).toBe(0);
  });
});

describe('TokenRequestToken cache', () => {
  it('is reused until a fifth of its life (at most five minutes) before status.expirationTimestamp', async () => {
    const kube = await startKubeApiServer();
    kube.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'default' } });
    const dir = mkdtempSync(join(tmpdir(), 'oidc-'));
    const api = connectToApiServer({ kind: 'kubeconfig', path: await kube.writeKubeconfig(join(dir, 'config')) });
    let now = Date.now();
    const token = new TokenRequestToken(api, { audience: 'a', serviceAccount: 'sa', namespace: 'default' }, () => now);
    try {
      const first = await token.current();
      const issued = kube.issuedTokens[0];
      if (issued === undefined) throw new Error('no token issued');
      now = issued.expiresAt - 5 * 60_000 - 1_000;
      expect(token.current()).toBe(first);
      now = issued.expiresAt - 5 * 60_000 + 1_000;
      expect(await token.current()).not.toBe(first);
      expect(kube.issuedTokens).toHaveLength(2);
    } finally {
      await api.dispatcher.close();
      await kube.close();
    }
  });
});

describe('TokenRequest with in-cluster credentials', () => {
  it('reaches https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT with the service account CA and token, namespace from its file', async () => {
    const kube = await startKubeApiServer({ tls: selfSignedCertificate() });
    kube.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'oidc-sa', namespace: 'default' } });
    const sink = await startRecordingSink({ authorize: (header) => kube.verifyToken(header, 'aud', 'default/oidc-sa') });
    const account = join(mkdtempSync(join(tmpdir(), 'oidc-sa-')), 'serviceaccount');
    const podEnv = await kube.writeServiceAccount(account, 'default');
    const env = new Env({ K_SINK: sink.url, K_AUDIENCE: 'aud', K_OIDC_SERVICE_ACCOUNT: 'oidc-sa', KUBERNETES_SERVICE_ACCOUNT_DIR: account, ...podEnv });
    const runtime = readRuntimeConfig(env);
    const clients = new SinkClients(runtime, await readSinkTokens(env, runtime), createMetrics({ adapter: 'test' }, false));
    try {
      env.assertValid();
      await clients.emitTo({})(event);
      expect(sink.rejected).toEqual([]);
      expect(sink.events).toHaveLength(1);
      expect(kube.requests.find((r) => r.path.endsWith('/token'))?.authorization).toBe(`Bearer ${kube.token}`);
    } finally {
      await clients.close();
      await Promise.all([sink.close(), kube.close()]);
    }
  });
});
