import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate, startRecordingSink, type RecordingSink } from '@tributary/testkit';
import { createMetrics, DeliveryError, SinkClient, TokenFile, type CloudEvent, type SinkClientOptions } from '../src/index.ts';

const event: CloudEvent = {
  id: 'id-1',
  source: 'urn:test',
  type: 'dev.tributary.test',
  time: '2026-01-01T00:00:00Z',
  data: { hello: 'world' },
  extensions: { label: 'ünïcode value' },
};

function client(sink: string, options: Partial<SinkClientOptions> = {}) {
  const metrics = createMetrics({ adapter: 'test' }, false);
  const instance = new SinkClient({
    sink: new URL(sink),
    mode: 'binary',
    overrides: {},
    timeoutMs: 2_000,
    retry: { retries: 5, backoff: 'exponential', delayMs: 5, maxDelayMs: 5_000 },
    maxInFlight: 8,
    metrics: metrics.delivery,
    ...options,
  });
  return { instance, metrics };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    return error as DeliveryError;
  }
  throw new Error('expected the delivery to fail');
}

describe('SinkClient against a recording sink', () => {
  let sink: RecordingSink;
  beforeEach(async () => {
    sink = await startRecordingSink();
  });
  afterEach(async () => {
    await sink.close();
  });

  it('delivers a binary event the SDK validates, with percent-encoded extensions decoded back', async () => {
    const { instance, metrics } = client(sink.url, { namespace: 'team-a' });
    await expect(instance.send(event)).resolves.toEqual({ status: 202, attempts: 1 });
    const [received] = await sink.waitForEvents(1);
    expect(received?.attributes).toMatchObject({ id: 'id-1', type: 'dev.tributary.test', label: 'ünïcode value' });
    expect(received?.headers['kn-namespace']).toBe('team-a');
    expect(received?.json()).toEqual({ hello: 'world' });
    expect(await metrics.registry.metrics()).toContain('tributary_events_delivered_total{event_type="dev.tributary.test",adapter="test"} 1');
    await instance.close();
  });

  it('delivers in structured mode', async () => {
    const { instance } = client(sink.url, { mode: 'structured', overrides: { cluster: 'eu' } });
    await instance.send(event);
    const [received] = await sink.waitForEvents(1);
    expect(received?.mode).toBe('structured');
    expect(received?.attributes).toMatchObject({ id: 'id-1', cluster: 'eu', label: 'ünïcode value' });
    await instance.close();
  });

  it('retries 503 until the sink accepts', async () => {
    sink.faults.failNext(3, 503);
    const { instance, metrics } = client(sink.url);
    await expect(instance.send(event)).resolves.toEqual({ status: 202, attempts: 4 });
    expect(sink.requestCount).toBe(4);
    expect(await metrics.registry.metrics()).toMatch(/tributary_delivery_retries_total\{event_type="dev.tributary.test",adapter="test"\} 3/);
    await instance.close();
  });

  it.each([404, 408, 409, 429, 500, 502, 504])('retries %i', async (status) => {
    sink.faults.failNext(1, status);
    const { instance } = client(sink.url);
    await expect(instance.send(event)).resolves.toMatchObject({ attempts: 2 });
    await instance.close();
  });

  it.each([400, 401, 403, 413, 415])('does not retry %i', async (status) => {
    sink.faults.alwaysFail(status);
    const { instance } = client(sink.url);
    const error = await failure(instance.send(event));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ code: 'SINK_REJECTED', status, attempts: 1 });
    expect(sink.requestCount).toBe(1);
    await instance.close();
  });

  it('gives up after K_SINK_RETRY retries', async () => {
    sink.faults.alwaysFail(503);
    const { instance } = client(sink.url, { retry: { retries: 2, backoff: 'linear', delayMs: 1, maxDelayMs: 10 } });
    expect(await failure(instance.send(event))).toMatchObject({ code: 'RETRIES_EXHAUSTED', status: 503, attempts: 3 });
    expect(sink.requestCount).toBe(3);
    await instance.close();
  });

  it('waits as long as Retry-After asks', async () => {
    sink.faults.failNext(1, 429, 1);
    const { instance } = client(sink.url);
    const started = Date.now();
    await instance.send(event);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    await instance.close();
  });

  it('honours the per-request timeout on a sink that never answers', async () => {
    sink.faults.hang(true);
    const { instance } = client(sink.url, { timeoutMs: 300, retry: { retries: 1, backoff: 'linear', delayMs: 1, maxDelayMs: 10 } });
    const started = Date.now();
    const error = await failure(instance.send(event));
    expect(error.code).toBe('RETRIES_EXHAUSTED');
    expect(error.attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    await instance.close();
  });

  it('waits as long as the sink takes with timeout 0 (K_SINK_TIMEOUT <= 0), where 300 ms fails', async () => {
    // undici checks its timeouts on a coarse (up to ~1 s) timer, so the sink takes clearly longer.
    sink.faults.delay(2_000);
    const once = { retries: 0, backoff: 'linear', delayMs: 1, maxDelayMs: 1 } as const;
    const bounded = client(sink.url, { timeoutMs: 300, retry: once }).instance;
    expect((await failure(bounded.send(event))).code).toBe('RETRIES_EXHAUSTED');
    await bounded.close();
    const unbounded = client(sink.url, { timeoutMs: 0, retry: once }).instance;
    await expect(unbounded.send(event)).resolves.toMatchObject({ attempts: 1 });
    await unbounded.close();
  });

  it('drains in-flight deliveries before close', async () => {
    sink.faults.delay(200);
    const { instance } = client(sink.url);
    const sent = instance.send(event);
    expect(instance.pending).toBe(1);
    expect(await instance.drain(5_000)).toBe(true);
    await expect(sent).resolves.toMatchObject({ status: 202 });
    await instance.close();
  });
});

