/**
 * CloudEvents 1.0 §3.1.1 Timestamp: RFC 3339 `date-time`. Some Alibaba EventBridge samples carry
 * a zone *name* instead of an offset (`2020-08-17T16:04:46.149Asia/Shanghai`, `...179PRC`);
 * those are converted to UTC, every other non-RFC-3339 value is refused.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const ZONE_NAMED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Asia\/Shanghai|PRC)$/;

/**
 * Both names are China Standard Time. China has kept UTC+8 without daylight saving since 1991,
 * long before EventBridge existed, so a fixed offset is exact for every event it can emit.
 */
const ZONE_OFFSET_MINUTES: Readonly<Record<string, number>> = { 'Asia/Shanghai': 480, PRC: 480 };

export type TimeResult =
  { readonly ok: true; readonly time: string } | { readonly ok: false; readonly message: string };

interface Fields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Minutes east of UTC. */
  readonly offset: number;
}

export function normalizeTime(value: string): TimeResult {
  const rfc = RFC3339.exec(value);
  if (rfc !== null) {
    const [sign, oh, om] = [rfc[8], rfc[9], rfc[10]];
    if (Number(oh) > 23 || Number(om) > 59) return { ok: false, message: 'has a UTC offset out of range' };
    const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
    const problem = fieldProblem(fields(rfc, offset));
    return problem === undefined ? { ok: true, time: value } : { ok: false, message: problem };
  }
  const named = ZONE_NAMED.exec(value);
  if (named !== null) {
    const parsed = fields(named, ZONE_OFFSET_MINUTES[named[8] as string] as number);
    const problem = fieldProblem(parsed);
    if (problem !== undefined) return { ok: false, message: problem };
    const { year, month, day, hour, minute, second, offset } = parsed;
    const utc = Date.UTC(year, month - 1, day, hour, minute - offset, second);
    // Keep the fraction as written (Date would cut it to milliseconds).
    return { ok: true, time: `${new Date(utc).toISOString().slice(0, 19)}${named[7] ?? ''}Z` };
  }
  return {
    ok: false,
    message: `must be an RFC 3339 timestamp such as 2023-02-07T09:52:31Z, got ${JSON.stringify(value)}`,
  };
}

function fields(match: RegExpExecArray, offset: number): Fields {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { year, month, day, hour, minute, second, offset };
}

function fieldProblem({ year, month, day, hour, minute, second, offset }: Fields): string | undefined {
  if (month < 1 || month > 12) return 'has a month outside 01-12';
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return 'has a day outside its month';
  if (hour > 23 || minute > 59) return 'has an hour or minute out of range';
  if (second < 60) return undefined;
  // RFC 3339 §5.7: second 60 exists only as a leap second, which is 23:59:60 in UTC.
  const utcMinute = (((hour * 60 + minute - offset) % 1440) + 1440) % 1440;
  return second === 60 && utcMinute === 1439 ? undefined : 'has a second out of range';
}
