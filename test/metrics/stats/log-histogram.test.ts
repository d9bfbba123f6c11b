import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { LogHistogram, LOG_HISTOGRAM_ZERO_FLOOR } from '../../../src/metrics/stats/index.js';

const ACCURACY = 0.01;
const GAMMA = (1 + ACCURACY) / (1 - ACCURACY);
// Bucket edges come from Math.log, so a value within an ulp of an edge may land in the neighbouring bucket;
// that moves the error bound by a few ulps, far below this slack.
const ULP_SLACK = 1 + 1e-9;

/** The exact sample at rank max(1, ceil(q·n)) of sorted values: the order statistic the sketch targets. */
function exactAtRank(sorted: ArrayLike<number>, q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  const value = sorted[rank - 1];
  if (value === undefined) throw new Error(`no sample at rank ${rank}`);
  return value;
}

function relativeError(estimate: number | undefined, exact: number): number {
  if (estimate === undefined) return Infinity;
  return exact === 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / exact;
}

function bucketBound(histogram: LogHistogram): number {
  const { min, max } = histogram;
  if (min === undefined || max === undefined) return 0;
  return Math.log(max / min) / Math.log(GAMMA) + 2;
}

type Sampler = (rng: () => number) => number;

// Box–Muller and inverse-transform samplers; `1 - rng()` is in (0, 1], so no log(0).
const lognormal: Sampler = (rng) =>
  Math.exp(Math.log(20) + Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()));

const samplers: ReadonlyArray<readonly [string, Sampler]> = [
  ['lognormal(ln 20, 1)', lognormal],
  ['exponential(mean 10)', (rng) => -10 * Math.log(1 - rng())],
  ['pareto(xm 1, alpha 1.5)', (rng) => 1 / Math.pow(1 - rng(), 1 / 1.5)],
];

