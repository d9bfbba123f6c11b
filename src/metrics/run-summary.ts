/**
 * The result of one run as plain data: what `summary.json` holds (the output contract of
 * scenario-format.md) and the only metrics type report/ sees. Numbers are `null` where undefined (no
 * samples), never invented.
 */

export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  /** Standard error of the mean by batch means over simulated time (null with fewer than 2 batches). */
  readonly meanStdErr: number | null;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export interface Breakdown {
  readonly requests: number;
  readonly succeeded: number;
  readonly availability: number | null;
  readonly latencyMs: LatencySummary | null;
}

export interface ServiceBreakdown extends Breakdown {
  readonly service: string;
  /** Time calls to this service waited for a replica slot. */
  readonly queueMs: LatencySummary | null;
}

export interface WindowSummary {
  readonly startMs: number;
  readonly requests: number;
  readonly succeeded: number;
  readonly availability: number | null;
  readonly latencyMs: { readonly mean: number; readonly p50: number; readonly p99: number } | null;
}

export interface RunSummary {
  readonly scenario: string;
  readonly seed: number;
  /** The command line that reproduces this run. */
  readonly rerun: string;
  readonly meshsimVersion: string;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly windowMs: number;
  /** Requests that started after warm-up: completed ones, and those still in flight when the run ended. */
  readonly requests: {
    readonly total: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly unfinished: number;
  };
  readonly availability: number | null;
  /** End to end, successful requests only (a fast 503 is not good latency). */
  readonly latencyMs: LatencySummary | null;
  readonly failedLatencyMs: LatencySummary | null;
  /** Final responses by code and Envoy response flags. */
  readonly responses: readonly { readonly code: number; readonly flags: string; readonly count: number }[];
  readonly byCluster: readonly (Breakdown & { readonly cluster: string })[];
  readonly byTraffic: readonly (Breakdown & { readonly traffic: string })[];
  readonly byService: readonly ServiceBreakdown[];
  /** Calls by the caller's cluster and the serving replica's cluster. */
  readonly traffic: readonly { readonly from: string; readonly to: string; readonly requests: number }[];
  readonly timeline: readonly WindowSummary[];
}
