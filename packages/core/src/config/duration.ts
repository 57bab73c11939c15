/** Duration parsing for env values. Returns milliseconds, or undefined when the text is not a duration. */

const GO_UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const GO_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;

/**
 * Go's `time.ParseDuration` syntax (`5s`, `250ms`, `1m30s`), which Knative's heartbeats sample reads,
 * or a bare integer meaning seconds.
 */
export function parseGoDuration(text: string): number | undefined {
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (value === '' || value === '0') return value === '0' ? 0 : undefined;
  GO_PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = GO_PART.exec(value); match; match = GO_PART.exec(value)) {
    total += Number(match[1]) * (GO_UNIT_MS[match[2] ?? ''] ?? Number.NaN);
    consumed = GO_PART.lastIndex;
  }
  return consumed === value.length && Number.isFinite(total) ? total : undefined;
}

const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * ISO-8601 durations as Knative's delivery spec writes backoff delays (`PT0.05S`, `PT2S`, `P1D`).
 */
export function parseIsoDuration(text: string): number | undefined {
  const match = ISO_DURATION.exec(text.trim());
  if (!match || text.trim().toUpperCase() === 'P' || text.trim().toUpperCase().endsWith('T')) return undefined;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return (
    Math.round(
      (Number(days) * 86_400 + Number(hours) * 3_600 + Number(minutes) * 60 + Number(seconds)) * 1000 * 1000,
    ) / 1000
  );
}

/**
 * The longest duration any variable may hold: Node's timer limit (2³¹−1 ms, about 24.8 days).
 * A longer `setTimeout`/`setInterval` delay is replaced by 1 ms with a TimeoutOverflowWarning, so
 * `HEARTBEAT_PERIOD=1000h` would beat every millisecond. One rule for every duration variable:
 * above this bound it is refused at startup, naming the variable.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;

export interface DurationBounds {
  /** Smallest accepted value in ms (default 0). */
  readonly min?: number;
  /** Largest accepted value in ms; never above MAX_DURATION_MS (the default). */
  readonly max?: number;
}

/** Why `ms` is outside the bounds, or undefined when it is inside. */
export function durationBoundsProblem(ms: number, bounds: DurationBounds = {}): string | undefined {
  const min = bounds.min ?? 0;
  const max = Math.min(bounds.max ?? MAX_DURATION_MS, MAX_DURATION_MS);
  if (ms < min) return `must be at least ${formatDuration(min)}`;
  if (ms > max) {
    const why = max === MAX_DURATION_MS ? " (Node's timer limit)" : '';
    return `must be at most ${formatDuration(max)}${why}, got ${formatDuration(ms)}`;
  }
  return undefined;
}

/** Milliseconds in Go's duration notation (`1h30m`, `250ms`, `596h31m23.647s`), for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `${hours > 0 ? `${hours}h` : ''}${minutes > 0 ? `${minutes}m` : ''}${seconds > 0 ? `${seconds}s` : ''}`;
}
