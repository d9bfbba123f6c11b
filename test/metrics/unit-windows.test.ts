import { describe, expect, it } from 'vitest';
import { LogHistogram, UnitWindows } from '../../src/metrics/index.js';

describe('metrics/unit-windows', () => {
  it('toJSON/fromJSON restore every cell exactly, through a structured clone', () => {
    const u = new UnitWindows(3, 4);
    for (let i = 0; i < 500; i++) {
      const unit = i % 3;
      const window = (i * 7) % 4;
      u.start(unit, window);
      u.complete(unit, window, i % 11 !== 0, 0.5 + ((i * 37) % 101) * 0.173);
    }
    const back = UnitWindows.fromJSON(structuredClone(u.toJSON()));
    expect(Array.from(back.started)).toEqual(Array.from(u.started));
    expect(Array.from(back.completed)).toEqual(Array.from(u.completed));
    expect(Array.from(back.failed)).toEqual(Array.from(u.failed));
    for (let unit = 0; unit < 3; unit++) {
      for (let w = 0; w < 4; w++) {
        expect(back.histogram(unit, w)?.toJSON()).toEqual(u.histogram(unit, w)?.toJSON());
        expect(back.histogram(unit, w)?.quantile(0.99)).toBe(u.histogram(unit, w)?.quantile(0.99));
      }
    }
    expect(back.bucketCount).toBe(u.bucketCount);
  });

  it('completeCell counts and records each cell as LogHistogram.record would, failures too', () => {
    for (const keepFailed of [false, true]) {
      const u = new UnitWindows(3, 4, 0.01, keepFailed);
      const answered = new Map<number, LogHistogram>();
      const failed = new Map<number, LogHistogram>();
      const completed = new Float64Array(12);
      const failures = new Float64Array(12);
      const of = (m: Map<number, LogHistogram>, c: number) => {
        let h = m.get(c);
        if (h === undefined) {
          h = new LogHistogram(0.01, false);
          m.set(c, h);
        }
        return h;
      };
      const cell = new Float64Array(2);
      for (let i = 0; i < 700; i++) {
        const unit = i % 3;
        const window = ((i * 7) % 5) - 1; // -1 and 4: outside, no cell
        const ok = i % 11 !== 0;
        const ms = ((i * 37) % 101) * 0.173; // 0 included
        cell[0] = ms;
        cell[1] = Math.log(ms);
        u.completeCell(unit, window, ok, cell);
        if (window < 0 || window >= 4) continue;
        const c = unit * 4 + window;
        completed[c] = (completed[c] as number) + 1;
        if (ok) of(answered, c).record(ms);
        else {
          failures[c] = (failures[c] as number) + 1;
          if (keepFailed) of(failed, c).record(ms);
        }
      }
      const json = u.toJSON();
      expect(json.completed).toEqual(completed);
      expect(json.failed).toEqual(failures);
      expect(json.latency).toEqual(Array.from({ length: 12 }, (_, c) => answered.get(c)?.toJSON() ?? null));
      if (keepFailed)
        expect(json.failedLatency).toEqual(
          Array.from({ length: 12 }, (_, c) => failed.get(c)?.toJSON() ?? null),
        );
    }
  });

  it('with keepFailed, unit and window histograms merge the cells into what one histogram per slice records', () => {
    const u = new UnitWindows(3, 4, 0.01, true);
    const byUnit = [0, 1, 2].map(() => ({ ok: new LogHistogram(0.01), failed: new LogHistogram(0.01) }));
    const byWindow = [0, 1, 2, 3].map(() => ({ ok: new LogHistogram(0.01), failed: new LogHistogram(0.01) }));
    for (let i = 0; i < 700; i++) {
      const unit = i % 3;
      const window = (i * 7) % 4;
      const ok = i % 11 !== 0;
      const ms = 0.5 + ((i * 37) % 101) * 0.173;
      u.complete(unit, window, ok, ms);
      (ok ? byUnit[unit]?.ok : byUnit[unit]?.failed)?.record(ms);
      (ok ? byWindow[window]?.ok : byWindow[window]?.failed)?.record(ms);
    }
    // Sums merge in another order (the recorder keeps its own); buckets, counts, min and max exactly.
    const shape = (h: LogHistogram) => ({ ...h.toJSON(), sum: 0, sumSq: 0 });
    for (let unit = 0; unit < 3; unit++) {
      expect(shape(u.unitHistogram(unit))).toEqual(shape(byUnit[unit]?.ok as LogHistogram));
      expect(shape(u.unitFailedHistogram(unit))).toEqual(shape(byUnit[unit]?.failed as LogHistogram));
    }
    for (let w = 0; w < 4; w++) {
      expect(shape(u.windowHistogram(w))).toEqual(shape(byWindow[w]?.ok as LogHistogram));
      expect(shape(u.windowFailedHistogram(w))).toEqual(shape(byWindow[w]?.failed as LogHistogram));
      const counts = u.windowCounts(w);
      expect(counts.completed).toBe((byWindow[w]?.ok.count ?? 0) + (byWindow[w]?.failed.count ?? 0));
      expect(counts.failed).toBe(byWindow[w]?.failed.count);
    }
    const back = UnitWindows.fromJSON(structuredClone(u.toJSON()));
    expect(back.keepFailed).toBe(true);
    expect(back.unitFailedHistogram(1).toJSON()).toEqual(u.unitFailedHistogram(1).toJSON());
    expect(back.bucketCount).toBe(u.bucketCount);
  });

  it('without keepFailed, asking for failed latencies throws (a failure was only counted)', () => {
    const u = new UnitWindows(1, 1);
    u.complete(0, 0, false, 3);
    expect(u.failed[0]).toBe(1);
    expect(() => u.unitFailedHistogram(0)).toThrow(/keepFailed/);
    expect(() => u.windowFailedHistogram(0)).toThrow(/keepFailed/);
    expect(UnitWindows.fromJSON(u.toJSON()).keepFailed).toBe(false);
  });

  it('fromJSON refuses counts of the wrong size', () => {
    const json = new UnitWindows(2, 2).toJSON();
    expect(() => UnitWindows.fromJSON({ ...json, failed: new Float64Array(3) })).toThrow(/4 cells/);
  });
});
