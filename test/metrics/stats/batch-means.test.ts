import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { batchMeansStandardError } from '../../../src/metrics/stats/index.js';

function standardNormal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

describe('metrics/stats/batch-means', () => {
  it('batchMeansStandardError(sums, equal counts) equals sd(batch means)/sqrt(b) on i.i.d. batches', () => {
    const rng = seedrandom('fixed-seed');
    const b = 20;
    const perBatch = 50;
    const sums: number[] = [];
    for (let i = 0; i < b; i++) {
      let s = 0;
      for (let j = 0; j < perBatch; j++) s += 10 + 2 * standardNormal(rng);
      sums.push(s);
    }
    const means = sums.map((s) => s / perBatch);
    const expected = sampleStandardDeviation(means) / Math.sqrt(b);
    const se = batchMeansStandardError(sums, new Array<number>(b).fill(perBatch));
    expect(Math.abs((se ?? NaN) - expected)).toBeLessThanOrEqual(1e-12 * expected);
    // i.i.d. normal(10, 2): the true standard error of the mean of 1000 values is 2/√1000 ≈ 0.063.
    expect(se).toBeGreaterThan(0.063 * 0.6);
    expect(se).toBeLessThan(0.063 * 1.4);
  });

  it('batchMeansStandardError(sums, equal counts) equals sd(batch means)/sqrt(b) for any batch means', () => {
    fc.assert(
      fc.property(
        // Magnitudes below 1e-100 become 0 so that squares stay normal doubles (subnormals lose relative precision).
        fc.array(
          fc.double({ min: -1e3, max: 1e3, noNaN: true }).map((x) => (Math.abs(x) < 1e-100 ? 0 : x)),
          { minLength: 2, maxLength: 50 },
        ),
        fc.integer({ min: 1, max: 1000 }),
        (means, perBatch) => {
          const sums = means.map((m) => m * perBatch);
          const se = batchMeansStandardError(sums, new Array<number>(means.length).fill(perBatch));
          const expected = sampleStandardDeviation(means) / Math.sqrt(means.length);
          // Relative 1e-9, floored at the rounding level of the inputs: nearly equal means cancel down to
          // a few ulps of max|mean| in both formulas.
          const floor = 1e-6 * Math.max(...means.map(Math.abs));
          expect(Math.abs((se ?? NaN) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(expected, floor));
        },
      ),
    );
  });

  it('batchMeansStandardError(sums, counts) skips batches with a zero count', () => {
    const withEmpty = batchMeansStandardError([10, 0, 30, 0, 25], [5, 0, 10, 0, 8]);
    const without = batchMeansStandardError([10, 30, 25], [5, 10, 8]);
    expect(withEmpty).toBe(without);
  });

  it('batchMeansStandardError(sums, counts) uses the ratio estimator for unequal counts', () => {
    // m = (10 + 30) / (5 + 10) = 8/3; residuals 10 − 5m = −10/3 and 30 − 10m = 10/3;
    // SE² = 2/1 · (100/9 + 100/9) / 15² = (400/9) / 225, so SE = (20/3) / 15 = 4/9.
    expect(batchMeansStandardError([10, 30], [5, 10])).toBeCloseTo(4 / 9, 14);
  });

  it('batchMeansStandardError(sums, counts) is undefined for fewer than 2 non-empty batches', () => {
    expect(batchMeansStandardError([], [])).toBeUndefined();
    expect(batchMeansStandardError([5], [2])).toBeUndefined();
    expect(batchMeansStandardError([5, 0], [2, 0])).toBeUndefined();
  });

  it('batchMeansStandardError(sums, counts) throws a RangeError on mismatched or invalid input', () => {
    expect(() => batchMeansStandardError([1, 2], [1])).toThrow(RangeError);
    expect(() => batchMeansStandardError([1, 2], [1, -1])).toThrow(RangeError);
    expect(() => batchMeansStandardError([1, NaN], [1, 1])).toThrow(RangeError);
  });

  it('batchMeansStandardError on an AR(1) series tracks the true SE while s/√n underestimates it', () => {
    // x_t = φ·x_{t−1} + e_t with φ = 0.9 and e_t ~ N(0, 1): stationary variance σ² = 1/(1 − φ²), and
    // Var(mean of n) ≈ σ²/n · (1 + φ)/(1 − φ) for n much larger than the correlation time 1/(1 − φ).
    const phi = 0.9;
    const n = 200_000;
    const b = 40;
    const perBatch = n / b;
    const rng = seedrandom('fixed-seed');
    const xs = new Array<number>(n);
    let x = standardNormal(rng) / Math.sqrt(1 - phi * phi);
    const sums = new Array<number>(b).fill(0);
    for (let t = 0; t < n; t++) {
      x = phi * x + standardNormal(rng);
      xs[t] = x;
      const batch = Math.floor(t / perBatch);
      sums[batch] = (sums[batch] ?? 0) + x;
    }
    const sigma2 = 1 / (1 - phi * phi);
    const trueSe = Math.sqrt(((sigma2 / n) * (1 + phi)) / (1 - phi));
    const naiveSe = sampleStandardDeviation(xs) / Math.sqrt(n);
    const se = batchMeansStandardError(sums, new Array<number>(b).fill(perBatch)) ?? NaN;
    // With 40 batches the SE estimate itself has a relative spread near 1/√(2·39) ≈ 11%.
    expect(se / trueSe).toBeGreaterThan(0.65);
    expect(se / trueSe).toBeLessThan(1.35);
    // The naive estimate misses the factor √((1 + φ)/(1 − φ)) = √19 ≈ 4.4.
    expect(naiveSe / trueSe).toBeLessThan(0.3);
    expect(Math.abs(mean(xs)) / se).toBeLessThan(4);
  });
});
