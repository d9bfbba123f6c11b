/**
 * The log histogram keeps its figures and buckets in one array of doubles (log-histogram.ts): on random
 * sequences of every operation, it must hold exactly what the histogram of separate fields held
 * (log-histogram-reference.ts), to the bit: a swapped header word, a bucket off by one or a sum not kept
 * would show in `toJSON` or in one of the figures read here.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LogHistogram } from '../../../src/metrics/stats/index.js';
import { ReferenceHistogram } from './log-histogram-reference.js';

/** Values over the ranges that matter: zero and below the zero floor, under 1 ms (a -0 index), wide. */
const value = fc.oneof(
  fc.constant(0),
  fc.double({ min: 0, max: 1e-9, noNaN: true }),
  fc.double({ min: 1e-9, max: 1, noNaN: true }),
  fc.double({ min: 1, max: 100, noNaN: true }),
  fc.double({ min: 0, max: 1e7, noNaN: true }),
);

type Op =
  | { k: 'record'; v: number }
  | { k: 'recordLn'; v: number }
  | { k: 'recordCell'; v: number }
  | { k: 'recordMany'; v: number; n: number }
  | { k: 'merge'; vs: number[] }
  | { k: 'clone' }
  | { k: 'json' }
  | { k: 'reset' }
  | { k: 'setSums'; s: number; q: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: value.map((v) => ({ k: 'record' as const, v })) },
  { weight: 4, arbitrary: value.map((v) => ({ k: 'recordLn' as const, v })) },
  { weight: 6, arbitrary: value.map((v) => ({ k: 'recordCell' as const, v })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(value, fc.oneof(fc.nat(5), fc.double({ min: 0, max: 3, noNaN: true })))
      .map(([v, n]) => ({ k: 'recordMany' as const, v, n })),
  },
  { weight: 2, arbitrary: fc.array(value, { maxLength: 8 }).map((vs) => ({ k: 'merge' as const, vs })) },
  { weight: 1, arbitrary: fc.constant({ k: 'clone' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'json' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'reset' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.double({ min: 0, max: 1e3, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }))
      .map(([s, q]) => ({ k: 'setSums' as const, s, q })),
  },
);

const cell = new Float64Array(2);

function apply(h: LogHistogram, r: ReferenceHistogram, o: Op, accuracy: number, keepSums: boolean) {
  switch (o.k) {
    case 'record':
      h.record(o.v);
      r.record(o.v);
      return { h, r };
    case 'recordLn': {
      const ln = o.v > 0 ? Math.log(o.v) : 0;
      h.recordLn(o.v, ln);
      r.recordLn(o.v, ln);
      return { h, r };
    }
    case 'recordCell':
      cell[0] = o.v;
      cell[1] = o.v > 0 ? Math.log(o.v) : 0;
      h.recordCell(cell);
      r.recordCell(cell);
      return { h, r };
    case 'recordMany':
      h.recordMany(o.v, o.n);
      r.recordMany(o.v, o.n);
      return { h, r };
    case 'merge': {
      const oh = new LogHistogram(accuracy, keepSums);
      const or = new ReferenceHistogram(accuracy, keepSums);
      for (const v of o.vs) {
        oh.record(v);
        or.record(v);
      }
      h.merge(oh);
      r.merge(or);
      return { h, r };
    }
    case 'clone':
      return { h: h.clone(), r: r.clone() };
    case 'json':
      return { h: LogHistogram.fromJSON(h.toJSON()), r: ReferenceHistogram.fromJSON(r.toJSON()) };
    case 'reset':
      h.reset();
      r.reset();
      return { h, r };
    case 'setSums':
      h.setSums(o.s, o.q);
      r.setSums(o.s, o.q);
      return { h, r };
  }
}

/** Every figure, as numbers: a throwing getter (sums not kept) reads as the string 'throws'. */
function figures(h: LogHistogram | ReferenceHistogram, thresholds: readonly number[]) {
  const read = (f: () => number | undefined) => {
    try {
      return f();
    } catch {
      return 'throws';
    }
  };
  return {
    json: h.toJSON(),
    count: h.count,
    min: h.min,
    max: h.max,
    sum: read(() => h.sum),
    mean: read(() => h.mean),
    stddev: read(() => h.stddev),
    bucketCount: h.bucketCount,
    quantiles: [0, 0.1, 0.5, 0.9, 0.99, 0.999, 1].map((q) => h.quantile(q)),
    above: thresholds.map((t) => h.countAbove(t)),
  };
}

describe('metrics/stats/log-histogram packed in one array', () => {
  it('holds what the histogram of separate fields held, after any sequence of operations', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0.01, 0.02, 0.05),
        fc.boolean(),
        fc.array(op, { maxLength: 60 }),
        fc.array(value, { maxLength: 4 }),
        (accuracy, keepSums, ops, thresholds) => {
          let h = new LogHistogram(accuracy, keepSums);
          let r = new ReferenceHistogram(accuracy, keepSums);
          for (const o of ops) {
            ({ h, r } = apply(h, r, o, accuracy, keepSums));
            expect(figures(h, thresholds)).toStrictEqual(figures(r, thresholds));
          }
        },
      ),
      { numRuns: 400, seed: 34 },
    );
  });

  it('a histogram restored from JSON records on as the original does', () => {
    const h = LogHistogram.fromJSON(new LogHistogram(0.01).toJSON());
    const r = ReferenceHistogram.fromJSON(new ReferenceHistogram(0.01).toJSON());
    for (const v of [5, 0.5, 0, 1e-12, 700, 3]) {
      h.record(v);
      r.record(v);
    }
    expect(h.toJSON()).toStrictEqual(r.toJSON());
  });
});
