/**
 * Every sample value the OpenMetrics writer writes by its own digit loop (`ChunkWriter.samples`) reads as
 * `String` writes it, and a histogram sum (`setRounded`) as `num` does: integers, fractions rounded to 6
 * decimals (which the loop writes from their digits and the count of decimals), and values it leaves to
 * `String` (negative, huge, not finite). Tested against `String` itself over edge cases and a seeded spread.
 */
import { describe, expect, it } from 'vitest';
import { LabelSetMemory, num } from '../../src/report/openmetrics-lines.js';
import {
  ChunkWriter,
  chunksToString,
  SampleLines,
  setRounded,
  textChunks,
  utf8,
} from '../../src/report/text-chunks.js';

/** `values` written as one sample's lines (`v\n` each), `round`ed as a histogram sum when asked. */
function written(values: readonly number[], round: boolean): string[] {
  const chunks = textChunks(function* () {
    const w = new ChunkWriter();
    const memory = new LabelSetMemory();
    const out = memory.lendValues(values.length);
    values.forEach((v, i) => {
      if (round) setRounded(out.values, out.decimals, i, v);
      else out.values[i] = v;
    });
    const empty = new Uint8Array(0);
    const starts = { starts: values.map(() => empty), bytes: 0 };
    const sample = new SampleLines(starts, out, [utf8('\n')], 0, 0);
    for (let need = w.samples(sample); need > 0; need = w.samples(sample)) w.makeRoom(need);
    yield* w.take(true);
  });
  return chunksToString(chunks).split('\n').slice(0, -1);
}

function probes(): number[] {
  const out = [0, -0, 1, 9, 10, 99, 100, 1e6, 999_999, 1e9, 1e9 - 1, 1e15, 1e15 + 2, 2 ** 53, 2 ** 53 + 2];
  out.push(-1, -0.5, 0.5, 1e-6, 5e-7, 4e-7, 1e-7, 0.1, 0.000123, 123.456, 999_999_999.999_999);
  out.push(1e21, 1.5e300, Number.NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE);
  for (let k = 0; k < 2000; k++) out.push(k / 8, k / 1e6, k * 1.000_001, k + 0.1, k * 1e6 + 0.5);
  let x = 12345;
  for (let i = 0; i < 20_000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const u = x / 2 ** 32;
    out.push(u * 10 ** ((i % 18) - 3), Math.round(u * 1e9) / 1e6, Math.floor(u * 2 ** 53), u * 1e-5);
  }
  return out;
}

describe('OpenMetrics sample values', () => {
  const values = probes();

  it('a value reads as String writes it', () => {
    expect(written(values, false)).toEqual(values.map((v) => String(v)));
  });

  it('a histogram sum reads as num writes it', () => {
    expect(written(values, true)).toEqual(values.map((v) => num(v)));
  });
});
