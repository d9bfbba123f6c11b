import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue, type PoppedEvent } from '../../src/des/index.js';

/**
 * The event set (heap while small, calendar queue while large) against the plainest possible reference: a list scanned for its minimum by (time,
 * priority, scheduling order). Times mix the shapes a mesh produces (many close together, ties, a few hours
 * ahead, never), so resizes, width re-estimates and the year-long direct search are all exercised.
 */
interface Pending {
  readonly time: number;
  readonly priority: number;
  readonly seq: number;
  readonly id: number;
}

class Reference {
  readonly pending: Pending[] = [];
  private seq = 0;
  push(time: number, priority: number, id: number): void {
    this.pending.push({ time, priority, seq: this.seq++, id });
  }
  pop(): Pending | undefined {
    let best = -1;
    for (let i = 0; i < this.pending.length; i++) {
      const p = this.pending[i] as Pending;
      const b = this.pending[best];
      if (
        b === undefined ||
        p.time < b.time ||
        (p.time === b.time && (p.priority < b.priority || (p.priority === b.priority && p.seq < b.seq)))
      )
        best = i;
    }
    return best < 0 ? undefined : this.pending.splice(best, 1)[0];
  }
  cancel(id: number): boolean {
    const i = this.pending.findIndex((p) => p.id === id);
    if (i < 0) return false;
    this.pending.splice(i, 1);
    return true;
  }
}

const popped = (): PoppedEvent => ({ time: 0, handler: () => undefined, data: undefined });

type Op =
  | { kind: 'push'; gap: number; priority: number }
  | { kind: 'pop' }
  | { kind: 'peek' }
  | { kind: 'cancel'; pick: number };

