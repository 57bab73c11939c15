import { setTimeout as sleep } from 'node:timers/promises';

/** SQS batch actions take at most 10 entries. */
export const MAX_BATCH = 10;

/** One entry's failure in a batch response, as SQS reports it (`BatchResultErrorEntry`). */
export interface EntryFailure {
  /** Index of the entry in the batch that was sent. */
  readonly index: number;
  readonly code: string;
  /** True when retrying the same entry cannot help (e.g. ReceiptHandleIsInvalid). */
  readonly senderFault: boolean;
}

export interface BatcherOptions<E> {
  /** Sends one batch (1–10 entries); resolves with the entries that failed; rejects when the call failed. */
  readonly send: (entries: readonly E[]) => Promise<readonly EntryFailure[]>;
  /** How long the first entry may wait for nine more. */
  readonly flushDelayMs: number;
  /** Attempts per entry for call failures and server-side entry failures. */
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
  /** Called once per entry that could not be applied after every attempt. */
  readonly onGiveUp?: (entry: E, reason: string) => void;
}

interface Pending<E> {
  readonly entry: E;
  attempts: number;
  readonly resolve: (applied: boolean) => void;
}

/**
 * Collects entries into SQS batch calls (DeleteMessageBatch, ChangeMessageVisibilityBatch): a batch
 * goes out as soon as 10 entries are ready, or `flushDelayMs` after its first entry. Entries that
 * fail server-side, or whose whole call failed, are retried with backoff; sender faults are final.
 * `add` resolves true once the entry was applied, false when it was given up.
 */
export class Batcher<E> {
  readonly #options: BatcherOptions<E>;
  #queued: Pending<E>[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: BatcherOptions<E>) {
    this.#options = options;
  }

  add(entry: E): Promise<boolean> {
    return new Promise((resolve) => this.#enqueue({ entry, attempts: 0, resolve }));
  }

  /** Sends whatever is queued now instead of waiting for the delay. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#queued.length > 0) this.#send(this.#queued.splice(0, MAX_BATCH));
  }

  /** Flushes, then waits until every call and retry has settled. */
  async drain(): Promise<void> {
    this.flush();
    while (this.#inFlight.size > 0) {
      await Promise.all(this.#inFlight);
      this.flush();
    }
  }

  #enqueue(pending: Pending<E>): void {
    this.#queued.push(pending);
    if (this.#queued.length >= MAX_BATCH) this.#send(this.#queued.splice(0, MAX_BATCH));
    if (this.#queued.length === 0) {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#timer = undefined;
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.flush(), this.#options.flushDelayMs);
    }
  }

  #send(batch: Pending<E>[]): void {
    const call = this.#call(batch).finally(() => this.#inFlight.delete(call));
    this.#inFlight.add(call);
  }

  async #call(batch: Pending<E>[]): Promise<void> {
    for (const pending of batch) pending.attempts++;
    let failures: readonly EntryFailure[];
    try {
      failures = await this.#options.send(batch.map((pending) => pending.entry));
    } catch (error) {
      await this.#retry(batch, `call failed: ${(error as Error).message ?? String(error)}`);
      return;
    }
    const failed = new Map(failures.map((failure) => [failure.index, failure]));
    const retry: Pending<E>[] = [];
    batch.forEach((pending, index) => {
      const failure = failed.get(index);
      if (failure === undefined) pending.resolve(true);
      else if (failure.senderFault) this.#giveUp(pending, failure.code);
      else retry.push(pending);
    });
    if (retry.length > 0) await this.#retry(retry, 'server-side entry failure');
  }

  async #retry(batch: Pending<E>[], reason: string): Promise<void> {
    const maxAttempts = this.#options.maxAttempts ?? 5;
    const again = batch.filter((pending) => {
      if (pending.attempts < maxAttempts) return true;
      this.#giveUp(pending, reason);
      return false;
    });
    if (again.length === 0) return;
    const attempt = Math.max(...again.map((pending) => pending.attempts));
    await sleep((this.#options.retryDelayMs ?? 100) * 2 ** (attempt - 1));
    for (const pending of again) this.#enqueue(pending);
  }

  #giveUp(pending: Pending<E>, reason: string): void {
    this.#options.onGiveUp?.(pending.entry, reason);
    pending.resolve(false);
  }
}
