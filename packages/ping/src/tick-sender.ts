import type { CloudEvent, DeliveryError, Logger } from '@tributary/core';
import type { PingMetrics } from './metrics.ts';
import type { PingSource } from './source.ts';
import { pingEvent } from './to-cloudevent.ts';

export type Emit = (event: CloudEvent) => Promise<void>;

export interface TickSenderOptions {
  /** The emit for a source's target (its own sink and overrides, or K_SINK). */
  readonly emitFor: (source: PingSource) => Emit;
  /** Each send waits a random 0..jitterMs first (Knative always waits 0-499 ms). */
  readonly jitterMs: number;
  readonly metrics: PingMetrics;
  readonly logger: Logger;
  readonly random?: () => number;
}

/**
 * Turns ticks into deliveries. A tick never waits for an earlier one: every send is its own
 * promise, so a slow or failing sink delays nobody else's tick. Core's per-target client bounds
 * how many requests are open at once. A delivery that fails after core's retries is logged and
 * counted, and the source's next tick goes out as usual.
 */
export class TickSender {
  readonly #options: TickSenderOptions;
  readonly #random: () => number;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #delayed = new Map<NodeJS.Timeout, () => void>();

  constructor(options: TickSenderOptions) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
  }

  /** Deliveries started and not yet settled, plus ticks waiting for their jitter. */
  get pending(): number {
    return this.#inFlight.size + this.#delayed.size;
  }

  tick(source: PingSource, scheduledMs: number): void {
    const { jitterMs } = this.#options;
    if (jitterMs <= 0) return this.#send(source, scheduledMs);
    const send = () => {
      this.#delayed.delete(timer);
      this.#send(source, scheduledMs);
    };
    const timer = setTimeout(send, Math.floor(this.#random() * (jitterMs + 1)));
    this.#delayed.set(timer, send);
  }

  /** Sends every tick still waiting for its jitter now: a tick that fired before shutdown is not dropped. */
  flush(): void {
    for (const [timer, send] of this.#delayed) {
      clearTimeout(timer);
      send();
    }
  }

  /** Resolves once every started delivery has settled. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #send(source: PingSource, scheduledMs: number): void {
    const { metrics, logger } = this.#options;
    const event = pingEvent(source, scheduledMs);
    metrics.lateness.observe((Date.now() - scheduledMs) / 1000);
    metrics.ticks.inc();
    const delivery: Promise<void> = this.#options
      .emitFor(source)(event)
      .then(
        () => {
          this.#inFlight.delete(delivery);
          logger.debug({ pingsource: identity(source), id: event.id, scheduled: event.time }, 'tick delivered');
        },
        (error: unknown) => {
          this.#inFlight.delete(delivery);
          metrics.failed.inc({ namespace: source.namespace, name: source.name });
          logger.error(
            { pingsource: identity(source), id: event.id, scheduled: event.time, code: (error as DeliveryError).code, err: error },
            'tick not delivered',
          );
        },
      );
    this.#inFlight.add(delivery);
  }
}

export function identity(source: { readonly namespace: string; readonly name: string }): { namespace: string; name: string } {
  return { namespace: source.namespace, name: source.name };
}
