import { describe, expect, it } from 'vitest';
import { RngStreams, sampler, distributionMean, type Distribution } from '../../src/des/index.js';

const N = 200_000;

function samples(d: Distribution, seed = 3): Float64Array {
  const s = sampler(d, new RngStreams(seed).stream('test'));
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) out[i] = s.sample();
  return out;
}

function sampleMean(v: Float64Array): number {
  let sum = 0;
  for (const x of v) sum += x;
  return sum / v.length;
}

function sampleSd(v: Float64Array): number {
  const m = sampleMean(v);
  let ss = 0;
  for (const x of v) ss += (x - m) ** 2;
  return Math.sqrt(ss / (v.length - 1));
}

/** Empirical quantile at rank ceil(q n). */
function quantile(v: Float64Array, q: number): number {
  const sorted = Float64Array.from(v).sort();
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
}

describe('des/distribution', () => {
  // Each sample mean must sit within 5 standard errors of the exact mean (a false alarm about 1 in 2 million).
  const cases: Distribution[] = [
    { dist: 'constant', value: 3 },
    { dist: 'exponential', mean: 2 },
    { dist: 'lognormal', median: 4, p99: 30 },
    { dist: 'normal', mean: 5, stddev: 2 },
    { dist: 'normal', mean: 0.5, stddev: 2 },
    { dist: 'uniform', min: 1, max: 9 },
    { dist: 'pareto', scale: 1, shape: 3.5 },
    {
      dist: 'empirical',
      percentiles: [
        [0.5, 3],
        [0.9, 8],
        [0.99, 30],
      ],
    },
  ];
  for (const d of cases) {
    it(`sampler(${JSON.stringify(d)}) has sample mean within 5 SE of distributionMean`, () => {
      const v = samples(d);
      const se = sampleSd(v) / Math.sqrt(N);
      expect(Math.abs(sampleMean(v) - distributionMean(d))).toBeLessThanOrEqual(5 * se + 1e-12);
      expect(Math.min(...v.subarray(0, 10_000))).toBeGreaterThanOrEqual(0);
      expect(v.every((x) => x >= 0)).toBe(true);
    });
  }

  it('lognormal(median, p99) reproduces its median and p99 (1.5% tolerance from 200k draws)', () => {
    const v = samples({ dist: 'lognormal', median: 4, p99: 30 });
    expect(Math.abs(quantile(v, 0.5) / 4 - 1)).toBeLessThan(0.015);
    expect(Math.abs(quantile(v, 0.99) / 30 - 1)).toBeLessThan(0.03);
  });

  it('empirical(percentiles) reproduces every given percentile (2% tolerance from 200k draws)', () => {
    const v = samples({
      dist: 'empirical',
      percentiles: [
        [0.5, 3],
        [0.9, 8],
        [0.99, 30],
      ],
    });
    expect(Math.abs(quantile(v, 0.5) / 3 - 1)).toBeLessThan(0.02);
    expect(Math.abs(quantile(v, 0.9) / 8 - 1)).toBeLessThan(0.02);
    expect(Math.abs(quantile(v, 0.99) / 30 - 1)).toBeLessThan(0.03);
  });

  it('exponential(mean) has the memoryless tail: P(X > 2 mean) = e^-2 within 5 SE', () => {
    const v = samples({ dist: 'exponential', mean: 2 });
    const p = v.filter((x) => x > 4).length / N;
    const expected = Math.exp(-2);
    expect(Math.abs(p - expected)).toBeLessThan(5 * Math.sqrt((expected * (1 - expected)) / N));
  });

  it('normal(mean, stddev) is truncated at 0, not clipped: no mass piles up at exactly 0', () => {
    const v = samples({ dist: 'normal', mean: 0.5, stddev: 2 });
    expect(v.filter((x) => x === 0).length).toBe(0);
  });
});
