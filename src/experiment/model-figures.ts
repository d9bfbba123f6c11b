/**
 * The figures of one model's comparison (`ModelComparison`), each an estimate over its replications, as a
 * sweep tabulates and charts them per point: the one list of what they are, named as in `differences`,
 * with their unit and what they measure. A figure that is a compared metric takes its name and unit from
 * `COMPARISON_METRICS` (one definition of each); the others (p90, p99.9, the cross-zone and cross-region
 * gigabytes, control-plane health) are estimates a comparison reports without comparing them. How a
 * figure is written (snake_case column names, axis titles) is the report's business (report/sweep-figures.ts).
 *
 * Contents: `FigureUnit`, `ModelFigure`, `MODEL_FIGURES`.
 */
import { metricByName, type ComparisonMetric } from './comparison-metric.js';
import type { Estimate, ModelComparison } from './comparison.js';

/** A comparison metric's unit, or proxy-seconds (stale proxies times seconds stale). */
export type FigureUnit = ComparisonMetric['unit'] | 'proxy-seconds';

export interface ModelFigure {
  /** camelCase, as in `differences` where the figure is a compared metric. */
  readonly name: string;
  readonly unit: FigureUnit;
  /** What it measures, in a few words without the unit: `p99 latency`, `clusters hit`. */
  readonly label: string;
  /** Its estimate in one model's comparison; null or undefined where the runs did not measure it. */
  readonly of: (m: ModelComparison) => Estimate | null | undefined;
}

/** A figure that is a compared metric: its name and unit are the metric's. */
function metric(name: string, label: string, of: ModelFigure['of']): ModelFigure {
  return { name, unit: metricByName(name).unit, label, of };
}

/** Every figure of a model's comparison a sweep reports, in the order of its CSV columns. */
export const MODEL_FIGURES: readonly ModelFigure[] = [
  metric('availability', 'availability', (m) => m.availability),
  metric('latencyMeanMs', 'mean latency', (m) => m.latencyMs.mean),
  metric('latencyP50Ms', 'p50 latency', (m) => m.latencyMs.p50),
  { name: 'latencyP90Ms', unit: 'ms', label: 'p90 latency', of: (m) => m.latencyMs.p90 },
  metric('latencyP99Ms', 'p99 latency', (m) => m.latencyMs.p99),
  { name: 'latencyP999Ms', unit: 'ms', label: 'p99.9 latency', of: (m) => m.latencyMs.p999 },
  metric('blastRadiusClusters', 'clusters hit', (m) => m.blastRadius?.clusters),
  metric('blastRadiusServices', 'services hit', (m) => m.blastRadius?.services),
  metric('blastRadiusTraffic', 'traffic lost', (m) => m.blastRadius?.traffic),
  metric('blastRadiusCollateral', 'collateral', (m) => m.blastRadius?.collateral),
  metric('istiodVcpu', 'istiod', (m) => m.cost?.istiodVcpu),
  metric('istiodMemoryGb', 'istiod memory', (m) => m.cost?.istiodMemoryGb),
  metric('sidecarVcpu', 'sidecar', (m) => m.cost?.sidecarVcpu),
  { name: 'crossZoneGb', unit: 'GB', label: 'cross-zone traffic', of: (m) => m.cost?.crossZoneGb },
  { name: 'crossRegionGb', unit: 'GB', label: 'cross-region traffic', of: (m) => m.cost?.crossRegionGb },
  {
    name: 'convergenceP99Ms',
    unit: 'ms',
    label: 'config convergence p99',
    of: (m) => m.controlPlaneHealth?.convergenceP99Ms,
  },
  {
    name: 'staleProxySeconds',
    unit: 'proxy-seconds',
    label: 'stale',
    of: (m) => m.controlPlaneHealth?.staleProxySeconds,
  },
  {
    name: 'rejectedPodCreations',
    unit: 'count',
    label: 'rejected pod creations',
    of: (m) => m.controlPlaneHealth?.rejectedPodCreations,
  },
];
