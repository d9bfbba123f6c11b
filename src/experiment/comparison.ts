/**
 * The result of comparing deployment models: what `compare --json` prints and what reports render.
 * Every figure is a mean over replications with a 95% Student-t interval; differences are paired (common
 * random numbers: replication k of every model shares every random stream). Additive changes only: the
 * field names are the output contract of scenario-format.md. Fields added after the first version are
 * optional in the types, so that results built by hand (report fixtures) stay valid; `compare` always
 * fills them.
 */
import type { ReportHeader, ServiceGraphSummary } from '../metrics/index.js';
import type { ServiceComparison, ServiceVersionComparison } from './service-comparison.js';

export type { ServiceComparison, ServiceVersionComparison } from './service-comparison.js';

/** A mean over replications with its 95% confidence interval; null where undefined (no samples). */
export interface Estimate {
  readonly mean: number;
  /** [lo, hi]; equal to [mean, mean] when every replication gave the same value. */
  readonly ci95: readonly [number, number];
  readonly n: number;
}

/** A blast radius over replications (metrics.md, blast radius): each measure a share, with its interval. */
export interface BlastRadiusEstimates {
  readonly clusters: Estimate | null;
  readonly services: Estimate | null;
  /** Failed or slow. */
  readonly traffic: Estimate | null;
  /** The failed part of `traffic` (5xx or unanswered). */
  readonly failed?: Estimate | null;
  /** The slow part of `traffic` (answered without error, too slow). */
  readonly slow?: Estimate | null;
  readonly collateral: Estimate | null;
}

export interface ModelComparison {
  readonly model: string;
  /** The deployment model's control-plane wiring and network mode. */
  readonly wiring: { readonly controlPlane: string; readonly network: string };
  /** Requests counted per replication (started after warm-up). */
  readonly requests?: Estimate | null;
  /** Share of requests answered without error, whatever the latency objective. */
  readonly availability: Estimate | null;
  /**
   * With `slo.latency.p99`: share of requests answered without error and within it. Absent without a
   * latency objective.
   */
  readonly withinSlo?: Estimate | null;
  readonly latencyMs: {
    /** Mean end-to-end latency of successful requests (exact per run, not from histogram buckets). */
    readonly mean?: Estimate | null;
    readonly p50: Estimate | null;
    readonly p90?: Estimate | null;
    readonly p99: Estimate | null;
    readonly p999?: Estimate | null;
  };
  /**
   * Mean over the scenario's measured faults, planned events (`kind: event`) left out: the average
   * fault's blast radius; null without faults.
   */
  readonly blastRadius: BlastRadiusEstimates | null;
  readonly cost: {
    readonly istiods: number;
    readonly istiodVcpu: Estimate | null;
    readonly istiodMemoryGb: Estimate | null;
    readonly sidecarVcpu: Estimate | null;
    readonly crossZoneGb: Estimate | null;
    readonly crossRegionGb: Estimate | null;
    readonly configPlaces: number;
  } | null;
  readonly controlPlaneHealth: {
    readonly convergenceP99Ms: Estimate | null;
    readonly staleProxySeconds: Estimate | null;
    readonly rejectedPodCreations: Estimate | null;
  } | null;
  /** Per fault of the scenario, in its order; empty when the runs measured no blast radius. */
  readonly faults?: readonly FaultComparison[];
  /**
   * Availability in the windows that overlap a control-plane outage (the scenario's
   * `control-plane-outage` faults): the single point of failure, measured. Null without such faults.
   */
  readonly controlPlaneOutageAvailability?: Estimate | null;
  /** Data locality: shares of calls served in another cluster and in another region (from the traffic matrix). */
  readonly locality?: {
    readonly crossClusterShare: Estimate | null;
    readonly crossRegionShare: Estimate | null;
  };
  /** Mean availability per window across replications (for the availability-over-time chart). */
  readonly timeline: readonly {
    readonly startMs: number;
    readonly availability: number | null;
    /** With `slo.latency.p99`: mean within-SLO share of the window. */
    readonly withinSlo?: number | null;
    readonly p99Ms: number | null;
  }[];
  /** Mean requests by client cluster and serving cluster. */
  readonly traffic: readonly { readonly from: string; readonly to: string; readonly requests: number }[];
  /** The service graph over the replications (`meanServiceGraph`): per edge, mean calls per replication. */
  readonly serviceGraph?: ServiceGraphSummary;
  /** Per service over the replications: calls, availability, p50 and p99 (`service-comparison.ts`). */
  readonly byService?: readonly ServiceComparison[];
  /**
   * Per service and `version` label of the serving replica, alike; absent when no replication had
   * versioned pods. Calls that reached no replica count in `byService` only.
   */
  readonly byServiceVersion?: readonly ServiceVersionComparison[];
  /** Seeds of the replications, in order. */
  readonly seeds: readonly number[];
}

