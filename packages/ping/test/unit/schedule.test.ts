import { Cron } from 'croner';
import { afterEach, describe, expect, it } from 'vitest';
import { internTables, parseSchedule, type PingSchedule, type ScheduleCache } from '../../src/schedule.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function schedule(text: string, timezone?: string): PingSchedule {
  const result = parseSchedule(text, timezone);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${JSON.stringify(result.problems)}`);
  return result.schedule;
}

/** The next `count` fire instants after `from`, as ISO strings. */
function fires(s: PingSchedule, from: string, count: number): string[] {
  const out: string[] = [];
  for (let t: number | undefined = at(from); out.length < count; ) {
    t = s.next(t as number);
    if (t === undefined) break;
    out.push(iso(t) as string);
  }
  return out;
}

function problems(text: string, timezone?: string) {
  const result = parseSchedule(text, timezone);
  return result.ok ? [] : result.problems;
}

describe('parseSchedule: fields', () => {
  it('reads 6 fields as seconds first, and fires strictly after the reference', () => {
    const everySecond = schedule('* * * * * *');
    expect(fires(everySecond, '2024-05-01T12:00:00.000Z', 3)).toEqual([
      '2024-05-01T12:00:01.000Z',
      '2024-05-01T12:00:02.000Z',
      '2024-05-01T12:00:03.000Z',
    ]);
    expect(iso(everySecond.next(at('2024-05-01T12:00:00.400Z')))).toBe('2024-05-01T12:00:01.000Z');
  });

  it('reads 5 fields as minutes first, at second 0 (Knative default "* * * * *")', () => {
    expect(fires(schedule('*/5 * * * *'), '2024-05-01T12:01:30Z', 2)).toEqual(['2024-05-01T12:05:00.000Z', '2024-05-01T12:10:00.000Z']);
    expect(fires(schedule('* * * * *'), '2024-05-01T12:01:30Z', 1)).toEqual(['2024-05-01T12:02:00.000Z']);
  });

  it("accepts Knative's own seconds schedules, including robfig's start/step and '?'", () => {
    expect(fires(schedule('10 0/1 * * * ?'), '2024-05-01T12:00:00Z', 2)).toEqual(['2024-05-01T12:00:10.000Z', '2024-05-01T12:01:10.000Z']);
    expect(fires(schedule('0/5 * * * * *'), '2024-05-01T12:00:00Z', 2)).toEqual(['2024-05-01T12:00:05.000Z', '2024-05-01T12:00:10.000Z']);
  });

  it('accepts descriptors such as @daily and @hourly', () => {
    expect(fires(schedule('@daily'), '2024-05-01T12:00:00Z', 1)).toEqual(['2024-05-02T00:00:00.000Z']);
    expect(fires(schedule('@hourly'), '2024-05-01T12:00:00Z', 1)).toEqual(['2024-05-01T13:00:00.000Z']);
  });

  it('refuses @every, as Knative does', () => {
    expect(problems('@every 1m')).toEqual([{ field: 'schedule', message: expect.stringContaining('@every is not supported') }]);
  });

  it.each([
    ['61 * * * *', 'Invalid value for minute: 61'],
    ['* * * *', 'has 4 fields'],
    ['* * * * * * *', 'has 7 fields'],
    ['', 'is empty'],
    ['0 0 30 2 *', 'never fires'],
  ])('refuses %j (%s)', (text, message) => {
    expect(problems(text)).toEqual([{ field: 'schedule', message: expect.stringContaining(message) }]);
  });
});

describe('parseSchedule: time zones', () => {
  const hostZone = process.env['TZ'];
  afterEach(() => {
    if (hostZone === undefined) delete process.env['TZ'];
    else process.env['TZ'] = hostZone;
  });

  it("defaults to UTC, never the host's zone (knative/eventing#5038)", () => {
    process.env['TZ'] = 'Pacific/Auckland';
    expect(new Date(at('2024-05-01T00:00:00Z')).getTimezoneOffset()).not.toBe(0);
    const daily = schedule('0 9 * * *');
    expect(daily.timezone).toBe('UTC');
    expect(fires(daily, '2024-05-01T00:00:00Z', 1)).toEqual(['2024-05-01T09:00:00.000Z']);
  });

  it('computes the next daily fire in Asia/Shanghai (UTC+8) from a fixed clock', () => {
    const daily = schedule('0 9 * * *', 'Asia/Shanghai');
    expect(daily.timezone).toBe('Asia/Shanghai');
    // 08:30 in Shanghai: today at 09:00 local = 01:00 UTC.
    expect(iso(daily.next(at('2024-03-01T00:30:00Z')))).toBe('2024-03-01T01:00:00.000Z');
    // 10:00 in Shanghai: tomorrow.
    expect(iso(daily.next(at('2024-03-01T02:00:00Z')))).toBe('2024-03-02T01:00:00.000Z');
    // 23:30 UTC on Feb 29 is already March 1 in Shanghai.
    expect(iso(daily.next(at('2024-02-29T23:30:00Z')))).toBe('2024-03-01T01:00:00.000Z');
  });

  it('honours a CRON_TZ= or TZ= prefix, and agrees with an equal timezone setting', () => {
    for (const text of ['CRON_TZ=Asia/Shanghai 0 9 * * *', 'TZ=Asia/Shanghai 0 9 * * *']) {
      const prefixed = schedule(text);
      expect(prefixed.expression).toBe('0 9 * * *');
      expect(iso(prefixed.next(at('2024-03-01T00:30:00Z')))).toBe('2024-03-01T01:00:00.000Z');
    }
    expect(schedule('CRON_TZ=Asia/Shanghai 0 9 * * *', 'Asia/Shanghai').timezone).toBe('Asia/Shanghai');
  });

  it('refuses a timezone setting that contradicts the CRON_TZ= prefix (knative/eventing#5058: never ignore one)', () => {
    expect(problems('CRON_TZ=Asia/Shanghai 0 9 * * *', 'Europe/Paris')).toEqual([
      { field: 'timezone', message: expect.stringContaining('conflicts with CRON_TZ=Asia/Shanghai') },
    ]);
  });

  it.each([
    ['Knative/Land', 'timezone'],
    ['Local', 'timezone'],
    ['+08:00', 'timezone'],
  ])('refuses the zone %j', (zone, field) => {
    expect(problems('*/2 * * * *', zone)).toEqual([{ field, message: expect.stringContaining('unknown time zone') }]);
  });

  it('blames the schedule for an unknown CRON_TZ=, and still checks the fields', () => {
    expect(problems('CRON_TZ=Mars/Base 61 * * * *')).toEqual([
      { field: 'schedule', message: expect.stringContaining('unknown time zone "Mars/Base"') },
      { field: 'schedule', message: expect.stringContaining('Invalid value for minute: 61') },
    ]);
  });

  it('resolves aliases to the canonical zone', () => {
    expect(schedule('0 9 * * *', 'US/Eastern').timezone).toBe('America/New_York');
    expect(schedule('0 9 * * *', 'Etc/UTC').timezone).toBe('UTC');
  });
});

describe('parseSchedule: DST, as Vixie cron', () => {
  const newYork = (text: string) => schedule(text, 'America/New_York');

  it('spring forward: a fixed-time job in the gap runs right after the jump, then at its time', () => {
    // 2024-03-10 02:00 EST -> 03:00 EDT: 02:30 does not exist that day.
    expect(fires(newYork('30 2 * * *'), '2024-03-09T12:00:00Z', 2)).toEqual(['2024-03-10T07:00:00.000Z', '2024-03-11T06:30:00.000Z']);
  });

  it('spring forward: a wildcard job skips the times that do not exist', () => {
    // 01:30 EST, then 03:00 EDT: no 02:00 or 02:30.
    expect(fires(newYork('*/30 * * * *'), '2024-03-10T06:10:00Z', 3)).toEqual([
      '2024-03-10T06:30:00.000Z',
      '2024-03-10T07:00:00.000Z',
      '2024-03-10T07:30:00.000Z',
    ]);
  });

  it('fall back: a fixed-time job in the repeated hour runs once', () => {
    // 2024-11-03 02:00 EDT -> 01:00 EST: 01:30 happens twice; the job runs at the first.
    expect(fires(newYork('30 1 * * *'), '2024-11-02T12:00:00Z', 2)).toEqual(['2024-11-03T05:30:00.000Z', '2024-11-04T06:30:00.000Z']);
    expect(fires(newYork('30 1-2 * * *'), '2024-11-02T12:00:00Z', 2)).toEqual(['2024-11-03T05:30:00.000Z', '2024-11-03T07:30:00.000Z']);
  });

  it('fall back: a wildcard job runs on both passes of the repeated hour', () => {
    expect(fires(newYork('*/30 * * * *'), '2024-11-03T04:10:00Z', 6)).toEqual([
      '2024-11-03T04:30:00.000Z',
      '2024-11-03T05:00:00.000Z',
      '2024-11-03T05:30:00.000Z',
      '2024-11-03T06:00:00.000Z',
      '2024-11-03T06:30:00.000Z',
      '2024-11-03T07:00:00.000Z',
    ]);
  });
});

describe('schedule sharing', () => {
  it('returns one schedule for equal fields in one zone within a load', () => {
    const cache: ScheduleCache = new Map();
    const a = parseSchedule('0  9 * * *', 'Asia/Shanghai', cache);
    const b = parseSchedule('CRON_TZ=Asia/Shanghai 0 9 * * *', undefined, cache);
    expect(a.ok && b.ok && a.schedule === b.schedule).toBe(true);
  });

  it("shares croner's lookup tables between patterns (80 KB each otherwise) without changing results", () => {
    const options = { mode: '5-or-6-parts' as const, timezone: 'Europe/Berlin', fixedTimeRule: 'no-wildcard' as const };
    const patterns = ['15 3 * * 1', '15 4 * * 1', '*/7 3 1-5 * *', '0 0 L * *', '0 9 * * MON#2'];
    const from = new Date('2024-03-01T00:00:00Z');
    const internals = (cron: Cron) => (cron as unknown as { _states: { pattern: Record<string, unknown> } })._states.pattern;
    const shared = patterns.map((pattern) => {
      const cron = new Cron(pattern, options);
      expect(internTables(cron)).toBe(true);
      expect(cron.nextRuns(8, from)).toEqual(new Cron(pattern, options).nextRuns(8, from));
      return internals(cron);
    });
    expect(shared[1]!['year']).toBe(shared[0]!['year']);
    expect(shared[1]!['minute']).toBe(shared[0]!['minute']);
    expect(shared[1]!['hour']).not.toBe(shared[0]!['hour']);
  });
});
