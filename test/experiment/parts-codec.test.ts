/**
 * The parts format's value encoding: what plain JSON loses (typed arrays, infinities, NaN, -0, undefined
 * fields, keys starting with $) comes back exactly; what has no encoding throws instead of vanishing.
 */
import { describe, expect, it } from 'vitest';
import { decodePartValue, encodePartValue } from '../../src/experiment/index.js';

const roundTrip = (v: unknown) => decodePartValue(JSON.parse(JSON.stringify(encodePartValue(v))));

describe('experiment/parts-codec', () => {
  it('a Float64Array survives bit for bit (NaN, -0, infinities, subnormals), where plain JSON makes an object', () => {
    const a = new Float64Array([0, -0, 1.5, NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, 1 / 3]);
    const back = roundTrip({ counts: a }) as { counts: Float64Array };
    expect(back.counts).toBeInstanceOf(Float64Array);
    expect(Buffer.from(back.counts.buffer)).toEqual(Buffer.from(a.buffer));
    // The loss the format exists for.
    expect(JSON.parse(JSON.stringify({ counts: a })).counts).not.toBeInstanceOf(Float64Array);
  });

  it('numbers plain JSON turns into null come back; undefined fields stay present; $ keys are escaped', () => {
    const v = {
      a: Infinity,
      b: -Infinity,
      c: NaN,
      d: -0,
      e: undefined,
      list: [1, undefined, -0],
      $ref: { $f64: 'x' },
    };
    const back = roundTrip(v) as Record<string, unknown>;
    expect(back['a']).toBe(Infinity);
    expect(back['b']).toBe(-Infinity);
    expect(back['c']).toBeNaN();
    expect(Object.is(back['d'], -0)).toBe(true);
    expect('e' in back).toBe(true);
    expect(back['e']).toBeUndefined();
    expect(back['list']).toEqual([1, undefined, -0]);
    expect(Object.is((back['list'] as number[])[2], -0)).toBe(true);
    expect(back['$ref']).toEqual({ $f64: 'x' });
    // Structured clone (what a worker thread returns) and the parts format agree.
    expect(back).toEqual(structuredClone(v));
  });

  it('refuses what it cannot encode (a Map, another typed array) and a tag it does not know', () => {
    expect(() => encodePartValue({ m: new Map() })).toThrow(/a Map has no encoding/);
    expect(() => encodePartValue(new Float32Array(1))).toThrow(/Float32Array/);
    expect(() => decodePartValue({ x: { $bigint: '1' } })).toThrow(/\$\.x: unknown tag "\$bigint"/);
    expect(() => decodePartValue({ $num: 'lots' })).toThrow(/unknown number/);
  });
});
