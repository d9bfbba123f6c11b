/**
 * The result of one run as plain data: what `summary.json` holds (the output contract of
 * scenario-format.md) and the only metrics type report/ sees. Numbers are `null` where undefined (no
 * samples), never invented.
 */
import type { ServiceGraphSummary } from './service-graph.js';

export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  /** Standard error of the mean by batch means over simulated time (null with fewer than 2 batches). */
  readonly meanStdErr: number | null;
  /** Population standard deviation of the latencies (exact running sums); null when unknown. */
  readonly stddev: number | null;
  /** The smallest latency (exact). */
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export interface Breakdown {
  readonly requests: number;
  /** Answered without error (a final response that is not 5xx), however late. */
  readonly succeeded: number;
  /** `succeeded / requests`: the share answered without error, whatever the latency objective. */
  readonly availability: number | null;
  /**
   * With `slo.latency.p99`: requests answered without error and within it (absent without that objective).
   */
  readonly withinSloRequests?: number;
  /** `withinSloRequests / requests`: the share answered well and in time (absent without a latency SLO). */
  readonly withinSlo?: number | null;
  /** Answered requests (not 5xx), late ones included. */
  readonly latencyMs: LatencySummary | null;
  /** Failed requests (5xx or no response): kept apart, a fast 503 is not good latency. */
  readonly failedLatencyMs?: LatencySummary | null;
  /** Answered without error but after the `slo.latency.p99` deadline (counted in `succeeded`); absent when none were. */
  readonly late?: number;
}

export type { ServiceVersionBreakdown } from './version-breakdown.js';
import type { ServiceVersionBreakdown } from './version-breakdown.js';

export interface ServiceBreakdown extends Breakdown {
  readonly service: string;
  /**
   * Present, `external`, for a ServiceEntry host outside the clusters (as the service graph's
   * `destinationKind`): its calls go to no replica, so it has no queue and no versions.
   */
  readonly kind?: 'external';
  /** Time calls to this service waited for a replica slot. */
  readonly queueMs: LatencySummary | null;
}

export interface WindowSummary {
  readonly startMs: number;
  readonly requests: number;
  /** Answered without error, however late. */
  readonly succeeded: number;
  readonly availability: number | null;
  /** With `slo.latency.p99`: the share answered without error and within it. */
  readonly withinSlo?: number | null;
  readonly latencyMs: { readonly mean: number; readonly p50: number; readonly p99: number } | null;
  /** Latency of the window's failed requests. */
  readonly failedLatencyMs?: { readonly mean: number; readonly p50: number; readonly p99: number } | null;
  /** With `slo.availability`: whether this window fell below it (absent without an SLO or requests). */
  readonly belowSlo?: boolean;
}

/** The scenario's objectives and how the run did against them, window by window. */
export interface SloSummary {
  readonly availability: number | null;
  /** `slo.latency.p99`, every request's deadline for the within-SLO figures (availability ignores it). */
  readonly deadlineMs: number | null;
  /** Windows with requests (judged). */
  readonly windows: number;
  /** Judged windows whose availability fell below `slo.availability`; null without one. */
  readonly violatingWindows: number | null;
}