const gap = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: 0, max: 5, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(0, 1, 2.5) },
  { weight: 1, arbitrary: fc.double({ min: 1e6, max: 1e8, noNaN: true }) },
  // Around the far boundary (FAR_AHEAD = 60 s ahead, brought near at 30 s): pops move the clock across it.
  { weight: 1, arbitrary: fc.double({ min: 2e4, max: 1.2e5, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(Infinity) },
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('push' as const),
      gap,
      priority: fc.integer({ min: 0, max: 2 }),
    }),
  },
  { weight: 4, arbitrary: fc.constant({ kind: 'pop' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'peek' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
);

/** Replays `ops` on both; pushes are at `now + gap`, as an engine schedules them. */
function replay(ops: readonly Op[]): void {
  const queue = new EventQueue(16);
  const reference = new Reference();
  const ids = new Map<number, number>();
  const visit = popped();
  let now = 0;
  let next = 0;
  for (const o of ops) {
    if (o.kind === 'push') {
      const id = next++;
      const time = now + o.gap;
      ids.set(
        id,
        queue.push(time, o.priority, () => undefined, id),
      );
      reference.push(time, o.priority, id);
    } else if (o.kind === 'pop') {
      const expected = reference.pop();
      expect(queue.popInto(visit)).toBe(expected !== undefined);
      if (expected === undefined) continue;
      if (visit.data !== expected.id || visit.time !== expected.time)
        expect([visit.data, visit.time]).toEqual([expected.id, expected.time]);
      ids.delete(expected.id);
      if (expected.time < Infinity) now = expected.time;
    } else if (o.kind === 'peek') {
      const first = [...reference.pending].sort(
        (a, b) => a.time - b.time || a.priority - b.priority || a.seq - b.seq,
      )[0];
      expect(queue.peekTime()).toBe(first?.time ?? Infinity);
    } else {
      const live = [...ids.keys()];
      const victim = live[o.pick % Math.max(1, live.length)];
      if (victim === undefined) continue;
      expect(queue.cancel(ids.get(victim) as number)).toBe(reference.cancel(victim));
      // A second cancel of the same id is refused, even after its slot is reused.
      expect(queue.cancel(ids.get(victim) as number)).toBe(false);
      ids.delete(victim);
    }
    if (queue.size !== reference.pending.length) expect(queue.size).toBe(reference.pending.length);
  }
  for (let e = reference.pop(); e !== undefined; e = reference.pop()) {
    expect(queue.popInto(visit)).toBe(true);
    expect(visit.data).toBe(e.id);
  }
  expect(queue.popInto(visit)).toBe(false);
}

describe('des/event-queue', () => {
  // Starting sizes put the random operations in the heap layout, across the switch to the calendar
  // (TO_CALENDAR = 128) and back (TO_HEAP = 32), and in the calendar layout.
  it.each([0, 100, 300])(
    'property: after %i pushes, any mix of pushes, pops, peeks and cancels comes out in reference order',
    (start) => {
      const prefill = Array.from({ length: start }, (_, i): Op => ({
        kind: 'push',
        gap: (i * 7919) % 50,
        priority: 1,
      }));
      fc.assert(
        fc.property(fc.array(op, { maxLength: 600 }), (ops) => replay([...prefill, ...ops])),
        { numRuns: 150 },
      );
    },
  );

  it('stays exact through growth, shrinking and width re-estimates as the event density changes', () => {
    // A steady 200 pending whose spacing jumps a million-fold between phases (the size stays, so only the
    // width re-estimate adapts), each phase longer than TUNE_EVERY operations; then bursts that grow and
    // shrink the calendar; hours-ahead events sit in it all along.
    const ops: Op[] = [];
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const push = (spread: number, priority = 1): void => {
      ops.push({ kind: 'push', gap: rnd() * spread, priority });
    };
    for (let i = 0; i < 200; i++) push(0.2);
    for (let i = 0; i < 20; i++) push(3.6e6 * (1 + rnd()));
    for (const spread of [0.2, 2e5, 0.2, 200]) {
      for (let i = 0; i < 9_000; i++) {
        ops.push({ kind: 'pop' });
        push(spread, i % 3);
        if (i % 97 === 0) {
          ops.push({ kind: 'cancel', pick: i });
          push(spread);
        }
      }
    }
    for (const burst of [600, 40, 2000]) {
      for (let i = 0; i < burst; i++) push(burst);
      for (let i = 0; i < burst; i++) ops.push({ kind: 'pop' });
    }
    replay(ops);
  });

  it('cancels by id across both switches of layout', () => {
    // Grow into the calendar, cancel there, shrink back into the heap, cancel there, and grow again.
    const push = (n: number): Op[] =>
      Array.from({ length: n }, (_, i): Op => ({ kind: 'push', gap: (i * 37) % 11, priority: i % 3 }));
    const pop = (n: number): Op[] => Array.from({ length: n }, (): Op => ({ kind: 'pop' }));
    const cancel = (n: number): Op[] =>
      Array.from({ length: n }, (_, i): Op => ({ kind: 'cancel', pick: 13 * i }));
    replay([
      ...push(200),
      ...cancel(10),
      ...pop(165),
      ...cancel(10),
      ...push(150),
      ...cancel(10),
      ...pop(100),
    ]);
  });

  it('after a peek moved the scan ahead, an earlier event pushed then still comes out first', () => {
    // Engine.run(until) peeks at the next event and stops; the model may then schedule before it.
    const queue = new EventQueue(16);
    queue.push(1000, 1, () => undefined, 'late');
    expect(queue.peekTime()).toBe(1000);
    queue.push(3, 1, () => undefined, 'early');
    const visit = popped();
    queue.popInto(visit);
    expect(visit.data).toBe('early');
    queue.popInto(visit);
    expect(visit.data).toBe('late');
  });

  it('far timers (hours ahead, as certificate rotations) come out in reference order, cancels included, as the clock reaches them', () => {
    // 300 rotations spread over 12-24 h, a steady stream of near events whose clock walks past many of them
    // (each pop of a near event pushes the next, 0-50 ms on), cancels of near and far events, then a drain.
    let state = 7;
    const rnd = (): number => {
      state = (state * 48271) % 2147483647;
      return state / 2147483647;
    };
    const ops: Op[] = [];
    for (let i = 0; i < 300; i++) ops.push({ kind: 'push', gap: 4.32e7 * (1 + rnd()), priority: 1 });
    for (let i = 0; i < 100; i++) ops.push({ kind: 'push', gap: 50 * rnd(), priority: i % 3 });
    for (let i = 0; i < 20_000; i++) {
      ops.push({ kind: 'pop' });
      ops.push({ kind: 'push', gap: i % 1000 === 0 ? 3.6e6 * rnd() : 50 * rnd(), priority: i % 3 });
      if (i % 501 === 0) ops.push({ kind: 'cancel', pick: i });
      if (i % 777 === 0) ops.push({ kind: 'peek' });
    }
    replay(ops);
  });
});

describe('des/event-queue far events', () => {
  const noop = (): undefined => undefined;
  // FAR_AHEAD is 60 s: an event more than that past the front is far, and comes near once the front is
  // within 30 s of it.
  const rnd = ((state) => (): number => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  })(11);

  it('hold no near slots: with 50,000 rotations pending, the near storage stays at the near events', () => {
    const queue = new EventQueue(16);
    for (let i = 0; i < 50_000; i++) queue.push(4.32e7 * (1 + rnd()), 1, noop, i);
    const visit = popped();
    let now = 0;
    for (let i = 0; i < 500; i++) queue.push(50 * rnd(), 1, noop, i);
    for (let i = 0; i < 100_000; i++) {
      queue.popInto(visit);
      now = visit.time;
      queue.push(now + 50 * rnd(), 1, noop, i);
    }
    expect(queue.size).toBe(50_500);
    // 500 near events pending throughout; the arrays hand out slots up to the most pending at once.
    expect(queue.nearSlots).toBe(500);
    expect(now).toBeLessThan(4.32e7);
  });

  it("a far event's first id cancels it after it came near, and is refused once it has left", () => {
    const queue = new EventQueue(16);
    const visit = popped();
    const far = queue.push(200_000, 1, noop, 'far');
    const farFired = queue.push(210_000, 1, noop, 'fired');
    const farCancelled = queue.push(220_000, 1, noop, 'cancelled');
    expect(queue.cancel(farCancelled)).toBe(true);
    expect(queue.cancel(farCancelled)).toBe(false);
    // Near events walk the clock to 180 s: both remaining far events come near on the way.
    for (let t = 0; t <= 180_000; t += 1000) queue.push(t, 1, noop, t);
    for (let t = 0; t <= 180_000; t += 1000) {
      expect(queue.popInto(visit)).toBe(true);
      expect(visit.data).toBe(t);
    }
    expect(queue.cancel(far)).toBe(true);
    expect(queue.cancel(far)).toBe(false);
    expect(queue.popInto(visit)).toBe(true);
    expect(visit.data).toBe('fired');
    expect(queue.cancel(farFired)).toBe(false);
    expect(queue.popInto(visit)).toBe(false);
  });

  it('first ids still cancel after thousands of crossings (the forwarding records are swept, not lost)', () => {
    // 4,000 far events 100 ms apart from 1,000 s on; near events walk the clock through them, so they come
    // near a batch at a time (over 1,024 records: sweeps). Every 5 s, cancel one due 20 s ahead (near by
    // now, still pending) and one due 20 s back (fired).
    const queue = new EventQueue(16);
    const visit = popped();
    const ids = Array.from({ length: 4000 }, (_, i) => queue.push(1e6 + 100 * i, 1, noop, i));
    const cancelled = new Set<number>();
    for (let t = 0; t < 1e6 + 410_000; t += 50) queue.push(t + 25, 1, noop, -1);
    let checks = 0;
    while (queue.popInto(visit)) {
      if (visit.data !== -1) {
        expect(cancelled.has(visit.data as number)).toBe(false);
        continue;
      }
      const t = visit.time - 25;
      if (t < 1e6 + 20_000 || t % 5000 !== 0 || t > 1e6 + 375_000) continue;
      const ahead = (t + 20_000 - 1e6) / 100;
      const behind = (t - 20_000 - 1e6) / 100;
      expect(queue.cancel(ids[ahead] as number)).toBe(true);
      cancelled.add(ahead);
      expect(queue.cancel(ids[behind] as number)).toBe(false);
      checks++;
    }
    expect(checks).toBe((375_000 - 20_000) / 5000 + 1); // every 5 s from 1e6 + 20 s to 1e6 + 375 s
  });

  it('property: far events crossing to near, cancels of far, crossed, fired and cancelled ids, in reference order', () => {
    // Gaps straddle the far boundary, so the clock crosses it often; more than 1,024 crossings in a run
    // drive the sweep of forwarded ids. Each cancel names any id ever issued (pending or not).
    const step = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant('push' as const),
          gap: fc.double({ min: 0, max: 2e5, noNaN: true }),
          priority: fc.integer({ min: 0, max: 2 }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('push' as const),
          gap: fc.constantFrom(0, 30_000, 60_000, 90_000),
          priority: fc.integer({ min: 0, max: 2 }),
        }),
      },
      { weight: 4, arbitrary: fc.constant({ kind: 'pop' as const }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 200, maxLength: 3000 }), (steps) => {
        const queue = new EventQueue(16);
        const reference = new Reference();
        const issued: number[] = [];
        const visit = popped();
        let now = 0;
        for (const s of steps) {
          if (s.kind === 'push') {
            const n = issued.length;
            issued.push(queue.push(now + s.gap, s.priority, noop, n));
            reference.push(now + s.gap, s.priority, n);
          } else if (s.kind === 'pop') {
            const expected = reference.pop();
            expect(queue.popInto(visit)).toBe(expected !== undefined);
            if (expected === undefined) continue;
            if (visit.data !== expected.id) expect(visit.data).toBe(expected.id);
            now = expected.time;
          } else if (issued.length > 0) {
            const n = s.pick % issued.length;
            expect(queue.cancel(issued[n] as number)).toBe(reference.cancel(n));
          }
        }
        for (let e = reference.pop(); e !== undefined; e = reference.pop()) {
          expect(queue.popInto(visit)).toBe(true);
          expect(visit.data).toBe(e.id);
        }
        expect(queue.popInto(visit)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});

describe('des/event-queue calendar width', () => {
  it('follows the events when they grow 3x denser at the same count (walks too short to trigger a re-estimate)', () => {
    // 600 pending, each pop pushes the next at now + U(0, 2 * gap): gaps of `gap` between events. The width
    // is private: read through a cast, as it is the only visible trace of the re-estimate (order never is).
    const queue = new EventQueue(16);
    const width = (): number => 1 / (queue as unknown as { invWidth: number }).invWidth;
    let state = 5;
    const rnd = (): number => {
      state = (state * 48271) % 2147483647;
      return state / 2147483647;
    };
    const visit = popped();
    const churn = (gap: number, n: number): void => {
      for (let i = 0; i < n; i++) {
        queue.popInto(visit);
        queue.push(visit.time + 2 * gap * 600 * rnd(), 1, () => undefined, i);
      }
    };
    for (let i = 0; i < 600; i++) queue.push(2 * 600 * rnd(), 1, () => undefined, i);
    churn(1, 40_000);
    const sparse = width();
    expect(sparse).toBeGreaterThan(1.5);
    expect(sparse).toBeLessThan(6);
    churn(1 / 3, 80_000);
    expect(width()).toBeLessThan(sparse / 1.5);
  });
});
