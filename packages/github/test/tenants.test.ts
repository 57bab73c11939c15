import { describe, expect, it } from 'vitest';
import { Webhooks } from '@octokit/webhooks';
import { HttpError } from '@tributary/core';
import { tenantOf, type GitHubSourceObject } from '../src/github-source.ts';
import { TenantSecret } from '../src/tenant-secret.ts';

const SOURCE: GitHubSourceObject = {
  metadata: { namespace: 'team-a', name: 'repo' },
  spec: {
    ownerAndRepository: 'octo/hello',
    secretToken: { secretKeyRef: { name: 'gh', key: 'secretToken' } },
    ceOverrides: { extensions: { team: 'a' } },
  },
  status: { sinkUri: 'http://broker-ingress.knative-eventing.svc/team-a/default', sinkAudience: 'broker', auth: { serviceAccountName: 'oidc-sa' } },
};

describe('tenantOf: a GitHubSource as the multi-tenant adapter serves it', () => {
  it('takes path, secret reference, source, sink, overrides and OIDC identity from the object', () => {
    const result = tenantOf(SOURCE, 'https://github.com');
    expect(result).toMatchObject({
      ok: true,
      tenant: {
        path: '/team-a/repo',
        secretRef: { name: 'gh', key: 'secretToken' },
        source: 'https://github.com/octo/hello',
        ceOverrides: { team: 'a' },
        oidc: { audience: 'broker', serviceAccount: 'oidc-sa', namespace: 'team-a' },
      },
    });
    expect(result.ok && result.tenant.sink.href).toBe('http://broker-ingress.knative-eventing.svc/team-a/default');
  });

  it('says why a source cannot be served yet', () => {
    expect(tenantOf({ ...SOURCE, status: {} }, 'https://github.com')).toMatchObject({ ok: false, problem: expect.stringContaining('status.sinkUri') });
    expect(tenantOf({ ...SOURCE, spec: { ...SOURCE.spec, secretToken: {} } }, 'https://github.com')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('secretKeyRef'),
    });
    expect(tenantOf({ ...SOURCE, status: { sinkUri: 'ftp://x' } }, 'https://github.com')).toMatchObject({ ok: false });
  });
});

describe('TenantSecret', () => {
  const body = Buffer.from('{"zen":"Design for failure."}');
  const signed = async (secret: string) => ({ 'x-hub-signature-256': await new Webhooks({ secret }).sign(body.toString()) });

  it('re-reads the Secret once on a mismatch, and only once per interval', async () => {
    let value = 'old';
    let reads = 0;
    const secret = new TenantSecret(async () => {
      reads++;
      return value;
    }, 60_000);
    await secret.load();
    await secret.verify(await signed('old'), body);
    value = 'new';
    // Within the interval since the last read: no second read, the 401 stands.
    await expect(secret.verify(await signed('new'), body)).rejects.toMatchObject({ status: 401 });
    expect(reads).toBe(1);

    const eager = new TenantSecret(async () => {
      reads++;
      return value;
    }, 0);
    value = 'old';
    await eager.load();
    value = 'new';
    await eager.verify(await signed('new'), body);
    await expect(eager.verify(await signed('old'), body)).rejects.toBeInstanceOf(HttpError);
  });

  it('answers 503 while the Secret cannot be read, and refuses an empty key', async () => {
    const missing = new TenantSecret(() => Promise.reject(new Error('reading Secret team-a/gh: HTTP 404')), 0);
    await missing.load();
    expect(missing.problem).toContain('HTTP 404');
    await expect(missing.verify(await signed('x'), body)).rejects.toMatchObject({ status: 503, code: 'SOURCE_SECRET_UNAVAILABLE' });

    const empty = new TenantSecret(() => Promise.resolve(''), 0);
    await empty.load();
    // An empty key would otherwise accept any body signed with it (go-playground/webhooks skips the check).
    await expect(empty.verify({ 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }, body)).rejects.toMatchObject({ status: 503 });
  });
});
