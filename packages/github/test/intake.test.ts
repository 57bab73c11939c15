import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import {
  adapterEnv,
  bundlePath,
  startProcess,
  startRecordingSink,
  type AdapterProcess,
  type RecordingSink,
} from '@tributary/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, sign, TEST_SECRET } from './support/deliver.ts';
import { fixture } from './support/fixtures.ts';

const push = JSON.stringify(fixture('push'));
const ping = JSON.stringify(fixture('ping'));
let sink: RecordingSink;
let adapter: AdapterProcess;
let port: number;
let metricsPort: number;

beforeAll(async () => {
  sink = await startRecordingSink();
  const env = await adapterEnv(sink.url, {
    GITHUB_SECRET_TOKEN: TEST_SECRET,
    GITHUB_SECRET_TOKEN_PREVIOUS: 'the old secret',
    GITHUB_OWNER_REPO: 'Codertocat/Hello-World',
    GITHUB_EVENT_TYPES: 'push,ping',
    GITHUB_MAX_BODY_BYTES: String(64 * 1024),
  });
  port = Number(env.PORT);
  metricsPort = Number(env.METRICS_PORT);
  adapter = startProcess(bundlePath('github'), env);
  await adapter.waitForReady(port);
});

afterAll(async () => {
  await adapter.stop();
  await sink.close();
});

/** A raw POST with an exact Content-Length, answered even when the server stops reading early. */
function rawPost(body: Buffer, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/',
      headers: { ...headers, 'content-length': String(body.length) },
    });
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('refused deliveries', () => {
  it('answers each bad request with its exact status, forwards nothing and keeps serving', async () => {
    const before = sink.requestCount;
    const wrongSecret = await sign(push, 'not the secret');
    const cases: [string, Promise<{ status: number }>, number][] = [
      [
        'bad signature',
        deliver(port, { event: 'push', body: push, headers: { 'x-hub-signature-256': wrongSecret } }),
        401,
      ],
      [
        'missing signature',
        deliver(port, { event: 'push', body: push, headers: { 'x-hub-signature-256': undefined } }),
        401,
      ],
      [
        'malformed signature',
        deliver(port, { event: 'push', body: push, headers: { 'x-hub-signature-256': 'sha256=zz' } }),
        401,
      ],
      [
        'missing delivery id',
        deliver(port, { event: 'push', body: push, headers: { 'x-github-delivery': undefined } }),
        400,
      ],
      [
        'missing event name',
        deliver(port, { event: 'push', body: push, headers: { 'x-github-event': undefined } }),
        400,
      ],
      ['wrong content type', deliver(port, { event: 'push', body: push, contentType: 'text/plain' }), 415],
      ['truncated JSON', deliver(port, { event: 'push', body: push.slice(0, push.length / 2) }), 400],
      ['JSON that is not an object', deliver(port, { event: 'push', body: '"push"' }), 400],
      [
        'form body without payload',
        deliver(port, { event: 'push', body: 'other=1', contentType: 'application/x-www-form-urlencoded' }),
        400,
      ],
    ];
    for (const [what, answer, status] of cases) expect((await answer).status, what).toBe(status);

    const oversized = Buffer.from(JSON.stringify({ padding: 'x'.repeat(70 * 1024) }));
    const oversizedHeaders = {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': 'too-big',
      'x-hub-signature-256': `sha256=${createHmac('sha256', TEST_SECRET).update(oversized).digest('hex')}`,
    };
    expect(await rawPost(oversized, oversizedHeaders), 'oversized body').toBe(413);
    expect((await fetch(`http://127.0.0.1:${port}/hooks`)).status, 'GET').toBe(405);
    // GET / is the liveness probe of an httpGet without a path; POST / stays the intake (below).
    expect((await fetch(`http://127.0.0.1:${port}/`)).status, 'GET /').toBe(200);

    expect(sink.requestCount - before).toBe(0);
    const good = await deliver(port, { event: 'push', id: 'after-errors', body: push });
    expect(good.status).toBe(200);
    const events = await sink.waitForEvents(1);
    expect(events.some((event) => event.attributes['id'] === 'after-errors')).toBe(true);
  });
});

describe('accepted deliveries', () => {
  it('uses the configured repository as source', async () => {
    const answer = await deliver(port, { event: 'ping', id: 'ping-1', body: ping });
    expect(answer.status).toBe(200);
    await sink.waitForEvents(1);
    const event = sink.events.find((e) => e.attributes['id'] === 'ping-1');
    expect(event?.attributes).toMatchObject({
      type: 'dev.knative.source.github.ping',
      source: 'https://github.com/Codertocat/Hello-World',
      subject: '109948940',
      owner: 'Octocoders',
    });
  });

  it('accepts the previous secret during rotation and the SHA-1 signature when it is the only one', async () => {
    const old = await deliver(port, {
      event: 'ping',
      id: 'signed-with-old',
      body: ping,
      secret: 'the old secret',
    });
    const sha1 = await deliver(port, {
      event: 'ping',
      id: 'signed-with-sha1',
      body: ping,
      headers: {
        'x-hub-signature-256': undefined,
        'x-hub-signature': `sha1=${createHmac('sha1', TEST_SECRET).update(ping).digest('hex')}`,
      },
    });
    expect([old.status, sha1.status]).toStrictEqual([200, 200]);
  });

  it('acknowledges events outside GITHUB_EVENT_TYPES without forwarding them, and counts them', async () => {
    const before = sink.requestCount;
    const answer = await deliver(port, {
      event: 'workflow_run',
      body: JSON.stringify(fixture('workflow_run')),
    });
    expect(answer).toStrictEqual({ status: 202, body: { status: 'ignored', reason: 'event-not-allowed' } });
    expect(sink.requestCount).toBe(before);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/tributary_github_events_filtered_total\{[^}]*event="workflow_run"[^}]*\} 1/);
  });
});
