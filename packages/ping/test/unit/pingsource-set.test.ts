import { createMetrics, type Logger } from '@tributary/core';
import { pingSourceObject } from '@tributary/testkit';
import { describe, expect, it } from 'vitest';
import { createPingMetrics } from '../../src/metrics.ts';
import type { PingSourceObject } from '../../src/pingsource-object.ts';
import { PingSourceSet } from '../../src/pingsource-set.ts';
import { CronScheduler } from '../../src/scheduler.ts';
import type { PingSource } from '../../src/source.ts';

const SINK = 'http://broker-ingress.knative-eventing.svc/default/default';

function setUp() {
  const lines: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) => lines.push({ level, fields, msg });
  const logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } as unknown as Logger;
  const scheduler = new CronScheduler<PingSource>({ onTick: () => undefined });
  const metrics = createPingMetrics(createMetrics({ adapter: 'ping' }, false));
  const set = new PingSourceSet({ scheduler, metrics, logger });
  const served = () => [...scheduler.jobs()].map((job) => `${job.key} ${job.schedule.expression} ${String(job.data)}`).sort();
  return { set, lines, served };
}

const object = (name: string, schedule: string, options: { data?: string; ready?: boolean } = {}) =>
  pingSourceObject({
    namespace: 'default',
    name,
    spec: { schedule, data: options.data ?? name },
    sinkUri: SINK,
    ready: options.ready === false ? 'False' : 'True',
  }) as PingSourceObject;

describe('PingSourceSet', () => {
  it('applies a burst of watch events as one reload', async () => {
    const { set, lines, served } = setUp();
    for (let i = 0; i < 100; i++) set.upsert(object(`s${i}`, '* * * * *'));
    expect(served()).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(served()).toHaveLength(100);
    expect(lines.filter((line) => line.msg === 'ping sources applied')).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ served: 100, added: 100, rejected: 0, notReady: 0 }) }),
    ]);
  });

  it('serves Ready sources, keeps the last Ready definition while not Ready, drops deleted and rejected ones', () => {
    const { set, lines, served } = setUp();
    set.upsert(object('a', '* * * * *', { data: 'v1' }));
    set.upsert(object('waiting', '* * * * *', { ready: false }));
    set.flush();
    expect(served()).toEqual(['default/a * * * * * v1']);

    // Not Ready any more: mt-ping leaves the schedule as it was.
    set.upsert(object('a', '*/5 * * * *', { data: 'v2', ready: false }));
    set.flush();
    expect(served()).toEqual(['default/a * * * * * v1']);

    set.upsert(object('a', '*/5 * * * *', { data: 'v2' }));
    set.upsert(object('waiting', '0 * * * *'));
    set.flush();
    expect(served()).toEqual(['default/a */5 * * * * v2', 'default/waiting 0 * * * * waiting']);

    // A bad change stops the source and says why; the others keep their place.
    set.upsert(object('a', '61 * * * *'));
    set.remove(object('waiting', '0 * * * *'));
    set.flush();
    expect(served()).toEqual([]);
    expect(lines.find((line) => line.msg === 'ping source rejected')).toMatchObject({
      level: 'error',
      fields: { pingsource: { namespace: 'default', name: 'a' }, reason: expect.stringContaining('spec.schedule: "61 * * * *"') },
    });
  });
});
