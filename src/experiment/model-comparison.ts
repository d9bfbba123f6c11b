/**
 * One model's figures over its replications: every figure a mean with its 95% interval; the timeline
 * and the traffic matrix as plain means (for charts); per fault, the blast radius as measured by each
 * run against its paired baseline. A figure no replication measured stays null: it is never invented.
 *
 * Contents: `modelComparison`.
 */
import { faultKind, faultTarget, type DeploymentModel } from '../mesh/index.js';
import { meanServiceGraph, type RunSummary } from '../metrics/index.js';
import type { Scenario } from '../scenario/index.js';
import { metricByName, type MetricContext } from './comparison-metric.js';
import type { Estimate, FaultComparison, ModelComparison } from './comparison.js';
import { estimate, meanOf, type Observation } from './estimate.js';
import { serviceComparisons } from './service-comparison.js';

/** Decimals kept: fractions as run summaries keep availability, milliseconds as they keep latency. */
const FRACTION = 8;
const MS = 4;
const AMOUNT = 4;

type FaultImpact = NonNullable<RunSummary['faults']>[number];

/** The estimate of a `COMPARISON_METRICS` figure over `runs`. */
function metricEstimate(name: string, runs: readonly RunSummary[], ctx: MetricContext): Estimate | null {
  const m = metricByName(name);
  return estimate(
    runs.map((r) => m.of(r, ctx)),
    m.digits,
    m.range,
  );
}

/** Per window index, the mean over replications of availability and p99 (null where no run had any). */
function timeline(runs: readonly RunSummary[]): ModelComparison['timeline'] {
  const first = runs[0];
  if (first === undefined) return [];
  const slo = first.timeline.some((w) => w.withinSlo !== undefined);
  return first.timeline.map((w, i) => ({
    startMs: w.startMs,
    availability: meanOf(
      runs.map((r) => r.timeline[i]?.availability),
      FRACTION,
    ),
    ...(slo
      ? {
          withinSlo: meanOf(
            runs.map((r) => r.timeline[i]?.withinSlo),
            FRACTION,
          ),
        }
      : {}),
    p99Ms: meanOf(
      runs.map((r) => r.timeline[i]?.latencyMs?.p99),
      MS,
    ),
  }));
}

/** Mean calls per replication by client and serving cluster, in the scenario's cluster order; zero cells left out. */
function trafficMatrix(scenario: Scenario, runs: readonly RunSummary[]): ModelComparison['traffic'] {
  const clusters = scenario.mesh.clusters.map((c) => c.name);
  const out: { from: string; to: string; requests: number }[] = [];
  for (const from of clusters) {
    for (const to of clusters) {
      const mean = meanOf(
        runs.map((r) => r.traffic.find((t) => t.from === from && t.to === to)?.requests ?? 0),
        3,
      );
      if (mean !== null && mean > 0) out.push({ from, to, requests: mean });
    }
  }
  return out;
}

/**
 * Per fault of the scenario, its blast radius over the replications that measured it. Runs report
 * faults in scenario order; a run whose i-th fault is not the scenario's i-th is ignored for it.
 */
function faults(scenario: Scenario, runs: readonly RunSummary[]): FaultComparison[] {
  if (!runs.some((r) => r.faults !== undefined)) return [];
  return scenario.mesh.faults.map((f, i): FaultComparison => {
    const impacts = runs
      .map((r) => r.faults?.[i])
      .filter((x): x is FaultImpact => x !== undefined && x.type === f.type && x.atMs === f.atMs);
    const blast = (
      k: 'clusters' | 'services' | 'traffic' | 'failed' | 'slow' | 'collateral',
    ): Estimate | null =>
      estimate(
        impacts.map((x) => x.blastRadius?.[k]),
        FRACTION,
        'fraction',
      );
    return {
      type: f.type,
      kind: faultKind(f.type),
      atMs: f.atMs,
      target: faultTarget(f),
      blastRadius: {
        clusters: blast('clusters'),
        services: blast('services'),
        traffic: blast('traffic'),
        failed: blast('failed'),
        slow: blast('slow'),
        collateral: blast('collateral'),
      },
      // The mean time to recover is undefined when a run never recovered; it is taken over those that
      // did, and the others are counted, so a never-recovering model is not made to look fast.
      timeToRecoverMs: estimate(
        impacts.map((x) => x.timeToRecoverMs),
        MS,
      ),
      neverRecovered: impacts.filter((x) => x.blastRadius !== null && x.timeToRecoverMs === null).length,
      ...(impacts.some((x) => x.availabilityRecoveryMs !== undefined)
        ? {
            availabilityRecoveryMs: estimate(
              impacts.map((x) => x.availabilityRecoveryMs ?? null),
              MS,
            ),
            availabilityNeverRecovered: impacts.filter(
              (x) => x.blastRadius !== null && x.availabilityRecoveryMs === null,
            ).length,
          }
        : {}),
    };
  });
}

