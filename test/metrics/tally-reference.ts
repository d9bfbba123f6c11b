/**
 * A slice's counts and latency histograms with its batch sums, recorded and broken down as one: what the
 * run recorder kept per breakdown before it kept sums only (`TallySums`) and merged its histograms from
 * finer cells. Kept here as the reference a `TallySums` breakdown must equal to the bit, and to check
 * `addCell` against `LogHistogram.record`.
 */
import { breakdownOf, LATENCY_RELATIVE_ACCURACY, summarize } from '../../src/metrics/tally.js';
import type { Breakdown, LatencySummary } from '../../src/metrics/run-summary.js';
import { LogHistogram, batchMeansStandardError } from '../../src/metrics/stats/index.js';

/** Batch sums of a tally that keeps none (never written: `add` checks the batch against the length). */
const NO_BATCHES = new Float64Array(0);

/** `Tally.add`'s cell: written and read within one call, so one serves every tally. */
const ADD_CELL = new Float64Array(2);

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
   * @param keepSums - the histograms keep running sums (LogHistogram `keepSums`); false for a finest
   *   cell that a `TallySums` breakdown merges (its sums come from there), and then `breakdown` and
   *   `latencySummary` throw.
   */
  constructor(batches: number, relativeAccuracy = LATENCY_RELATIVE_ACCURACY, keepSums = true) {
    this.batchSums = batches === 0 ? NO_BATCHES : new Float64Array(batches);
    this.batchCounts = batches === 0 ? NO_BATCHES : new Float64Array(batches);
    this.latency = new LogHistogram(relativeAccuracy, keepSums);
    this.failedLatency = new LogHistogram(relativeAccuracy, keepSums);
  }

  /**
   * Adds one finished request: `addCell` with the latency and its log put in a cell here (the recorder's
   * hot path calls `addCell` with a cell of its own; this is for callers that hold a number).
   *
   * @param ok - a final response that is not 5xx.
   * @param late - answered after the deadline: still a success, but not within the SLO.
   */
  add(ok: boolean, latencyMs: number, batch: number, late = false): void {
    if (ok && late) this.late++;
    ADD_CELL[0] = latencyMs;
    ADD_CELL[1] = Math.log(latencyMs);
    this.addCell(ok, ADD_CELL, batch);
  }

  /**
   * Adds one finished request, not late, whose latency and its natural log are `cell[0]` and `cell[1]`
   * (LogHistogram.recordCell says why a cell): nothing is boxed on the way to the histogram.
   */
  addCell(ok: boolean, cell: Float64Array, batch: number): void {
    this.requests++;
    if (!ok) {
      this.failedLatency.recordCell(cell);
      return;
    }
    this.succeeded++;
    this.latency.recordCell(cell);
    if (batch >= 0 && batch < this.batchSums.length) {
      this.batchSums[batch] = (this.batchSums[batch] as number) + (cell[0] as number);
      this.batchCounts[batch] = (this.batchCounts[batch] as number) + 1;
    }
  }

  /** @param withSlo - the run has a latency objective, so the within-SLO figures are reported. */
  breakdown(withSlo = false): Breakdown {
    return breakdownOf(this, this.latency, this.failedLatency, this.batchSums, this.batchCounts, withSlo);
  }

  latencySummary(): LatencySummary | null {
    return summarize(this.latency, batchMeansStandardError([...this.batchSums], [...this.batchCounts]));
  }

  /** Histogram buckets held (memory accounting). */
  get bucketCount(): number {
    return this.latency.bucketCount + this.failedLatency.bucketCount;
  }
}
