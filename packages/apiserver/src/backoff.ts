import { setTimeout as sleep } from 'node:timers/promises';
import { jitteredBackoff } from '@tributary/core';

/**
 * Exponential backoff with full jitter between `initialMs` and `maxMs` (client-go's reflector
 * backs off 800 ms → 30 s; jitter keeps many watches from reconnecting in lockstep).
 */
export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  #attempt = 0;

  constructor(initialMs: number, maxMs: number) {
    this.#initialMs = Math.min(initialMs, maxMs);
    this.#maxMs = maxMs;
  }

  get attempts(): number {
    return this.#attempt;
  }

  /** The next delay: half fixed, half random, so it never collapses to zero. */
  next(): number {
    return jitteredBackoff(this.#initialMs, this.#maxMs, this.#attempt++);
  }

  reset(): void {
    this.#attempt = 0;
  }

  /** Waits the next delay; false when `signal` aborted first. */
  async wait(signal: AbortSignal): Promise<boolean> {
    try {
      await sleep(this.next(), undefined, { signal });
      return true;
    } catch {
      return false;
    }
  }
}
