/**
 * What the export shares to write less: a label set's line starts laid out once and, when the next label
 * set's labels are as long, kept but for the labels (`lineStarts`).
 */
import { describe, expect, it } from 'vitest';
import { LabelSetMemory, LineParts, lineStarts } from '../../src/report/openmetrics-lines.js';
import { utf8 } from '../../src/report/text-chunks.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('line starts', () => {
  it('are head, labels and tail per line, whether laid out anew or kept from the last label set', () => {
    const heads = ['a_bucket{', 'a_bucket{', 'a_count{', 'a_sum{'];
    const tails = [',le="1"} ', ',le="+Inf"} ', '} ', '} '];
    const parts = new LineParts(heads.map(utf8), tails.map(utf8));
    const other = new LineParts([utf8('b_total{')], [utf8('} ')]);
    const memory = new LabelSetMemory();
    // Same lengths in a row (kept), shorter, longer (a new array lent), other parts, back again.
    const sequence: [LineParts, string][] = [
      [parts, 'x="1"'],
      [parts, 'x="2"'],
      [parts, 'y="3"'],
      [parts, 'y=""'],
      [parts, 'y="4"'],
      [parts, `long="${'z'.repeat(300)}"`],
      [parts, `long="${'w'.repeat(300)}"`],
      [other, 'x="5"'],
      [parts, 'x="6"'],
      [other, 'x="7"'],
    ];
    for (const [p, labels] of sequence) {
      const starts = lineStarts(p, utf8(labels), memory);
      const expected = p.heads.map((h, j) => `${text(h)}${labels}${text(p.tails[j] as Uint8Array)}`);
      expect(starts.starts.map(text)).toEqual(expected);
      expect(starts.bytes).toBe(Buffer.byteLength(expected.join('')));
    }
  });

  it('a family needs as many heads as tails, and one at least', () => {
    expect(() => new LineParts([utf8('a{')], [])).toThrow(/1 heads and 0 tails/);
    expect(() => new LineParts([], [])).toThrow(/0 heads/);
  });
});
