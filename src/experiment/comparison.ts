/**
 * The result of comparing deployment models: what `compare --json` prints and what reports render.
 * Every figure is a mean over replications with a 95% Student-t interval; differences are paired (common
 * random numbers: replication k of every model shares every random stream). Additive changes only: the
 * field names are the output contract of scenario-format.md.
 */

/** A mean over replications with its 95% confidence interval; null where undefined (no samples). */
export interface Estimate {
  readonly mean: number;
  /** [lo, hi]; equal to [mean, mean] when every replication gave the same value. */
  readonly ci95: readonly [number, number];
  readonly n: number;
}

export interface ModelComparison {
  readonly model: string;
  /** The deployment model's control-plane wiring and network mode. */
  readonly wiring: { readonly controlPlane: string; readonly network: string };
  readonly availability: Estimate | null;
  readonly latencyMs: { readonly p50: Estimate | null; readonly p99: Estimate | null };
  /** Summed over the scenario's faults; null without faults. */
  readonly blastRadius: {
    readonly clusters: Estimate | null;
    readonly services: Estimate | null;
    readonly traffic: Estimate | null;
    readonly collateral: Estimate | null;
  } | null;
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
  /** Mean availability per window across replications (for the availability-over-time chart). */
  readonly timeline: readonly { readonly startMs: number; readonly availability: number | null; readonly p99Ms: number | null }[];
  /** Mean requests by client cluster and serving cluster. */
  readonly traffic: readonly { readonly from: string; readonly to: string; readonly requests: number }[];
  /** Seeds of the replications, in order. */
  readonly seeds: readonly number[];
}

/** A paired difference a - b of one metric, with its own interval. */
export interface PairwiseDifference {
  readonly metric: string;
  readonly a: string;
  readonly b: string;
  readonly mean: number;
  readonly ci95: readonly [number, number];
  /** False when the interval spans zero. */
  readonly significant: boolean;
}

export const Criterion = {
  availability: 'availability',
  p99Latency: 'p99Latency',
  blastRadius: 'blastRadius',
  collateral: 'collateral',
  controlPlaneCost: 'controlPlaneCost',
  configConsistency: 'configConsistency',
} as const;
export type Criterion = keyof typeof Criterion;

export interface VerdictEntry {
  readonly criterion: Criterion;
  /** The best model, or null when no model is significantly better than the others. */
  readonly best: string | null;
  /** Plain words: "multi-primary: 99.95% vs 99.10% (difference 0.85 points, 95% CI 0.6 to 1.1)". */
  readonly note: string;
}

export interface Verdict {
  readonly criteria: readonly VerdictEntry[];
  /** "Which model fits", in plain sentences keyed to the trade-offs users weigh. */
  readonly fits: readonly string[];
}

export interface FaultWindow {
  readonly type: string;
  readonly atMs: number;
  readonly forMs: number | null;
  readonly target: string;
}

export interface ComparisonResult {
  readonly scenario: string;
  readonly replications: number;
  readonly seed: number;
  readonly rerun: string;
  readonly meshsimVersion: string;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly windowMs: number;
  readonly faults: readonly FaultWindow[];
  readonly models: readonly ModelComparison[];
  readonly differences: readonly PairwiseDifference[];
  readonly verdict: Verdict;
}
