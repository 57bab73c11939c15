import { startRecordingSink, waitFor, type AdapterProcess, type RecordingSink } from '@tributary/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scrape, startPing, UUID, WHOLE_SECOND } from './harness.ts';

describe('ping bundle, one source from env', () => {
  let sink: RecordingSink;
  let proc: AdapterProcess | undefined;

  beforeEach(async () => {
    sink = await startRecordingSink();
  });
  afterEach(async () => {
    await proc?.stop();
    proc = undefined;
    await sink.close();
  });

  it('emits one event per second on a 6-field schedule, with the exact attributes', async () => {
    ({ proc } = await startPing(sink.url, {
      NAMESPACE: 'pingsource-example',
      NAME: 'test-ping-source',
      PING_SCHEDULE: '* * * * * *',
      PING_CONTENT_TYPE: 'application/json',
      PING_DATA: '{"message": "Hello world!"}',
      K_CE_OVERRIDES: '{"extensions":{"team":"platform"}}',
    }));
    const events = (await sink.waitForEvents(3, 8_000)).slice(0, 3);
    for (const event of events) {
      expect(Object.keys(event.attributes).sort()).toEqual(['datacontenttype', 'id', 'source', 'specversion', 'team', 'time', 'type']);
      expect(event.attributes).toMatchObject({
        specversion: '1.0',
        type: 'dev.knative.sources.ping',
        source: '/apis/v1/namespaces/pingsource-example/pingsources/test-ping-source',
        datacontenttype: 'application/json',
        team: 'platform',
      });
      expect(event.attributes['id']).toMatch(UUID);
      expect(event.attributes['time']).toMatch(WHOLE_SECOND);
      expect(event.text()).toBe('{"message": "Hello world!"}');
      expect(event.headers['kn-namespace']).toBe('pingsource-example');
    }
    expect(new Set(events.map((e) => e.attributes['id'])).size).toBe(3);
    const times = events.map((e) => Date.parse(e.attributes['time'] as string));
    expect([times[1]! - times[0]!, times[2]! - times[1]!]).toEqual([1_000, 1_000]);
  });

  it('decodes PING_DATA_BASE64 and delivers the raw bytes', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f]);
    ({ proc } = await startPing(sink.url, {
      NAMESPACE: 'default',
      NAME: 'binary',
      PING_SCHEDULE: '* * * * * *',
      PING_CONTENT_TYPE: 'application/octet-stream',
      PING_DATA_BASE64: bytes.toString('base64'),
    }));
    const [event] = await sink.waitForEvents(1, 5_000);
    expect(event?.data).toEqual(bytes);
    expect(event?.attributes['datacontenttype']).toBe('application/octet-stream');
  });

  it('computes the next fire of a daily schedule in PING_TIMEZONE, whatever the host zone', async () => {
    ({ proc } = await startPing(sink.url, {
      NAMESPACE: 'default',
      NAME: 'shanghai-morning',
      PING_SCHEDULE: '0 9 * * *',
      PING_TIMEZONE: 'Asia/Shanghai',
      TZ: 'America/Los_Angeles',
    }));
    const line = await proc.waitForLog((l) => l['msg'] === 'ping source scheduled');
    // 09:00 in Shanghai is 01:00 UTC: the first one after the process started.
    const started = new Date(line['time'] as string);
    let expected = Date.UTC(started.getUTCFullYear(), started.getUTCMonth(), started.getUTCDate(), 1, 0, 0);
    if (expected <= started.getTime()) expected += 86_400_000;
    expect(line).toMatchObject({ schedule: '0 9 * * *', timezone: 'Asia/Shanghai', nextFire: new Date(expected).toISOString() });
  });

  it('logs and counts a tick the sink never accepted, and sends the next one as usual', async () => {
    sink.faults.failNext(2, 503);
    let env;
    ({ proc, env } = await startPing(sink.url, { NAMESPACE: 'default', NAME: 'flaky', PING_SCHEDULE: '* * * * * *', K_SINK_RETRY: '1' }));
    const failure = await proc.waitForLog((l) => l['msg'] === 'tick not delivered');
    expect(failure).toMatchObject({ level: 'error', pingsource: { namespace: 'default', name: 'flaky' }, code: 'RETRIES_EXHAUSTED' });
    const [next] = await sink.waitForEvents(1, 5_000);
    expect(failure['scheduled']).toMatch(WHOLE_SECOND);
    expect(Date.parse(next?.attributes['time'] as string)).toBeGreaterThan(Date.parse(failure['scheduled'] as string));
    expect(await scrape(env)).toContain('tributary_ping_ticks_failed_total{namespace="default",name="flaky",adapter="ping"} 1');
  });

  it('on SIGTERM fires no further tick, finishes the send in flight and exits 0', async () => {
    sink.faults.delay(1_500);
    ({ proc } = await startPing(sink.url, { NAMESPACE: 'default', NAME: 'slow', PING_SCHEDULE: '* * * * * *', LOG_LEVEL: 'debug' }));
    await waitFor(() => sink.requestCount >= 1, { what: 'a request in flight' });
    const signalled = Date.now();
    proc.signal('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const times = sink.events.map((e) => Date.parse(e.attributes['time'] as string));
    expect(times.every((t) => t <= signalled)).toBe(true);
    expect(sink.requestCount).toBe(sink.events.length);
    const delivered = proc.logs.filter((l) => l['msg'] === 'tick delivered').map((l) => l['id']);
    expect(delivered.sort()).toEqual(sink.events.map((e) => e.attributes['id']).sort());
    expect(proc.logs.some((l) => l['msg'] === 'tick not delivered')).toBe(false);
  });
});
