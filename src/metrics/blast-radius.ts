/**
 * Blast radius of one fault, from two runs of the same scenario, model and seed: one with the fault and a
 * paired baseline without it (metrics.md). Every random stream is shared by name, so arrivals and client
 * placement are identical and the difference is the fault's.
 *
 * Definitions, window by window (windows of the run, by request start time):
 * - a unit is impacted in a window when its error rate (failed or unfinished over started) rises by more
 *   than `errorRateRise` over the baseline's, or its p99 of answered requests rises by more than `p99Rise`;
 *   each test needs enough samples in both runs (`minRequests`, `minLatencySamples`), because a p99 of a
 *   handful of requests is just their maximum and would flag noise;
 * - recovery: the end of the last window, at or after the fault's start, in which any unit is impacted,
 *   counted from the fault's start or end (`FaultDomain.recoveryFrom`); 0 if no unit ever is; null if the
 *   run's last window is still impacted. Its resolution is one window;
 * - availability recovery: from the same instant until the rolling availability of the whole mesh stays
 *   within `errorRateRise` of the baseline's, to a tenth of a window (recovery-trace.ts);
 * - the measured interval runs, in whole windows, from the fault's start to its end or to recovery,
 *   whichever is later: `clusters` and `services` count impacted units in it, `traffic` is the excess of
 *   failed-or-too-slow requests over the baseline's in it, over the requests started in it, and `failed`
 *   and `slow` are its two parts (failed or never answered; answered without error but too slow), each
 *   clipped at zero on its own; `collateral` is the part of `traffic` whose client cluster is outside the
 *   failed domain;
 * - too slow: answered after a deadline, `slo.latency.p99` when the scenario sets it, else the baseline
 *   unit's own p99 over the whole run times `deadlineFactor`; counted from the request cells' histograms,
 *   so within their 1% resolution (the run's own: the cells are its finest request histograms).
 * Excesses are summed before they are clipped at zero, so that noise in opposite directions cancels.
 */
import type { FaultDomain } from '../mesh/index.js';
import { availabilityRecovery } from './recovery-trace.js';
import type { RunUnits } from './run-recorder.js';
import type { FaultImpact, FaultImpactDetail } from './run-summary.js';
import { round } from './tally.js';
import type { UnitWindows } from './unit-windows.js';

/** When a unit counts as impacted, and how too slow is defined (metrics.md; configurable). */
export interface BlastRadiusThresholds {
  /** A unit is impacted when its error rate rises by more than this (a fraction: 0.01 is 1 point). */
  readonly errorRateRise: number;
  /** ... or its p99 rises by more than this fraction of the baseline's (0.5: by half). */
  readonly p99Rise: number;
  /** Without `slo.latency.p99`, a request is too slow past the baseline unit's p99 times this. */
  readonly deadlineFactor: number;
  /** The error-rate test needs at least this many requests in the window in both runs. */
  readonly minRequests: number;
  /** The p99 test needs at least this many answered requests in the window in both runs. */
  readonly minLatencySamples: number;
}

/** metrics.md's thresholds, and sample floors that keep a p99 a p99 (100 samples). */
export const DEFAULT_BLAST_RADIUS_THRESHOLDS: BlastRadiusThresholds = {
  errorRateRise: 0.01,
  p99Rise: 0.5,
  deadlineFactor: 1.5,
  minRequests: 20,
  minLatencySamples: 100,
};

/** The run's shape as blast radius needs it. */
export interface BlastRadiusLayout {
  readonly clusters: readonly string[];
  readonly traffic: readonly string[];
  readonly services: readonly string[];
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly windowMs: number;
}

/** A fault's timing and failed domain. */
export interface FaultWindowSpec {
  readonly atMs: number;
  /** Infinity when it lasts until the end. */
  readonly forMs: number;
  readonly domain: FaultDomain;
}

type Measured = Pick<FaultImpact, 'blastRadius' | 'timeToRecoverMs' | 'availabilityRecoveryMs'> & {
  readonly detail: FaultImpactDetail;
};

/**
 * The blast radius of a fault: `faulted` ran with it, `baseline` without it, both from the same scenario,
 * model and seed. `deadlineMs` is `slo.latency.p99`, or undefined to derive deadlines from the baseline.
 */
