import type { DecodedEvent, DisplayedEvent } from './displayed-event.ts';

export type StoreChange =
  | { readonly kind: 'events'; readonly events: readonly DisplayedEvent[] }
  | { readonly kind: 'refused'; readonly refused: RefusedRequest }
  | { readonly kind: 'cleared' };

/** A request that did not become an event: refused by the display, or reported by an adapter. */
export interface RefusedRequest {
  readonly at: string;
  /** Who refused it: `display`, or the adapter that reported it (`github`, …). */
  readonly by: string;
  readonly status: number;
  readonly code: string;
  readonly reason: string;
}

/** Refusals kept for the page; older ones only remain in the logs and metrics. */
const REFUSALS_KEPT = 50;

export interface StoreSnapshot {
  /** Events received since start or the last clear, including those no longer kept. */
  readonly total: number;
  /** Per event type, since start or the last clear. */
  readonly counts: Readonly<Record<string, number>>;
  /** The kept events, newest first. */
  readonly events: readonly DisplayedEvent[];
  /** The last refused requests, newest first. */
  readonly refused: readonly RefusedRequest[];
}

/**
 * The last `capacity` events in a ring buffer, numbered in arrival order, with a count per type
 * and listeners for the live stream. Memory stays bounded however long the display runs.
 */
export class EventStore {
  readonly capacity: number;
  readonly #ring: (DisplayedEvent | undefined)[];
  #next = 0;
  #size = 0;
  #seq = 0;
  #total = 0;
  #counts = new Map<string, number>();
  #refused: RefusedRequest[] = [];
  readonly #listeners = new Set<(change: StoreChange) => void>();

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#ring = new Array<DisplayedEvent | undefined>(capacity);
  }

  add(decoded: readonly DecodedEvent[], receivedAt = new Date()): DisplayedEvent[] {
    const at = receivedAt.toISOString();
    const added = decoded.map((event) => ({ ...event, seq: ++this.#seq, receivedAt: at }));
    for (const event of added) {
      this.#ring[this.#next] = event;
      this.#next = (this.#next + 1) % this.capacity;
      this.#size = Math.min(this.#size + 1, this.capacity);
      const type = String(event.attributes['type']);
      this.#counts.set(type, (this.#counts.get(type) ?? 0) + 1);
      this.#total++;
    }
    if (added.length > 0) this.#notify({ kind: 'events', events: added });
    return added;
  }

  /** Records a refused request (newest first, the last REFUSALS_KEPT) and tells the listeners. */
  refuse(refused: Omit<RefusedRequest, 'at'>, at = new Date()): RefusedRequest {
    const entry = { at: at.toISOString(), ...refused };
    this.#refused.unshift(entry);
    if (this.#refused.length > REFUSALS_KEPT) this.#refused.length = REFUSALS_KEPT;
    this.#notify({ kind: 'refused', refused: entry });
    return entry;
  }

  /** Kept events, newest first. */
  list(): DisplayedEvent[] {
    const events: DisplayedEvent[] = [];
    for (let i = 1; i <= this.#size; i++) {
      events.push(this.#ring[(this.#next - i + this.capacity) % this.capacity] as DisplayedEvent);
    }
    return events;
  }

  snapshot(): StoreSnapshot {
    return {
      total: this.#total,
      counts: Object.fromEntries(this.#counts),
      events: this.list(),
      refused: [...this.#refused],
    };
  }

  /** Forgets every event and count; sequence numbers keep increasing so ids stay unique. */
  clear(): void {
    this.#ring.fill(undefined);
    this.#next = 0;
    this.#size = 0;
    this.#total = 0;
    this.#counts = new Map();
    this.#refused = [];
    this.#notify({ kind: 'cleared' });
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(change: StoreChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}
