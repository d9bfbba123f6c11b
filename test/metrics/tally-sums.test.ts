import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Tally, TallySums } from '../../src/metrics/tally.js';

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
    sums.add(true, 3, 0);
    sums.add(false, 5, 0);
    part.add(true, 3, -1);
    expect(() => sums.breakdown([part])).toThrow(/parts hold 1 answered and 0 failed/);
  });
});

describe('Tally.addCell', () => {
  it('keeps exactly what add(ok, ms, batch, false, Math.log(ms)) does: counts, histograms, batch sums', () => {
    const request = fc.record({
      ok: fc.boolean(),
      latency: fc.double({ min: 0, max: 1e4, noNaN: true }),
      batch: fc.integer({ min: -1, max: BATCHES }),
    });
    fc.assert(
      fc.property(fc.array(request, { maxLength: 300 }), (requests) => {
        const a = new Tally(BATCHES);
        const b = new Tally(BATCHES);
        const cell = new Float64Array(2);
        for (const r of requests) {
          a.add(r.ok, r.latency, r.batch, false, Math.log(r.latency));
          cell[0] = r.latency;
          cell[1] = Math.log(r.latency);
          b.addCell(r.ok, cell, r.batch);
        }
        expect(b.breakdown(true)).toStrictEqual(a.breakdown(true));
        expect(b.latency.toJSON()).toEqual(a.latency.toJSON());
        expect(b.failedLatency.toJSON()).toEqual(a.failedLatency.toJSON());
      }),
    );
  });
});
