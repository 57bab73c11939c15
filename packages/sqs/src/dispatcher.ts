import type { Received } from './received.ts';

export interface DispatcherOptions {
  /** Messages being delivered at once (SQS_MAX_INFLIGHT). */
  readonly maxInFlight: number;
  /** Messages received ahead of delivery, so a free slot never waits for a round trip to SQS. */
  readonly prefetch: number;
  /** Delivers one message; the dispatcher starts the next of its FIFO group only after this settles. */
  readonly deliver: (received: Received) => Promise<void>;
}

/**
 * Decides which received message is delivered when. Standard queues: any message, up to
 * `maxInFlight` at once. FIFO queues: one message per MessageGroupId at a time, in the order SQS
 * returned them, different groups in parallel (docs/contracts.md §8: order within a group must survive).
 *
 * It also bounds what receivers may fetch: messages held (pending + delivering + reserved by a
 * receive in progress) stay within maxInFlight + prefetch, so nothing waits long enough in memory
 * for its visibility timeout to matter.
 */
export class Dispatcher {
  readonly #options: DispatcherOptions;
  /** Standard queue: one line. FIFO: one line per group; `#ready` lists groups free to start. */
  readonly #lines = new Map<string | undefined, Received[]>();
  readonly #ready: (string | undefined)[] = [];
  readonly #busyGroups = new Set<string>();
  #pending = 0;
  #active = 0;
  #reserved = 0;
  readonly #roomWaiters = new Set<() => void>();
  readonly #idleWaiters = new Set<() => void>();

  constructor(options: DispatcherOptions) {
    this.#options = options;
  }

  get pending(): number {
    return this.#pending;
  }

  get active(): number {
    return this.#active;
  }

  /**
   * Waits until `max` more messages may be received (or the whole capacity, when smaller), so each
   * ReceiveMessage asks for a full batch instead of trickling one message per freed slot; resolves
   * 0 when `signal` aborts.
   */
  async reserve(max: number, signal: AbortSignal): Promise<number> {
    const capacity = this.#options.maxInFlight + this.#options.prefetch;
    for (;;) {
      if (signal.aborted) return 0;
      const room = capacity - this.#pending - this.#active - this.#reserved;
      if (room >= Math.min(max, capacity)) {
        const granted = Math.min(room, max);
        this.#reserved += granted;
        return granted;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#roomWaiters.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.#roomWaiters.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** Hands over what a receive returned; `reserved` is what that receive had reserved. */
  push(messages: readonly Received[], reserved: number): void {
    this.#reserved -= reserved;
    for (const received of messages) {
      let line = this.#lines.get(received.group);
      if (line === undefined) this.#lines.set(received.group, (line = []));
      line.push(received);
      this.#pending++;
      if (line.length === 1 && !this.#isBusy(received.group)) this.#ready.push(received.group);
    }
    this.#pump();
    if (messages.length < reserved) this.#wakeRoom();
  }

  /** Whether messages of this group wait to be started. */
  hasPending(group: string | undefined): boolean {
    return (this.#lines.get(group)?.length ?? 0) > 0;
  }

  /**
   * Removes the not-yet-started messages of a FIFO group, for when one of its messages failed:
   * they go back to the queue together, so the group's order survives the redelivery.
   */
  takeGroup(group: string | undefined): Received[] {
    if (group === undefined) return [];
    const line = this.#lines.get(group) ?? [];
    this.#lines.delete(group);
    this.#pending -= line.length;
    this.#wakeRoom();
    return line;
  }

  /** Every message not yet started (shutdown: they are released to the queue). */
  takeAllPending(): Received[] {
    const all = [...this.#lines.values()].flat();
    this.#lines.clear();
    this.#ready.length = 0;
    this.#pending = 0;
    return all;
  }

  /** Resolves once nothing is being delivered. */
  idle(): Promise<void> {
    if (this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.add(resolve));
  }

  #isBusy(group: string | undefined): boolean {
    return group !== undefined && this.#busyGroups.has(group);
  }

  #pump(): void {
    while (this.#active < this.#options.maxInFlight && this.#ready.length > 0) {
      const group = this.#ready[0];
      const line = this.#lines.get(group);
      const received = line?.shift();
      if (line === undefined || received === undefined) {
        this.#ready.shift();
        continue;
      }
      // A FIFO group leaves the ready list while one of its messages is out; a standard line stays.
      if (group !== undefined) {
        this.#ready.shift();
        this.#busyGroups.add(group);
      }
      if (line.length === 0) {
        this.#lines.delete(group);
        if (group === undefined) this.#ready.shift();
      }
      this.#pending--;
      this.#active++;
      void this.#options.deliver(received).finally(() => this.#finished(received.group));
    }
  }

  #finished(group: string | undefined): void {
    this.#active--;
    if (group !== undefined) {
      this.#busyGroups.delete(group);
      if ((this.#lines.get(group)?.length ?? 0) > 0) this.#ready.push(group);
    }
    this.#pump();
    this.#wakeRoom();
    if (this.#active === 0) {
      for (const resolve of this.#idleWaiters) resolve();
      this.#idleWaiters.clear();
    }
  }

  #wakeRoom(): void {
    for (const wake of [...this.#roomWaiters]) wake();
  }
}
