/**
 * Blast radius of each fault of a run: one paired baseline per fault (the same scenario, model and seed
 * without that fault, so every random stream is shared by name), compared window by window with the run
 * that had it (metrics.md). The baseline's recorder is dropped as soon as its fault is measured, so memory
 * stays that of two runs whatever the number of faults.
 */
import type { DeploymentModel } from '../mesh/index.js';
import {
  DEFAULT_BLAST_RADIUS_THRESHOLDS,
  blastRadius,
  faultDomain,
  type BlastRadiusThresholds,
  type FaultImpact,
  type RunRecorder,
} from '../metrics/index.js';
// Not the scenario index, which loads the parser (see run.ts).
import type { Scenario } from '../scenario/index.js';
import { faultTarget } from '../scenario/normalize-faults.js';
import { simulate } from './run.js';

export interface FaultImpactOptions {
  /** false: list the faults without measuring them (no extra runs). */
  readonly baselines: boolean;
  readonly thresholds: Partial<BlastRadiusThresholds>;
  /** Progress of the baseline of fault `i`, as a fraction of its simulated time. */
  readonly progressOf: (i: number) => ((fraction: number) => void) | undefined;
}

/** Every fault of `scenario` with its blast radius against its paired baseline, and how it was measured. */
export function measureFaultImpacts(
  scenario: Scenario,
  model: DeploymentModel,
  seed: number,
  faulted: RunRecorder,
  options: FaultImpactOptions,
): { faults: FaultImpact[]; method: string } {
  const thresholds = { ...DEFAULT_BLAST_RADIUS_THRESHOLDS, ...options.thresholds };
  const { mesh } = scenario;
  const layout = {
    clusters: mesh.clusters.map((c) => c.name),
    traffic: mesh.traffic.map((t) => t.name),
    services: mesh.services.map((s) => s.name),
    warmupMs: scenario.warmupMs,
    durationMs: scenario.durationMs,
    windowMs: scenario.windowMs,
  };
  const faults = mesh.faults.map((f, i): FaultImpact => {
    const head = {
      type: f.type,
      atMs: f.atMs,
      forMs: f.forMs === Infinity ? null : f.forMs,
      target: faultTarget(f),
    };
    if (!options.baselines) return { ...head, blastRadius: null, timeToRecoverMs: null };
    const baseline = simulate(scenario, model, seed, (j) => j !== i, options.progressOf(i));
    const measured = blastRadius(
      faulted.unitWindows,
      baseline.unitWindows,
      layout,
      { atMs: f.atMs, forMs: f.forMs, domain: faultDomain(f, model, mesh.clusters, mesh.services) },
      thresholds,
      scenario.slo.latencyMs.p99,
    );
    return { ...head, ...measured };
  });
  return { faults, method: describeMethod(scenario, thresholds, options.baselines) };
}

function describeMethod(scenario: Scenario, t: BlastRadiusThresholds, baselines: boolean): string {
  const n = scenario.mesh.faults.length;
  if (n === 0) return 'No faults in this scenario.';
  if (!baselines)
    return 'Not measured: paired baselines were turned off, so faults are listed without blast radius.';
  const p99 = scenario.slo.latencyMs.p99;
  return [
    `Paired baselines: each fault against the same scenario, model and seed run without it (every random stream shared by name), ${1 + n} simulations in all.`,
    `Units: (client cluster, traffic source) and (caller cluster, service), in ${scenario.windowMs / 1000} s windows by request start.`,
    `A unit is impacted in a window when its error rate rises by more than ${t.errorRateRise * 100} points (with at least ${t.minRequests} requests in both runs) or its p99 by more than ${t.p99Rise * 100}% (at least ${t.minLatencySamples} answered in both).`,
    `Traffic: excess failed-or-too-slow requests over the baseline from the fault's start to its end or recovery, whichever is later, over the requests started then; too slow = ${p99 === undefined ? `past the baseline unit's p99 x ${t.deadlineFactor}` : `past slo.latency.p99 (${p99} ms)`}.`,
    'Collateral: the part whose client cluster is outside the failed domain. Recovery: to the end of the last impacted window, from the fault end (from its start for faults the mesh routes around, or that last until the end).',
  ].join(' ');
}
