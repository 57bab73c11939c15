import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, createHmac, generateKeyPairSync, privateEncrypt, sign } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adapterEnv,
  bundlePath,
  fixturePath,
  selfSignedCertificate,
  startProcess,
  startRecordingSink,
  type AdapterProcess,
  type RecordingSink,
} from '@tributary/testkit';

const fixture = (name: string) => readFileSync(fixturePath('eventbridge', name), 'utf8');

interface Running {
  readonly sink: RecordingSink;
  readonly adapter: AdapterProcess;
  readonly port: string;
}

async function run(
  extra: Record<string, string> | ((port: string) => Record<string, string>),
): Promise<Running> {
  const sink = await startRecordingSink();
  const env = await adapterEnv(sink.url);
  const adapter = startProcess(bundlePath('eventbridge'), {
    ...env,
    ...(typeof extra === 'function' ? extra(env.PORT) : extra),
  });
  await adapter.waitForReady(Number(env.PORT));
  return { sink, adapter, port: env.PORT };
}

async function stop(running: Running | undefined): Promise<void> {
  await running?.adapter.stop();
  await running?.sink.close();
}

describe('EVENTBRIDGE_TYPES allowlist, unauthenticated, structured delivery', () => {
  let running: Running;
  beforeAll(async () => {
    running = await run({
      EVENTBRIDGE_ALLOW_UNAUTHENTICATED: 'true',
      EVENTBRIDGE_TYPES: 'oss:ObjectCreated:*',
      K_SINK_MODE: 'structured',
    });
  });
  afterEach(() => running.sink.reset());
  afterAll(() => stop(running));

  const push = (body: string, contentType = 'application/json') =>
    fetch(`http://127.0.0.1:${running.port}/`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });

  it('acknowledges an event outside the allowlist without forwarding it', async () => {
    const response = await push(fixture('oss-actiontrail-consoleoperation.cloudevent.json'));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'ignored', reason: 'type-not-allowed' });
    expect(running.sink.requestCount).toBe(0);
  });

  it('forwards only the allowed events of a batch, in structured mode with their data', async () => {
    const put = JSON.parse(fixture('oss-putobject.cloudevent.json'));
    const trail = JSON.parse(fixture('oss-actiontrail-consoleoperation.cloudevent.json'));
    const batch = [put, trail, { ...put, id: 'second-put', type: 'oss:ObjectCreated:CopyObject' }];
    const response = await push(JSON.stringify(batch), 'application/cloudevents-batch+json');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'accepted', events: 2 });
    const events = await running.sink.waitForEvents(2);
    expect(events.map((event) => [event.mode, event.attributes['type']]).sort()).toEqual([
      ['structured', 'oss:ObjectCreated:CopyObject'],
      ['structured', 'oss:ObjectCreated:PutObject'],
    ]);
    for (const event of events) {
      expect(event.attributes).toMatchObject({
        source: 'acs.oss',
        aliyunoriginalaccountid: '1581204543170042',
        datacontenttype: 'application/json;charset=utf-8',
      });
      expect(event.json()).toEqual(put.data);
    }
  });
});

describe('signed pushes (EVENTBRIDGE_PUBLIC_KEY)', () => {
  const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKey = signer.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const certUrl =
    'https://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com/x509_public_certificate_2021012501.pem';
  let running: Running;
  let target: string;
  beforeAll(async () => {
    running = await run((port) => {
      target = `http://127.0.0.1:${port}/eventbridge?bus=default`;
      return { EVENTBRIDGE_PUBLIC_KEY: publicKey, EVENTBRIDGE_TARGET_URL: target };
    });
  });
  afterEach(() => running.sink.reset());
  afterAll(() => stop(running));

  /** What EventBridge sends: a temporary secret sealed with its private key, and an HMAC-SHA1 over the request. */
  function signed(body: string, timestamp = Date.now()): Record<string, string> {
    const secret = 'temporary-secret-for-this-push';
    const text =
      `${target}\nx-eventbridge-signature-timestamp: ${timestamp}\nx-eventbridge-signature-method: HMAC-SHA1\n` +
      `x-eventbridge-signature-version: 1.0\nx-eventbridge-signature-url: ${certUrl}\n${body}\n`;
    return {
      'content-type': 'application/json;charset=utf-8',
      'x-eventbridge-signature-timestamp': String(timestamp),
      'x-eventbridge-signature-method': 'HMAC-SHA1',
      'x-eventbridge-signature-version': '1.0',
      'x-eventbridge-signature-url': certUrl,
      'x-eventbridge-signature-secret': privateEncrypt(
        { key: signer.privateKey, padding: constants.RSA_PKCS1_PADDING },
        Buffer.from(secret),
      ).toString('base64'),
      'x-eventbridge-signature': createHmac('sha1', secret).update(text).digest('base64'),
    };
  }

  it('delivers a correctly signed push', async () => {
    const body = fixture('oss-putobject.cloudevent.json');
    const response = await fetch(target, { method: 'POST', headers: signed(body), body });
    expect(response.status).toBe(200);
    const [event] = await running.sink.waitForEvents(1);
    expect(event?.attributes['id']).toBe('63E21F5FEE852133319101AD');
  });

  it('answers 401 to an unsigned, tampered or stale push', async () => {
    const body = fixture('oss-putobject.cloudevent.json');
    const unsigned = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    const tampered = await fetch(target, {
      method: 'POST',
      headers: signed(body),
      body: body.replace('demo.data', 'evil.data'),
    });
    expect(tampered.status).toBe(401);
    const stale = await fetch(target, { method: 'POST', headers: signed(body, Date.now() - 120_000), body });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ error: 'BAD_SIGNATURE' });
    const v2Only = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-eventbridge-signature-v2': 'c2lnbmF0dXJl' },
      body,
    });
    expect(v2Only.status).toBe(401);
    expect(await v2Only.json()).toMatchObject({
      error: 'SIGNATURE_V2_NOT_ENABLED',
      message: expect.stringContaining('EVENTBRIDGE_SIGNATURE_V2=true'),
    });
    expect(running.sink.requestCount).toBe(0);
  });
});

