import { Cron, type CronOptions } from 'croner';
import { resolveTimeZone } from './timezone.ts';

/** A cron schedule read in one time zone. It only computes fire instants; it never runs a timer. */
export interface PingSchedule {
  /** The cron fields as written, without a `CRON_TZ=` prefix. */
  readonly expression: string;
  /** The IANA zone the fields are read in (canonical name). */
  readonly timezone: string;
  /** The first fire instant strictly after `afterMs` (epoch ms), or undefined if none is left. */
  next(afterMs: number): number | undefined;
}

export interface ScheduleProblem {
  readonly field: 'schedule' | 'timezone';
  readonly message: string;
}

export type ScheduleResult =
  | { readonly ok: true; readonly schedule: PingSchedule }
  | { readonly ok: false; readonly problems: readonly ScheduleProblem[] };

/** Schedules already built during one load, keyed by zone and fields, so equal ones are shared. */
export type ScheduleCache = Map<string, PingSchedule>;

// robfig/cron (Knative's parser) accepts both prefixes.
const ZONE_PREFIX = /^(?:CRON_TZ|TZ)=(\S*)(?:\s+(.*))?$/s;

/**
 * Parses a PingSource schedule as Knative does (`cron.ParseStandard` with optional seconds):
 * 5 fields, or 6 with leading seconds, `@daily`-style descriptors, and a `CRON_TZ=<zone> ` prefix.
 * The zone comes from the prefix, else `timezone`, else UTC: never the host's local zone
 * (knative/eventing#5038), and a given zone is never ignored (#5058). Every problem is reported.
 */
export function parseSchedule(text: string, timezone?: string, cache?: ScheduleCache): ScheduleResult {
  const [prefixZone, fields] = splitZonePrefix(text.trim());
  const problems: ScheduleProblem[] = [];
  const zone = chooseZone(prefixZone, timezone, problems);
  const fieldsProblem = checkFields(fields);
  if (fieldsProblem !== undefined) return { ok: false, problems: [...problems, { field: 'schedule', message: fieldsProblem }] };

  const key = `${zone}\u0000${fields.split(/\s+/).join(' ')}`;
  const cached = cache?.get(key);
  if (cached && problems.length === 0) return { ok: true, schedule: cached };
  const compiled = compile(fields, zone);
  if (typeof compiled === 'string') problems.push({ field: 'schedule', message: compiled });
  if (problems.length > 0 || typeof compiled === 'string') return { ok: false, problems };
  // Sources with equal fields and zone share this object, and a wake asks it for the same instant
  // once per source: remember the last answer (croner takes ~40 µs per zoned computation).
  let lastAfter = Number.NaN;
  let lastNext: number | undefined;
  const schedule: PingSchedule = {
    expression: fields,
    timezone: zone,
    next(afterMs) {
      if (afterMs !== lastAfter) {
        lastNext = compiled.nextRun(new Date(afterMs))?.getTime();
        lastAfter = afterMs;
      }
      return lastNext;
    },
  };
  cache?.set(key, schedule);
  return { ok: true, schedule };
}

function splitZonePrefix(text: string): [zone: string | undefined, fields: string] {
  const prefix = ZONE_PREFIX.exec(text);
  return prefix ? [prefix[1] ?? '', (prefix[2] ?? '').trim()] : [undefined, text];
}

/** The zone to read the fields in; with an unknown zone, UTC, so the fields are still checked. */
function chooseZone(prefixZone: string | undefined, timezone: string | undefined, problems: ScheduleProblem[]): string {
  const name = prefixZone ?? timezone ?? 'UTC';
  const zone = resolveTimeZone(name);
  if (zone === undefined) {
    const field = prefixZone !== undefined ? 'schedule' : 'timezone';
    problems.push({ field, message: `unknown time zone ${JSON.stringify(name)}: use an IANA name like Asia/Shanghai` });
    return 'UTC';
  }
  if (prefixZone !== undefined && timezone !== undefined && resolveTimeZone(timezone) !== zone) {
    problems.push({ field: 'timezone', message: `${JSON.stringify(timezone)} conflicts with CRON_TZ=${prefixZone} in the schedule; set one of them` });
  }
  return zone;
}

/** A croner evaluator (never started: it only computes instants), or why the fields are refused. */
function compile(fields: string, zone: string): Cron | string {
  let cron: Cron;
  try {
    cron = new Cron(fields, cronOptions(zone));
  } catch (error) {
    return `${JSON.stringify(fields)} is not a valid cron expression: ${cronMessage(error)}`;
  }
  if (cron.nextRun(new Date()) === null) return `${JSON.stringify(fields)} never fires`;
  internTables(cron);
  return cron;
}

function checkFields(fields: string): string | undefined {
  if (fields === '') return 'is empty';
  // Knative rejects @every (pingsource validation: "unsupported descriptor @every").
  if (fields.includes('@every')) return '@every is not supported (as in Knative); write cron fields, e.g. "*/5 * * * * *" for every 5 seconds';
  if (fields.startsWith('@')) return undefined;
  const count = fields.split(/\s+/).length;
  if (count === 5 || count === 6) return undefined;
  return `${JSON.stringify(fields)} has ${count} fields; use 5 (minute hour day-of-month month day-of-week) or 6 with leading seconds`;
}

function cronOptions(zone: string): CronOptions {
  return {
    mode: '5-or-6-parts',
    // Vixie cron's DST rule: a job is "wild" when its minute or hour is a wildcard; fixed-time
    // jobs run once when a time repeats and right after the jump when a time is skipped.
    fixedTimeRule: 'no-wildcard',
    // robfig/cron accepts `0/1` (start/step); Knative's own e2e uses `10 0/1 * * * ?`.
    sloppyRanges: true,
    // UTC has no transitions: a fixed offset skips croner's Intl conversions (about 30x faster).
    ...(zone === 'UTC' ? { utcOffset: 0 } : { timezone: zone }),
  };
}

function cronMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/^CronPattern:\s*/, '');
}

/**
 * Memory for 10,000 schedules. croner gives every pattern its own lookup tables: a 10,000-entry
 * year table (about 80 KB) and small ones per field (about 2 KB). They are only read once parsing
 * is done, and 5- and 6-field patterns always wildcard the year, so equal tables can be shared:
 * one year table for all, and one copy of each distinct field table. The shape is checked, so a
 * croner release that changes it only costs memory (and fails this package's unit test).
 */
const WILDCARD_YEARS: number[] = new Array<number>(10_000).fill(1);
const FIELD_TABLES = ['second', 'minute', 'hour', 'day', 'month', 'dayOfWeek', 'nearestWeekdays'] as const;
const interned = new Map<string, number[]>();

type PatternTables = Partial<Record<(typeof FIELD_TABLES)[number] | 'year', unknown>> & { starYear?: unknown };
interface CronInternals {
  readonly _states?: { readonly pattern?: PatternTables };
}

export function internTables(cron: Cron): boolean {
  const pattern = (cron as unknown as CronInternals)._states?.pattern;
  if (pattern?.starYear !== true || !Array.isArray(pattern.year) || pattern.year.length !== WILDCARD_YEARS.length) return false;
  pattern.year = WILDCARD_YEARS;
  for (const field of FIELD_TABLES) {
    const table = pattern[field];
    if (!Array.isArray(table)) return false;
    const key = `${field}:${table.join(',')}`;
    const shared = interned.get(key);
    if (shared === undefined) interned.set(key, table as number[]);
    else pattern[field] = shared;
  }
  return true;
}
