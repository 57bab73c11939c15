/**
 * Which failures are worth another attempt, and how long to wait before it.
 *
 * The retry set is the Knative data-plane spec's (knative/specs, "Event delivery"): 404, 408, 409,
 * 429 and every 5xx, plus network errors and timeouts. The Go SDK's own set (404 413 425 429 502 503
 * 504) misses 500 and 408, so it is deliberately not copied.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (K_SINK_RETRY). */
  readonly retries: number;
  readonly backoff: 'exponential' | 'linear';
  /** Base delay in ms (K_SINK_BACKOFF_DELAY). */
  readonly delayMs: number;
  /** Upper bound for any single wait, including one asked for by Retry-After. */
  readonly maxDelayMs: number;
}

export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 404 || status === 408 || status === 409 || status === 429;
}

/**
 * Delay before retry number `retry` (1-based), as Knative's delivery spec defines it:
 * exponential = delay * 2^retry, linear = delay * retry.
 */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  const raw = policy.backoff === 'exponential' ? policy.delayMs * 2 ** retry : policy.delayMs * retry;
  return Math.min(raw, policy.maxDelayMs);
}

/**
 * Exponential backoff with jitter for long-lived retry loops (watches, hook reconciliation): the
 * wait before retry `attempt` (0-based) doubles from `initialMs` up to `maxMs`, half of it fixed
 * and half random, so it never collapses to zero and replicas that failed together do not retry
 * together (client-go's reflector backs off the same way).
 */
export function jitteredBackoff(initialMs: number, maxMs: number, attempt: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. Returns ms, or undefined when absent/invalid. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
