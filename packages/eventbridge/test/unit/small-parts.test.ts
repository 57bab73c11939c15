import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Env, type HttpError } from '@tributary/core';
import { fixturePath } from '@tributary/testkit';
import { secretMatcher } from '@tributary/core';
import { checkToken } from '../../src/auth.ts';
import { readEventBridgeConfig } from '../../src/config.ts';
import { deliveryId } from '../../src/intake.ts';
import { compileTypeFilter } from '../../src/type-filter.ts';

describe('type allowlist', () => {
  it('matches exact types and * wildcards, and passes everything when empty', () => {
    const accepts = compileTypeFilter(['oss:ObjectCreated:*', 'com.amazon.events.event']);
    expect(accepts('oss:ObjectCreated:PutObject')).toBe(true);
    expect(accepts('oss:ObjectCreated:')).toBe(true);
    expect(accepts('oss:ObjectRemoved:DeleteObject')).toBe(false);
    expect(accepts('com.amazon.events.event')).toBe(true);
    expect(accepts('com.amazon.events.eventX')).toBe(false);
    expect(compileTypeFilter(['a.b'])('aXb')).toBe(false);
    expect(compileTypeFilter([])('anything')).toBe(true);
  });
});

describe('token', () => {
  const status = (headers: Record<string, string>) => {
    try {
      checkToken(headers, secretMatcher('s3cret'));
      return 200;
    } catch (error) {
      return (error as HttpError).status;
    }
  };
  it('takes the EventBridge header or a bearer token, and nothing else', () => {
    expect(status({ 'x-eventbridge-signature-token': 's3cret' })).toBe(200);
    expect(status({ authorization: 'Bearer s3cret' })).toBe(200);
    expect(status({ authorization: 'bearer  s3cret ' })).toBe(200);
    expect(status({ 'x-eventbridge-signature-token': 'wrong', authorization: 'Bearer s3cret' })).toBe(200);
    expect(status({ 'x-eventbridge-signature-token': 's3cre' })).toBe(401);
    expect(status({ authorization: 'Basic czNjcmV0' })).toBe(401);
    expect(status({})).toBe(401);
  });
});

describe('delivery id', () => {
  it('is source+id for one event and a digest of all of them for a batch', () => {
    const a = { id: '1', source: 'acs.oss', type: 't' };
    const b = { id: '2', source: 'acs.oss', type: 't' };
    expect(deliveryId([a])).toBe('acs.oss\n1');
    expect(deliveryId([a, b])).toBe(deliveryId([a, b]));
    expect(deliveryId([a, b])).not.toBe(deliveryId([b, a]));
    expect(deliveryId([])).toBeUndefined();
  });
});

describe('config', () => {
  const read = (vars: Record<string, string>) => {
    const env = new Env(vars);
    const config = readEventBridgeConfig(env);
    return { config, problems: env.problems.map((p) => p.variable) };
  };

  it('requires some authentication unless explicitly waived', () => {
    expect(read({}).problems).toEqual(['EVENTBRIDGE_TOKEN']);
    expect(read({ EVENTBRIDGE_ALLOW_UNAUTHENTICATED: 'true' }).problems).toEqual([]);
    const { config, problems } = read({
      EVENTBRIDGE_TOKEN: 't',
      EVENTBRIDGE_TYPES: 'oss:ObjectCreated:*, oss:ActionTrail:*',
    });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      token: 't',
      types: ['oss:ObjectCreated:*', 'oss:ActionTrail:*'],
      maxBodyBytes: 8 * 1024 * 1024,
    });
  });

  it('reads certificates and public keys for signed pushes, and names what is missing or wrong', () => {
    const certificate = readFileSync(fixturePath('eventbridge', 'test-certificate.pem'), 'utf8');
    const spki = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const signed = read({
      EVENTBRIDGE_PUBLIC_KEY: `${certificate}\n${spki}`,
      EVENTBRIDGE_TARGET_URL: 'https://x.example/eb?a=1',
    });
    expect(signed.problems).toEqual([]);
    expect(signed.config.signature?.publicKeys).toHaveLength(2);
    expect(signed.config.signature?.targetUrl).toBe('https://x.example/eb?a=1');
    expect(read({ EVENTBRIDGE_PUBLIC_KEY: certificate }).problems).toEqual(['EVENTBRIDGE_TARGET_URL']);
    expect(
      read({ EVENTBRIDGE_PUBLIC_KEY: 'not a pem', EVENTBRIDGE_TARGET_URL: 'https://x.example/' }).problems,
    ).toEqual(['EVENTBRIDGE_PUBLIC_KEY']);
    expect(read({ EVENTBRIDGE_TOKEN: 't', EVENTBRIDGE_MAX_BODY_BYTES: '12' }).problems).toEqual([
      'EVENTBRIDGE_MAX_BODY_BYTES',
    ]);
  });
});
