import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSchedule, type PingSchedule, type ScheduleCache } from '../../src/schedule.ts';
import { CronScheduler, type ScheduledJob } from '../../src/scheduler.ts';

const T0 = Date.parse('2024-05-01T12:00:00.000Z');

const cache: ScheduleCache = new Map();

function cron(text: string): PingSchedule {
  const result = parseSchedule(text, undefined, cache);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.schedule;
}

const job = (key: string, schedule: string, fingerprint = schedule): ScheduledJob => ({ key, fingerprint, schedule: cron(schedule) });

function recorder() {
  const ticks: [string, string][] = [];
  const scheduler = new CronScheduler<ScheduledJob>({
    onTick: (j, at) => ticks.push([j.key, new Date(at).toISOString().slice(11, 19)]),
  });
  return { ticks, scheduler };
}

/** Ticks by instant, then key: the order among jobs due at the same instant is not specified. */
const inOrder = (ticks: [string, string][]) => [...ticks].sort(([ka, a], [kb, b]) => a.localeCompare(b) || ka.localeCompare(kb));

describe('CronScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires each job at its scheduled instants, passing the instant', () => {
    const { ticks, scheduler } = recorder();
    scheduler.replace([job('a', '* * * * * *'), job('b', '*/2 * * * * *')]);
    scheduler.start();
    vi.advanceTimersByTime(4_000);
    expect(inOrder(ticks)).toEqual([
      ['a', '12:00:01'],
      ['a', '12:00:02'],
      ['b', '12:00:02'],
      ['a', '12:00:03'],
      ['a', '12:00:04'],
      ['b', '12:00:04'],
    ]);
  });

  it('keeps thousands of jobs on one timer, each firing on its own second', () => {
    const { ticks, scheduler } = recorder();
    scheduler.replace(Array.from({ length: 3_000 }, (_, i) => job(`j${i}`, `${i % 60} * * * * *`)));
    scheduler.start();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(120_000);
    expect(ticks).toHaveLength(6_000);
    expect(ticks.filter(([key]) => key === 'j61').map(([, at]) => at)).toEqual(['12:00:01', '12:01:01']);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('fires a late job once and reports the fires it missed, as robfig/cron does not replay them', () => {
    const skipped: number[] = [];
    const ticks: string[] = [];
    const scheduler = new CronScheduler<ScheduledJob>({
      onTick: (_j, at) => ticks.push(new Date(at).toISOString().slice(11, 19)),
      onSkipped: (_j, count) => skipped.push(count),
    });
    scheduler.replace([job('a', '* * * * * *')]);
    scheduler.start();
    // The event loop stalls: the wall clock runs 5.5 s ahead before the timer can fire (at 12:00:06.5).
    vi.setSystemTime(T0 + 5_500);
    vi.advanceTimersByTime(1_000);
    expect(ticks).toEqual(['12:00:01']);
    expect(skipped).toEqual([5]);
    vi.advanceTimersByTime(1_000);
    expect(ticks).toEqual(['12:00:01', '12:00:07']);
  });

  it('keeps unchanged jobs, reschedules changed ones and drops removed ones on replace', () => {
    const { ticks, scheduler } = recorder();
    scheduler.replace([job('keep', '*/3 * * * * *'), job('change', '*/3 * * * * *'), job('drop', '* * * * * *')]);
    scheduler.start();
    vi.advanceTimersByTime(1_000);
    const keepNext = scheduler.nextFire('keep');
    const result = scheduler.replace([job('keep', '*/3 * * * * *'), job('change', '* * * * * *'), job('new', '*/2 * * * * *')]);
    expect(result).toEqual({ added: 1, changed: 1, removed: 1, unchanged: 1 });
    expect(scheduler.nextFire('keep')).toBe(keepNext);
    expect(scheduler.nextFire('drop')).toBeUndefined();
    ticks.length = 0;
    vi.advanceTimersByTime(3_000);
    expect(inOrder(ticks)).toEqual([
      ['change', '12:00:02'],
      ['new', '12:00:02'],
      ['change', '12:00:03'],
      ['keep', '12:00:03'],
      ['change', '12:00:04'],
      ['new', '12:00:04'],
    ]);
  });

  it('never fires after stop, and resumes from the current time on start', () => {
    const { ticks, scheduler } = recorder();
    scheduler.replace([job('a', '* * * * * *')]);
    scheduler.start();
    vi.advanceTimersByTime(1_000);
    scheduler.stop();
    expect(scheduler.running).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(ticks).toEqual([['a', '12:00:01']]);
    expect(vi.getTimerCount()).toBe(0);
    scheduler.start();
    vi.advanceTimersByTime(1_000);
    expect(ticks).toEqual([
      ['a', '12:00:01'],
      ['a', '12:00:12'],
    ]);
  });

  it('accepts jobs while stopped and schedules them on start', () => {
    const { ticks, scheduler } = recorder();
    scheduler.replace([job('a', '*/5 * * * * *')]);
    expect(scheduler.nextFire('a')).toBeUndefined();
    scheduler.start();
    expect(scheduler.nextFire('a')).toBe(T0 + 5_000);
    vi.advanceTimersByTime(5_000);
    expect(ticks).toEqual([['a', '12:00:05']]);
  });

  it('keeps firing the others when one onTick throws', () => {
    const errors: string[] = [];
    const fired: string[] = [];
    const scheduler = new CronScheduler<ScheduledJob>({
      onTick: (j) => {
        if (j.key === 'bad') throw new Error('boom');
        fired.push(j.key);
      },
      onError: (j, error) => errors.push(`${j.key}: ${(error as Error).message}`),
    });
    scheduler.replace([job('bad', '* * * * * *'), job('good', '* * * * * *')]);
    scheduler.start();
    vi.advanceTimersByTime(2_000);
    expect(fired).toEqual(['good', 'good']);
    expect(errors).toEqual(['bad: boom', 'bad: boom']);
  });

  it('drops a job whose schedule has no fire left', () => {
    const { ticks, scheduler } = recorder();
    const once: ScheduledJob = { key: 'once', fingerprint: 'once', schedule: { next: (after) => (after < T0 + 1_000 ? T0 + 1_000 : undefined) } };
    scheduler.replace([once, job('a', '*/2 * * * * *')]);
    scheduler.start();
    vi.advanceTimersByTime(4_000);
    expect(ticks).toEqual([
      ['once', '12:00:01'],
      ['a', '12:00:02'],
      ['a', '12:00:04'],
    ]);
    expect(scheduler.nextFire('once')).toBeUndefined();
  });

  it('wakes at least every 30 s, so a far fire is computed against a fresh clock', () => {
    const { ticks, scheduler } = recorder();
    scheduler.replace([job('daily', '0 0 * * *')]);
    scheduler.start();
    vi.advanceTimersByTime(30_000);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(12 * 3_600_000);
    expect(ticks).toEqual([['daily', '00:00:00']]);
  });

  it('sheds the retired entries of many reloads', () => {
    const { ticks, scheduler } = recorder();
    scheduler.start();
    for (let round = 0; round < 5; round++) {
      scheduler.replace(Array.from({ length: 2_000 }, (_, i) => job(`j${i}`, '0 0 * * *', `v${round}`)));
    }
    scheduler.replace([job('last', '* * * * * *')]);
    expect(scheduler.size).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(ticks).toEqual([['last', '12:00:01']]);
  });
});
