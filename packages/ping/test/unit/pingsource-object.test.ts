import { pingSourceObject, selfSignedCertificate } from '@tributary/testkit';
import { describe, expect, it } from 'vitest';
import { fromPingSourceObject, type PingSourceObject } from '../../src/pingsource-object.ts';
import { knativePingSources } from './knative-fixtures.ts';

const SINK = 'http://broker-ingress.knative-eventing.svc.cluster.local/default/default';

/** A manifest of the fixture file as the PingSource controller leaves it: Ready, with its sink resolved. */
function reconciled(index: number, status: Record<string, unknown> = {}): PingSourceObject {
  const manifest = knativePingSources()[index]!;
  const object = pingSourceObject({ namespace: manifest.metadata.namespace, name: manifest.metadata.name, spec: manifest.spec, sinkUri: SINK });
  return { ...object, status: { ...(object['status'] as object), ...status } } as PingSourceObject;
}

const served = (object: PingSourceObject) => {
  const result = fromPingSourceObject(object);
  if (result.kind !== 'serve') throw new Error(`not served: ${JSON.stringify(result)}`);
  return result.source;
};

const problemsOf = (object: PingSourceObject) => {
  const result = fromPingSourceObject(object);
  return result.kind === 'rejected' ? result.problems.map((p) => `${p.field}: ${p.message}`) : result.kind;
};

describe('fromPingSourceObject', () => {
  it('serves a Ready PingSource to status.sinkUri with its spec, as mt-ping', () => {
    const source = served(reconciled(0));
    expect(source).toMatchObject({ key: 'pingsource-example/test-ping-source', contentType: 'application/json', data: '{"message": "Hello world!"}' });
    expect(source.sink?.href).toBe(SINK);
    expect(source.schedule).toMatchObject({ expression: '*/2 * * * *', timezone: 'UTC' });
    expect(source.caCerts).toBeUndefined();
    expect(source.oidc).toBeUndefined();
  });

  it('takes spec.ceOverrides, status.sinkCACerts, and OIDC from status.sinkAudience with status.auth.serviceAccountName', () => {
    const { cert } = selfSignedCertificate();
    const object = reconciled(0, { sinkCACerts: cert, sinkAudience: 'broker.default', auth: { serviceAccountName: 'oidc-pingsource' } });
    const withOverrides = { ...object, spec: { ...object.spec, ceOverrides: { extensions: { team: 'a' } } } };
    expect(served(withOverrides)).toMatchObject({
      caCerts: cert,
      ceOverrides: { team: 'a' },
      oidc: { audience: 'broker.default', serviceAccount: 'oidc-pingsource' },
    });
    // Knative's client asks for a token only with both.
    expect(served(reconciled(0, { sinkAudience: 'broker.default' })).oidc).toBeUndefined();
  });

  it('reads empty strings as unset, as Go zero values: the default schedule, no data', () => {
    const object = reconciled(0);
    const source = served({ ...object, spec: { schedule: '', timezone: '', contentType: '', data: '', dataBase64: '' } });
    expect(source.schedule).toMatchObject({ expression: '* * * * *', timezone: 'UTC' });
    expect(source.data).toBeUndefined();
    expect(source.contentType).toBeUndefined();
  });

  it('skips a source that is not Ready, as mt-ping reconciler does', () => {
    const notReady = pingSourceObject({ namespace: 'default', name: 'waiting', spec: {} }) as PingSourceObject;
    expect(fromPingSourceObject(notReady)).toEqual({ kind: 'not-ready' });
    expect(fromPingSourceObject({ metadata: { namespace: 'default', name: 'fresh' }, spec: {} })).toEqual({ kind: 'not-ready' });
  });

  it('rejects what cannot be served, naming each field', () => {
    const object = reconciled(0);
    expect(problemsOf({ ...object, spec: { schedule: '61 * * * *' } })).toEqual([expect.stringMatching(/^spec\.schedule: "61 \* \* \* \*" is not a valid cron expression/)]);
    expect(problemsOf({ ...object, spec: { timezone: 'Knative/Land' } })).toEqual([expect.stringContaining('spec.timezone: unknown time zone')]);
    expect(problemsOf({ ...object, spec: { ceOverrides: { extensions: { Bad_Name: 'x' } } } })).toEqual([
      expect.stringContaining('spec.ceOverrides.extensions.Bad_Name: extension name'),
    ]);
    expect(problemsOf(reconciled(0, { sinkUri: undefined }))).toEqual(['status.sinkUri: is not set although the source is Ready']);
    expect(problemsOf(reconciled(0, { sinkUri: 'ftp://example' }))).toEqual([expect.stringContaining('status.sinkUri: must be an absolute http or https URL')]);
    expect(problemsOf(reconciled(0, { sinkCACerts: 'not a certificate' }))).toEqual([expect.stringContaining('status.sinkCACerts: holds no PEM certificate')]);
    expect(problemsOf({ ...object, spec: { schedule: 5 } })).toEqual(['spec.schedule: must be a string, got number']);
  });
});
