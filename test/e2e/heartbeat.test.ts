import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  adapterEnv,
  bundlePath,
  startProcess,
  startRecordingSink,
  type AdapterProcess,
  type RecordingSink,
} from '@tributary/testkit';

// The heartbeat bundle as a user runs it: `node dist/main.js` with only env, against a real sink.
describe('heartbeat adapter process', () => {
  let sink: RecordingSink;
  let proc: AdapterProcess | undefined;
  beforeEach(async () => {
    sink = await startRecordingSink();
  });
  afterEach(async () => {
    await proc?.stop(2_000);
    proc = undefined;
    await sink.close();
  });

  async function start(extra: Record<string, string> = {}) {
    const env = await adapterEnv(sink.url, { POD_NAME: 'hb-pod', POD_NAMESPACE: 'demo', HEARTBEAT_PERIOD: '200ms', ...extra });
    proc = startProcess(bundlePath('heartbeat'), env);
    await proc.waitForReady(Number(env.PORT));
    return env;
  }

  it('emits the Knative heartbeat contract, overrides included, percent-encoded values decoded back', async () => {
    await start({
      HEARTBEAT_LABEL: 'blue green',
      HEARTBEAT_MSG: 'hi',
      NAMESPACE: 'demo',
      K_CE_OVERRIDES: JSON.stringify({ extensions: { cluster: 'eu west 1', team: 'Zürich "ops" 100%', heart: 'overridden' } }),
    });
    const events = await sink.waitForEvents(3);
    const [first, second] = events;
    expect(first?.mode).toBe('binary');
    expect(first?.attributes).toMatchObject({
      specversion: '1.0',
      type: 'dev.knative.eventing.samples.heartbeat',
      source: 'https://knative.dev/eventing-contrib/cmd/heartbeats/#demo/hb-pod',
      datacontenttype: 'application/json',
      the: '42',
      beats: 'true',
      heart: 'overridden',
      cluster: 'eu west 1',
      team: 'Zürich "ops" 100%',
    });
    // On the wire the values went out percent-encoded, as the HTTP binding requires.
    expect(first?.headers['ce-team']).toBe('Z%C3%BCrich%20%22ops%22%20100%25');
    expect(first?.headers['ce-cluster']).toBe('eu%20west%201');
    expect(first?.headers['kn-namespace']).toBe('demo');
    expect(String(first?.attributes['id'])).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(String(first?.attributes['time'])))).toBe(false);
    expect(first?.json()).toEqual({ id: 1, label: 'blue green', msg: 'hi' });
    expect(second?.json()).toEqual({ id: 2, label: 'blue green', msg: 'hi' });
  });

  it('keeps integer and boolean extension types in structured mode', async () => {
    await start({ K_SINK_MODE: 'structured' });
    const [first] = await sink.waitForEvents(1);
    expect(first?.mode).toBe('structured');
    expect(first?.attributes).toMatchObject({ the: 42, beats: true, heart: 'yes' });
    expect(first?.json()).toEqual({ id: 1, label: '' });
  });

  it('retries through three 503s and the event still arrives', async () => {
    sink.faults.failNext(3, 503);
    await start({ HEARTBEAT_PERIOD: '1h' });
    const [first] = await sink.waitForEvents(1);
    expect(sink.requestCount).toBe(4);
    expect(first?.json()).toMatchObject({ id: 1 });
  });

  it('does not retry a 400 and goes on with the next beat', async () => {
    sink.faults.failNext(1, 400);
    await start({ HEARTBEAT_PERIOD: '300ms' });
    const [first] = await sink.waitForEvents(1);
    expect(first?.json()).toMatchObject({ id: 2 });
    const failed = await proc!.waitForLog((line) => line['msg'] === 'heartbeat not delivered');
    expect(failed).toMatchObject({ sequence: 1, code: 'SINK_REJECTED' });
  });

  it('honours K_SINK_TIMEOUT against a sink that never answers', async () => {
    sink.faults.hang(true);
    await start({ HEARTBEAT_PERIOD: '1h', K_SINK_TIMEOUT: '1', K_SINK_RETRY: '0' });
    const failed = await proc!.waitForLog((line) => line['msg'] === 'heartbeat not delivered', 10_000);
    expect(failed).toMatchObject({ sequence: 1, code: 'RETRIES_EXHAUSTED' });
  });

  it('on SIGTERM finishes the in-flight delivery, then exits 0', async () => {
    sink.faults.delay(1_500);
    const env = await start({ HEARTBEAT_PERIOD: '1h' });
    await expect.poll(() => sink.requestCount).toBe(1);
    proc!.signal('SIGTERM');
    // Not ready from the moment SIGTERM arrives.
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${env.PORT}/readyz`)).status).toBe(503);
    expect(await proc!.exited).toEqual({ code: 0, signal: null });
    expect(sink.events).toHaveLength(1);
  });

  it('ONE_SHOT sends one event and exits 0', async () => {
    const env = await adapterEnv(sink.url, { POD_NAME: 'p', POD_NAMESPACE: 'n', ONE_SHOT: 'true' });
    proc = startProcess(bundlePath('heartbeat'), env);
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(sink.events).toHaveLength(1);
  });

  it('takes cmd/heartbeats flags from the container args: --period=1, a quoted --label, --sink without K_SINK', async () => {
    const env = await adapterEnv(sink.url, { POD_NAME: 'hb', POD_NAMESPACE: 'demo', K_SINK: '' });
    const args = ['--period=1', '-label', '"blue \\"sky\\""', '--sink', sink.url, '-eventType=dev.example.beat'];
    proc = startProcess(bundlePath('heartbeat'), env, args);
    const [first, second] = await sink.waitForEvents(2);
    expect(first?.attributes).toMatchObject({ type: 'dev.example.beat', source: 'https://knative.dev/eventing-contrib/cmd/heartbeats/#demo/hb' });
    expect(first?.json()).toEqual({ id: 1, label: 'blue "sky"' });
    expect(second?.json()).toEqual({ id: 2, label: 'blue "sky"' });
    const gap = Date.parse(String(second?.attributes['time'])) - Date.parse(String(first?.attributes['time']));
    expect(gap).toBeGreaterThan(500);
  });

  it('serves Prometheus metrics on METRICS_PORT', async () => {
    const env = await start();
    await sink.waitForEvents(2);
    const text = await (await fetch(`http://127.0.0.1:${env.METRICS_PORT}/metrics`)).text();
    expect(text).toMatch(/tributary_events_delivered_total\{event_type="dev.knative.eventing.samples.heartbeat",adapter="heartbeat"\} \d+/);
    expect(text).toContain('tributary_delivery_duration_seconds_bucket');
  });
});