describe('metrics/stats/log-histogram', () => {
  describe.each(samplers)('on 1,000,000 %s samples', (_name, sample) => {
    it('quantile(p50, p90, p99, p99.9) is within 1% of the exact sample at rank ceil(q·n)', () => {
      const rng = seedrandom('fixed-seed');
      const n = 1_000_000;
      const values = new Float64Array(n);
      const histogram = new LogHistogram(ACCURACY);
      for (let i = 0; i < n; i++) {
        const v = sample(rng);
        values[i] = v;
        histogram.record(v);
      }
      values.sort();
      expect(histogram.count).toBe(n);
      for (const q of [0.5, 0.9, 0.99, 0.999]) {
        const exact = exactAtRank(values, q);
        expect(relativeError(histogram.quantile(q), exact)).toBeLessThanOrEqual(ACCURACY * ULP_SLACK);
      }
      expect(histogram.quantile(0)).toBe(values[0]);
      expect(histogram.quantile(1)).toBe(values[n - 1]);
    });
  });

  it('stddev is the exact population standard deviation; min exact; both survive merge, clone and JSON', () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9]; // mean 5, population SD 2 (the textbook case)
    const h = new LogHistogram(0.01);
    for (const v of values.slice(0, 5)) h.record(v);
    const rest = new LogHistogram(0.01);
    rest.recordMany(5, 1);
    for (const v of values.slice(6)) rest.record(v);
    h.merge(rest);
    expect(h.stddev).toBeCloseTo(2, 12);
    expect(h.min).toBe(2);
    expect(h.clone().stddev).toBeCloseTo(2, 12);
    expect(LogHistogram.fromJSON(h.toJSON()).stddev).toBeCloseTo(2, 12);
    // Data written before the sum of squares was kept: unknown, never a made-up 0.
    const old: Record<string, unknown> = { ...h.toJSON() };
    delete old['sumSq'];
    expect(
      LogHistogram.fromJSON(old as unknown as ReturnType<LogHistogram['toJSON']>).stddev,
    ).toBeUndefined();
    expect(new LogHistogram(0.01).stddev).toBeUndefined();
  });

  it('recordLn(v, Math.log(v)) leaves exactly the state record(v) does, and validates v the same way', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { maxLength: 200 }), (values) => {
        const a = new LogHistogram(ACCURACY);
        const b = new LogHistogram(ACCURACY);
        for (const v of values) {
          a.record(v);
          b.recordLn(v, Math.log(v));
        }
        expect(b.toJSON()).toEqual(a.toJSON());
      }),
    );
    expect(() => new LogHistogram(ACCURACY).recordLn(-1, Math.log(1))).toThrow(RangeError);
  });

  it('recordCell([v, Math.log(v)]) leaves exactly the state record(v) does, with and without sums', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { maxLength: 200 }),
        fc.boolean(),
        (values, keepSums) => {
          const a = new LogHistogram(ACCURACY, keepSums);
          const b = new LogHistogram(ACCURACY, keepSums);
          const cell = new Float64Array(2);
          for (const v of values) {
            a.record(v);
            cell[0] = v;
            cell[1] = Math.log(v);
            b.recordCell(cell);
          }
          expect(b.toJSON()).toEqual(a.toJSON());
        },
      ),
    );
    expect(() => new LogHistogram(ACCURACY).recordCell(new Float64Array([-1, 0]))).toThrow(RangeError);
    expect(() => new LogHistogram(ACCURACY).recordCell(new Float64Array([NaN, NaN]))).toThrow(RangeError);
  });

  it('quantile(q) is within relativeAccuracy of the exact value at rank ceil(q·n) for any positive doubles', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 }),
        (values, randomQs) => {
          const histogram = new LogHistogram(ACCURACY);
          for (const v of values) histogram.record(v);
          const sorted = [...values].sort((a, b) => a - b);
          for (const q of [0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 1, ...randomQs]) {
            const exact = exactAtRank(sorted, q);
            expect(relativeError(histogram.quantile(q), exact)).toBeLessThanOrEqual(ACCURACY * ULP_SLACK);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('merge(a, b) gives the same count and quantiles as recording everything into one histogram', () => {
    const value = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e9, noNaN: true }));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 200 }), fc.array(value, { maxLength: 200 }), (xs, ys) => {
        const a = new LogHistogram(ACCURACY);
        const b = new LogHistogram(ACCURACY);
        const all = new LogHistogram(ACCURACY);
        for (const x of xs) {
          a.record(x);
          all.record(x);
        }
        for (const y of ys) {
          b.record(y);
          all.record(y);
        }
        a.merge(b);
        expect(a.count).toBe(all.count);
        expect(a.min).toBe(all.min);
        expect(a.max).toBe(all.max);
        expect(a.bucketCount).toBe(all.bucketCount);
        expect(Math.abs(a.sum - all.sum)).toBeLessThanOrEqual(1e-12 * all.sum);
        for (const q of [0, 0.1, 0.5, 0.9, 0.99, 0.999, 1]) expect(a.quantile(q)).toBe(all.quantile(q));
        // merge leaves its argument unchanged
        expect(b.count).toBe(ys.length);
      }),
      { numRuns: 300 },
    );
  });

  it('bucketCount is at most log(max/min)/log(gamma) + 2 for any values above the zero floor', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: LOG_HISTOGRAM_ZERO_FLOOR, max: 1e300, noNaN: true }), { minLength: 1 }),
        (values) => {
          const histogram = new LogHistogram(ACCURACY);
          for (const v of values) histogram.record(v);
          expect(histogram.bucketCount).toBeLessThanOrEqual(bucketBound(histogram));
        },
      ),
    );
  });

  it('bucketCount stays within the value range from 10^4 to 10^6 lognormal samples', () => {
    const rng = seedrandom('fixed-seed');
    const histogram = new LogHistogram(ACCURACY);
    const checkpoints: number[] = [];
    for (let i = 1; i <= 1_000_000; i++) {
      histogram.record(lognormal(rng));
      if (i === 10_000 || i === 100_000 || i === 1_000_000) {
        expect(histogram.bucketCount).toBeLessThanOrEqual(bucketBound(histogram));
        checkpoints.push(histogram.bucketCount);
      }
    }
    const [at1e4 = 0, , at1e6 = 0] = checkpoints;
    // 100x more samples only widen the range by the few new extremes in the tails (a few sigma of ln x).
    expect(at1e6).toBeLessThan(at1e4 * 1.5);
    expect(at1e6).toBeLessThan(1000);
  });

  it('quantile(q) is undefined and count, min, max, mean are empty on an empty histogram', () => {
    const histogram = new LogHistogram();
    expect(histogram.count).toBe(0);
    expect(histogram.sum).toBe(0);
    expect(histogram.min).toBeUndefined();
    expect(histogram.max).toBeUndefined();
    expect(histogram.mean).toBeUndefined();
    expect(histogram.bucketCount).toBe(0);
    for (const q of [0, 0.5, 1]) expect(histogram.quantile(q)).toBeUndefined();
  });

  it('record(0) goes to the zero bucket and quantiles over zeros are 0', () => {
    const histogram = new LogHistogram();
    for (let i = 0; i < 3; i++) histogram.record(0);
    expect(histogram.bucketCount).toBe(0);
    expect(histogram.quantile(0.5)).toBe(0);
    histogram.record(5);
    expect(histogram.quantile(0.5)).toBe(0);
    expect(histogram.quantile(0.75)).toBe(0);
    expect(relativeError(histogram.quantile(0.76), 5)).toBeLessThanOrEqual(ACCURACY);
    expect(histogram.quantile(1)).toBe(5);
    expect(histogram.mean).toBe(1.25);
  });

  it('record(x) once makes every quantile exactly x', () => {
    const histogram = new LogHistogram();
    histogram.record(42.5);
    for (const q of [0, 0.001, 0.5, 0.999, 1]) expect(histogram.quantile(q)).toBe(42.5);
    expect(histogram.min).toBe(42.5);
    expect(histogram.max).toBe(42.5);
    expect(histogram.mean).toBe(42.5);
  });

  it('record(-1), record(NaN) and record(Infinity) throw a RangeError', () => {
    const histogram = new LogHistogram();
    expect(() => histogram.record(-1)).toThrow(RangeError);
    expect(() => histogram.record(NaN)).toThrow(RangeError);
    expect(() => histogram.record(Infinity)).toThrow(RangeError);
    expect(() => histogram.recordMany(-1, 1)).toThrow(RangeError);
    expect(() => histogram.recordMany(1, -1)).toThrow(RangeError);
    expect(() => histogram.recordMany(1, NaN)).toThrow(RangeError);
    expect(histogram.count).toBe(0);
  });

  it('quantile(-0.1), quantile(1.1) and quantile(NaN) throw a RangeError', () => {
    const histogram = new LogHistogram();
    histogram.record(1);
    for (const q of [-0.1, 1.1, NaN]) expect(() => histogram.quantile(q)).toThrow(RangeError);
  });

  it('new LogHistogram(0) and new LogHistogram(1) throw a RangeError', () => {
    expect(() => new LogHistogram(0)).toThrow(RangeError);
    expect(() => new LogHistogram(1)).toThrow(RangeError);
    expect(new LogHistogram(0.02).relativeAccuracy).toBe(0.02);
  });

  it('a first value just under 1 (bucket index -0) leaves the offset +0, through record, recordMany and fromJSON', () => {
    // Math.ceil(x) is -0 for x in (-1, 0): a -0 offset made the field a double for every histogram, and
    // the recorder's optimized code deoptimized mid-run (s25).
    const a = new LogHistogram(0.02);
    a.record(0.99);
    expect(Object.is(a.toJSON().offset, 0)).toBe(true);
    const b = new LogHistogram(0.02);
    b.recordMany(0.99, 3);
    expect(Object.is(b.toJSON().offset, 0)).toBe(true);
    const c = LogHistogram.fromJSON({ ...a.toJSON(), offset: -0 });
    expect(Object.is(c.toJSON().offset, 0)).toBe(true);
    expect(c.quantile(0.5)).toBe(a.quantile(0.5));
  });

  it('merge(other) throws a RangeError when the accuracies differ', () => {
    expect(() => new LogHistogram(0.01).merge(new LogHistogram(0.02))).toThrow(RangeError);
  });

  it('recordMany(v, k) equals k calls of record(v)', () => {
    const many = new LogHistogram();
    const single = new LogHistogram();
    many.recordMany(3, 4);
    many.recordMany(0, 2);
    many.recordMany(1000, 0);
    for (let i = 0; i < 4; i++) single.record(3);
    for (let i = 0; i < 2; i++) single.record(0);
    expect(many.toJSON()).toEqual(single.toJSON());
  });

  it('clone() is independent and reset() empties the histogram', () => {
    const histogram = new LogHistogram();
    for (const v of [1, 10, 100]) histogram.record(v);
    const copy = histogram.clone();
    histogram.record(1000);
    expect(copy.count).toBe(3);
    expect(copy.max).toBe(100);
    histogram.reset();
    expect(histogram.count).toBe(0);
    expect(histogram.quantile(0.5)).toBeUndefined();
    expect(histogram.bucketCount).toBe(0);
    histogram.record(7);
    expect(histogram.quantile(0.5)).toBe(7);
  });

  it('fromJSON(toJSON()) round-trips through JSON.stringify and structuredClone', () => {
    const rng = seedrandom('fixed-seed');
    const histogram = new LogHistogram(0.005);
    histogram.record(0);
    for (let i = 0; i < 10_000; i++) histogram.record(-Math.log(1 - rng()));
    for (const data of [JSON.parse(JSON.stringify(histogram)), structuredClone(histogram.toJSON())]) {
      const restored = LogHistogram.fromJSON(data);
      expect(restored.toJSON()).toEqual(histogram.toJSON());
      for (const q of [0, 0.5, 0.99, 1]) expect(restored.quantile(q)).toBe(histogram.quantile(q));
    }
    const empty = LogHistogram.fromJSON(JSON.parse(JSON.stringify(new LogHistogram())));
    expect(empty.count).toBe(0);
    expect(empty.min).toBeUndefined();
    empty.record(2);
    expect(empty.quantile(0.5)).toBe(2);
  });

  it('fromJSON(data) throws a RangeError on inconsistent data', () => {
    const base = { relativeAccuracy: 0.01, offset: 0, counts: [1], zeroCount: 0, count: 1, sum: 1 };
    expect(() => LogHistogram.fromJSON(base)).toThrow(RangeError);
    expect(() => LogHistogram.fromJSON({ ...base, min: 1, max: 1, counts: [-1] })).toThrow(RangeError);
    expect(() => LogHistogram.fromJSON({ ...base, min: 1, max: 1, offset: 0.5 })).toThrow(RangeError);
  });

  it('countAbove(t) is exact outside [min, max) and within the relative accuracy of t inside', () => {
    const h = new LogHistogram(ACCURACY);
    const rng = seedrandom('count-above');
    const values = Array.from({ length: 20_000 }, () => lognormal(rng));
    for (const v of values) h.record(v);
    expect(h.countAbove(0)).toBe(values.length);
    expect(h.countAbove((h.min ?? 0) / 2)).toBe(values.length);
    expect(h.countAbove(h.max ?? 0)).toBe(0);
    expect(h.countAbove(Infinity)).toBe(0);
    for (const t of [5, 20, 50, 100]) {
      // A bucket's reported value is within the accuracy of every value in it, so values above t/(1-a)
      // are always counted and values at or below t/(1+a) never are.
      const surelyAbove = values.filter((v) => v > (t / (1 - ACCURACY)) * ULP_SLACK).length;
      const maybeAbove = values.filter((v) => v > t / (1 + ACCURACY) / ULP_SLACK).length;
      const n = h.countAbove(t);
      expect(n).toBeGreaterThanOrEqual(surelyAbove);
      expect(n).toBeLessThanOrEqual(maybeAbove);
    }
  });

  it('keepSums false: counts, buckets, min, max and quantiles as with sums; sum, mean, stddev throw until setSums', () => {
    const rng = seedrandom('keep-sums');
    const withSums = new LogHistogram(0.02);
    const without = new LogHistogram(0.02, false);
    for (let i = 0; i < 5_000; i++) {
      const v = Math.exp(rng() * 8 - 2);
      withSums.record(v);
      without.recordLn(v, Math.log(v));
    }
    without.recordMany(3, 7);
    withSums.recordMany(3, 7);
    const sumless = (h: LogHistogram) => ({ ...h.toJSON(), sum: 0, sumSq: 0 });
    expect(sumless(without)).toEqual(sumless(withSums));
    for (const q of [0, 0.5, 0.99, 1]) expect(without.quantile(q)).toBe(withSums.quantile(q));
    expect(() => without.sum).toThrow(/keeps no sums/);
    expect(() => without.mean).toThrow(/keeps no sums/);
    expect(() => without.stddev).toThrow(/keeps no sums/);
    // Its NaN sums travel: through merge, clone and JSON, never read as a number.
    const merged = new LogHistogram(0.02);
    merged.merge(without);
    expect(() => merged.mean).toThrow(/keeps no sums/);
    expect(() => without.clone().mean).toThrow(/keeps no sums/);
    expect(() => LogHistogram.fromJSON(JSON.parse(JSON.stringify(without.toJSON()))).mean).toThrow(
      /keeps no sums/,
    );
    expect(() => LogHistogram.fromJSON(structuredClone(without.toJSON())).mean).toThrow(/keeps no sums/);
    merged.setSums(withSums.sum, withSums.toJSON().sumSq ?? NaN);
    expect(merged.mean).toBe(withSums.mean);
    expect(merged.stddev).toBe(withSums.stddev);
    // Empty, it has no mean as any empty histogram has none.
    expect(new LogHistogram(0.02, false).mean).toBeUndefined();
  });

  it('countAbove(t) of an empty histogram is 0', () => {
    expect(new LogHistogram().countAbove(1)).toBe(0);
  });
});
