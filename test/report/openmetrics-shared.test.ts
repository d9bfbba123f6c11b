/**
 * What the export shares to write less: a label set's line starts laid out once and, when the next label
 * set's labels are as long, kept but for the labels (`lineStarts`); and one table of label sets for both
 * texts of a run (`metricsTexts`). Either must give the bytes each text gives alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenarioWithTelemetry, type RunWithTelemetry } from '../../src/experiment/index.js';
import {
  chunksToString,
  metricsTexts,
  metricsTextsOfModels,
  openMetricsChunks,
  openMetricsChunksOfModels,
  prometheusChunks,
  prometheusChunksOfModels,
} from '../../src/report/index.js';
import { LabelSetMemory, LineParts, lineStarts } from '../../src/report/openmetrics-lines.js';
import { utf8 } from '../../src/report/text-chunks.js';
import { loadScenarioFile } from '../../src/scenario/index.js';

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

describe('both texts from one table of label sets', () => {
  let run: RunWithTelemetry;
  beforeAll(async () => {
    const loaded = await loadScenarioFile('test/fixtures/telemetry/shop.yaml');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    run = runScenarioWithTelemetry(loaded.scenario);
  }, 120_000);

  it('are the bytes and size bounds of each text alone, read in either order and twice', () => {
    const options = { baseTimeMs: Date.UTC(2025, 2, 1, 12), extraLabels: { a: 'x"y', b: 'ü' } };
    const om = chunksToString(openMetricsChunks(run.telemetry, options));
    const prom = chunksToString(prometheusChunks(run.telemetry, options));
    const first = metricsTexts(run.telemetry, options);
    expect(chunksToString(first.openMetrics)).toBe(om);
    expect(chunksToString(first.prometheus)).toBe(prom);
    expect(chunksToString(first.openMetrics)).toBe(om);
    expect(first.openMetrics.maxBytes).toBe(openMetricsChunks(run.telemetry, options).maxBytes);
    const second = metricsTexts(run.telemetry, options);
    expect(chunksToString(second.prometheus)).toBe(prom);
    expect(chunksToString(second.openMetrics)).toBe(om);
    expect(second.prometheus.maxBytes).toBe(prometheusChunks(run.telemetry, options).maxBytes);
  });

  it('are the bytes of each text alone for a comparison’s models', () => {
    const runs = [
      { model: 'multi-primary', telemetry: run.telemetry },
      { model: 'primary-remote', telemetry: run.telemetry },
    ];
    const texts = metricsTextsOfModels(runs, { baseTimeMs: 1e12 });
    expect(chunksToString(texts.prometheus)).toBe(chunksToString(prometheusChunksOfModels(runs)));
    expect(chunksToString(texts.openMetrics)).toBe(
      chunksToString(openMetricsChunksOfModels(runs, { baseTimeMs: 1e12 })),
    );
  });
});
