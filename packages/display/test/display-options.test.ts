import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePath, freePort, startProcess, waitFor, type AdapterProcess } from '@tributary/testkit';
import type { DisplayedEvent } from '../src/displayed-event.ts';
import { openStream, type SseClient } from './sse-client.ts';

let display: AdapterProcess;
let base: string;
let metricsUrl: string;
let actions: Server;
const actionCalls: string[] = [];

/** A stand-in actions service, as the playground offers one. */
function startActionsService(): Promise<Server> {
  const server = createServer((request, response) => {
    actionCalls.push(`${request.method} ${request.url}`);
    const body =
      request.method === 'GET'
        ? { title: 'Samples', actions: [{ id: 'ping', label: 'Ping', available: true }] }
        : { ok: true, message: 'sent' };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function postEvent(id: string, type = 'com.example.kept'): Promise<Response> {
  const envelope = { specversion: '1.0', id, source: '/options', type, data: { id } };
  return fetch(`${base}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify(envelope),
  });
}

beforeAll(async () => {
  actions = await startActionsService();
  const port = await freePort();
  const metricsPort = await freePort();
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  display = startProcess(bundlePath('display'), {
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    DISPLAY_MAX_EVENTS: '2',
    LOG_FORMAT: 'json',
    DISPLAY_ACTIONS_URL: `http://127.0.0.1:${(actions.address() as AddressInfo).port}/actions`,
  });
  await display.waitForReady(port);
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await display.stop();
  await new Promise((resolve) => actions.close(resolve));
});

describe('display sink: options', () => {
  it('keeps only DISPLAY_MAX_EVENTS events but counts every one', async () => {
    for (const id of ['a', 'b', 'c']) expect((await postEvent(id)).status).toBe(202);
    await postEvent('d', 'com.example.other');
    const kept = (await (await fetch(`${base}/api/events`)).json()) as {
      capacity: number;
      total: number;
      counts: Record<string, number>;
      events: DisplayedEvent[];
    };
    expect(kept.capacity).toBe(2);
    expect(kept.total).toBe(4);
    expect(kept.counts).toEqual({ 'com.example.kept': 3, 'com.example.other': 1 });
    expect(kept.events.map((e) => e.attributes['id'])).toEqual(['d', 'c']);
  });

  it('logs each event as a JSON line with LOG_FORMAT=json', async () => {
    const line = await display.waitForLog(
      (l) => l['msg'] === 'event received' && (l['event'] as DisplayedEvent).attributes['id'] === 'a',
    );
    expect(line['event']).toMatchObject({
      mode: 'structured',
      attributes: { type: 'com.example.kept' },
      data: { kind: 'json', value: { id: 'a' } },
    });
  });

  it('proxies the actions service: the list, a run, and refuses a run that is not JSON', async () => {
    const list = await fetch(`${base}/api/actions`);
    expect(await list.json()).toEqual({
      title: 'Samples',
      actions: [{ id: 'ping', label: 'Ping', available: true }],
    });
    const run = await fetch(`${base}/api/actions/ping`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await run.json()).toEqual({ ok: true, message: 'sent' });
    const form = await fetch(`${base}/api/actions/ping`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    expect(form.status).toBe(415);
    const outside = await fetch(`${base}/api/actions/x%2F..%2F..%2Fadmin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(outside.status).toBe(404);
    expect(actionCalls).toEqual(['GET /actions/', 'POST /actions/ping']);
  });

  it('counts events by type, refusals by reason and open pages in its metrics', async () => {
    await fetch(`${base}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const stream = await openStream(`${base}/api/stream`);
    try {
      await stream.next((m) => m.event === 'snapshot');
      const text = await (await fetch(metricsUrl)).text();
      expect(text).toMatch(/^tributary_display_events_total\{event_type="com\.example\.kept"[^}]*\} 3$/m);
      expect(text).toMatch(/^tributary_display_rejected_total\{code="NOT_A_CLOUDEVENT"[^}]*\} 1$/m);
      expect(text).toMatch(/^tributary_display_streams\{[^}]*\} 1$/m);
    } finally {
      stream.close();
    }
  });

  it('clears the events and tells every open stream', async () => {
    const stream: SseClient = await openStream(`${base}/api/stream`);
    try {
      await stream.next((m) => m.event === 'snapshot');
      expect((await fetch(`${base}/api/events`, { method: 'DELETE' })).status).toBe(204);
      await stream.next((m) => m.event === 'cleared');
      const kept = (await (await fetch(`${base}/api/events`)).json()) as { total: number; events: unknown[] };
      expect(kept).toMatchObject({ total: 0, events: [] });
      await postEvent('after-clear');
      const next = await stream.next((m) => m.event === 'cloudevent');
      expect((next.data as DisplayedEvent).attributes['id']).toBe('after-clear');
    } finally {
      stream.close();
    }
  });

  it('ends open streams and exits 0 on SIGTERM', async () => {
    const stream = await openStream(`${base}/api/stream`);
    await stream.next((m) => m.event === 'snapshot');
    const exit = await display.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    await stream.ended;
    await waitFor(() => display.logs.some((l) => l['msg'] === 'stopped'), { what: 'the stopped log line' });
  });
});
