import type { DisplayedEvent } from '../src/displayed-event.ts';
import type { RefusedRequest, StoreSnapshot } from '../src/event-store.ts';

export interface Snapshot extends StoreSnapshot {
  readonly capacity: number;
  readonly actions: boolean;
}

/** What the page knows: the kept events (newest first) and the counts, as the server sent them. */
export class EventModel {
  events: DisplayedEvent[] = [];
  counts = new Map<string, number>();
  total = 0;
  capacity = 500;
  /** Requests that did not become events, newest first. */
  refused: RefusedRequest[] = [];

  reset(snapshot: Snapshot): void {
    this.capacity = snapshot.capacity;
    this.events = [...snapshot.events];
    this.counts = new Map(Object.entries(snapshot.counts));
    this.total = snapshot.total;
    this.refused = [...snapshot.refused];
  }

  addRefused(refused: RefusedRequest): void {
    this.refused.unshift(refused);
    if (this.refused.length > 50) this.refused.length = 50;
  }

  add(event: DisplayedEvent): void {
    this.events.unshift(event);
    if (this.events.length > this.capacity) this.events.length = this.capacity;
    const type = typeOf(event);
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    this.total++;
  }

  clear(): void {
    this.events = [];
    this.counts = new Map();
    this.total = 0;
    this.refused = [];
  }

  find(seq: number): DisplayedEvent | undefined {
    return this.events.find((event) => event.seq === seq);
  }
}

export function typeOf(event: DisplayedEvent): string {
  return String(event.attributes['type'] ?? '');
}

/** The filter box matches type or source, case-insensitively, as a substring. */
export function matches(event: DisplayedEvent, filter: string): boolean {
  if (filter === '') return true;
  const needle = filter.toLowerCase();
  return (
    typeOf(event).toLowerCase().includes(needle) ||
    String(event.attributes['source'] ?? '')
      .toLowerCase()
      .includes(needle)
  );
}
