import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '@tributary/core';
import { eventBridgeCertificates, officialCertificateUrl } from '../../src/certificates.ts';
import { verifySignatureV2, type SignatureV2Config } from '../../src/signature-v2.ts';

const TARGET = 'https://events.example.com/eventbridge?bus=default';
const CERT_URL =
  'https://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com/x509_public_certificate_2021012501.pem';
const NOW = 1_675_763_551_000;
const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const body = Buffer.from(
  '{"specversion":"1.0","id":"1","source":"acs.oss","type":"oss:ObjectCreated:PutObject"}',
);

/**
 * Signs the way the docs describe version 2 (help.aliyun.com/en/eventbridge/user-guide/signature-algorithm),
 * the string-to-sign written out by hand rather than built by the code under test.
 */
function signedHeaders(
  options: { token?: string; timestamp?: number; key?: KeyObject; finalNewline?: boolean; url?: string } = {},
) {
  const timestamp = String(options.timestamp ?? NOW);
  const url = options.url ?? CERT_URL;
  const tokenLine = options.token === undefined ? '' : `x-eventbridge-signature-token: ${options.token}\n`;
  const text =
    `${TARGET}\n` +
    `x-eventbridge-signature-timestamp: ${timestamp}\n` +
    'x-eventbridge-hash-method: SHA256\n' +
    'x-eventbridge-signature-version: 1.0\n' +
    `x-eventbridge-signature-url: ${url}\n` +
    tokenLine +
    body.toString() +
    (options.finalNewline === true ? '\n' : '');
  return {
    'x-eventbridge-signature-timestamp': timestamp,
    'x-eventbridge-hash-method': 'SHA256',
    'x-eventbridge-signature-version': '1.0',
    'x-eventbridge-signature-url': url,
    'x-eventbridge-signature-v2': sign(
      'sha256',
      Buffer.from(text),
      options.key ?? signer.privateKey,
    ).toString('base64'),
    ...(options.token === undefined ? {} : { 'x-eventbridge-signature-token': options.token }),
  };
}

let keyServer: Server;
const fetched: string[] = [];
let config: SignatureV2Config;

beforeAll(async () => {
  // Loopback stand-in for <region>-eventbridge.oss-accelerate.aliyuncs.com.
  keyServer = createServer((request, response) => {
    fetched.push(request.url ?? '');
    if (request.url === '/x509_public_certificate_2021012501.pem') {
      response.end(signer.publicKey.export({ type: 'spki', format: 'pem' }));
    } else if (request.url === '/garbage.pem') {
      response.end('not a certificate');
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
  const origin = new URL(`http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`);
  config = { targetUrl: TARGET, maxAgeMs: 60_000, certificates: eventBridgeCertificates({ origin }) };
});
afterAll(() => new Promise<void>((resolve) => keyServer.close(() => resolve())));

async function refusal(run: () => Promise<void>): Promise<{ status: number; message: string }> {
  try {
    await run();
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('EventBridge v2 signature (RSA-SHA256)', () => {
  it('accepts a push signed as documented, with or without the token line and the final newline', async () => {
    await verifySignatureV2(config, signedHeaders(), body, NOW);
    await verifySignatureV2(config, signedHeaders({ token: 'tok' }), body, NOW + 59_000);
    await verifySignatureV2(config, signedHeaders({ finalNewline: true }), body, NOW);
  });

  it('downloads a certificate once and serves later pushes from the cache', async () => {
    const before = fetched.length;
    await verifySignatureV2(config, signedHeaders(), body, NOW);
    await verifySignatureV2(config, signedHeaders({ token: 'x' }), body, NOW);
    expect(fetched.length).toBe(before);
  });

  it('refuses a changed body, another target URL, a changed token and a foreign key', async () => {
    expect(
      (await refusal(() => verifySignatureV2(config, signedHeaders(), Buffer.from(`${body} `), NOW))).message,
    ).toMatch(/does not match/);
    const elsewhere = { ...config, targetUrl: `${TARGET}&x=1` };
    expect((await refusal(() => verifySignatureV2(elsewhere, signedHeaders(), body, NOW))).status).toBe(401);
    const changedToken = { ...signedHeaders({ token: 'tok' }), 'x-eventbridge-signature-token': 'tik' };
    expect((await refusal(() => verifySignatureV2(config, changedToken, body, NOW))).status).toBe(401);
    const foreign = signedHeaders({ key: other.privateKey });
    expect((await refusal(() => verifySignatureV2(config, foreign, body, NOW))).message).toMatch(
      /does not match/,
    );
  });

  it('refuses an old or future timestamp, another hash method and missing headers', async () => {
    expect(
      (await refusal(() => verifySignatureV2(config, signedHeaders(), body, NOW + 61_000))).message,
    ).toMatch(/window/);
    expect(
      (await refusal(() => verifySignatureV2(config, signedHeaders(), body, NOW - 61_000))).message,
    ).toMatch(/window/);
    const md5 = { ...signedHeaders(), 'x-eventbridge-hash-method': 'MD5' };
    expect((await refusal(() => verifySignatureV2(config, md5, body, NOW))).message).toMatch(/unsupported/);
    const { 'x-eventbridge-signature-url': _, ...noUrl } = signedHeaders();
    expect((await refusal(() => verifySignatureV2(config, noUrl, body, NOW))).message).toMatch(
      /missing x-eventbridge-signature-url/,
    );
  });

  it('never fetches a certificate from outside the official domain', async () => {
    const before = fetched.length;
    for (const url of [
      'https://evil.example.com/x509_public_certificate_2021012501.pem',
      'http://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com/x509_public_certificate_2021012501.pem',
      'https://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com.evil.com/a.pem',
      'https://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com:8443/a.pem',
      'https://user@cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com/a.pem',
      'https://eventbridge.oss-accelerate.aliyuncs.com/a.pem',
      'not a url',
    ]) {
      const refused = await refusal(() => verifySignatureV2(config, signedHeaders({ url }), body, NOW));
      expect(refused).toEqual({
        status: 401,
        message: expect.stringMatching(/official EventBridge certificate source|not a URL/),
      });
    }
    expect(fetched.length).toBe(before);
    expect(officialCertificateUrl(CERT_URL).hostname).toBe(
      'cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com',
    );
  });

  it('answers 503 when the certificate cannot be fetched and 401 when it cannot be read', async () => {
    const missing =
      'https://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com/x509_public_certificate_missing.pem';
    expect(
      await refusal(() => verifySignatureV2(config, signedHeaders({ url: missing }), body, NOW)),
    ).toEqual({
      status: 503,
      message: expect.stringMatching(/HTTP 404/),
    });
    const garbage = 'https://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com/garbage.pem';
    expect(
      (await refusal(() => verifySignatureV2(config, signedHeaders({ url: garbage }), body, NOW))).status,
    ).toBe(401);
  });
});
