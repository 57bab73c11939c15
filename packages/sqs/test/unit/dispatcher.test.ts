import { describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/dispatcher.ts';
import type { Received } from '../../src/received.ts';

function message(id: string, group?: string): Received {
  return {
    message: { MessageId: id },
    id,
    receiptHandle: `rh-${id}`,
    group,
    receiveCount: 1,
    receivedAt: 0,
    visibleAt: 0,
  };
}

/** A deliver function whose deliveries the test completes by hand. */
function manualDelivery() {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const deliver = (received: Received) => {
    started.push(received.id);
    return new Promise<void>((resolve) => finishers.set(received.id, resolve));
  };
  const finish = async (id: string) => {
    finishers.get(id)?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { started, deliver, finish };
}

describe('Dispatcher', () => {
  it('delivers standard-queue messages in parallel up to maxInFlight', async () => {
    const { started, deliver, finish } = manualDelivery();
    const dispatcher = new Dispatcher({ maxInFlight: 2, prefetch: 10, deliver });
    dispatcher.push(
      ['a', 'b', 'c'].map((id) => message(id)),
      3,
    );
    expect(started).toEqual(['a', 'b']);
    expect([dispatcher.active, dispatcher.pending]).toEqual([2, 1]);
    await finish('a');
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('delivers one message per FIFO group at a time, in order, groups in parallel', async () => {
    const { started, deliver, finish } = manualDelivery();
    const dispatcher = new Dispatcher({ maxInFlight: 10, prefetch: 10, deliver });
    dispatcher.push(
      [message('a1', 'A'), message('a2', 'A'), message('b1', 'B'), message('a3', 'A'), message('b2', 'B')],
      5,
    );
    expect(started).toEqual(['a1', 'b1']);
    await finish('b1');
    expect(started).toEqual(['a1', 'b1', 'b2']);
    await finish('a1');
    await finish('a2');
    expect(started).toEqual(['a1', 'b1', 'b2', 'a2', 'a3']);
  });

  it('hands back the waiting messages of a group whose message failed, so none overtakes it', async () => {
    const { started, deliver } = manualDelivery();
    const dispatcher = new Dispatcher({ maxInFlight: 10, prefetch: 10, deliver });
    dispatcher.push([message('a1', 'A'), message('a2', 'A'), message('a3', 'A'), message('b1', 'B')], 4);
    expect(dispatcher.takeGroup('A').map((m) => m.id)).toEqual(['a2', 'a3']);
    expect(dispatcher.hasPending('A')).toBe(false);
    expect(started).toEqual(['a1', 'b1']);
  });

  it('lets receivers reserve full batches within maxInFlight + prefetch, and wakes them when a batch fits again', async () => {
    const { deliver, finish } = manualDelivery();
    const dispatcher = new Dispatcher({ maxInFlight: 2, prefetch: 3, deliver });
    const signal = new AbortController().signal;
    expect(await dispatcher.reserve(3, signal)).toBe(3);
    dispatcher.push([message('a'), message('b'), message('c')], 3);
    let granted: number | undefined;
    void dispatcher.reserve(3, signal).then((n) => (granted = n));
    await new Promise((resolve) => setImmediate(resolve));
    // 2 free slots are not a full batch of 3: the receiver keeps waiting instead of fetching a trickle.
    expect(granted).toBeUndefined();
    await finish('a');
    expect(granted).toBe(3);
  });

  it('never asks for more than the whole capacity when it is smaller than a batch', async () => {
    const { deliver } = manualDelivery();
    const dispatcher = new Dispatcher({ maxInFlight: 1, prefetch: 2, deliver });
    expect(await dispatcher.reserve(10, new AbortController().signal)).toBe(3);
  });

  it('resolves a waiting reservation with 0 on abort, and gives every unstarted message up at shutdown', async () => {
    const { deliver } = manualDelivery();
    const dispatcher = new Dispatcher({ maxInFlight: 1, prefetch: 1, deliver });
    const controller = new AbortController();
    dispatcher.push([message('a'), message('b')], 0);
    const waiting = dispatcher.reserve(1, controller.signal);
    controller.abort();
    expect(await waiting).toBe(0);
    expect(dispatcher.takeAllPending().map((m) => m.id)).toEqual(['b']);
    expect(dispatcher.active).toBe(1);
  });
});
