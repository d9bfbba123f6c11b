/**
 * Counts and latency sums of one slice of requests (a cluster's, a service's, a version's): what the
 * recorder keeps per breakdown, whose histograms it merges from finer cells when the summary is made
 * (`TallySums`), and the breakdown made of both (`breakdownOf`). Answered requests (a final response that is
 * not 5xx) and failed ones (5xx, or no response at all) keep separate histograms, because a fast 503 is not
 * good latency.
 */
import type { Breakdown, LatencySummary } from './run-summary.js';
import { LogHistogram, batchMeansStandardError } from './stats/index.js';

/** Relative accuracy of the latency histograms a run keeps (DDSketch, 1%): what its percentiles are worth. */
export const LATENCY_RELATIVE_ACCURACY = 0.01;

/** The histograms of a finer cell a `TallySums` breakdown merges (a service-graph edge, a unit's cells). */
export interface LatencyParts {
  readonly latency: LogHistogram;
  readonly failedLatency: LogHistogram;
}

/**
 * A breakdown's counts and sums without histograms, for a breakdown that is the union of finer cells (all
 * requests: the union of the (client cluster, traffic) ones): it keeps what depends on the order values
 * arrive in (running sums, per-batch sums) and the counts, and takes its histograms' buckets, min and max
 * from the finer cells at summary time, where they merge exactly. Recording a value once into the finest
 * cell and here costs a few additions where recording it into one more histogram cost ~250 instructions;
 * the sums are added in the order recorded, as that histogram added them, so every figure is the same to the
 * bit.
 */
export class TallySums {
  requests = 0;
  succeeded = 0;
  late = 0;
  /**
   * The sums in one array of doubles: okSum, okSumSq, failedSum, failedSumSq, then per batch of simulated
   * time the sum and the count of answered latencies side by side (`SUMS` + 2 x batch). A call's add
   * touches this object, the header's line and one batch's, where four number boxes and two Float64Arrays
   * (an object and its data each) took up to seven lines, nearly all L1d misses in the run recorder's
   * replay of ~150 calls over a dozen services (issue 17). Indexed by number in `add` (a module constant
   * is a load and a type check at each use, log-histogram.ts).
   */
  private readonly data: number[];

  /** @param batches - batches of simulated time for batch-means errors (0: none). */
  constructor(batches: number) {
    // A literal with a non-integer is an array of unboxed doubles, and stays one (log-histogram.ts).
    const data = [0.5, 0, 0, 0];
    data[0] = 0;
    for (let b = 0; b < batches; b++) data.push(0, 0);
    this.data = data;
  }

  /**
   * Adds one finished request (`late`: answered after the deadline); its finest cell gets the same latency.
   * Written small:
   * its bytecode counts three times against the budget TurboFan inlines the recorder's `recordRequest`
   * within (and once in `recordCall`'s, run-recorder.ts), so the answered and failed sums share their code
   * (`k`, the pair's index) and `late` has no default.
   */
  add(ok: boolean, latencyMs: number, batch: number, late: boolean): void {
    this.requests++;
    const d = this.data;
    const k = ok ? 0 : 2;
    d[k] = (d[k] as number) + latencyMs;
    d[k + 1] = (d[k + 1] as number) + latencyMs * latencyMs;
    if (!ok) return;
    this.succeeded++;
    if (late) this.late++;
    const at = 4 + 2 * batch;
    if (batch >= 0 && at < d.length) {
      d[at] = (d[at] as number) + latencyMs;
      d[at + 1] = (d[at + 1] as number) + 1;
    }
  }

  /**
   * The breakdown of these sums with the histograms of `parts`: the finer tallies that together got
   * exactly the requests added here.
   *
   * @throws Error if the parts' counts differ from these (a part missing or counted twice).
   */
  breakdown(parts: readonly LatencyParts[], withSlo = false): Breakdown {
    const accuracy = parts[0]?.latency.relativeAccuracy ?? LATENCY_RELATIVE_ACCURACY;
    const latency = new LogHistogram(accuracy);
    const failedLatency = new LogHistogram(accuracy);
    for (const p of parts) {
      latency.merge(p.latency);
      failedLatency.merge(p.failedLatency);
    }
    if (latency.count !== this.succeeded || failedLatency.count !== this.requests - this.succeeded)
      throw new Error(
        `TallySums: parts hold ${latency.count} answered and ${failedLatency.count} failed, the sums ${this.succeeded} and ${this.requests - this.succeeded}`,
      );
    const d = this.data;
    latency.setSums(d[SUMS.okSum] as number, d[SUMS.okSumSq] as number);
    failedLatency.setSums(d[SUMS.failedSum] as number, d[SUMS.failedSumSq] as number);
    const batches = (d.length - SUMS.batches) / 2;
    const batchSums = Float64Array.from({ length: batches }, (_, b) => d[SUMS.batches + 2 * b] as number);
    const batchCounts = Float64Array.from(
      { length: batches },
      (_, b) => d[SUMS.batches + 2 * b + 1] as number,
    );
    return breakdownOf(this, latency, failedLatency, batchSums, batchCounts, withSlo);
  }
}

/** `TallySums.data`'s layout (`add` writes the numbers themselves). */
const SUMS = { okSum: 0, okSumSq: 1, failedSum: 2, failedSumSq: 3, batches: 4 } as const;

/**
 * The breakdown of a slice from its counts, its histograms (answered and failed) and its per-batch sums
 * and counts of answered latencies (batch-means standard error of the mean).
 */
export function breakdownOf(
  counts: { readonly requests: number; readonly succeeded: number; readonly late: number },
  latency: LogHistogram,
  failedLatency: LogHistogram,
  batchSums: Float64Array,
  batchCounts: Float64Array,
  withSlo: boolean,
): Breakdown {
  const { requests, succeeded, late } = counts;
  const within = succeeded - late;
  return {
    requests,
    succeeded,
    availability: requests === 0 ? null : round(succeeded / requests, 8),
    ...(withSlo
      ? {
          withinSloRequests: within,
          withinSlo: requests === 0 ? null : round(within / requests, 8),
        }
      : {}),
    latencyMs: summarize(latency, batchMeansStandardError([...batchSums], [...batchCounts])),
    failedLatencyMs: summarize(failedLatency, undefined),
    ...(late > 0 ? { late } : {}),
  };
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
