import { describe, expect, it } from 'vitest';
import { DeliveredVersion } from '../../src/delivered-version.ts';

/** One read position with `count` queued events; returns their settle callbacks. */
function position(delivered: DeliveredVersion, version: string | undefined, count: number) {
  const batch = delivered.open();
  const settles = Array.from({ length: count }, () => batch.track());
  delivered.seal(batch, version);
  return settles;
}

describe('DeliveredVersion', () => {
  it('starts where the previous leader left off, or knows nothing', () => {
    expect(new DeliveredVersion('17').version).toBe('17');
    expect(new DeliveredVersion().version).toBeUndefined();
  });

  it('advances only over a prefix of delivered positions, whatever order deliveries finish in', () => {
    const delivered = new DeliveredVersion('10');
    const [a] = position(delivered, '11', 1);
    const [b1, b2] = position(delivered, '12', 2);
    const [c] = position(delivered, '13', 1);
    c?.(true);
    b1?.(true);
    expect(delivered.version).toBe('10');
    a?.(true);
    expect(delivered.version).toBe('11');
    b2?.(true);
    expect(delivered.version).toBe('13');
  });

  it('moves at once over positions with nothing to deliver, and folds them into a pending one', () => {
    const delivered = new DeliveredVersion();
    delivered.reached('5');
    expect(delivered.version).toBe('5');
    position(delivered, '6', 0);
    expect(delivered.version).toBe('6');
    const [held] = position(delivered, '7', 1);
    delivered.reached('8');
    delivered.reached('9');
    expect(delivered.version).toBe('6');
    held?.(true);
    expect(delivered.version).toBe('9');
  });

  it('never passes an event that was not delivered (given up at shutdown)', () => {
    const delivered = new DeliveredVersion('1');
    const [lost] = position(delivered, '2', 1);
    const [later] = position(delivered, '3', 1);
    later?.(true);
    lost?.(false);
    delivered.reached('4');
    expect(delivered.version).toBe('1');
  });

  it('an event settled before its position is sealed still waits for the seal', () => {
    const delivered = new DeliveredVersion('1');
    const batch = delivered.open();
    batch.track()(true);
    expect(delivered.version).toBe('1');
    delivered.seal(batch, '2');
    expect(delivered.version).toBe('2');
  });

  it('a list cut short (no version) holds back until what it queued is delivered, then lets later ones through', () => {
    const delivered = new DeliveredVersion('1');
    const [partial] = position(delivered, undefined, 1);
    position(delivered, '9', 0);
    expect(delivered.version).toBe('1');
    partial?.(true);
    expect(delivered.version).toBe('9');
  });

  it('a settle callback counts once', () => {
    const delivered = new DeliveredVersion('1');
    const batch = delivered.open();
    const first = batch.track();
    const second = batch.track();
    delivered.seal(batch, '2');
    first(true);
    first(true);
    expect(delivered.version).toBe('1');
    second(true);
    expect(delivered.version).toBe('2');
  });

  it('holds few positions while one event waits for a long redelivery and thousands go through behind it', () => {
    const delivered = new DeliveredVersion('1');
    const [waiting] = position(delivered, '2', 1);
    for (let rv = 3; rv < 10_000; rv++) {
      const [settle] = position(delivered, String(rv), 1);
      if (rv % 7 === 0) delivered.reached(`${rv}-bookmark`);
      settle?.(true);
    }
    expect(delivered.held).toBeLessThanOrEqual(2);
    expect(delivered.version).toBe('1');
    waiting?.(true);
    expect(delivered.version).toBe('9999');
    expect(delivered.held).toBe(0);
  });
});
