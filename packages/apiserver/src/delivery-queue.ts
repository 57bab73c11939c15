import { performance } from 'node:perf_hooks';
import { DeliveryError, type CloudEvent, type Logger } from '@tributary/core';
import { Backoff } from './backoff.ts';
import type { Settle } from './delivered-version.ts';
import type { QueueMetrics } from './metrics.ts';

export interface DeliveryQueueOptions {
  /** Events held at most (queued and in flight); `push` waits for room beyond that. */
  readonly capacity: number;
  /** Deliveries in flight at once, each for a different object. */
  readonly concurrency: number;
  readonly send: (event: CloudEvent) => Promise<void>;
  readonly redelivery: { readonly initialMs: number; readonly maxMs: number };
  readonly metrics: QueueMetrics;
  readonly logger: Logger;
}

/** An event and who wants to know when the sink is done with it (the handover's bookkeeping). */
interface Queued {
  readonly event: CloudEvent;
  readonly settle: Settle | undefined;
}

/** One object's events, oldest first; the head is in flight or waiting for a redelivery. */
interface Line {
  readonly events: Queued[];
  backoff?: Backoff;
  timer?: NodeJS.Timeout | undefined;
}

type Outcome = 'delivered' | 'rejected' | 'abandoned' | 'retry';

/**
 * Sits between the watches and the sink so a watch never waits on a delivery (Knative sends
 * inside the watch loop, so one slow sink stalls every watch). Bounded: when full, `push` waits,
 * and the watch stops reading its stream (backpressure, never a drop). Events of one object go
 * one at a time in order; different objects go in parallel. An event the sink failed after core's
 * retries goes back to the head of its object's line and is tried again after a growing pause,
 * without holding up other objects; one the sink rejected as invalid (4xx) is dropped and counted.
 */
export class DeliveryQueue {
  readonly #options: DeliveryQueueOptions;
  readonly #lines = new Map<string, Line>();
  /** Keys whose head can be sent now, in arrival order. */
  readonly #ready = new Set<string>();
  #inFlight = 0;
  #depth = 0;
  #closing = false;
  readonly #roomWaiters: Array<() => void> = [];
  readonly #emptyWaiters: Array<() => void> = [];

  constructor(options: DeliveryQueueOptions) {
    this.#options = options;
  }

  get depth(): number {
    return this.#depth;
  }

  /**
   * Queues `event` behind earlier events with the same key; false when it was not taken
   * (shutdown). `settle` is called once: true when the sink took the event or refused it for
   * good, false when it was not delivered (not taken, or given up at shutdown).
   */
  async push(key: string, event: CloudEvent, settle?: Settle): Promise<boolean> {
    if (this.#depth >= this.#options.capacity && !this.#closing) await this.#waitForRoom();
    if (this.#closing) {
      this.#options.metrics.dropped('shutdown');
      settle?.(false);
      return false;
    }
    this.#setDepth(this.#depth + 1);
    const queued = { event, settle };
    const line = this.#lines.get(key);
    if (line === undefined) {
      this.#lines.set(key, { events: [queued] });
      this.#ready.add(key);
      this.#pump();
    } else {
      line.events.push(queued);
    }
    return true;
  }

  /** Resolves once every queued event has been delivered or given up on. */
  drain(): Promise<void> {
    if (this.#depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.#emptyWaiters.push(resolve));
  }

  /** Shutdown: take nothing new, abandon events waiting for a redelivery, deliver the rest once. */
  close(): void {
    this.#closing = true;
    for (const wake of this.#roomWaiters.splice(0)) wake();
    for (const [key, line] of this.#lines) {
      if (line.timer === undefined) continue;
      clearTimeout(line.timer);
      this.#options.logger.warn(
        { key, events: line.events.length },
        'shutdown: events waiting for a redelivery are not delivered',
      );
      for (const queued of line.events) {
        this.#options.metrics.dropped('shutdown');
        queued.settle?.(false);
      }
      this.#lines.delete(key);
      this.#setDepth(this.#depth - line.events.length);
    }
    this.#checkEmpty();
  }

  async #waitForRoom(): Promise<void> {
    this.#options.metrics.paused();
    const started = performance.now();
    while (this.#depth >= this.#options.capacity && !this.#closing) {
      await new Promise<void>((resolve) => this.#roomWaiters.push(resolve));
    }
    this.#options.metrics.resumed((performance.now() - started) / 1000);
  }

  #pump(): void {
    while (this.#inFlight < this.#options.concurrency && this.#ready.size > 0) {
      const key = this.#ready.values().next().value as string;
      this.#ready.delete(key);
      this.#inFlight++;
      void this.#deliver(key);
    }
  }

  async #deliver(key: string): Promise<void> {
    const line = this.#lines.get(key) as Line;
    const { event } = line.events[0] as Queued;
    let outcome: Outcome = 'delivered';
    try {
      await this.#options.send(event);
      line.backoff?.reset();
    } catch (error) {
      outcome = this.#failed(key, event, error, line);
    }
    this.#inFlight--;
    if (outcome === 'retry') this.#park(key, line);
    else this.#finishHead(key, line, outcome !== 'abandoned');
    this.#pump();
  }

  /** What becomes of an event the sink failed: dropped for good, abandoned at shutdown, or retried. */
  #failed(key: string, event: CloudEvent, error: unknown, line: Line): Outcome {
    const code = error instanceof DeliveryError ? error.code : 'ERROR';
    const fields = { key, id: event.id, type: event.type, code, err: error };
    if (code === 'SINK_REJECTED' || this.#closing) {
      const rejected = code === 'SINK_REJECTED';
      this.#options.metrics.dropped(rejected ? 'rejected' : 'shutdown');
      this.#options.logger.error(fields, 'event not delivered: dropped');
      return rejected ? 'rejected' : 'abandoned';
    }
    this.#options.metrics.redelivery();
    const log = line.backoff === undefined || line.backoff.attempts === 0 ? 'warn' : 'debug';
    this.#options.logger[log](
      fields,
      'event not delivered: will try again, later events of this object wait',
    );
    return 'retry';
  }

  /** `done`: the sink took the event or refused it for good (a successor must not send it again). */
  #finishHead(key: string, line: Line, done: boolean): void {
    line.events.shift()?.settle?.(done);
    this.#setDepth(this.#depth - 1);
    this.#roomWaiters.shift()?.();
    if (line.events.length > 0) this.#ready.add(key);
    else this.#lines.delete(key);
    this.#checkEmpty();
  }

  #park(key: string, line: Line): void {
    line.backoff ??= new Backoff(this.#options.redelivery.initialMs, this.#options.redelivery.maxMs);
    line.timer = setTimeout(() => {
      line.timer = undefined;
      this.#ready.add(key);
      this.#pump();
    }, line.backoff.next());
  }

  #setDepth(depth: number): void {
    this.#depth = depth;
    this.#options.metrics.depth(depth);
  }

  #checkEmpty(): void {
    if (this.#depth === 0) for (const wake of this.#emptyWaiters.splice(0)) wake();
  }
}
