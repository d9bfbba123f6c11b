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

/** A latency percentile of successful requests, read off the run's histogram (hence its resolution). */
function latencyPercentile(name: string, key: 'p50' | 'p99'): ComparisonMetric {
  return {
    name,
    unit: 'ms',
    better: 'lower',
    digits: 4,
    range: 'nonNegative',
    structural: false,
    resolution: PERCENTILE_RESOLUTION,
    material: 'latency',
    of: (r) => r.latencyMs?.[key] ?? null,
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

/** Every compared figure, in the order of `differences`. */
export const COMPARISON_METRICS: readonly ComparisonMetric[] = [
  {
    name: 'availability',
    unit: 'fraction',
    better: 'higher',
    digits: 8,
    range: 'fraction',
    structural: false,
    material: 'availability',
    of: (r) => r.availability,
  },
  {
    name: 'withinSlo',
    unit: 'fraction',
    better: 'higher',
    digits: 8,
    range: 'fraction',
    structural: false,
    material: 'availability',
    of: (r) => r.withinSlo ?? null,
  },
  {
    name: 'latencyMeanMs',
    unit: 'ms',
    better: 'lower',
    digits: 4,
    range: 'nonNegative',
    structural: false,
    material: 'latency',
    of: (r) => r.latencyMs?.mean ?? null,
  },
  latencyPercentile('latencyP50Ms', 'p50'),
  latencyPercentile('latencyP99Ms', 'p99'),
  {
    name: 'blastRadiusClusters',
    unit: 'fraction',
    better: 'lower',
    digits: 8,
    range: 'fraction',
    structural: false,
    material: 'blastRadius',
    of: blastMean('clusters'),
  },
  {
    name: 'blastRadiusServices',
    unit: 'fraction',
    better: 'lower',
    digits: 8,
    range: 'fraction',
    structural: false,
    material: 'blastRadius',
    of: blastMean('services'),
  },
  {
    name: 'blastRadiusTraffic',
    unit: 'fraction',
    better: 'lower',
    digits: 8,
    range: 'fraction',
    structural: false,
    material: 'blastRadius',
    of: blastMean('traffic'),
  },
  {
    name: 'blastRadiusFailed',
    unit: 'fraction',
    better: 'lower',
    digits: 8,
    range: 'fraction',
    structural: false,
    material: 'blastRadius',
    of: blastMean('failed'),
  },
  {
    name: 'blastRadiusSlow',
    unit: 'fraction',
    better: 'lower',
    digits: 8,
    range: 'fraction',
    structural: false,
    material: 'blastRadius',
    of: blastMean('slow'),
  },
  {
    name: 'blastRadiusCollateral',
    unit: 'fraction',
    better: 'lower',
    digits: 8,
    range: 'fraction',
    structural: false,
    material: 'blastRadius',
    of: blastMean('collateral'),
  },
  {
    name: 'controlPlaneOutageAvailability',
    unit: 'fraction',
    better: 'higher',
    digits: 8,
    range: 'fraction',
    structural: false,
    material: 'availability',
    of: outageAvailability,
  },
  {
    name: 'istiodVcpu',
    unit: 'vCPU',
    better: 'lower',
    digits: 4,
    range: 'nonNegative',
    structural: false,
    material: 'cost',
    of: (r) => r.cost?.istiodVcpu ?? null,
  },
  {
    name: 'istiodMemoryGb',
    unit: 'GB',
    better: 'lower',
    digits: 4,
    range: 'nonNegative',
    structural: false,
    material: 'cost',
    of: (r) => r.cost?.istiodMemoryGb ?? null,
  },
  {
    name: 'sidecarVcpu',
    unit: 'vCPU',
    better: 'lower',
    digits: 4,
    range: 'nonNegative',
    structural: false,
    material: 'cost',
    of: (r) => r.cost?.sidecarVcpu ?? null,
  },
  {
    name: 'crossClusterShare',
    unit: 'fraction',
    better: 'lower',
    digits: 8,
    range: 'fraction',
    structural: false,
    material: 'locality',
    of: (r) => crossShare(r, (a, b) => a !== b),
  },
  {
    name: 'crossRegionShare',
    unit: 'fraction',
    better: 'lower',
    digits: 8,
    range: 'fraction',
    structural: false,
    material: 'locality',
    of: (r, ctx) =>
      ctx.regions < 2 ? null : crossShare(r, (a, b) => ctx.regionOf.get(a) !== ctx.regionOf.get(b)),
  },
  {
    name: 'istiods',
    unit: 'count',
    better: 'lower',
    digits: 0,
    range: 'nonNegative',
    structural: true,
    material: 'cost',
    of: (r, ctx) => r.cost?.istiods ?? r.controlPlane?.istiods ?? istiodCount(ctx.model),
  },
  {
    name: 'configPlaces',
    unit: 'count',
    better: 'lower',
    digits: 0,
    range: 'nonNegative',
    structural: true,
    material: 'cost',
    of: (r, ctx) => r.cost?.configPlaces ?? configSources(ctx.model).length,
  },
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
