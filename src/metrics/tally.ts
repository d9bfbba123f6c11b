/**
 * Counts and latency of one slice of requests (a cluster's, a service's, a window's): the building block
 * the recorder keeps per breakdown.
 */
import type { Breakdown, LatencySummary } from './run-summary.js';
import { LogHistogram, batchMeansStandardError } from './stats/index.js';

export class Tally {
  requests = 0;
  succeeded = 0;
  readonly latency = new LogHistogram(0.01);
  /** Per batch of simulated time, sum and count of successful latencies (for batch-means errors). */
  private readonly batchSums: Float64Array;
  private readonly batchCounts: Float64Array;

  constructor(batches: number) {
    this.batchSums = new Float64Array(batches);
    this.batchCounts = new Float64Array(batches);
  }

  add(ok: boolean, latencyMs: number, batch: number): void {
    this.requests++;
    if (!ok) return;
    this.succeeded++;
    this.latency.record(latencyMs);
    if (batch >= 0 && batch < this.batchSums.length) {
      this.batchSums[batch] = (this.batchSums[batch] as number) + latencyMs;
      this.batchCounts[batch] = (this.batchCounts[batch] as number) + 1;
    }
  }

  breakdown(): Breakdown {
    return {
      requests: this.requests,
      succeeded: this.succeeded,
      availability: this.requests === 0 ? null : round(this.succeeded / this.requests, 8),
      latencyMs: this.latencySummary(),
    };
  }

  latencySummary(): LatencySummary | null {
    return summarize(this.latency, batchMeansStandardError([...this.batchSums], [...this.batchCounts]));
  }
}

export function summarize(h: LogHistogram, meanStdErr: number | undefined): LatencySummary | null {
  if (h.count === 0) return null;
  const q = (p: number) => round(h.quantile(p) ?? 0, 4);
  return {
    count: h.count,
    mean: round(h.mean ?? 0, 4),
    meanStdErr: meanStdErr === undefined ? null : round(meanStdErr, 5),
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
