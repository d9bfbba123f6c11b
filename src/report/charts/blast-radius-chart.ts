/**
 * Blast radius as grouped bars: for each measure (clusters hit, services hit, traffic lost, collateral) one
 * bar per model, with its 95% interval; in a single run, one bar per fault. Measured against a paired
 * baseline without the fault (metrics.md). A scenario without faults has no blast radius, and no chart.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonResult, Estimate } from '../../experiment/index.js';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  VEGA_LITE_SCHEMA,
  chartConfig,
  seriesColourScale,
} from './chart-theme.js';
import { type ChartInput, isComparison } from './chart-input.js';

/** The four blast-radius measures in the order they are drawn, with the words on the axis. */
export const BLAST_MEASURES = [
  { key: 'clusters', label: 'clusters hit' },
  { key: 'services', label: 'services hit' },
  { key: 'traffic', label: 'traffic lost' },
  { key: 'collateral', label: 'collateral traffic' },
] as const;

interface Bar {
  readonly group: string;
  readonly measure: string;
  readonly share: number;
  readonly ciLo: number;
  readonly ciHi: number;
}

function comparisonBars(input: ComparisonResult): Bar[] {
  return input.models.flatMap((m) => {
    const b = m.blastRadius;
    if (b === null) return [];
    return BLAST_MEASURES.flatMap(({ key, label }) => {
      const e: Estimate | null = b[key];
      return e === null
        ? []
        : [{ group: m.model, measure: label, share: e.mean, ciLo: e.ci95[0], ciHi: e.ci95[1] }];
    });
  });
}

/** How a fault is named on the chart: its type, start and target. */
export function faultLabel(f: {
  readonly type: string;
  readonly atMs: number;
  readonly target: string;
}): string {
  return `${f.type} at ${f.atMs / 1000} s (${f.target})`;
}

/** Blast radius per model (comparison) or per fault (run); null when the scenario has no measured fault. */
export function blastRadiusChart(input: ChartInput): TopLevelSpec | null {
  let bars: Bar[];
  let subtitle: string[];
  if (isComparison(input)) {
    if (input.faults.length === 0) return null;
    bars = comparisonBars(input);
    subtitle = [
      `Share of clusters and services with an impacted unit, and of requests lost, for the average of the scenario's ${input.faults.length} faults;`,
      `each fault against a paired baseline without it (same seeds). Collateral: lost requests of clients outside the failed domain.`,
      `Bar: mean over ${input.replications} replications; line: 95% confidence interval.`,
    ];
  } else {
    bars = (input.faults ?? []).flatMap((f) => {
      const b = f.blastRadius;
      if (b === null) return [];
      const group = faultLabel(f);
      return BLAST_MEASURES.map(({ key, label }) => ({
        group,
        measure: label,
        share: b[key],
        ciLo: b[key],
        ciHi: b[key],
      }));
    });
    subtitle = [
      `Share of clusters and services with an impacted unit, and of requests lost, per fault, against a paired`,
      `baseline without it (same seed ${input.seed}). Collateral: lost requests of clients outside the failed domain.`,
    ];
  }
  if (bars.length === 0) return null;
  const groups = [...new Set(bars.map((b) => b.group))];
  const measures = BLAST_MEASURES.map((m) => m.label);
  const x = {
    field: 'measure',
    type: 'nominal',
    sort: measures,
    title: null,
    axis: { labelAngle: 0 },
  } as const;
  const xOffset = { field: 'group', type: 'nominal', sort: groups } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: 'Blast radius', subtitle },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: chartConfig,
    data: { values: bars },
    encoding: { x, xOffset },
    layer: [
      {
        name: 'blast_bars',
        mark: { type: 'bar' },
        encoding: {
          y: {
            field: 'share',
            type: 'quantitative',
            // Short on purpose: Vega measures text by estimate in Node, and a long vertical title is taken
            // for taller than the plot, which pushes the chart down under an empty band.
            title: 'share (%)',
            axis: { format: '.0%' },
          },
          color: {
            field: 'group',
            type: 'nominal',
            title: isComparison(input) ? 'model' : 'fault',
            scale: seriesColourScale(groups),
            sort: groups,
            legend: { columns: isComparison(input) ? 4 : 1, labelLimit: CHART_WIDTH },
          },
        },
      },
      {
        name: 'blast_values',
        mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 9, color: '#333333' },
        encoding: {
          y: { field: 'ciHi', type: 'quantitative' },
          text: { field: 'share', type: 'quantitative', format: '.1%' },
        },
      },
      // One run has no interval over replications: no interval layer then, rather than zero-length rules.
      ...(isComparison(input)
        ? [
            {
              name: 'blast_ci',
              mark: { type: 'rule', color: '#333333', strokeWidth: 1.25 },
              encoding: {
                y: { field: 'ciLo', type: 'quantitative' },
                y2: { field: 'ciHi' },
              },
            } as const,
          ]
        : []),
    ],
  };
}
