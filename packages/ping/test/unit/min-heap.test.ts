import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../src/min-heap.ts';

describe('MinHeap', () => {
  it('pops items in key order, with pushes interleaved', () => {
    const heap = new MinHeap<number>((n) => n);
    const popped: number[] = [];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) % 1000;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 20; i++) heap.push(random());
      for (let i = 0; i < 10; i++) popped.push(heap.pop() as number);
      // Everything popped in one round is in order.
      expect(popped.slice(-10)).toEqual([...popped.slice(-10)].sort((a, b) => a - b));
    }
    expect(heap.size).toBe(500);
    const rest: number[] = [];
    while (heap.size > 0) rest.push(heap.pop() as number);
    expect(rest).toEqual([...rest].sort((a, b) => a - b));
    expect(heap.pop()).toBeUndefined();
  });

  it('rebuilds from a list in one go', () => {
    const heap = new MinHeap<{ at: number }>((item) => item.at);
    heap.reset([5, 3, 9, 1, 7, 2].map((at) => ({ at })));
    expect(heap.peek()).toEqual({ at: 1 });
    const order: number[] = [];
    while (heap.size > 0) order.push((heap.pop() as { at: number }).at);
    expect(order).toEqual([1, 2, 3, 5, 7, 9]);
  });
});
