import { describe, it, expect } from 'vitest';
import { tQuantile, meanConfidenceInterval } from '../../../src/metrics/stats/index.js';

describe('metrics/stats/student-t', () => {
  it('tQuantile(0.975, df) matches the printed t table for df = 1, 9 and 30', () => {
    expect(Math.abs(tQuantile(0.975, 9) - 2.262157)).toBeLessThan(1e-5);
    expect(Math.abs(tQuantile(0.975, 1) - 12.7062)).toBeLessThan(1e-4);
    expect(Math.abs(tQuantile(0.975, 30) - 2.042272)).toBeLessThan(1e-5);
  });

  it('tQuantile(p, df) is antisymmetric around p = 0.5', () => {
    expect(tQuantile(0.5, 7)).toBe(0);
    expect(tQuantile(0.025, 9)).toBeCloseTo(-tQuantile(0.975, 9), 12);
  });

  it('tQuantile(p, df) throws a RangeError for p outside [0, 1] or df <= 0', () => {
    expect(() => tQuantile(1.5, 9)).toThrow(RangeError);
    expect(() => tQuantile(NaN, 9)).toThrow(RangeError);
    expect(() => tQuantile(0.975, 0)).toThrow(RangeError);
    expect(() => tQuantile(0.975, NaN)).toThrow(RangeError);
  });

  it('meanConfidenceInterval([1, 2, 3, 4, 5]) equals the hand-computed 95% interval', () => {
    // Hand computation: n = 5, mean = 15 / 5 = 3.
    // s² = ((1−3)² + (2−3)² + 0 + (4−3)² + (5−3)²) / (5 − 1) = 10 / 4 = 2.5, so s/√n = √(2.5 / 5) = √0.5 = 0.7071068.
    // t(0.975, 4) = 2.776445 (printed t table), halfWidth = 2.776445 × 0.7071068 = 1.963243.
    // lo = 3 − 1.963243 = 1.036757, hi = 3 + 1.963243 = 4.963243.
    const ci = meanConfidenceInterval([1, 2, 3, 4, 5]);
    expect(ci?.n).toBe(5);
    expect(ci?.mean).toBe(3);
    expect(Math.abs((ci?.halfWidth ?? NaN) - 1.963243)).toBeLessThan(1e-6);
    expect(Math.abs((ci?.lo ?? NaN) - 1.036757)).toBeLessThan(1e-6);
    expect(Math.abs((ci?.hi ?? NaN) - 4.963243)).toBeLessThan(1e-6);
  });

  it('meanConfidenceInterval(values, 0.99) is wider than at 0.95', () => {
    const values = [1, 2, 3, 4, 5];
    // t(0.995, 4) = 4.604095, so halfWidth = 4.604095 × 0.7071068 = 3.255587.
    const ci99 = meanConfidenceInterval(values, 0.99);
    expect(Math.abs((ci99?.halfWidth ?? NaN) - 3.255587)).toBeLessThan(1e-6);
  });

  it('meanConfidenceInterval(values) is undefined when there are fewer than two values', () => {
    expect(meanConfidenceInterval([])).toBeUndefined();
    expect(meanConfidenceInterval([42])).toBeUndefined();
  });

  it('meanConfidenceInterval(constant values) has lo = hi = mean', () => {
    const ci = meanConfidenceInterval([0.1, 0.1, 0.1]);
    expect(ci).toEqual({ mean: 0.1, lo: 0.1, hi: 0.1, halfWidth: 0, n: 3 });
  });

  it('meanConfidenceInterval(values, level) throws a RangeError on a bad level or a non-finite value', () => {
    expect(() => meanConfidenceInterval([1, 2], 1)).toThrow(RangeError);
    expect(() => meanConfidenceInterval([1, 2], 0)).toThrow(RangeError);
    expect(() => meanConfidenceInterval([1, NaN])).toThrow(RangeError);
  });
});
