import { constants, createHmac, generateKeyPairSync, privateEncrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HttpError } from '@tributary/core';
import { verifySignature, type SignatureConfig } from '../../src/signature.ts';

const TARGET = 'https://events.example.com/eventbridge?bus=default';
const CERT_URL =
  'https://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com/x509_public_certificate_2021012501.pem';
const NOW = 1_675_763_551_000;
const signer = generateKeyPairSync('rsa', { modulusLength: 1024 });
const other = generateKeyPairSync('rsa', { modulusLength: 1024 });
const body = Buffer.from(
  '{"specversion":"1.0","id":"1","source":"acs.oss","type":"oss:ObjectCreated:PutObject"}',
);

/** Signs the way EventBridge does (Alibaba docs, doc 207037; the SDK's StringToSignBuilder), written out by hand. */
function signedHeaders(
  options: { token?: string; timestamp?: number; key?: typeof signer.privateKey; method?: string } = {},
) {
  const timestamp = String(options.timestamp ?? NOW);
  const secret = 'f3a1c0e2d4b6a8c0e2f4a6b8c0d2e4f6';
  const encrypted = privateEncrypt(
    { key: options.key ?? signer.privateKey, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from(secret),
  );
  const tokenLine = options.token === undefined ? '' : `x-eventbridge-signature-token: ${options.token}\n`;
  const text =
    `${TARGET}\n` +
    `x-eventbridge-signature-timestamp: ${timestamp}\n` +
    'x-eventbridge-signature-method: HMAC-SHA1\n' +
    'x-eventbridge-signature-version: 1.0\n' +
    `x-eventbridge-signature-url: ${CERT_URL}\n` +
    tokenLine +
    `${body.toString()}\n`;
  return {
    'x-eventbridge-signature-timestamp': timestamp,
    'x-eventbridge-signature-method': options.method ?? 'HMAC-SHA1',
    'x-eventbridge-signature-version': '1.0',
    'x-eventbridge-signature-url': CERT_URL,
    'x-eventbridge-signature-secret': encrypted.toString('base64'),
    'x-eventbridge-signature': createHmac('sha1', secret).update(text).digest('base64'),
    ...(options.token === undefined ? {} : { 'x-eventbridge-signature-token': options.token }),
  };
}

const config: SignatureConfig = {
  publicKeys: [other.publicKey, signer.publicKey],
  targetUrl: TARGET,
  maxAgeMs: 60_000,
};

function refusal(run: () => void): string {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) return error.message;
    throw error;
  }
  throw new Error('expected a 401');
}

describe('EventBridge v1 signature', () => {
  it('accepts a push signed as EventBridge signs it, with or without the token line', () => {
    expect(() => verifySignature(config, signedHeaders(), body, NOW)).not.toThrow();
    expect(() => verifySignature(config, signedHeaders({ token: 'tok' }), body, NOW + 59_000)).not.toThrow();
  });

  it('refuses a changed body, another target URL, a changed token and a foreign key', () => {
    expect(refusal(() => verifySignature(config, signedHeaders(), Buffer.from(`${body} `), NOW))).toMatch(
      /does not match/,
    );
    expect(
      refusal(() => verifySignature({ ...config, targetUrl: `${TARGET}&x=1` }, signedHeaders(), body, NOW)),
    ).toMatch(/does not match/);
    expect(
      refusal(() =>
        verifySignature(
          config,
          { ...signedHeaders({ token: 'tok' }), 'x-eventbridge-signature-token': 'tik' },
          body,
          NOW,
        ),
      ),
    ).toMatch(/does not match/);
    const foreign = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(
      refusal(() => verifySignature(config, signedHeaders({ key: foreign.privateKey }), body, NOW)),
    ).toMatch(/cannot be decrypted/);
  });

  it('refuses replays outside the 60 s window, unknown methods and missing headers', () => {
    expect(
      refusal(() => verifySignature(config, signedHeaders({ timestamp: NOW - 61_000 }), body, NOW)),
    ).toMatch(/window/);
    expect(
      refusal(() => verifySignature(config, signedHeaders({ timestamp: NOW + 61_000 }), body, NOW)),
    ).toMatch(/window/);
    expect(
      refusal(() => verifySignature(config, signedHeaders({ method: 'HMAC-SHA256' }), body, NOW)),
    ).toMatch(/method/);
    const { 'x-eventbridge-signature': _dropped, ...unsigned } = signedHeaders();
    expect(refusal(() => verifySignature(config, unsigned, body, NOW))).toMatch(
      /missing x-eventbridge-signature$/,
    );
  });
});
