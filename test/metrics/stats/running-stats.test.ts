import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mean, sampleVariance } from 'simple-statistics';
import { RunningStats } from '../../../src/metrics/stats/index.js';

// Magnitudes below 1e-100 become 0 so that squares stay normal doubles: a subnormal square keeps too few
// bits for any relative comparison, in either implementation.
const value = fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => (Math.abs(x) < 1e-100 ? 0 : x));
const values = fc.array(value, { minLength: 2, maxLength: 300 });

function accumulate(xs: readonly number[]): RunningStats {
  const stats = new RunningStats();
  for (const x of xs) stats.add(x);
  return stats;
}

function maxAbs(xs: readonly number[]): number {
  return xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
}

/**
 * Relative 1e-9, with a floor at the rounding level of the inputs: when the mean (or the spread) cancels
 * to nearly zero, both algorithms only agree up to a few ulps of max|x| (of max|x|² for the variance).
 */
function expectClose(actual: number | undefined, expected: number, floor: number): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual ?? NaN) - expected)).toBeLessThanOrEqual(
    1e-9 * Math.max(Math.abs(expected), floor),
  );
}

describe('metrics/stats/running-stats', () => {
  it("mean and variance match simple-statistics' mean and sampleVariance (relative 1e-9)", () => {
    fc.assert(
      fc.property(values, (xs) => {
        const stats = accumulate(xs);
        const scale = maxAbs(xs);
        expect(stats.count).toBe(xs.length);
        expectClose(stats.mean, mean(xs), scale * 1e-6);
        expectClose(stats.variance, sampleVariance(xs), scale * scale * 1e-6);
        expectClose(stats.stddev, Math.sqrt(sampleVariance(xs)), scale * 1e-3);
        expect(stats.min).toBe(Math.min(...xs));
        expect(stats.max).toBe(Math.max(...xs));
      }),
      { numRuns: 1000 },
    );
  });

  it('merge(other) equals adding the same values sequentially', () => {
    fc.assert(
      fc.property(values, fc.nat(), (xs, cut) => {
        const at = cut % (xs.length + 1);
        const left = accumulate(xs.slice(0, at));
        left.merge(accumulate(xs.slice(at)));
        const sequential = accumulate(xs);
        const scale = maxAbs(xs);
        expect(left.count).toBe(sequential.count);
        expect(left.min).toBe(sequential.min);
        expect(left.max).toBe(sequential.max);
        expectClose(left.mean, sequential.mean ?? NaN, scale * 1e-6);
        expectClose(left.variance, sequential.variance ?? NaN, scale * scale * 1e-6);
      }),
      { numRuns: 1000 },
    );
  });

  it('mean, variance, stddev, min and max are undefined until enough values are added', () => {
    const stats = new RunningStats();
    expect(stats.count).toBe(0);
    expect(stats.mean).toBeUndefined();
    expect(stats.variance).toBeUndefined();
    expect(stats.stddev).toBeUndefined();
    expect(stats.min).toBeUndefined();
    expect(stats.max).toBeUndefined();
    stats.add(3);
    expect(stats.mean).toBe(3);
    expect(stats.variance).toBeUndefined();
    expect(stats.min).toBe(3);
    stats.add(5);
    expect(stats.mean).toBe(4);
    expect(stats.variance).toBe(2);
  });

  it('variance stays accurate for a large mean with a small spread (no catastrophic cancellation)', () => {
    const stats = accumulate([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);
    expect(stats.variance).toBe(30);
  });

  it('merge(empty) and empty.merge(other) are no-ops apart from adopting the other side', () => {
    const stats = accumulate([1, 2, 3]);
    stats.merge(new RunningStats());
    expect(stats.toJSON()).toEqual(accumulate([1, 2, 3]).toJSON());
    const empty = new RunningStats();
    empty.merge(stats);
    expect(empty.toJSON()).toEqual(stats.toJSON());
  });

  it('add(NaN) and add(Infinity) throw a RangeError', () => {
    const stats = new RunningStats();
    expect(() => stats.add(NaN)).toThrow(RangeError);
    expect(() => stats.add(-Infinity)).toThrow(RangeError);
    expect(stats.count).toBe(0);
  });

  it('fromJSON(toJSON()) round-trips through JSON.stringify and structuredClone', () => {
    const stats = accumulate([2, 4, 4, 4, 5, 5, 7, 9]);
    for (const data of [JSON.parse(JSON.stringify(stats)), structuredClone(stats.toJSON())]) {
      const restored = RunningStats.fromJSON(data);
      expect(restored.toJSON()).toEqual(stats.toJSON());
      expect(restored.variance).toBe(stats.variance);
    }
    const empty = RunningStats.fromJSON(JSON.parse(JSON.stringify(new RunningStats())));
    expect(empty.mean).toBeUndefined();
    expect(empty.min).toBeUndefined();
    expect(() => RunningStats.fromJSON({ count: 2, mean: 1, m2: 0 })).toThrow(RangeError);
    expect(() => RunningStats.fromJSON({ count: 2, mean: 1, m2: -1, min: 1, max: 1 })).toThrow(RangeError);
  });
});
