/**
 * Latency percentiles per model: p50 and p99 as points, each with its 95% confidence interval as a bar. A
 * single run has no interval over replications, so it shows p50, p90, p99 and p99.9 as points alone.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Estimate } from '../../experiment/index.js';
import { CHART_WIDTH, VEGA_LITE_SCHEMA, chartConfig, seriesColourScale } from './chart-theme.js';
import { type ChartInput, isComparison, runLabel, seriesNames } from './chart-input.js';

interface Row {
  readonly model: string;
  readonly percentile: string;
  readonly latencyMs: number;
  readonly ciLoMs: number;
  readonly ciHiMs: number;
}

const ROW_STEP_PX = 22;

function estimateRow(model: string, percentile: string, e: Estimate | null): Row[] {
  if (e === null) return [];
  return [{ model, percentile, latencyMs: e.mean, ciLoMs: e.ci95[0], ciHiMs: e.ci95[1] }];
}

function rows(input: ChartInput): Row[] {
  if (isComparison(input)) {
    return input.models.flatMap((m) => [
      ...estimateRow(m.model, 'p50', m.latencyMs.p50),
      ...estimateRow(m.model, 'p99', m.latencyMs.p99),
    ]);
  }
  const l = input.latencyMs;
  if (l === null) return [];
  const model = runLabel(input);
  const point = (percentile: string, v: number): Row => ({
    model,
    percentile,
    latencyMs: v,
    ciLoMs: v,
    ciHiMs: v,
  });
  return [point('p50', l.p50), point('p90', l.p90), point('p99', l.p99), point('p99.9', l.p999)];
}

/** Width of a 10 px label character, generous (digits and lower case are ~5.6 px in the chart font). */
const LABEL_CHAR_PX = 6.2;
const LABEL_DX_PX = 8;

const label = (r: Row) => `${r.percentile} ${r.latencyMs.toFixed(1)} ms`;

/** [0, max]: every interval inside, and room right of the widest-reaching one for its label. */
export function latencyDomain(data: readonly Row[]): [number, number] {
  if (data.length === 0) return [0, 1];
  let max = 0;
  for (const r of data) {
    const px = LABEL_DX_PX + label(r).length * LABEL_CHAR_PX;
    // The label ends at hi + px in screen units: hi / max * W + px <= W, so max >= hi * W / (W - px).
    max = Math.max(max, (r.ciHiMs * CHART_WIDTH) / (CHART_WIDTH - px), r.latencyMs);
  }
  return [0, max > 0 ? max : 1];
}

/** End-to-end latency percentiles of successful requests, one row per model and percentile. */
export function latencyChart(input: ChartInput): TopLevelSpec {
  const models = seriesNames(input);
  const data = rows(input);
  const percentiles = [...new Set(data.map((r) => r.percentile))];
  const subtitle =
    data.length === 0
      ? 'No successful requests, so no latency to show.'
      : isComparison(input)
        ? `Successful requests, end to end. Point: mean over ${input.replications} replications; bar: 95% confidence interval.`
        : `Successful requests, end to end, seed ${input.seed}: one run, so no interval over replications.`;
  const y = { field: 'model', type: 'nominal', title: null, sort: models } as const;
  const yOffset = { field: 'percentile', type: 'nominal', sort: percentiles } as const;
  // The domain is stated from the data: from 0 to past every interval's upper bound by the width of the
  // longest label, so no interval is clipped and no label runs off the plot (labels sit right of the
  // interval). Vega cannot derive a domain from no data either.
  const x = {
    type: 'quantitative',
    title: 'latency (ms)',
    scale: { domain: latencyDomain(data), nice: false },
  } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: 'Latency percentiles', subtitle },
    width: CHART_WIDTH,
    height: { step: ROW_STEP_PX },
    config: chartConfig,
    data: { values: data },
    encoding: { y, yOffset },
    layer: [
      {
        name: 'latency_ci',
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          x: { ...x, field: 'ciLoMs' },
          x2: { field: 'ciHiMs' },
          color: { field: 'model', type: 'nominal', scale: seriesColourScale(models), legend: null },
        },
      },
      {
        name: 'latency_points',
        mark: { type: 'point', filled: true, size: 70, opacity: 1 },
        encoding: {
          x: { ...x, field: 'latencyMs' },
          color: { field: 'model', type: 'nominal', scale: seriesColourScale(models), legend: null },
          shape: {
            field: 'percentile',
            type: 'nominal',
            title: 'percentile',
            sort: percentiles,
            scale: { range: ['circle', 'diamond', 'triangle-up', 'square'] },
          },
        },
      },
      {
        name: 'latency_labels',
        mark: { type: 'text', align: 'left', dx: 8, fontSize: 10, color: '#333333' },
        encoding: {
          x: { ...x, field: 'ciHiMs' },
          text: { field: 'label', type: 'nominal' },
        },
        transform: [
          // The same text as `label` (toFixed(1) and format '.1f' agree), whose width sets the domain.
          { calculate: "datum.percentile + ' ' + format(datum.latencyMs, '.1f') + ' ms'", as: 'label' },
        ],
      },
    ],
  };
}
