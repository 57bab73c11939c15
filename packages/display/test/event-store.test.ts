import { describe, expect, it } from 'vitest';
import type { DecodedEvent } from '../src/displayed-event.ts';
import { EventStore, type StoreChange } from '../src/event-store.ts';

const event = (id: string, type = 't'): DecodedEvent => ({
  mode: 'binary',
  attributes: { specversion: '1.0', id, source: '/s', type },
  data: undefined,
  warnings: [],
});

describe('EventStore', () => {
  it('keeps the newest events up to its capacity, newest first, and numbers them', () => {
    const store = new EventStore(3);
    store.add(['1', '2'].map((id) => event(id)));
    store.add(['3', '4', '5'].map((id) => event(id, 'u')));
    expect(store.list().map((e) => [e.seq, e.attributes['id']])).toEqual([
      [5, '5'],
      [4, '4'],
      [3, '3'],
    ]);
    expect(store.snapshot()).toMatchObject({ total: 5, counts: { t: 2, u: 3 } });
  });

  it('tells listeners about new events and clears, and numbers on after a clear', () => {
    const store = new EventStore(2);
    const changes: StoreChange[] = [];
    const unsubscribe = store.subscribe((change) => changes.push(change));
    store.add([event('1')]);
    store.clear();
    store.add([event('2')]);
    unsubscribe();
    store.add([event('3')]);
    expect(changes.map((c) => (c.kind === 'events' ? c.events.map((e) => e.seq) : c.kind))).toEqual([
      [1],
      'cleared',
      [2],
    ]);
    expect(store.snapshot()).toMatchObject({ total: 2, counts: { t: 2 } });
    expect(store.list().map((e) => e.seq)).toEqual([3, 2]);
  });
});
