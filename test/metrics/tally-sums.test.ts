import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { LogHistogram } from '../../src/metrics/stats/index.js';
import { LATENCY_RELATIVE_ACCURACY, TallySums } from '../../src/metrics/tally.js';
import { Tally } from './tally-reference.js';

const BATCHES = 4;

describe('TallySums', () => {
  it('with the finer tallies that got the same requests, breaks down exactly as one Tally of them all', () => {
    const request = fc.record({
      part: fc.integer({ min: 0, max: 2 }),
      ok: fc.boolean(),
      late: fc.boolean(),
      latency: fc.double({ min: 0, max: 1e4, noNaN: true }),
      batch: fc.integer({ min: -1, max: BATCHES }),
    });
    fc.assert(
      fc.property(fc.array(request, { maxLength: 300 }), fc.boolean(), (requests, withSlo) => {
        const whole = new Tally(BATCHES);
        const sums = new TallySums(BATCHES);
        const parts = [new Tally(0), new Tally(0), new Tally(0)];
        for (const r of requests) {
          const late = r.ok && r.late;
          whole.add(r.ok, r.latency, r.batch, late);
          sums.add(r.ok, r.latency, r.batch, late);
          (parts[r.part] as Tally).add(r.ok, r.latency, -1, late);
        }
        // toStrictEqual: every figure, means and standard errors included, to the bit.
        expect(sums.breakdown(parts, withSlo)).toStrictEqual(whole.breakdown(withSlo));
      }),
    );
  });

  it('throws when the parts did not get exactly the requests it counted', () => {
    const sums = new TallySums(BATCHES);
    const part = new Tally(0);
    sums.add(true, 3, 0, false);
    sums.add(false, 5, 0, false);
    part.add(true, 3, -1);
    expect(() => sums.breakdown([part])).toThrow(/parts hold 1 answered and 0 failed/);
  });
});

describe('Tally.addCell', () => {
  it('records what LogHistogram.record does, answered and failed apart, and batch sums TallySums agrees with', () => {
    const request = fc.record({
      ok: fc.boolean(),
      latency: fc.double({ min: 0, max: 1e4, noNaN: true }),
      batch: fc.integer({ min: -1, max: BATCHES }),
    });
    fc.assert(
      fc.property(fc.array(request, { maxLength: 300 }), (requests) => {
        const tally = new Tally(BATCHES);
        const sums = new TallySums(BATCHES);
        const answered = new LogHistogram(LATENCY_RELATIVE_ACCURACY);
        const failed = new LogHistogram(LATENCY_RELATIVE_ACCURACY);
        const cell = new Float64Array(2);
        for (const r of requests) {
          cell[0] = r.latency;
          cell[1] = Math.log(r.latency);
          tally.addCell(r.ok, cell, r.batch);
          sums.add(r.ok, r.latency, r.batch, false);
          (r.ok ? answered : failed).record(r.latency);
        }
        expect(tally.latency.toJSON()).toEqual(answered.toJSON());
        expect(tally.failedLatency.toJSON()).toEqual(failed.toJSON());
        expect([tally.requests, tally.succeeded, tally.late]).toEqual([
          requests.length,
          requests.filter((r) => r.ok).length,
          0,
        ]);
        // The batch means and their errors: TallySums keeps its own batch sums, so a batch sum or count
        // that addCell got wrong makes the two breakdowns differ.
        expect(sums.breakdown([tally], true)).toStrictEqual(tally.breakdown(true));
      }),
    );
  });
});
