import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/des/index.js';
import { DeadlineQueue } from '../../src/mesh/deadline-queue.js';

/** Runs a random script of adds and removes against the queue and a plain list of deadlines. */
function replay(ops: readonly { gapMs: number; removeAgo: number }[], delayMs: number) {
  const engine = new Engine(64);
  const expired: { item: number; at: number }[] = [];
  const queue = new DeadlineQueue<number>(
    engine,
    delayMs,
    (item) => expired.push({ item, at: engine.now }),
    16,
  );
  const tickets: number[] = [];
  const addedAt: number[] = [];
  const removed = new Set<number>();
  let t = 0;
  let maxSpan = 0;
  for (const [i, op] of ops.entries()) {
    t += op.gapMs;
    engine.scheduleAt(
      t,
      () => {
        addedAt.push(engine.now);
        tickets.push(queue.add(i));
        maxSpan = Math.max(maxSpan, queue.span);
        // Finish an earlier item (a request answered before its timeout), unless it has expired.
        const j = i - op.removeAgo;
        if (op.removeAgo > 0 && j >= 0 && !expired.some((e) => e.item === j)) {
          queue.remove(tickets[j] as number);
          removed.add(j);
        }
      },
      undefined,
    );
  }
  engine.run();
  const expected = addedAt
    .map((at, item) => ({ item, at: at + delayMs }))
    .filter((e) => !removed.has(e.item));
  return { expired, expected, maxSpan };
}

describe('mesh/deadline-queue', () => {
  it('every item not removed expires exactly at its deadline, in the order added; removed ones never', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ gapMs: fc.integer({ min: 0, max: 30 }), removeAgo: fc.integer({ min: 0, max: 40 }) }),
          { minLength: 1, maxLength: 400 },
        ),
        fc.integer({ min: 1, max: 200 }),
        (ops, delayMs) => {
          const { expired, expected } = replay(ops, delayMs);
          expect(expired).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finished items at the front leave the ring as new ones come: it spans only what still waits', () => {
    // 10,000 requests, each answered 5 ms after the next one starts, with a 60 s timeout: the ring must
    // stay at a few slots instead of holding all 10,000 until their deadlines.
    const ops = Array.from({ length: 10_000 }, () => ({ gapMs: 1, removeAgo: 1 }));
    const { expired, expected, maxSpan } = replay(ops, 60_000);
    expect(expired).toEqual(expected);
    expect(expected).toHaveLength(1); // only the last one is never answered
    expect(maxSpan).toBeLessThanOrEqual(3);
  });

  it('a request that never finishes holds the ring open behind it, and it grows without losing items', () => {
    // Item 0 is never removed, so every later slot stays between it and the newest item.
    const ops = Array.from({ length: 5_000 }, (_, i) => ({ gapMs: 1, removeAgo: i > 1 ? 1 : 0 }));
    const { expired, expected, maxSpan } = replay(ops, 60_000);
    expect(expired).toEqual(expected);
    expect(maxSpan).toBe(5_000);
  });

  it('remove() of a ticket never given out throws', () => {
    const engine = new Engine(16);
    const queue = new DeadlineQueue<string>(engine, 10, () => undefined);
    const t = queue.add('a');
    expect(() => queue.remove(t + 1)).toThrow(/never given out/);
  });
});
