import { Env, SinkClients, createMetrics, readRuntimeConfig, type Logger } from '@tributary/core';
import { startRecordingSink, type RecordingSink } from '@tributary/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPingMetrics } from '../../src/metrics.ts';
import { buildPingSource, type PingSource } from '../../src/source.ts';
import { TickSender } from '../../src/tick-sender.ts';

function source(name: string): PingSource {
  const result = buildPingSource({ namespace: 'default', name, data: 'x', contentType: 'text/plain' });
  if (!result.ok) throw new Error('invalid');
  return result.source;
}

/** Records what the sender logs, at the level it logs it. */
function memoryLogger(lines: { level: string; fields: Record<string, unknown>; msg: string }[]): Logger {
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) => lines.push({ level, fields, msg });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } as unknown as Logger;
}

describe('TickSender against a loopback sink through core', () => {
  let sink: RecordingSink;
  let clients: SinkClients;
  const lines: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
  const metrics = createMetrics({ adapter: 'ping' }, false);
  const ping = createPingMetrics(metrics);

  beforeEach(async () => {
    sink = await startRecordingSink();
    const runtime = readRuntimeConfig(new Env({ K_SINK: sink.url, K_SINK_RETRY: '1', K_SINK_BACKOFF_DELAY: 'PT0.01S' }));
    clients = new SinkClients(runtime, undefined, metrics);
    lines.length = 0;
  });
  afterEach(async () => {
    await clients.close();
    await sink.close();
  });

  const sender = (jitterMs: number, random = () => 0.5) =>
    new TickSender({ emitFor: () => clients.emitTo({}), jitterMs, metrics: ping, logger: memoryLogger(lines), random });

  it('sends each tick with time = the scheduled instant, even after a jitter delay', async () => {
    const ticks = sender(100);
    const scheduled = Date.now();
    ticks.tick(source('a'), scheduled);
    expect(ticks.pending).toBe(1);
    const [event] = await sink.waitForEvents(1);
    expect(event?.attributes['time']).toBe(new Date(scheduled).toISOString());
    await ticks.drain();
    expect(ticks.pending).toBe(0);
  });

  it('sends ticks still waiting for their jitter at once on flush (shutdown)', async () => {
    const ticks = sender(3_600_000);
    ticks.tick(source('a'), Date.now());
    ticks.tick(source('b'), Date.now());
    ticks.flush();
    await ticks.drain();
    expect(sink.events.map((e) => e.attributes['source']).sort()).toEqual([
      '/apis/v1/namespaces/default/pingsources/a',
      '/apis/v1/namespaces/default/pingsources/b',
    ]);
  });

  it('logs and counts a tick the sink never accepts, by source, and goes on', async () => {
    const ticks = sender(0);
    sink.faults.failNext(2, 503);
    ticks.tick(source('flaky'), Date.now());
    await ticks.drain();
    ticks.tick(source('flaky'), Date.now());
    await ticks.drain();
    expect(sink.events).toHaveLength(1);
    const failure = lines.find((line) => line.msg === 'tick not delivered');
    expect(failure?.level).toBe('error');
    expect(failure?.fields).toMatchObject({ pingsource: { namespace: 'default', name: 'flaky' }, code: 'RETRIES_EXHAUSTED' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('tributary_ping_ticks_failed_total{namespace="default",name="flaky",adapter="ping"} 1');
    expect(text).toMatch(/tributary_ping_ticks_total\{adapter="ping"\} [1-9]/);
  });
});
