/**
 * The bench's interval for a median (measure.ts `medianInterval`), against the binomial coverage worked by
 * hand, and by simulation: how often the interval holds a known median.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { medianInterval } from './measure.js';

describe('medianInterval', () => {
  it('15 values at 95%: order statistics 4 and 12, coverage 1 - 2 (1 + 15 + 105 + 455) / 2^15', () => {
    const xs = Array.from({ length: 15 }, (_, i) => 15 - i); // 15 down to 1: sorting matters
    const r = medianInterval(xs, 0.95);
    expect(r).toEqual({ low: 4, high: 12, coverage: 1 - (2 * 576) / 32768, k: 4 });
    // At 90%, one step in: P(X <= 4) = 1941 / 32768, coverage 0.8815 < 0.90, so still 4 and 12.
    expect(medianInterval(xs, 0.9).k).toBe(4);
    expect(medianInterval(xs, 0.88).k).toBe(5);
  });

  it('7 values: only the smallest and largest reach 95% (coverage 1 - 2 / 128)', () => {
    expect(medianInterval([3, 1, 2, 7, 5, 4, 6])).toEqual({ low: 1, high: 7, coverage: 1 - 2 / 128, k: 1 });
  });

  it('one value: itself, coverage 0; two: both, coverage 1/2', () => {
    expect(medianInterval([5])).toEqual({ low: 5, high: 5, coverage: 0, k: 1 });
    expect(medianInterval([2, 1])).toEqual({ low: 1, high: 2, coverage: 0.5, k: 1 });
  });

  it('holds the true median as often as it says (normal samples of 15 and 31, 4,000 draws each)', () => {
    const rng = seedrandom('median-interval');
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    for (const n of [15, 31]) {
      let held = 0;
      let coverage = 0;
      const draws = 4000;
      for (let d = 0; d < draws; d++) {
        const r = medianInterval(Array.from({ length: n }, normal));
        coverage = r.coverage;
        if (r.low <= 0 && 0 <= r.high) held++;
      }
      // Binomial standard error of the observed share at 4,000 draws: sqrt(0.96 * 0.04 / 4000) = 0.0031;
      // four of them either side.
      expect(Math.abs(held / draws - coverage)).toBeLessThan(
        4 * Math.sqrt((coverage * (1 - coverage)) / draws),
      );
    }
  });

  it('refuses no values', () => {
    expect(() => medianInterval([])).toThrow('no values');
  });
});
