/**
 * Blast radius of each fault of a run: one paired baseline per fault (the same scenario, model and seed
 * without that fault, so every random stream is shared by name), compared window by window with the run
 * that had it (metrics.md). The simulations themselves are run by run.ts (`runPart`), in this thread or
 * in workers; this compares their cells.
 */
import { faultDomain, faultKind, faultTarget, type DeploymentModel } from '../mesh/index.js';
import {
  DEFAULT_BLAST_RADIUS_THRESHOLDS,
  blastRadius,
  type BlastRadiusThresholds,
  type FaultImpact,
  type RunUnits,
} from '../metrics/index.js';
// Not the scenario index, which loads the parser (see run.ts).
import type { Scenario } from '../scenario/index.js';

/**
 * Fault `i` of `scenario` with its blast radius: the run that had it (`faulted`) against its paired
 * baseline; without a baseline (baselines turned off) the fault is listed unmeasured.
 */
export function faultImpact(
  scenario: Scenario,
  model: DeploymentModel,
  i: number,
  faulted: RunUnits,
  baseline: RunUnits | undefined,
  thresholds: Partial<BlastRadiusThresholds>,
): FaultImpact {
  const { mesh } = scenario;
  const f = mesh.faults[i];
  if (f === undefined) throw new RangeError(`faultImpact: no fault ${i} in ${scenario.file}`);
  const head = {
    type: f.type,
    kind: faultKind(f.type),
    atMs: f.atMs,
    forMs: f.forMs === Infinity ? null : f.forMs,
    target: faultTarget(f),
  };
  if (baseline === undefined) return { ...head, blastRadius: null, timeToRecoverMs: null };
  const layout = {
    clusters: mesh.clusters.map((c) => c.name),
    traffic: mesh.traffic.map((t) => t.name),
    services: mesh.services.map((s) => s.name),
    warmupMs: scenario.warmupMs,
    durationMs: scenario.durationMs,
    windowMs: scenario.windowMs,
  };
  const measured = blastRadius(
    faulted,
    baseline,
    layout,
    { atMs: f.atMs, forMs: f.forMs, domain: faultDomain(f, model, mesh.clusters, mesh.services) },
    { ...DEFAULT_BLAST_RADIUS_THRESHOLDS, ...thresholds },
    scenario.slo.latencyMs.p99,
  );
  return { ...head, ...measured };
}

/** How the faults of `scenario` were measured, in words for the report. */
export function faultImpactMethod(
  scenario: Scenario,
  thresholds: Partial<BlastRadiusThresholds>,
  baselines: boolean,
): string {
  const t: BlastRadiusThresholds = { ...DEFAULT_BLAST_RADIUS_THRESHOLDS, ...thresholds };
  const n = scenario.mesh.faults.length;
  if (n === 0) return 'No faults in this scenario.';
  if (!baselines)
    return 'Not measured: paired baselines were turned off, so faults are listed without blast radius.';
  const p99 = scenario.slo.latencyMs.p99;
  return [
    `Paired baselines: each fault against the same scenario, model and seed run without it (every random stream shared by name), ${1 + n} simulations in all.`,
    `Units: (client cluster, traffic source) and (caller cluster, service), in ${scenario.windowMs / 1000} s windows by request start.`,
    `A unit is impacted in a window when its error rate rises by more than ${percent(t.errorRateRise)} points (with at least ${t.minRequests} requests in both runs) or its p99 by more than ${percent(t.p99Rise)}% (at least ${t.minLatencySamples} answered in both).`,
    `Traffic: excess failed-or-too-slow requests over the baseline from the fault's start to its end or recovery, whichever is later, over the requests started then, split into failed (5xx or unanswered) and slow (answered without error but too slow); too slow = ${p99 === undefined ? `past the baseline unit's p99 x ${t.deadlineFactor}` : `past slo.latency.p99 (${p99} ms)`}.`,
    'Collateral: the part whose client cluster is outside the failed domain. Recovery: to the end of the last impacted window, from the fault end (from its start for faults the mesh routes around, or that last until the end).',
  ].join(' ');
}

/** A fraction in percent as a scenario writes it: 0.07 as 7, not 7.000000000000001. */
function percent(x: number): number {
  return +(x * 100).toPrecision(12);
}