export function blastRadius(
  faulted: RunUnits,
  baseline: RunUnits,
  layout: BlastRadiusLayout,
  fault: FaultWindowSpec,
  thresholds: BlastRadiusThresholds,
  deadlineMs: number | undefined,
): Measured {
  const { warmupMs, windowMs, durationMs } = layout;
  const windows = faulted.requests.windows;
  const windowEnd = (w: number) => Math.min(durationMs, warmupMs + (w + 1) * windowMs);
  const first = Math.max(0, Math.floor((fault.atMs - warmupMs) / windowMs));
  const inside = new Set(fault.domain.clusters);
  const faultEnd = Math.min(durationMs, fault.atMs + fault.forMs);

  // 1. Impacted (unit, window) pairs from the fault's start on.
  const nTraffic = layout.traffic.length;
  const nServices = layout.services.length;
  const impactedClusters = new Set<number>();
  const impactedServices = new Set<number>();
  let impactedCells = 0;
  let last = -1;
  const scan = (f: UnitWindows, b: UnitWindows, perCluster: number, isService: boolean) => {
    for (let u = 0; u < f.units; u++) {
      for (let w = first; w < windows; w++) {
        if (!impacted(f, b, u, w, thresholds)) continue;
        impactedCells++;
        impactedClusters.add(Math.floor(u / perCluster));
        if (isService) impactedServices.add(u % perCluster);
        if (w > last) last = w;
      }
    }
  };
  if (nTraffic > 0) scan(faulted.requests, baseline.requests, nTraffic, false);
  if (nServices > 0) scan(faulted.services, baseline.services, nServices, true);

  // 2. Recovery.
  const reference = fault.domain.recoveryFrom === 'start' ? fault.atMs : faultEnd;
  let timeToRecoverMs: number | null;
  let intervalEnd: number;
  if (last < 0) {
    timeToRecoverMs = 0;
    intervalEnd = faultEnd;
  } else if (last >= windows - 1) {
    timeToRecoverMs = null;
    intervalEnd = durationMs;
  } else {
    timeToRecoverMs = round(Math.max(0, windowEnd(last) - reference), 3);
    intervalEnd = Math.max(faultEnd, windowEnd(last));
  }
  const availabilityRecoveryMs =
    faulted.recovery === undefined || baseline.recovery === undefined
      ? undefined
      : availabilityRecovery(faulted.recovery, baseline.recovery, reference, fault, thresholds);
  const lastWindow = Math.min(windows - 1, Math.ceil((intervalEnd - warmupMs) / windowMs) - 1);

  // 3. Excess failed-or-too-slow requests over the measured interval.
  let requests = 0;
  let excessFailed = 0;
  let excessSlow = 0;
  let collateral = 0;
  const f = faulted.requests;
  const b = baseline.requests;
  for (let u = 0; u < f.units; u++) {
    const deadline = deadlineMs ?? deadlineOf(b, u, thresholds.deadlineFactor);
    const outside = !inside.has(Math.floor(u / Math.max(1, nTraffic)));
    for (let w = first; w <= lastWindow; w++) {
      requests += f.started[f.cell(u, w)] as number;
      const failed = failuresIn(f, f.cell(u, w)) - failuresIn(b, b.cell(u, w));
      const slow = slowIn(f, u, w, deadline) - slowIn(b, u, w, deadline);
      excessFailed += failed;
      excessSlow += slow;
      if (outside) collateral += failed + slow;
    }
  }
  const excess = excessFailed + excessSlow;
  const traffic = requests === 0 ? null : Math.max(0, excess) / requests;
  const names = (set: Set<number>, all: readonly string[]) =>
    [...set].sort((x, y) => x - y).map((i) => all[i] ?? String(i));
  return {
    blastRadius:
      traffic === null || first >= windows
        ? null
        : {
            clusters: round(impactedClusters.size / Math.max(1, layout.clusters.length), 6),
            services: round(impactedServices.size / Math.max(1, nServices), 6),
            traffic: round(traffic, 6),
            failed: round(Math.max(0, excessFailed) / requests, 6),
            slow: round(Math.max(0, excessSlow) / requests, 6),
            collateral: round(Math.min(traffic, Math.max(0, collateral) / requests), 6),
          },
    timeToRecoverMs,
    ...(availabilityRecoveryMs === undefined
      ? {}
      : {
          availabilityRecoveryMs: availabilityRecoveryMs === null ? null : round(availabilityRecoveryMs, 3),
        }),
    detail: {
      failedDomain: fault.domain.clusters.map((i) => layout.clusters[i] ?? String(i)),
      recoveryFrom: fault.domain.recoveryFrom,
      fromMs: round(warmupMs + first * windowMs, 3),
      toMs: round(windowEnd(Math.max(first, lastWindow)), 3),
      requests,
      excessBadRequests: round(Math.max(0, excess), 3),
      excessFailedRequests: round(Math.max(0, excessFailed), 3),
      excessSlowRequests: round(Math.max(0, excessSlow), 3),
      collateralBadRequests: round(Math.max(0, collateral), 3),
      impactedClusters: names(impactedClusters, layout.clusters),
      impactedServices: names(impactedServices, layout.services),
      impactedUnitWindows: impactedCells,
    },
  };
}

/** Requests of a cell: started ones for request units, completed ones for calls (whose starts are not seen). */
function requestsIn(x: UnitWindows, c: number): number {
  return Math.max(x.started[c] as number, x.completed[c] as number);
}

/** Failed, or never answered by the end of the run. */
function failuresIn(x: UnitWindows, c: number): number {
  return (x.failed[c] as number) + requestsIn(x, c) - (x.completed[c] as number);
}

/** Whether unit `u` is impacted in window `w` of run `f` against baseline `b`. */
export function impacted(
  f: UnitWindows,
  b: UnitWindows,
  u: number,
  w: number,
  t: BlastRadiusThresholds,
): boolean {
  const c = f.cell(u, w);
  const nf = requestsIn(f, c);
  const nb = requestsIn(b, c);
  if (nf >= t.minRequests && nb >= t.minRequests) {
    if (failuresIn(f, c) / nf - failuresIn(b, c) / nb > t.errorRateRise) return true;
  }
  const hf = f.histogram(u, w);
  const hb = b.histogram(u, w);
  if (hf === undefined || hb === undefined) return false;
  if (hf.count < t.minLatencySamples || hb.count < t.minLatencySamples) return false;
  return (hf.quantile(0.99) ?? 0) > (hb.quantile(0.99) ?? 0) * (1 + t.p99Rise);
}

/** The baseline unit's p99 over the run times `factor`; Infinity when it answered nothing. */
function deadlineOf(b: UnitWindows, u: number, factor: number): number {
  const p99 = b.unitHistogram(u).quantile(0.99);
  return p99 === undefined ? Infinity : p99 * factor;
}

/** Answered without error, but past the deadline. */
function slowIn(x: UnitWindows, u: number, w: number, deadline: number): number {
  return x.histogram(u, w)?.countAbove(deadline) ?? 0;
}
