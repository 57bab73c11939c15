import { setTimeout as sleep } from 'node:timers/promises';
import { jitteredBackoff } from '../delivery/retry.ts';

/** Waits between failed webhook API calls: doubling from `initialDelayMs` up to `maxDelayMs`. */
export interface HookRetry {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/** GitHub asks integrators to back off on errors and secondary rate limits for at least a minute; 5 min caps it. */
export const DEFAULT_HOOK_RETRY: HookRetry = { initialDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

/**
 * The wait before retry `attempt` (0-based), with half of it random so replicas that failed
 * together do not retry together.
 */
export function retryDelay(retry: HookRetry, attempt: number): number {
  return jitteredBackoff(retry.initialDelayMs, retry.maxDelayMs, attempt);
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => {});
}