/** One fault's blast radius under one model, over replications (metrics.md, blast radius). */
export interface FaultComparison {
  readonly type: string;
  /** `fault` or `event` (a planned change, reported with its own effect, outside the headline). */
  readonly kind?: 'fault' | 'event';
  readonly atMs: number;
  readonly target: string;
  readonly blastRadius: BlastRadiusEstimates;
  /** Over the replications that recovered; null when fewer than two did. */
  readonly timeToRecoverMs: Estimate | null;
  /** The availability recovery (`FaultImpact.availabilityRecoveryMs`), alike; absent when not measured. */
  readonly availabilityRecoveryMs?: Estimate | null;
  /** Replications whose availability never came back within the run (absent when not measured). */
  readonly availabilityNeverRecovered?: number;
  /** Replications in which the mesh never recovered from this fault within the run. */
  readonly neverRecovered: number;
}

/** A paired difference a - b of one metric, with its own interval. */
export interface PairwiseDifference {
  readonly metric: string;
  /** Unit of the metric and of the difference: fraction, ms, vCPU, GB, count. */
  readonly unit?: string;
  /** Which way is better for this metric. */
  readonly better?: 'higher' | 'lower';
  /** Replication pairs the difference is taken over. */
  readonly n?: number;
  readonly a: string;
  readonly b: string;
  readonly mean: number;
  readonly ci95: readonly [number, number];
  /** False when the interval spans zero, or the difference is below the figure's resolution. */
  readonly significant: boolean;
  /**
   * Significant and at least the metric's `report.material` threshold: a difference worth choosing a
   * model for.
   */
  readonly material?: boolean;
  /**
   * Set when the interval excludes zero but the difference is within what a latency histogram can
   * resolve (two 1% buckets): not called significant.
   */
  readonly belowResolution?: true;
}

export const Criterion = {
  availability: 'availability',
  p99Latency: 'p99Latency',
  blastRadius: 'blastRadius',
  collateral: 'collateral',
  controlPlaneCost: 'controlPlaneCost',
  configConsistency: 'configConsistency',
  /** Availability while a control plane is down (needs `control-plane-outage` faults). */
  singlePointOfFailure: 'singlePointOfFailure',
  /** Share of calls served in another region (another cluster in a one-region mesh). */
  dataLocality: 'dataLocality',
} as const;
export type Criterion = keyof typeof Criterion;

/** True when `x` names a criterion. */
export function isCriterion(x: unknown): x is Criterion {
  return typeof x === 'string' && Object.hasOwn(Criterion, x);
}

export interface VerdictEntry {
  readonly criterion: Criterion;
  /** The best model, or null when no model is materially better than the others (significant and above `report.material`). */
  readonly best: string | null;
  /** Plain words: "multi-primary: 99.95% vs 99.10% (difference 0.85 points, 95% CI 0.6 to 1.1)". */
  readonly note: string;
  /** The metric the criterion was judged on (a `differences` metric, or a structural count). */
  readonly metric?: string;
  /**
   * The models not materially worse than the one with the best mean, best first: one name when
   * `best` is set, several when the top is a tie.
   */
  readonly leaders?: readonly string[];
}

export interface Verdict {
  readonly criteria: readonly VerdictEntry[];
  /** "Which model fits", in plain sentences keyed to the trade-offs users weigh. */
  readonly fits: readonly string[];
  /** Criteria that could not be judged in this scenario, and why (e.g. no faults, so no blast radius). */
  readonly notMeasured?: readonly { readonly criterion: Criterion; readonly reason: string }[];
}

export interface FaultWindow {
  readonly type: string;
  /** `fault` or `event` (planned: scale, a graceful rollout); the headline blast radius averages faults only. */
  readonly kind?: 'fault' | 'event';
  /**
   * True when the fault removes a control plane or cuts proxies off from it under at least one compared
   * model: the single-point-of-failure figure is measured over these faults' windows.
   */
  readonly controlPlane?: boolean;
  readonly atMs: number;
  readonly forMs: number | null;
  readonly target: string;
}

export interface ComparisonResult extends ReportHeader {
  /** The scenario file, as given. */
  readonly file?: string;
  /** The smallest differences that matter, per criterion (`report.material`, defaults in material.ts). */
  readonly material?: {
    readonly availability: number;
    readonly latency: number;
    readonly cost: number;
    readonly blastRadius: number;
    readonly locality: number;
  };
  readonly replications: number;
  readonly faults: readonly FaultWindow[];
  readonly models: readonly ModelComparison[];
  readonly differences: readonly PairwiseDifference[];
  readonly verdict: Verdict;
}