describe('heartbeat configuration errors', () => {
  it.each([
    ['K_SINK missing', { K_SINK: '' }, 'K_SINK: required but not set'],
    ['invalid JSON overrides', { K_CE_OVERRIDES: '{"extensions":' }, 'K_CE_OVERRIDES: is not valid JSON'],
    ['override of a core attribute', { K_CE_OVERRIDES: '{"extensions":{"type":"x"}}' }, 'K_CE_OVERRIDES: extension "type" names a core CloudEvents attribute'],
    ['bad extension name', { K_CE_OVERRIDES: '{"extensions":{"Bad.Name":"x"}}' }, 'K_CE_OVERRIDES: extension name "Bad.Name" must match [a-z0-9]+'],
    ['missing pod identity', { POD_NAME: '' }, 'POD_NAME: required but not set'],
  ])('%s → exit 78 naming the variable', async (_case, override, message) => {
    const env = { ...(await adapterEnv('http://127.0.0.1:9/', { POD_NAME: 'p', POD_NAMESPACE: 'n' })), ...override };
    const proc = startProcess(bundlePath('heartbeat'), env);
    expect((await proc.exited).code).toBe(78);
    expect(proc.stderr()).toContain(message);
    expect(proc.stderr().trim().split('\n')[0]).toMatch(/^tributary-heartbeat: invalid configuration/);
  });

  it('a flag cmd/heartbeats does not define → exit 78 naming it, with the other bad flags', async () => {
    const env = await adapterEnv('http://127.0.0.1:9/', { POD_NAME: 'p', POD_NAMESPACE: 'n' });
    const proc = startProcess(bundlePath('heartbeat'), env, ['--one-shot', '--period=soon']);
    expect((await proc.exited).code).toBe(78);
    expect(proc.stderr()).toContain('-one-shot: flag provided but not defined');
    expect(proc.stderr()).toContain('-period: must be a Go duration');
  });
});
