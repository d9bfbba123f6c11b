/**
 * Counts and latency of one slice of requests (a cluster's, a service's, a window's): the building block
 * the recorder keeps per breakdown. Answered requests (a final response that is not 5xx) and failed ones
 * (5xx, or no response at all) keep separate histograms, because a fast 503 is not good latency.
 */
import type { Breakdown, LatencySummary } from './run-summary.js';
import { LogHistogram, batchMeansStandardError } from './stats/index.js';

/** Relative accuracy of the latency histograms a run keeps (DDSketch, 1%): what its percentiles are worth. */
export const LATENCY_RELATIVE_ACCURACY = 0.01;

export class Tally {
  requests = 0;
  /** Answered without error (not 5xx), however late: what availability counts. */
  succeeded = 0;
  /** Answered without error, but after the deadline (always 0 without one): succeeded, not within SLO. */
  late = 0;
  /** End-to-end latency of answered requests, late ones included: they are latency too. */
  readonly latency: LogHistogram;
  readonly failedLatency: LogHistogram;
  /** Per batch of simulated time, sum and count of answered latencies (for batch-means errors). */
  private readonly batchSums: Float64Array;
  private readonly batchCounts: Float64Array;

  /**
   * @param batches - batches of simulated time for batch-means errors (0: none).
   * @param relativeAccuracy - of the latency histograms.
   */
  constructor(batches: number, relativeAccuracy = LATENCY_RELATIVE_ACCURACY) {
    this.batchSums = new Float64Array(batches);
    this.batchCounts = new Float64Array(batches);
    this.latency = new LogHistogram(relativeAccuracy);
    this.failedLatency = new LogHistogram(relativeAccuracy);
  }

  /**
   * Adds one finished request.
   *
   * @param ok - a final response that is not 5xx.
   * @param late - answered after the deadline: still a success, but not within the SLO.
   * @param lnLatency - `Math.log(latencyMs)`, when the caller computed it for other tallies too.
   */
  add(ok: boolean, latencyMs: number, batch: number, late = false, lnLatency = Math.log(latencyMs)): void {
    this.requests++;
    if (!ok) {
      this.failedLatency.recordLn(latencyMs, lnLatency);
      return;
    }
    this.succeeded++;
    if (late) this.late++;
    this.latency.recordLn(latencyMs, lnLatency);
    if (batch >= 0 && batch < this.batchSums.length) {
      this.batchSums[batch] = (this.batchSums[batch] as number) + latencyMs;
      this.batchCounts[batch] = (this.batchCounts[batch] as number) + 1;
    }
  }

  /** @param withSlo - the run has a latency objective, so the within-SLO figures are reported. */
  breakdown(withSlo = false): Breakdown {
    const within = this.succeeded - this.late;
    return {
      requests: this.requests,
      succeeded: this.succeeded,
      availability: this.requests === 0 ? null : round(this.succeeded / this.requests, 8),
      ...(withSlo
        ? {
            withinSloRequests: within,
            withinSlo: this.requests === 0 ? null : round(within / this.requests, 8),
          }
        : {}),
      latencyMs: this.latencySummary(),
      failedLatencyMs: summarize(this.failedLatency, undefined),
      ...(this.late > 0 ? { late: this.late } : {}),
    };
  }

  latencySummary(): LatencySummary | null {
    return summarize(this.latency, batchMeansStandardError([...this.batchSums], [...this.batchCounts]));
  }

  /** Histogram buckets held (memory accounting). */
  get bucketCount(): number {
    return this.latency.bucketCount + this.failedLatency.bucketCount;
  }
}

export function summarize(h: LogHistogram, meanStdErr: number | undefined): LatencySummary | null {
  if (h.count === 0) return null;
  const q = (p: number) => round(h.quantile(p) ?? 0, 4);
  return {
    count: h.count,
    mean: round(h.mean ?? 0, 4),
    meanStdErr: meanStdErr === undefined ? null : round(meanStdErr, 5),
    stddev: h.stddev === undefined ? null : round(h.stddev, 4),
    min: round(h.min ?? 0, 4),
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    p999: q(0.999),
    max: round(h.max ?? 0, 4),
  };
}

/** Rounds to `digits` decimals: reports stay readable and still byte-identical for a seed. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
