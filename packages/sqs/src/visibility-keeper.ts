import { MAX_VISIBILITY_SECONDS } from './config.ts';
import type { Received } from './received.ts';

export interface VisibilityKeeperOptions {
  /** The visibility timeout each extension asks for again. */
  readonly visibilitySeconds: number;
  /** Sends one ChangeMessageVisibility (batched by the caller); resolves whether SQS applied it. */
  readonly extend: (received: Received, seconds: number) => Promise<boolean>;
  readonly onExtended?: (count: number) => void;
  /** Called on every check with the number of messages held. */
  readonly onCheck?: (held: number) => void;
}

/**
 * Keeps every held message invisible while this process still works on it: a delivery slower than
 * the visibility timeout (a slow sink, long retries, a FIFO message queued behind its group) must
 * not reappear and go out a second time in parallel. TriggerMesh never extends, and never even
 * passes its configured timeout (docs/contracts.md §8).
 *
 * Each message is extended when less than half its timeout is left, checked four times per timeout.
 */
export class VisibilityKeeper {
  readonly #options: VisibilityKeeperOptions;
  readonly #held = new Map<string, Received>();
  readonly #extending = new Set<string>();
  readonly #timer: NodeJS.Timeout;

  constructor(options: VisibilityKeeperOptions) {
    this.#options = options;
    const periodMs = Math.min(5_000, (options.visibilitySeconds * 1000) / 4);
    this.#timer = setInterval(() => this.#extendDue(), periodMs);
    this.#timer.unref();
  }

  get size(): number {
    return this.#held.size;
  }

  hold(received: Received): void {
    this.#held.set(received.receiptHandle, received);
  }

  /** The message was deleted or handed back to the queue: SQS owns its visibility again. */
  release(received: Received): void {
    this.#held.delete(received.receiptHandle);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #extendDue(): void {
    const now = Date.now();
    const thresholdMs = (this.#options.visibilitySeconds * 1000) / 2;
    let count = 0;
    for (const received of this.#held.values()) {
      if (received.visibleAt - now > thresholdMs || this.#extending.has(received.receiptHandle)) continue;
      // SQS refuses to keep a message invisible for more than 12 hours after its receive.
      const allowed = MAX_VISIBILITY_SECONDS - Math.ceil((now - received.receivedAt) / 1000);
      const seconds = Math.min(this.#options.visibilitySeconds, allowed);
      if (seconds <= 0) continue;
      count++;
      this.#extending.add(received.receiptHandle);
      void this.#options.extend(received, seconds).then((applied) => {
        this.#extending.delete(received.receiptHandle);
        if (applied) received.visibleAt = now + seconds * 1000;
        else this.#held.delete(received.receiptHandle);
      });
    }
    if (count > 0) this.#options.onExtended?.(count);
    this.#options.onCheck?.(this.#held.size);
  }
}
