/**
 * What a model costs against what it delivers: one labelled point per model at (istiod vCPU + sidecar vCPU,
 * availability), with availability's 95% interval. Points up and to the left are better.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonResult } from '../../experiment/index.js';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  VEGA_LITE_SCHEMA,
  chartConfig,
  seriesColourScale,
} from './chart-theme.js';

interface Point {
  readonly model: string;
  readonly vcpu: number;
  readonly availability: number;
  readonly ciLo: number;
  readonly ciHi: number;
}

function points(result: ComparisonResult): Point[] {
  return result.models.flatMap((m) => {
    const istiod = m.cost?.istiodVcpu ?? null;
    const sidecar = m.cost?.sidecarVcpu ?? null;
    const a = m.availability;
    if (istiod === null || sidecar === null || a === null) return [];
    return [
      {
        model: m.model,
        vcpu: istiod.mean + sidecar.mean,
        availability: a.mean,
        ciLo: a.ci95[0],
        ciHi: a.ci95[1],
      },
    ];
  });
}

/** Cost (istiod + sidecar vCPU) against availability per model; null when no model has both figures. */
export function costChart(result: ComparisonResult): TopLevelSpec | null {
  const data = points(result);
  if (data.length === 0) return null;
  const models = data.map((p) => p.model);
  const x = {
    field: 'vcpu',
    type: 'quantitative',
    title: 'control plane + sidecars (vCPU, istiod + sidecar)',
    scale: { zero: false, padding: 40 },
  } as const;
  const y = {
    field: 'availability',
    type: 'quantitative',
    title: 'availability (%)',
    axis: { format: '.2~%' },
    scale: { zero: false, padding: 16 },
  } as const;
  const color = { field: 'model', type: 'nominal', scale: seriesColourScale(models), legend: null } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Cost against availability',
      subtitle: [
        `Mean over ${result.replications} replications; vertical line: availability's 95% confidence interval.`,
        'Up and to the left is better: more availability for less CPU.',
      ],
    },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: chartConfig,
    data: { values: data },
    encoding: { x },
    layer: [
      {
        name: 'cost_ci',
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y: { ...y, field: 'ciLo' }, y2: { field: 'ciHi' }, color },
      },
      {
        name: 'cost_points',
        mark: { type: 'point', filled: true, size: 90, opacity: 1 },
        encoding: { y, color },
      },
      {
        name: 'cost_labels',
        mark: { type: 'text', align: 'left', dx: 9, fontSize: 11 },
        encoding: { y, text: { field: 'model', type: 'nominal' }, color },
      },
    ],
  };
}