/** One fault's measured consequence against the paired baseline run (metrics.md, blast radius). */
export interface FaultImpact {
  readonly type: string;
  /**
   * `fault` (a failure) or `event` (a planned change: `scale`, `pod-churn`); headline blast radius
   * averages faults only. Absent in summaries written before it was added: read absent as `fault`.
   */
  readonly kind?: 'fault' | 'event';
  readonly atMs: number;
  /** null when the fault lasts until the end of the run. */
  readonly forMs: number | null;
  /** What it hit, in words: "istiod of us-east-1", "us-east <-> eu-west". */
  readonly target: string;
  readonly blastRadius: {
    /** Fraction of clusters with an impacted unit during the fault. */
    readonly clusters: number;
    /** Fraction of services with an impacted unit. */
    readonly services: number;
    /** Excess failed-or-too-slow requests over the baseline, as a fraction of requests in the fault window. */
    readonly traffic: number;
    /** The failed part of `traffic`: excess 5xx or unanswered requests (clipped at zero on its own). */
    readonly failed?: number;
    /** The slow part of `traffic`: excess requests answered without error but too slow (clipped at zero). */
    readonly slow?: number;
    /** The part of `traffic` whose clients sit outside the failed domain. */
    readonly collateral: number;
  } | null;
  /** From the fault's end (or start, for faults the mesh routes around) until every unit is back; null if never. */
  readonly timeToRecoverMs: number | null;
  /**
   * From the same instant until the mesh's rolling availability stays within the error-rate threshold of
   * the baseline's, to a tenth of a window (recovery-trace.ts); null if it never does; absent without a
   * baseline. Finer than `timeToRecoverMs`, which resolves to a window and also counts latency.
   */
  readonly availabilityRecoveryMs?: number | null;
  /** How the impact was judged; absent when no baseline was run. */
  readonly detail?: FaultImpactDetail;
}

/** What lies behind a fault's blast radius, so a reviewer can check it. */
export interface FaultImpactDetail {
  /** Clusters whose clients are inside the failed domain (the rest is collateral). */
  readonly failedDomain: readonly string[];
  /** Whether recovery is counted from the fault's start (the mesh is expected to route around it). */
  readonly recoveryFrom: 'start' | 'end';
  /** The measured interval: whole windows from the fault's start to its end or to recovery, whichever is later. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Requests started in the interval, and how many more failed or were too slow than in the baseline. */
  readonly requests: number;
  readonly excessBadRequests: number;
  /** The two parts of `excessBadRequests`: failed (or unanswered), and answered but too slow. */
  readonly excessFailedRequests?: number;
  readonly excessSlowRequests?: number;
  readonly collateralBadRequests: number;
  readonly impactedClusters: readonly string[];
  readonly impactedServices: readonly string[];
  /** Impacted (unit, window) pairs, of request units and of service units. */
  readonly impactedUnitWindows: number;
}

export interface ControlPlaneSummary {
  readonly istiods: number;
  /**
   * Change to "every proxy that should see it has it", debounce included: meshsim's figure, not istiod's
   * per-proxy `pilot_proxy_convergence_time` (which the OpenMetrics export carries).
   */
  readonly convergenceMs: { readonly p50: number; readonly p99: number; readonly max: number } | null;
  /** Integral over time of proxies whose endpoint view differs from reality. */
  readonly staleProxySeconds: number;
  readonly pushes: number;
  /** Pod creations refused because the injection webhook's istiod was unreachable. */
  readonly rejectedPodCreations: number;
  /** Proxies whose certificate expired at some point in the run. */
  readonly expiredCertProxies: number;
  /** Changes that had not reached every proxy when the run ended (their convergence is censored). */
  readonly unconvergedChanges?: number;
}

export interface CostSummary {
  readonly istiods: number;
  readonly istiodVcpu: number;
  readonly istiodMemoryGb: number;
  readonly sidecarVcpu: number;
  readonly sidecarMemoryGb: number;
  readonly gatewayReplicas: number;
  readonly crossZoneGb: number;
  readonly crossRegionGb: number;
  /** Network cost at the configured per-GB prices, in the scenario's currency units. */
  readonly networkCost: number;
  /** Places a routing rule must be applied for the whole mesh to see it (config consistency risk). */
  readonly configPlaces: number;
  /** How each figure was computed, with its source. */
  readonly method: string;
  /** Simulated seconds the traffic figures were measured over (after warm-up). */
  readonly measuredSeconds?: number;
  /** `networkCost` extrapolated to 30 days at the measured rate. */
  readonly networkCostPer30Days?: number;
  /** Sidecars counted (replicas and client workloads) and the requests per second through them. */
  readonly sidecars?: number;
  readonly proxyRps?: number;
}