describe('signed pushes, version 2 (EVENTBRIDGE_SIGNATURE_V2)', () => {
  // A real X.509 certificate, as EventBridge publishes x509_public_certificate_*.pem, served by a
  // loopback stand-in for the official domain (EVENTBRIDGE_CERTIFICATE_ORIGIN, tests only).
  const { key, cert } = selfSignedCertificate();
  const certUrl =
    'https://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com/x509_public_certificate_2021012501.pem';
  let keyServer: Server;
  let downloads = 0;
  let running: Running;
  let target: string;
  beforeAll(async () => {
    keyServer = createServer((request, response) => {
      downloads += 1;
      if (request.url === new URL(certUrl).pathname) response.end(cert);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
    running = await run((port) => {
      target = `http://127.0.0.1:${port}/eventbridge?bus=default`;
      return {
        EVENTBRIDGE_SIGNATURE_V2: 'true',
        EVENTBRIDGE_TARGET_URL: target,
        EVENTBRIDGE_CERTIFICATE_ORIGIN: origin,
      };
    });
  });
  afterEach(() => running.sink.reset());
  afterAll(async () => {
    await stop(running);
    await new Promise<void>((resolve) => keyServer.close(() => resolve()));
  });

  /** What EventBridge sends with version 2: an RSA-SHA256 signature over the documented string-to-sign. */
  function signed(body: string, url = certUrl, timestamp = Date.now()): Record<string, string> {
    const text =
      `${target}\nx-eventbridge-signature-timestamp: ${timestamp}\nx-eventbridge-hash-method: SHA256\n` +
      `x-eventbridge-signature-version: 1.0\nx-eventbridge-signature-url: ${url}\n${body}`;
    return {
      'content-type': 'application/json;charset=utf-8',
      'x-eventbridge-signature-timestamp': String(timestamp),
      'x-eventbridge-hash-method': 'SHA256',
      'x-eventbridge-signature-version': '1.0',
      'x-eventbridge-signature-url': url,
      'x-eventbridge-signature-v2': sign('sha256', Buffer.from(text), key).toString('base64'),
    };
  }

  it('delivers correctly signed pushes, downloading the certificate once', async () => {
    const body = fixture('oss-putobject.cloudevent.json');
    expect((await fetch(target, { method: 'POST', headers: signed(body), body })).status).toBe(200);
    // The redelivery is verified too (then acknowledged as a duplicate), from the cached certificate.
    const again = await fetch(target, { method: 'POST', headers: signed(body), body });
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    const [event] = await running.sink.waitForEvents(1);
    expect(event?.attributes['id']).toBe('63E21F5FEE852133319101AD');
    expect(downloads).toBe(1);
  });

  it('answers 401 to an unsigned, tampered or foreign-certificate push without fetching it', async () => {
    const body = fixture('oss-putobject.cloudevent.json');
    const before = downloads;
    const unsigned = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(await unsigned.json()).toMatchObject({
      error: 'BAD_SIGNATURE',
      message: 'missing x-eventbridge-signature-v2',
    });
    const tampered = await fetch(target, {
      method: 'POST',
      headers: signed(body),
      body: body.replace('demo.data', 'evil.data'),
    });
    expect(tampered.status).toBe(401);
    const foreign = await fetch(target, {
      method: 'POST',
      headers: signed(body, 'https://attacker.example.com/x509_public_certificate_2021012501.pem'),
      body,
    });
    expect(foreign.status).toBe(401);
    expect(downloads).toBe(before);
    expect(running.sink.requestCount).toBe(0);
  });
});

describe('configuration', () => {
  it('exits 78 naming the missing authentication before serving', async () => {
    const sink = await startRecordingSink();
    const adapter = startProcess(bundlePath('eventbridge'), await adapterEnv(sink.url));
    const exit = await adapter.exited;
    await sink.close();
    expect(exit.code).toBe(78);
    expect(adapter.stderr()).toContain('EVENTBRIDGE_TOKEN');
  });

  it('exits 78 when the certificate origin is not loopback or v2 has no target URL', async () => {
    const sink = await startRecordingSink();
    const adapter = startProcess(bundlePath('eventbridge'), {
      ...(await adapterEnv(sink.url)),
      EVENTBRIDGE_SIGNATURE_V2: 'true',
      EVENTBRIDGE_CERTIFICATE_ORIGIN: 'https://example.com',
    });
    const exit = await adapter.exited;
    await sink.close();
    expect(exit.code).toBe(78);
    expect(adapter.stderr()).toContain('EVENTBRIDGE_CERTIFICATE_ORIGIN');
    expect(adapter.stderr()).toContain('EVENTBRIDGE_TARGET_URL');
  });
});