/** The comparison figures of `model` from its runs, one per replication in seed order. */
export function modelComparison(
  scenario: Scenario,
  model: DeploymentModel,
  runs: readonly RunSummary[],
  ctx: MetricContext,
  seeds: readonly number[],
): ModelComparison {
  const e = (name: string) => metricEstimate(name, runs, ctx);
  const of = (pick: (r: RunSummary) => Observation, digits: number) => estimate(runs.map(pick), digits);
  const hasFaults = scenario.mesh.faults.length > 0;
  // A count fixed by the wiring is the same in every run; the first run's is the model's.
  const structural = (name: string): number => {
    const first = runs[0];
    return first === undefined ? 0 : (metricByName(name).of(first, ctx) ?? 0);
  };
  const hasControlPlane = runs.some((r) => r.controlPlane !== undefined);
  return {
    model: model.name,
    wiring: { controlPlane: model.controlPlane, network: model.network },
    requests: of((r) => r.requests.total, 3),
    availability: e('availability'),
    ...(scenario.slo.latencyMs.p99 === undefined ? {} : { withinSlo: e('withinSlo') }),
    latencyMs: {
      mean: e('latencyMeanMs'),
      p50: e('latencyP50Ms'),
      p90: of((r) => r.latencyMs?.p90, MS),
      p99: e('latencyP99Ms'),
      p999: of((r) => r.latencyMs?.p999, MS),
    },
    blastRadius: hasFaults
      ? {
          clusters: e('blastRadiusClusters'),
          services: e('blastRadiusServices'),
          traffic: e('blastRadiusTraffic'),
          failed: e('blastRadiusFailed'),
          slow: e('blastRadiusSlow'),
          collateral: e('blastRadiusCollateral'),
        }
      : null,
    cost: {
      istiods: structural('istiods'),
      istiodVcpu: e('istiodVcpu'),
      istiodMemoryGb: e('istiodMemoryGb'),
      sidecarVcpu: e('sidecarVcpu'),
      crossZoneGb: of((r) => r.cost?.crossZoneGb, AMOUNT),
      crossRegionGb: of((r) => r.cost?.crossRegionGb, AMOUNT),
      configPlaces: structural('configPlaces'),
    },
    controlPlaneHealth: hasControlPlane
      ? {
          convergenceP99Ms: of((r) => r.controlPlane?.convergenceMs?.p99, MS),
          staleProxySeconds: of((r) => r.controlPlane?.staleProxySeconds, AMOUNT),
          rejectedPodCreations: of((r) => r.controlPlane?.rejectedPodCreations, 3),
        }
      : null,
    faults: faults(scenario, runs),
    controlPlaneOutageAvailability: e('controlPlaneOutageAvailability'),
    locality: {
      crossClusterShare: e('crossClusterShare'),
      crossRegionShare: e('crossRegionShare'),
    },
    timeline: timeline(runs),
    traffic: trafficMatrix(scenario, runs),
    serviceGraph: meanServiceGraph(runs.map((r) => r.serviceGraph ?? { edges: [] })),
    ...serviceComparisons(runs),
    seeds,
  };
}