/**
 * The version of the JSON output contract (`summary.json`, `comparison.json`, `--json`): raised when a
 * key is renamed, removed or changes meaning (additions keep it). 1: every report before the field
 * existed, where `availability` and `requests.succeeded` counted late answers as failures when
 * `slo.latency.p99` was set. 2: availability counts every answer without error, however late; the
 * within-SLO share is `withinSlo` (scenarios/metrics.md, "The output contract").
 */
export const OUTPUT_CONTRACT_VERSION = 2;

/** What every report states first: which scenario, the seed and the command that reproduce it, the time. */
export interface ReportHeader {
  readonly scenario: string;
  /** Each cluster's region, in the scenario's order (charts group clusters by region in big meshes). */
  readonly clusterRegions?: readonly { readonly cluster: string; readonly region: string }[];
  readonly seed: number;
  /** The command line that reproduces the report. */
  readonly rerun: string;
  /** `OUTPUT_CONTRACT_VERSION` of the meshsim that wrote it. */
  readonly contractVersion: number;
  readonly meshsimVersion: string;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly windowMs: number;
}

export interface RunSummary extends ReportHeader {
  /** The deployment model's name; absent when the scenario names none. */
  readonly model?: string;
  /** Requests that started after warm-up: completed ones, and those still in flight when the run ended. */
  readonly requests: {
    readonly total: number;
    /** Answered without error (not 5xx), however late. */
    readonly succeeded: number;
    /** 5xx or no response. */
    readonly failed: number;
    readonly unfinished: number;
    /** Succeeded, but after `slo.latency.p99`; present when the scenario sets it. */
    readonly late?: number;
    /** Succeeded within `slo.latency.p99`; present when the scenario sets it. */
    readonly withinSlo?: number;
  };
  /** Share of finished requests answered without error, whatever the latency objective. */
  readonly availability: number | null;
  /** With `slo.latency.p99`: share of finished requests answered without error and within it. */
  readonly withinSlo?: number | null;
  /** End to end, successful requests only (a fast 503 is not good latency). */
  readonly latencyMs: LatencySummary | null;
  readonly failedLatencyMs: LatencySummary | null;
  /** Final responses by code and Envoy response flags. */
  readonly responses: readonly { readonly code: number; readonly flags: string; readonly count: number }[];
  readonly byCluster: readonly (Breakdown & { readonly cluster: string })[];
  readonly byTraffic: readonly (Breakdown & { readonly traffic: string })[];
  readonly byService: readonly ServiceBreakdown[];
  /**
   * Calls per service and `version` label of the serving replica (Bookinfo's reviews v1, v2, v3); absent
   * when no served pod had a version. Calls that reached no replica count in `byService` only.
   */
  readonly byServiceVersion?: readonly ServiceVersionBreakdown[];
  /** Calls by the caller's cluster and the serving replica's cluster. */
  readonly traffic: readonly { readonly from: string; readonly to: string; readonly requests: number }[];
  /**
   * Requests by the client's cluster and each cluster that served part of them (a replica worked on one of
   * its calls): a request served in two clusters counts once in each.
   */
  readonly requestTraffic?: readonly {
    readonly from: string;
    readonly to: string;
    readonly requests: number;
  }[];
  /** Calls per edge of the service graph (source workload, version, cluster -> destination); see service-graph.ts. */
  readonly serviceGraph?: ServiceGraphSummary;
  readonly timeline: readonly WindowSummary[];
  /** Present when the scenario sets an SLO. */
  readonly slo?: SloSummary;
  readonly faults?: readonly FaultImpact[];
  /** How `faults[].blastRadius` was measured (paired baselines, thresholds), or why it was not. */
  readonly blastRadiusMethod?: string;
  readonly controlPlane?: ControlPlaneSummary;
  readonly cost?: CostSummary;
}
