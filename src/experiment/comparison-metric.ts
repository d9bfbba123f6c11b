/**
 * The figures models are compared on, each read the same way from every replication's `RunSummary`:
 * its name (as in `differences`), unit, which way is better, and how many decimals reports keep.
 * A figure a run did not measure is null, never a made-up zero: blast radius without faults, cost before
 * the run reports it, cross-region share in a one-region mesh.
 *
 * Contents: `ComparisonMetric`, `MetricContext`, `metricContext`, `COMPARISON_METRICS`, `metricByName`,
 * `ModelRuns`, `observations`.
 */
import { configSources, cutsOffControlPlane, istiodCount, type DeploymentModel } from '../mesh/index.js';
import { LATENCY_RELATIVE_ACCURACY, type RunSummary } from '../metrics/index.js';
import type { Scenario } from '../scenario/index.js';
import type { FigureRange } from './estimate.js';

/** What a metric needs besides the run: the model it ran under and the scenario's shape. */
export interface MetricContext {
  readonly model: DeploymentModel;
  readonly regionOf: ReadonlyMap<string, string>;
  readonly regions: number;
  /**
   * Active intervals [startMs, endMs) of the scenario's faults that remove a control plane or cut proxies
   * off from it under any of the compared models (`cutsOffControlPlane`), so every model is judged over
   * the same windows.
   */
  readonly controlPlaneOutages: readonly { readonly startMs: number; readonly endMs: number }[];
}

export interface ComparisonMetric {
  /** The name in `differences` and in verdict notes. */
  readonly name: string;
  readonly unit: 'fraction' | 'ms' | 'vCPU' | 'GB' | 'count';
  readonly better: 'higher' | 'lower';
  /** Decimals kept in reports (fractions 8, as run summaries keep availability). */
  readonly digits: number;
  /** The values it can take, to clip intervals to: a share in [0, 1], or any amount >= 0. */
  readonly range: FigureRange;
  /**
   * True for a count fixed by the model's wiring (istiods, config places): the same in every
   * replication, so it has no interval and no paired difference worth printing.
   */
  readonly structural: boolean;
  /**
   * For a percentile read off the run's latency histogram: the relative difference it cannot resolve
   * (two buckets, one per model's value), below which no difference is called significant.
   */
  readonly resolution?: number;
  /** The `report.material` threshold it is held to (structural counts: any whole one). */
  readonly material: 'availability' | 'latency' | 'cost' | 'blastRadius' | 'locality';
  /** The figure of one replication, or null where the run did not measure it. */
  readonly of: (run: RunSummary, ctx: MetricContext) => number | null;
}

/** Each model's percentile is within the histogram's accuracy of the truth: their difference, within twice it. */
const PERCENTILE_RESOLUTION = 2 * LATENCY_RELATIVE_ACCURACY;

/** Decimals kept and the values allowed, by unit: shares as run summaries keep availability, amounts to 4. */
const BY_UNIT = {
  fraction: { digits: 8, range: 'fraction' },
  ms: { digits: 4, range: 'nonNegative' },
  vCPU: { digits: 4, range: 'nonNegative' },
  GB: { digits: 4, range: 'nonNegative' },
  count: { digits: 0, range: 'nonNegative' },
} as const satisfies Record<ComparisonMetric['unit'], { digits: number; range: FigureRange }>;

/** A metric that varies from replication to replication; its decimals and range follow from its unit. */
function metric(
  name: string,
  unit: ComparisonMetric['unit'],
  better: ComparisonMetric['better'],
  material: ComparisonMetric['material'],
  of: ComparisonMetric['of'],
): ComparisonMetric {
  return { name, unit, better, ...BY_UNIT[unit], structural: false, material, of };
}

/** A count fixed by the model's wiring: the same in every replication (no interval, no difference). */
function structural(name: string, of: ComparisonMetric['of']): ComparisonMetric {
  return { name, unit: 'count', better: 'lower', ...BY_UNIT.count, structural: true, material: 'cost', of };
}

/** A latency percentile of successful requests, read off the run's histogram (hence its resolution). */
function latencyPercentile(name: string, key: 'p50' | 'p99'): ComparisonMetric {
  return {
    ...metric(name, 'ms', 'lower', 'latency', (r) => r.latencyMs?.[key] ?? null),
    resolution: PERCENTILE_RESOLUTION,
  };
}

/**
 * Indices of the faults of `scenario` that remove a control plane or cut proxies off from it under at
 * least one of `models`: the single point of failure is measured over their windows.
 */
export function controlPlaneFaults(scenario: Scenario, models: readonly DeploymentModel[]): number[] {
  return scenario.mesh.faults.flatMap((f, i) =>
    models.some((m) => cutsOffControlPlane(f, m, scenario.mesh.clusters)) ? [i] : [],
  );
}

/** The context of `model` in `scenario`, compared with `models` (default: it alone). */
export function metricContext(
  scenario: Scenario,
  model: DeploymentModel,
  models: readonly DeploymentModel[] = [model],
): MetricContext {
  const regionOf = new Map(scenario.mesh.clusters.map((c) => [c.name, c.region]));
  return {
    model,
    regionOf,
    regions: new Set(regionOf.values()).size,
    controlPlaneOutages: controlPlaneFaults(scenario, models).flatMap((i) => {
      const f = scenario.mesh.faults[i];
      return f === undefined
        ? []
        : [{ startMs: f.atMs, endMs: Math.min(f.atMs + f.forMs, scenario.durationMs) }];
    }),
  };
}

