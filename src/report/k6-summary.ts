/**
 * Threshold outcomes as k6 shows them: the THRESHOLDS block of k6's end-of-test summary (✓/✗ per
 * expression with the measured aggregation), and k6's `--summary-export` JSON, whose shape is k6's legacy
 * export (grafana/k6 internal/js/summary-wrapper.js `oldJSONSummary` and the expected document in
 * internal/js/summary_test.go, at 87883075ccd5e3d3fb961a860b3d6e422bbc353b): per metric its values, a rate's
 * `rate` renamed `value`, and `thresholds` mapping each expression to **true when it failed** (k6's own,
 * documented inversion, grafana/k6#1498). A `meshsim` key says where the figures come from.
 */
import type { ThresholdOutcome } from '../experiment/index.js';

function formatMs(ms: number): string {
  if (ms === Infinity) return 'never';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms >= 1) return `${ms.toFixed(2)}ms`;
  return `${(ms * 1000).toFixed(2)}µs`;
}

function formatValue(o: ThresholdOutcome, aggregation: string, v: number): string {
  switch (o.type) {
    case 'trend':
      return formatMs(v);
    case 'rate':
      return `${(v * 100).toFixed(2)}%`;
    case 'counter':
      return aggregation === 'rate' ? `${Number(v.toFixed(6))}/s` : String(v);
    case 'gauge':
      return o.metric === 'time_to_recover' ? formatMs(v) : String(Number(v.toPrecision(6)));
  }
}

/** k6's THRESHOLDS block, ending with a line that counts passes and failures. */
export function thresholdsText(outcomes: readonly ThresholdOutcome[]): string {
  if (outcomes.length === 0) return '';
  const lines = ['  █ THRESHOLDS', ''];
  let passed = 0;
  let failed = 0;
  for (const o of outcomes) {
    lines.push(`    ${o.key}`);
    if (o.notEvaluated !== undefined) lines.push(`    – not evaluated: ${o.notEvaluated}`);
    for (const r of o.results) {
      if (r.ok) passed++;
      else failed++;
      const shown =
        r.measured === null
          ? (r.reason ?? 'not measured')
          : `${r.aggregation}=${formatValue(o, r.aggregation, r.measured)}`;
      lines.push(`    ${r.ok ? '✓' : '✗'} '${r.source}' ${shown}`);
    }
    lines.push('');
  }
  lines.push(
    `  thresholds: ${passed} passed, ${failed} failed` +
      ' (percentiles within 1%; counts and rates exact; after warm-up)',
    '',
  );
  return lines.join('\n');
}

export interface K6SummaryMeta {
  readonly scenario: string;
  readonly model: string | undefined;
  readonly seed: number;
  readonly rerun: string;
}

/** k6's legacy `--summary-export` document for the thresholds' metrics. */
export function k6SummaryJson(outcomes: readonly ThresholdOutcome[], meta: K6SummaryMeta): string {
  const metrics: Record<string, Record<string, unknown>> = {};
  for (const o of outcomes) {
    if (o.notEvaluated !== undefined) continue;
    const values: Record<string, unknown> = { ...o.values };
    if (o.type === 'rate' && 'rate' in values) {
      values.value = values.rate;
      delete values.rate;
    }
    values.thresholds = Object.fromEntries(o.results.map((r) => [r.source, !r.ok]));
    metrics[o.key] = values;
  }
  const doc = {
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks: {} },
    metrics,
    meshsim: {
      ...meta,
      note: 'simulated; thresholds map an expression to true when it FAILED, as k6 --summary-export does',
      notEvaluated: outcomes
        .filter((o) => o.notEvaluated !== undefined)
        .map((o) => ({ key: o.key, reason: o.notEvaluated })),
    },
  };
  return `${JSON.stringify(doc, null, 4)}\n`;
}
