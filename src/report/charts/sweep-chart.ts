/**
 * A sweep's line chart: one figure against the first swept parameter, a line per model with its 95%
 * interval as a band; when other parameters vary too, one panel per combination of their values. A
 * parameter whose values are not numbers of one kind (sweep.ts `SweepAxis`) is drawn as ordered labels.
 *
 * Contents: `sweepChart`.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SweepResult } from '../../experiment/index.js';
import type { SweepFigure } from '../sweep-figures.js';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  VEGA_LITE_SCHEMA,
  chartConfig,
  seriesColourScale,
} from './chart-theme.js';

interface Row {
  readonly model: string;
  readonly x: number | string;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  readonly panel: string;
}

export function sweepChart(r: SweepResult, figure: SweepFigure): TopLevelSpec {
  const axis = r.axes[0];
  const param = r.parameters[0];
  if (axis === undefined || param === undefined) throw new Error('sweepChart: a sweep without parameters');
  const others = r.parameters.slice(1).filter((p) => p.values.length > 1);
  const rows: Row[] = r.points.flatMap((p) => {
    const k = param.values.indexOf(p.settings[param.path] ?? '');
    const x = axis.unit === null ? (p.settings[param.path] ?? '') : (axis.values[k] as number);
    const panel = others.map((o) => `${o.path}=${p.settings[o.path] ?? ''}`).join(', ');
    return p.comparison.models.flatMap((m) => {
      const e = figure.value(m) ?? null;
      return e === null ? [] : [{ model: m.model, x, mean: e.mean, lo: e.ci95[0], hi: e.ci95[1], panel }];
    });
  });
  const colour = {
    field: 'model',
    type: 'nominal',
    title: 'model',
    scale: seriesColourScale(r.models),
  } as const;
  const unit = axis.unit === null || axis.unit === 'number' ? '' : ` (${axis.unit})`;
  const x =
    axis.unit === null
      ? ({ field: 'x', type: 'ordinal', title: param.path, sort: [...param.values] } as const)
      : ({
          field: 'x',
          type: 'quantitative',
          title: `${param.path}${unit}`,
          scale: { zero: false },
        } as const);
  const layer = [
    {
      mark: { type: 'errorband', opacity: 0.2 },
      encoding: {
        x,
        y: { field: 'lo', type: 'quantitative', title: figure.title, scale: { zero: false } },
        y2: { field: 'hi' },
        color: colour,
      },
    },
    {
      mark: { type: 'line', point: true },
      encoding: { x, y: { field: 'mean', type: 'quantitative', title: figure.title }, color: colour },
    },
  ];
  const subtitle =
    rows.length === 0
      ? `No model measured ${figure.name} at any point.`
      : `Line: mean over ${r.replications} replications per model and point (seeds shared by every point); band: 95% confidence interval.`;
  const base = {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: `${figure.title} against ${param.path}`, subtitle },
    config: chartConfig,
    data: { values: rows },
  };
  if (others.length === 0)
    return { ...base, width: CHART_WIDTH, height: CHART_HEIGHT, layer } as unknown as TopLevelSpec;
  return {
    ...base,
    facet: { field: 'panel', type: 'nominal', title: null },
    columns: 2,
    spec: { width: CHART_WIDTH / 2 - 20, height: CHART_HEIGHT, layer },
  } as unknown as TopLevelSpec;
}
