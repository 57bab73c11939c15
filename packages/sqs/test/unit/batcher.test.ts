import { describe, expect, it } from 'vitest';
import { Batcher, type EntryFailure } from '../../src/batcher.ts';

/** A stand-in for one SQS batch action: records each call and answers with `answer(call, entries)`. */
function action(
  answer: (call: number, entries: readonly string[]) => readonly EntryFailure[] | Error = () => [],
) {
  const calls: string[][] = [];
  const send = async (entries: readonly string[]) => {
    calls.push([...entries]);
    const result = answer(calls.length, entries);
    if (result instanceof Error) throw result;
    return result;
  };
  return { calls, send };
}

describe('Batcher', () => {
  it('sends a full batch of 10 at once and the rest after the delay', async () => {
    const { calls, send } = action();
    const batcher = new Batcher({ send, flushDelayMs: 20 });
    const results = Array.from({ length: 13 }, (_, i) => batcher.add(`e${i}`));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(10);
    expect(await Promise.all(results)).toEqual(Array(13).fill(true));
    expect(calls.map((call) => call.length)).toEqual([10, 3]);
  });

  it('flush() sends what is queued without waiting', async () => {
    const { calls, send } = action();
    const batcher = new Batcher({ send, flushDelayMs: 60_000 });
    const result = batcher.add('only');
    batcher.flush();
    expect(await result).toBe(true);
    expect(calls).toEqual([['only']]);
  });

  it('retries entries that failed server-side, gives up on sender faults', async () => {
    const { calls, send } = action((call) =>
      call === 1
        ? [
            { index: 0, code: 'InternalError', senderFault: false },
            { index: 1, code: 'ReceiptHandleIsInvalid', senderFault: true },
          ]
        : [],
    );
    const givenUp: string[] = [];
    const batcher = new Batcher({
      send,
      flushDelayMs: 1,
      retryDelayMs: 1,
      onGiveUp: (entry, reason) => givenUp.push(`${entry}:${reason}`),
    });
    const results = Promise.all(['a', 'b', 'c'].map((entry) => batcher.add(entry)));
    expect(await results).toEqual([true, false, true]);
    expect(calls).toEqual([['a', 'b', 'c'], ['a']]);
    expect(givenUp).toEqual(['b:ReceiptHandleIsInvalid']);
  });

  it('retries a whole failed call, up to maxAttempts', async () => {
    const { calls, send } = action(() => new Error('socket hang up'));
    const batcher = new Batcher({ send, flushDelayMs: 1, retryDelayMs: 1, maxAttempts: 3 });
    expect(await batcher.add('x')).toBe(false);
    expect(calls).toEqual([['x'], ['x'], ['x']]);
  });

  it('drain() resolves after retries settled', async () => {
    const { calls, send } = action((call) => (call === 1 ? new Error('throttled') : []));
    const batcher = new Batcher({ send, flushDelayMs: 60_000, retryDelayMs: 5 });
    const result = batcher.add('x');
    await batcher.drain();
    expect(calls).toEqual([['x'], ['x']]);
    expect(await result).toBe(true);
  });
});
