import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { DeliveryError, type CloudEvent } from '@tributary/core';
import { waitFor } from '@tributary/testkit';
import { DeliveryQueue } from '../../src/index.ts';

const event = (id: string): CloudEvent => ({ id, source: 's', type: 't' });

/** A sink the test answers by hand: each send waits until the test resolves or rejects it. */
function manualSink() {
  const pending: Array<{ id: string; ok: () => void; fail: (error: unknown) => void }> = [];
  const sent: string[] = [];
  return {
    pending,
    sent,
    send: (e: CloudEvent) =>
      new Promise<void>((resolve, reject) => {
        sent.push(e.id);
        pending.push({ id: e.id, ok: resolve, fail: reject });
      }),
    answer(id: string, error?: unknown) {
      const index = pending.findIndex((p) => p.id === id);
      const [entry] = pending.splice(index, 1);
      if (error === undefined) entry?.ok();
      else entry?.fail(error);
    },
  };
}

function counters() {
  const counts = { paused: 0, redeliveries: 0, rejected: 0, shutdown: 0, peak: 0 };
  return {
    counts,
    metrics: {
      depth: (n: number) => (counts.peak = Math.max(counts.peak, n)),
      paused: () => counts.paused++,
      resumed: () => {},
      redelivery: () => counts.redeliveries++,
      dropped: (reason: 'rejected' | 'shutdown') => counts[reason]++,
    },
  };
}

function queue(sink: ReturnType<typeof manualSink>, capacity = 10, concurrency = 4, redeliveryMs = 5) {
  const { counts, metrics } = counters();
  const redelivery = { initialMs: redeliveryMs, maxMs: redeliveryMs * 2 };
  const q = new DeliveryQueue({
    capacity,
    concurrency,
    send: sink.send,
    redelivery,
    metrics,
    logger: pino({ level: 'silent' }),
  });
  return { q, counts };
}

describe('DeliveryQueue', () => {
  it('sends one object’s events one at a time, in order, and different objects in parallel', async () => {
    const sink = manualSink();
    const { q } = queue(sink);
    for (const id of ['a1', 'a2', 'b1', 'a3', 'b2']) await q.push(id[0] as string, event(id));
    expect(sink.sent).toEqual(['a1', 'b1']);
    sink.answer('b1');
    await waitFor(() => sink.sent.length === 3);
    expect(sink.sent).toEqual(['a1', 'b1', 'b2']);
    sink.answer('a1');
    await waitFor(() => sink.sent.length === 4);
    sink.answer('a2');
    sink.answer('b2');
    await waitFor(() => sink.sent.length === 5);
    sink.answer('a3');
    await q.drain();
    expect(sink.sent).toEqual(['a1', 'b1', 'b2', 'a2', 'a3']);
    expect(q.depth).toBe(0);
  });

  it('makes push wait when full (backpressure) and lets it in when room is made', async () => {
    const sink = manualSink();
    const { q, counts } = queue(sink, 2, 1);
    await q.push('a', event('a1'));
    await q.push('b', event('b1'));
    let admitted = false;
    const third = q.push('c', event('c1')).then(() => (admitted = true));
    await new Promise(setImmediate);
    expect(admitted).toBe(false);
    expect(counts.paused).toBe(1);
    sink.answer('a1');
    await third;
    expect(q.depth).toBe(2);
    expect(counts.peak).toBe(2);
  });

  it('puts a failed event back at the head of its line without blocking other objects', async () => {
    const sink = manualSink();
    const { q, counts } = queue(sink);
    await q.push('a', event('a1'));
    await q.push('a', event('a2'));
    await q.push('b', event('b1'));
    sink.answer('a1', new DeliveryError('RETRIES_EXHAUSTED', 'sink down', { status: 503, attempts: 6 }));
    sink.answer('b1');
    await waitFor(() => sink.sent.filter((id) => id === 'a1').length === 2, { what: 'redelivery of a1' });
    expect(counts.redeliveries).toBe(1);
    expect(sink.sent).not.toContain('a2');
    sink.answer('a1');
    await waitFor(() => sink.sent.includes('a2'));
    sink.answer('a2');
    await q.drain();
    expect(sink.sent).toEqual(['a1', 'b1', 'a1', 'a2']);
  });

  it('drops an event the sink rejects as invalid and goes on', async () => {
    const sink = manualSink();
    const { q, counts } = queue(sink);
    await q.push('a', event('a1'));
    await q.push('a', event('a2'));
    sink.answer('a1', new DeliveryError('SINK_REJECTED', 'bad request', { status: 400, attempts: 1 }));
    await waitFor(() => sink.sent.includes('a2'));
    sink.answer('a2');
    await q.drain();
    expect(counts.rejected).toBe(1);
  });

  it('on close takes nothing new, releases waiting pushes and abandons events waiting for a redelivery', async () => {
    const sink = manualSink();
    // Redeliveries an hour away: the failed event is still waiting when the queue closes.
    const { q, counts } = queue(sink, 2, 2, 3_600_000);
    await q.push('a', event('a1'));
    await q.push('b', event('b1'));
    const waiting = q.push('c', event('c1'));
    sink.answer('a1', new DeliveryError('RETRIES_EXHAUSTED', 'sink down', { attempts: 6 }));
    await waitFor(() => counts.redeliveries === 1);
    q.close();
    expect(await waiting).toBe(false);
    expect(await q.push('d', event('d1'))).toBe(false);
    sink.answer('b1');
    await q.drain();
    expect(counts.shutdown).toBe(3);
    expect(sink.sent).toEqual(['a1', 'b1']);
  });

  it('tells each event’s settle callback whether the sink is done with it (the handover’s bookkeeping)', async () => {
    const sink = manualSink();
    const { q } = queue(sink, 10, 4, 3_600_000);
    const settled: Record<string, boolean> = {};
    const push = (key: string, id: string) => q.push(key, event(id), (done) => (settled[id] = done));
    await push('a', 'delivered');
    await push('b', 'rejected');
    await push('c', 'parked');
    await push('c', 'behind-parked');
    sink.answer('delivered');
    sink.answer('rejected', new DeliveryError('SINK_REJECTED', 'bad request', { status: 400, attempts: 1 }));
    sink.answer('parked', new DeliveryError('RETRIES_EXHAUSTED', 'sink down', { attempts: 6 }));
    await waitFor(() => Object.keys(settled).length === 2, { what: 'two settled' });
    await push('d', 'in-flight-at-close');
    q.close();
    await push('e', 'refused');
    sink.answer('in-flight-at-close', new DeliveryError('RETRIES_EXHAUSTED', 'sink down', { attempts: 6 }));
    await q.drain();
    expect(settled).toEqual({
      delivered: true,
      // Refused for good: a successor must not send it again either.
      rejected: true,
      parked: false,
      'behind-parked': false,
      'in-flight-at-close': false,
      refused: false,
    });
  });
});