describe('SinkClient against special-purpose loopback servers', () => {
  const servers: Array<{ close: () => void }> = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    const server = createHttpServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => server.close() });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/path?q=1`;
  }

  it('bounds concurrency: callers wait for a free slot instead of piling up requests', async () => {
    let active = 0;
    let peak = 0;
    const url = await serve((req, res) => {
      active++;
      peak = Math.max(peak, active);
      req.resume();
      setTimeout(() => {
        active--;
        res.writeHead(200).end();
      }, 30);
    });
    const { instance } = client(url, { maxInFlight: 3 });
    await Promise.all(Array.from({ length: 12 }, () => instance.send(event)));
    expect(peak).toBe(3);
    await instance.close();
  });

  it('sends the OIDC token and re-reads a rotated one after a 401', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oidc-'));
    const file = join(dir, 'token');
    writeFileSync(file, 'token-one');
    const seen: string[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers.authorization ?? '');
      req.resume();
      res.writeHead(req.headers.authorization === 'Bearer token-two' ? 200 : 401).end();
    });
    const token = new TokenFile(file, 60_000);
    token.load();
    const { instance } = client(url, { token });
    writeFileSync(file, 'token-two');
    await expect(instance.send(event)).resolves.toMatchObject({ status: 200 });
    expect(seen).toEqual(['Bearer token-one', 'Bearer token-two']);
    expect(new URL(url).search).toBe('?q=1');
    await instance.close();
  });

  it('trusts K_CA_CERTS for an https sink', async () => {
    const { key, cert } = selfSignedCertificate();
    const server = createHttpsServer({ key, cert }, (req, res) => {
      req.resume();
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => server.close() });
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;

    const untrusted = client(url, { retry: { retries: 0, backoff: 'linear', delayMs: 1, maxDelayMs: 1 } }).instance;
    expect((await failure(untrusted.send(event))).code).toBe('RETRIES_EXHAUSTED');
    await untrusted.close();

    const trusted = client(url, { caCerts: cert }).instance;
    await expect(trusted.send(event)).resolves.toMatchObject({ status: 204 });
    await trusted.close();
  });
});
