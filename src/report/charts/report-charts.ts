/**
 * Which charts a report holds, under which file names, in which order. A chart that has nothing to show
 * (blast radius without faults, cost without cost figures) is left out, and a note says why, so the
 * layout changes only in that documented way.
 *
 * Contents: `ReportChart`, `ChartSet`, `runCharts`, `comparisonCharts`.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonResult } from '../../experiment/index.js';
import type { RunSummary } from '../../metrics/index.js';
import type { ReportChartRef } from '../report-document.js';
import { availabilityChart } from './availability-chart.js';
import { blastRadiusChart } from './blast-radius-chart.js';
import { costChart } from './cost-chart.js';
import { latencyChart } from './latency-chart.js';
import { serviceGraphChart } from './service-graph-chart.js';
import { trafficMatrixChart } from './traffic-matrix-chart.js';

/** A chart with its file name (without extension), title, caption and Vega-Lite spec. */
export interface ReportChart extends ReportChartRef {
  readonly spec: TopLevelSpec;
}

/** The charts of a report and the notes on charts left out. */
export interface ChartSet {
  readonly charts: readonly ReportChart[];
  readonly notes: readonly string[];
}

const AVAILABILITY = { name: 'availability', title: 'Availability over time' };

/** The availability chart's caption: what to look for depends on whether faults are drawn. */
const availabilityCaption = (faults: number) =>
  faults > 0
    ? 'Availability per window, faults shaded. A dip that outlasts its band is slow recovery.'
    : 'Availability per window. Without faults, dips come from load and the service error rates.';
const LATENCY = {
  name: 'latency',
  title: 'Latency percentiles',
  caption: 'End-to-end latency of successful requests. Intervals that do not overlap are a real difference.',
};
const BLAST = {
  name: 'blast-radius',
  title: 'Blast radius',
  caption:
    'How far faults reached beyond a paired baseline. Collateral is harm outside the failed domain: missing isolation.',
};
const TRAFFIC = {
  name: 'traffic-matrix',
  title: 'Traffic matrix',
  caption:
    'Calls by client and serving cluster. Off-diagonal cells cross clusters and pay network latency and price.',
};
const GRAPH = {
  name: 'service-graph',
  title: 'Service graph',
  caption:
    'Calls per second by caller and destination, as Kiali draws the mesh; a cell with an error ratio failed that share of its calls.',
};
const COST = {
  name: 'cost',
  title: 'Cost against availability',
  caption: 'istiod and sidecar vCPU against availability. Up and to the left is better.',
};

const NO_FAULTS = 'No faults in this scenario, so there is no blast radius to show.';

/** The charts of one run: availability, latency, blast radius (with faults), traffic matrix. */
export function runCharts(summary: RunSummary): ChartSet {
  const blast = blastRadiusChart(summary);
  const graph = serviceGraphChart(summary);
  const notes: string[] = [];
  if (blast === null) {
    notes.push(
      (summary.faults ?? []).length === 0 ? NO_FAULTS : 'The faults have no measured blast radius yet.',
    );
  }
  return {
    charts: [
      {
        ...AVAILABILITY,
        caption: availabilityCaption((summary.faults ?? []).length),
        spec: availabilityChart(summary),
      },
      { ...LATENCY, spec: latencyChart(summary) },
      ...(blast === null ? [] : [{ ...BLAST, spec: blast }]),
      { ...TRAFFIC, spec: trafficMatrixChart(summary) },
      ...(graph === null ? [] : [{ ...GRAPH, spec: graph }]),
    ],
    notes,
  };
}

/** The charts of a comparison: the run's four, plus cost against availability (with cost figures). */
export function comparisonCharts(result: ComparisonResult): ChartSet {
  const blast = blastRadiusChart(result);
  const cost = costChart(result);
  const graph = serviceGraphChart(result);
  const notes: string[] = [];
  if (blast === null) {
    notes.push(result.faults.length === 0 ? NO_FAULTS : 'The faults have no measured blast radius yet.');
  }
  if (cost === null)
    notes.push('No model has both control-plane and sidecar cost figures, so there is no cost chart.');
  return {
    charts: [
      {
        ...AVAILABILITY,
        caption: availabilityCaption(result.faults.length),
        spec: availabilityChart(result),
      },
      { ...LATENCY, spec: latencyChart(result) },
      ...(blast === null ? [] : [{ ...BLAST, spec: blast }]),
      { ...TRAFFIC, spec: trafficMatrixChart(result) },
      ...(graph === null ? [] : [{ ...GRAPH, spec: graph }]),
      ...(cost === null ? [] : [{ ...COST, spec: cost }]),
    ],
    notes,
  };
}
