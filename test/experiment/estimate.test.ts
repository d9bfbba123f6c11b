import { describe, expect, it } from 'vitest';
import { estimate, pairedDifference } from '../../src/experiment/index.js';
import { tQuantile } from '../../src/metrics/index.js';

describe('experiment/estimate', () => {
  it('estimate([1, 2, 3, 4], 6) is the mean with a Student-t interval on 3 degrees of freedom', () => {
    const half = (tQuantile(0.975, 3) * Math.sqrt(5 / 3)) / 2;
    const e = estimate([1, 2, 3, 4], 6);
    expect(e?.mean).toBe(2.5);
    expect(e?.n).toBe(4);
    expect(e?.ci95[0]).toBeCloseTo(2.5 - half, 6);
    expect(e?.ci95[1]).toBeCloseTo(2.5 + half, 6);
  });

  it('estimate() skips unmeasured replications and is null below two values', () => {
    expect(estimate([1, null, 3, undefined], 3)?.n).toBe(2);
    expect(estimate([5, null], 3)).toBeNull();
    expect(estimate([], 3)).toBeNull();
    expect(estimate([0.25, 0.25, 0.25], 8)).toEqual({ mean: 0.25, ci95: [0.25, 0.25], n: 3 });
  });

  it("estimate(values, 8, 'fraction') clips the interval to [0, 1]; the mean is untouched", () => {
    const e = estimate([1, 1, 0.999], 8, 'fraction');
    expect(e?.ci95[1]).toBe(1);
    expect(e?.mean).toBeCloseTo(0.99966667, 8);
    expect(estimate([0, 0, 0.5], 8)?.ci95[0]).toBe(0);
  });

  it('pairedDifference(a, b) takes a[k] - b[k] over replications both measured, significant when 0 is outside', () => {
    const d = pairedDifference([10, 20, 30, null], [9, 19.1, 28.9, 5]);
    expect(d?.n).toBe(3);
    expect(d?.mean).toBeCloseTo(1, 12);
    expect(d?.significant).toBe(true);
    expect(pairedDifference([1, 2, 3], [1.5, 1.5, 3])?.significant).toBe(false);
    expect(pairedDifference([2, 2], [1, 1])).toMatchObject({ mean: 1, lo: 1, hi: 1, significant: true });
    expect(pairedDifference([1, 1], [1, 1])?.significant).toBe(false);
    expect(pairedDifference([1, null], [1, 2])).toBeUndefined();
  });

  it('pairedDifference(a, b, resolution) calls no difference within the resolution, however narrow the interval', () => {
    // Percentiles from 1% buckets: every replication of a at 100 ms, of b one bucket up at 101.5 ms.
    const a = [100, 100, 100];
    const b = [101.5, 101.5, 101.5];
    expect(pairedDifference(a, b)).toMatchObject({ significant: true, belowResolution: false });
    // |mean| 1.5 against 2% of the larger value (101.5 x 0.02 = 2.03): below the resolution.
    expect(pairedDifference(a, b, 0.02)).toMatchObject({
      mean: -1.5,
      significant: false,
      belowResolution: true,
    });
    // 3 ms apart is past 2% of 103 ms (2.06): a difference again.
    expect(pairedDifference(a, [103, 103, 103], 0.02)).toMatchObject({
      significant: true,
      belowResolution: false,
    });
    // An interval spanning 0 is not significant and not "below resolution" either.
    expect(pairedDifference([1, 2, 3], [1.5, 1.5, 3], 0.02)).toMatchObject({
      significant: false,
      belowResolution: false,
    });
  });
});
