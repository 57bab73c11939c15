import { describe, expect, it } from 'vitest';
import { collectAfterLoad } from '../../src/heap.ts';

/** About 20 MB that is garbage as soon as this returns. */
function makeGarbage(): number {
  return Array.from({ length: 200_000 }, (_, i) => ({ i, text: `entry ${i}` })).length;
}

describe('collectAfterLoad', () => {
  it("runs a full collection through V8's gc function on this Node version", () => {
    const before = process.memoryUsage().heapUsed;
    expect(makeGarbage()).toBe(200_000);
    expect(() => collectAfterLoad(10_000)).not.toThrow();
    expect(process.memoryUsage().heapUsed).toBeLessThan(before + 5 * 2 ** 20);
  });
});
