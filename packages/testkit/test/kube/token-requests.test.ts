import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, type ApiException } from '@kubernetes/client-node';
import { selfSignedCertificate, startKubeApiServer, type KubeApiServer } from '../../src/index.ts';

describe('KubeApiServer: TokenRequest (serviceaccounts/<name>/token) with @kubernetes/client-node', () => {
  let server: KubeApiServer;
  let core: CoreV1Api;
  beforeAll(async () => {
    server = await startKubeApiServer({ tls: selfSignedCertificate() });
    server.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'oidc', namespace: 'default' } });
    core = server.kubeConfig().makeApiClient(CoreV1Api);
  });
  afterAll(async () => {
    await server.close();
  });

  it('issues a JWT-shaped token for the audience and records it; verifyToken checks audience, account, expiry and revocation', async () => {
    const answer = await core.createNamespacedServiceAccountToken({
      name: 'oidc',
      namespace: 'default',
      body: { spec: { audiences: ['aud-1'], expirationSeconds: 3600 } },
    });
    const token = answer.status?.token ?? '';
    expect(answer.kind).toBe('TokenRequest');
    expect(answer.status?.expirationTimestamp?.getTime()).toBe(server.issuedTokens[0]?.expiresAt);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: ['aud-1'], sub: 'system:serviceaccount:default:oidc' });
    expect(server.verifyToken(`Bearer ${token}`, 'aud-1', 'default/oidc')).toBeUndefined();
    expect(server.verifyToken(`Bearer ${token}`, 'aud-2')).toMatch(/audience/);
    expect(server.verifyToken(`Bearer ${token}`, 'aud-1', 'default/other')).toMatch(/not default\/other/);
    expect(server.verifyToken(undefined, 'aud-1')).toBe('no Authorization header');
    server.revokeTokens();
    expect(server.verifyToken(`Bearer ${token}`, 'aud-1')).toBe('token was revoked');
  });

  it('answers 404 for a service account that does not exist and 422 for a lifetime under ten minutes, as the API server', async () => {
    const failure = (promise: Promise<unknown>) => promise.then(() => 0, (error: ApiException<string>) => error.code);
    expect(await failure(core.createNamespacedServiceAccountToken({ name: 'nobody', namespace: 'default', body: { spec: { audiences: ['a'] } } }))).toBe(404);
    expect(await failure(core.createNamespacedServiceAccountToken({ name: 'oidc', namespace: 'default', body: { spec: { audiences: ['a'], expirationSeconds: 60 } } }))).toBe(422);
  });
});
