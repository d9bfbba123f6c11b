import { describe, expect, it } from 'vitest';
import { UnitWindows } from '../../src/metrics/index.js';

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

  it('fromJSON refuses counts of the wrong size', () => {
    const json = new UnitWindows(2, 2).toJSON();
    expect(() => UnitWindows.fromJSON({ ...json, failed: new Float64Array(3) })).toThrow(/4 cells/);
  });
});