type BlastMeasure = 'clusters' | 'services' | 'traffic' | 'failed' | 'slow' | 'collateral';

/**
 * A blast-radius measure averaged over the run's measured faults (as `ModelComparison.blastRadius` is):
 * the blast radius of the scenario's average fault. Planned events (`kind: event`: scale, a graceful rollout) are
 * left out: a failure's headline is not diluted by a change made on purpose. A mean rather than a sum
 * keeps it a share (a sum of shares passes 100% with a few faults) and ranks models the same way, every
 * model facing the same faults.
 */
function blastMean(measure: BlastMeasure): (run: RunSummary) => number | null {
  return (run) => {
    let sum = 0;
    let measured = 0;
    for (const f of run.faults ?? []) {
      if (f.blastRadius === null || f.kind === 'event') continue;
      sum += f.blastRadius[measure] ?? 0;
      measured++;
    }
    return measured === 0 ? null : sum / measured;
  };
}

/** Share of calls whose serving replica is in another cluster (or region), from the traffic matrix. */
function crossShare(run: RunSummary, apart: (from: string, to: string) => boolean): number | null {
  let all = 0;
  let crossing = 0;
  for (const t of run.traffic) {
    all += t.requests;
    if (apart(t.from, t.to)) crossing += t.requests;
  }
  return all === 0 ? null : crossing / all;
}

/**
 * Availability over the windows that overlap a fault that removes a control plane or cuts proxies off
 * from it (`MetricContext.controlPlaneOutages`), weighted by requests: what clients saw while an istiod
 * was lost or out of reach. Windows rather than exact instants because that is what the run records;
 * a window only partly inside the outage dilutes the figure a little, the same way for every model.
 */
function outageAvailability(run: RunSummary, ctx: MetricContext): number | null {
  if (ctx.controlPlaneOutages.length === 0) return null;
  let requests = 0;
  let succeeded = 0;
  for (const w of run.timeline) {
    const end = w.startMs + run.windowMs;
    if (!ctx.controlPlaneOutages.some((o) => w.startMs < o.endMs && end > o.startMs)) continue;
    requests += w.requests;
    succeeded += w.succeeded;
  }
  return requests === 0 ? null : succeeded / requests;
}

/** A blast-radius measure of the average fault (`blastMean`): a share of the mesh, lower is better. */
const blast = (name: string, measure: BlastMeasure): ComparisonMetric =>
  metric(name, 'fraction', 'lower', 'blastRadius', blastMean(measure));

/** Every compared figure, in the order of `differences`. */
export const COMPARISON_METRICS: readonly ComparisonMetric[] = [
  metric('availability', 'fraction', 'higher', 'availability', (r) => r.availability),
  metric('withinSlo', 'fraction', 'higher', 'availability', (r) => r.withinSlo ?? null),
  metric('latencyMeanMs', 'ms', 'lower', 'latency', (r) => r.latencyMs?.mean ?? null),
  latencyPercentile('latencyP50Ms', 'p50'),
  latencyPercentile('latencyP99Ms', 'p99'),
  blast('blastRadiusClusters', 'clusters'),
  blast('blastRadiusServices', 'services'),
  blast('blastRadiusTraffic', 'traffic'),
  blast('blastRadiusFailed', 'failed'),
  blast('blastRadiusSlow', 'slow'),
  blast('blastRadiusCollateral', 'collateral'),
  metric('controlPlaneOutageAvailability', 'fraction', 'higher', 'availability', outageAvailability),
  metric('istiodVcpu', 'vCPU', 'lower', 'cost', (r) => r.cost?.istiodVcpu ?? null),
  metric('istiodMemoryGb', 'GB', 'lower', 'cost', (r) => r.cost?.istiodMemoryGb ?? null),
  metric('sidecarVcpu', 'vCPU', 'lower', 'cost', (r) => r.cost?.sidecarVcpu ?? null),
  metric('crossClusterShare', 'fraction', 'lower', 'locality', (r) => crossShare(r, (a, b) => a !== b)),
  metric('crossRegionShare', 'fraction', 'lower', 'locality', (r, ctx) =>
    ctx.regions < 2 ? null : crossShare(r, (a, b) => ctx.regionOf.get(a) !== ctx.regionOf.get(b)),
  ),
  structural('istiods', (r, ctx) => r.cost?.istiods ?? r.controlPlane?.istiods ?? istiodCount(ctx.model)),
  structural('configPlaces', (r, ctx) => r.cost?.configPlaces ?? configSources(ctx.model).length),
];

/** The metric named `name`; throws on a name not in `COMPARISON_METRICS` (a programming error). */
export function metricByName(name: string): ComparisonMetric {
  const m = COMPARISON_METRICS.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no comparison metric "${name}"`);
  return m;
}

/** One model's runs, one per replication in seed order, with what its metrics need. */
export interface ModelRuns {
  readonly model: DeploymentModel;
  readonly runs: readonly RunSummary[];
  readonly ctx: MetricContext;
}

/** The metric's value in each replication of the model, in seed order (null where unmeasured). */
export function observations(metric: ComparisonMetric, m: ModelRuns): (number | null)[] {
  return m.runs.map((r) => metric.of(r, m.ctx));
}
