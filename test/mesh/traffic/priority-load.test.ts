import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PriorityLoad } from '../../../src/mesh/traffic/priority-load.js';

/** The load fraction per level for one host count: a fresh PriorityLoad's, as the route computes it. */
function priorityLoad(
  healthy: ArrayLike<number>,
  total: ArrayLike<number>,
  panicThreshold: number,
  degraded?: ArrayLike<number>,
): Float64Array {
  const levels = total.length;
  return new PriorityLoad(levels)
    .compute(healthy, total, levels, panicThreshold, degraded)
    .load.slice(0, levels);
}

/** Integer percents of a computed load, as Envoy reports `percentageLoad`. */
function percents(healthy: number[], total: number[], panic = 0, degraded?: number[]) {
  const s = new PriorityLoad(total.length).compute(healthy, total, total.length, panic, degraded);
  return {
    healthy: Array.from(s.healthyPercent.subarray(0, total.length)),
    degraded: Array.from(s.degradedPercent.subarray(0, total.length)),
    panic: Array.from(s.panic.subarray(0, total.length)),
    totalPanic: s.totalPanic,
  };
}

describe('mesh/traffic/priority-load', () => {
  // Envoy "Priority levels" docs, first table: two levels, P=1 100 % healthy (100 hosts per level, so the
  // healthy count is the percent). health(P0) = min(100, ⌊1.4·healthy%⌋).
  it.each([
    [100, 100, 0], // 140 capped at 100
    [72, 100, 0], // ⌊100.8⌋ capped at 100
    [71, 99, 1], // ⌊99.4⌋ = 99, P1 takes the rest
    [50, 70, 30], // 70
    [25, 35, 65], // 35
    [0, 0, 100], // 0: all to P1
  ])('compute() with P0 %i%% healthy and P1 healthy gives %i/%i (Envoy docs table)', (p0, load0, load1) => {
    expect(percents([p0, 100], [100, 100]).healthy).toEqual([load0, load1]);
  });

  // Second docs table: both levels degrade; normalized total = min(100, Σ health).
  it.each([
    [72, 72, 100, 0],
    [71, 71, 99, 1], // 99 + 99 ≥ 100: P0 99, P1 min(1, 99)
    [50, 50, 70, 30],
    [25, 100, 35, 65],
    [25, 25, 50, 50], // 35 + 35 = 70 < 100: ⌊35·100/70⌋ = 50 each
  ])('compute() with P0 %i%% and P1 %i%% healthy gives %i/%i (Envoy docs table)', (p0, p1, l0, l1) => {
    expect(percents([p0, p1], [100, 100]).healthy).toEqual([l0, l1]);
  });

  // Third docs table: three levels.
  it.each([
    [100, 100, 100, [100, 0, 0]],
    [72, 72, 100, [100, 0, 0]],
    [71, 71, 100, [99, 1, 0]],
    [50, 50, 100, [70, 30, 0]],
    [25, 100, 100, [35, 65, 0]],
    [25, 25, 100, [35, 35, 30]],
  ])('compute() with three levels %i/%i/%i %% healthy gives %j (Envoy docs table)', (a, b, c, want) => {
    expect(percents([a, b, c], [100, 100, 100]).healthy).toEqual(want);
  });

  it('compute() with three levels 25/25/20 % healthy gives 37/35/28, Envoy integer arithmetic (docs print 36/36/28)', () => {
    // health 35, 35, 28; normalized 98; ⌊35·100/98⌋ = 35, 35, ⌊28·100/98⌋ = 28; the remainder 2 goes to the
    // first healthy level (load_balancer_impl.cc). The docs table shows the real-valued shares rounded.
    expect(percents([25, 25, 20], [100, 100, 100]).healthy).toEqual([37, 35, 28]);
  });

  it('compute() puts the rounding remainder on P0: three levels 1 of 5 healthy give 34/33/33 (Envoy GentleFailoverWithExtraLevels)', () => {
    // health ⌊140/5⌋ = 28 each, normalized 84, ⌊28·100/84⌋ = 33 each, remainder 1 to P0.
    expect(percents([1, 1, 1], [5, 5, 5]).healthy).toEqual([34, 33, 33]);
  });

  it('compute() with panic threshold 0 and nothing healthy puts 100 % on P0 (Envoy: 503 UH follows)', () => {
    const r = percents([0, 0], [3, 4]);
    expect(r.healthy).toEqual([100, 0]);
    expect(r.panic).toEqual([0, 0]);
  });

  it('compute() in total panic spreads by host count, remainder to the first non-empty level (Envoy test: 37/42/21)', () => {
    // Envoy's panic default 50 %: 0/5, 2/6, 1/3 healthy are all below it; 100·5/14 = 35, 100·6/14 = 42,
    // 100·3/14 = 21; remainder 2 to P0.
    const r = percents([0, 2, 1], [5, 6, 3], 0.5);
    expect(r.totalPanic).toBe(true);
    expect(r.healthy).toEqual([37, 42, 21]);
  });

  it('compute() marks a level in panic only when the normalized total is below 100 (Envoy GentleFailover)', () => {
    // P0 25 % healthy is below 50 % but P1 can take all: no panic.
    expect(percents([1, 2], [4, 2], 0.5).panic).toEqual([0, 0]);
    // 35 + 35 < 100: both levels below 50 % → total panic, loads by host count 50/50.
    const both = percents([1, 1], [4, 4], 0.5);
    expect(both.panic).toEqual([1, 1]);
    expect(both.healthy).toEqual([50, 50]);
  });

  it('compute() spills load into degraded hosts (Envoy test: healthy 0/0/28, degraded 28/44/0)', () => {
    // P0 1/5 degraded → 28; P1 5/5 degraded → 100; P2 1/5 healthy → 28. Normalized 100.
    const r = percents([0, 0, 1], [5, 5, 5], 0.5, [1, 5, 0]);
    expect(r.healthy).toEqual([0, 0, 28]);
    expect(r.degraded).toEqual([28, 44, 0]);
  });

  it('compute() gives the degraded remainder to the first degraded level when none is healthy (Envoy test: 0/67/33)', () => {
    // Panic off; degraded 2/5 → 56, 1/5 → 28; normalized 84; ⌊56·100/84⌋ = 66, ⌊28·100/84⌋ = 33, +1 to P1.
    const r = percents([0, 0, 0], [5, 5, 5], 0, [0, 2, 1]);
    expect(r.healthy).toEqual([0, 0, 0]);
    expect(r.degraded).toEqual([0, 67, 33]);
  });

  it('compute() gives an empty level no load', () => {
    expect(percents([0, 3], [0, 3]).healthy).toEqual([0, 100]);
  });

  it('choosePriority(u) walks the integer loads with hash ⌊100u⌋+1', () => {
    const s = new PriorityLoad(2).compute([50, 100], [100, 100], 2, 0); // 70/30
    expect(s.choosePriority(0)).toBe(0); // hash 1
    expect(s.choosePriority(0.699)).toBe(0); // hash 70
    expect(s.choosePriority(0.7)).toBe(1); // hash 71
    expect(s.choosePriority(0.999)).toBe(1);
  });

  it('choosePriority(u) reports a degraded pick', () => {
    const s = new PriorityLoad(3).compute([0, 0, 1], [5, 5, 5], 3, 0.5, [1, 5, 0]); // healthy 0/0/28, degraded 28/44/0
    expect(s.choosePriority(0.1)).toBe(2);
    expect(s.pickedDegraded).toBe(false);
    expect(s.choosePriority(0.3)).toBe(0); // hash 31: 28 healthy + 3 into P0's degraded
    expect(s.pickedDegraded).toBe(true);
  });

  it('excludeLevels([1, 0]) moves the load of the tried level away (previous_priorities)', () => {
    const base = new PriorityLoad(2).compute([50, 100], [100, 100], 2, 0); // 70/30
    const retry = new PriorityLoad(2).copyFrom(base);
    expect(retry.excludeLevels(Uint8Array.of(1, 0))).toBe(true);
    expect(Array.from(retry.healthyPercent)).toEqual([0, 100]);
    expect(Array.from(base.healthyPercent)).toEqual([70, 30]);
    expect(retry.excludeLevels(Uint8Array.of(1, 1))).toBe(false);
  });

  it('priorityLoad(healthy, total) returns fractions', () => {
    expect(Array.from(priorityLoad([50, 100], [100, 100], 0))).toEqual([0.7, 0.3]);
  });

  it('priorityLoad() loads lie in [0, 1] and sum to 1 (property)', () => {
    const level = fc.tuple(fc.nat(50), fc.nat(50)).map(([h, extra]) => ({ healthy: h, total: h + extra }));
    fc.assert(
      fc.property(
        fc.array(level, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(0, 0.5, 1),
        (levels, panic) => {
          const load = priorityLoad(
            levels.map((l) => l.healthy),
            levels.map((l) => l.total),
            panic,
          );
          let sum = 0;
          for (const x of load) {
            expect(x).toBeGreaterThanOrEqual(0);
            expect(x).toBeLessThanOrEqual(1);
            sum += x;
          }
          expect(sum).toBeCloseTo(1, 12);
        },
      ),
    );
  });

  it('priorityLoad() gives no load to a level without healthy hosts while any host is healthy (panic off)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(10), fc.nat(10)), { minLength: 1, maxLength: 5 }), (pairs) => {
        const healthy = pairs.map(([h]) => h);
        const total = pairs.map(([h, e]) => h + e);
        fc.pre(healthy.some((h, i) => h > 0 && (total[i] as number) > 0));
        const load = priorityLoad(healthy, total, 0);
        load.forEach((x, i) => {
          if (healthy[i] === 0) expect(x).toBe(0);
        });
      }),
    );
  });
});
