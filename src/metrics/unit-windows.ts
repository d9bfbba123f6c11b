/**
 * Per (unit, window) counts and latency histograms: the raw material of blast radius. A unit is a slice of
 * traffic that can be hurt on its own, such as (client cluster, traffic source); a window is a slice of
 * measured time. Memory is units x windows cells, each a few counters and a histogram whose size depends on
 * the latency range, never on the number of requests.
 */
import { LogHistogram, type LogHistogramJSON } from './stats/index.js';

/**
 * Relative accuracy of the per (unit, window) histograms of calls: coarser than the 1% of the run's own,
 * because there are units x windows of them and blast radius only asks "did p99 rise by 50%?", where 2% is
 * far below the threshold. Request cells are the run's finest latency cells instead, at the run's 1%
 * (run-recorder.ts): every coarser request histogram is merged from them.
 */
export const UNIT_WINDOW_ACCURACY = 0.02;

/** Plain data of a {@link UnitWindows}, for structured clone between threads (typed arrays clone as they are). */
export interface UnitWindowsJSON {
  readonly units: number;
  readonly windows: number;
  readonly accuracy: number;
  readonly started: Float64Array;
  readonly completed: Float64Array;
  readonly failed: Float64Array;
  /** Per cell, its histogram or null. */
  readonly latency: readonly (LogHistogramJSON | null)[];
  /** Per cell, its failed requests' latency histogram or null; absent when the cells keep none. */
  readonly failedLatency?: readonly (LogHistogramJSON | null)[];
}

/** `UnitWindows.complete`'s cell: written and read within one call, so one serves every instance. */
const COMPLETE_CELL = new Float64Array(2);

/** Counts and answered-latency histograms per (unit, window) cell; cell = unit x windows + window. */
export class UnitWindows {
  /** Requests that started in the cell (requests not completed by the end count as failed later). */
  readonly started: Float64Array;
  readonly completed: Float64Array;
  readonly failed: Float64Array;
  /**
   * Answered latencies per cell, created on first use so that empty cells cost a pointer. Without running
   * sums (LogHistogram `keepSums`): blast radius reads a cell's counts and quantiles, and the run's
   * means come from sums the recorder adds in the order requests completed (run-recorder.ts).
   */
  private readonly latency: (LogHistogram | undefined)[];
  /**
   * Failed requests' latencies per cell, as `latency`, when the cells are the finest cells of a run's
   * failed-latency figures too (`keepFailed`); otherwise empty, and a failure is only counted.
   */
  private readonly failedLatency: (LogHistogram | undefined)[];

  /**
   * @param keepFailed - also keep a histogram of failed requests' latencies per cell (request cells:
   *   the run's failed-latency figures are merged from them).
   */
  constructor(
    readonly units: number,
    readonly windows: number,
    readonly accuracy = UNIT_WINDOW_ACCURACY,
    readonly keepFailed = false,
  ) {
    const cells = units * windows;
    this.started = new Float64Array(cells);
    this.completed = new Float64Array(cells);
    this.failed = new Float64Array(cells);
    this.latency = new Array<LogHistogram | undefined>(cells).fill(undefined);
    this.failedLatency = new Array<LogHistogram | undefined>(keepFailed ? cells : 0).fill(undefined);
  }

  /** Index of a cell; `window` outside [0, windows) gives -1. */
  cell(unit: number, window: number): number {
    return window >= 0 && window < this.windows ? unit * this.windows + window : -1;
  }

  start(unit: number, window: number): void {
    const c = this.cell(unit, window);
    if (c >= 0) this.started[c] = (this.started[c] as number) + 1;
  }

  /**
   * `completeCell` with the latency and its log put in a cell here (the recorder's hot path calls
   * `completeCell` with a cell of its own; this is for callers that hold a number).
   */
  complete(unit: number, window: number, ok: boolean, latencyMs: number): void {
    COMPLETE_CELL[0] = latencyMs;
    COMPLETE_CELL[1] = Math.log(latencyMs);
    this.completeCell(unit, window, ok, COMPLETE_CELL);
  }

  /**
   * Counts one request that started in (unit, window), whose latency and its natural log are `cell[0]`
   * and `cell[1]` (LogHistogram.recordCell says why a cell): nothing is boxed on the way to the histogram.
   */
  completeCell(unit: number, window: number, ok: boolean, cell: Float64Array): void {
    // `cell`'s test written out: one call fewer for TurboFan to inline within the recorder's budget.
    const windows = this.windows;
    if (!(window >= 0 && window < windows)) return;
    const c = unit * windows + window;
    this.completed[c] = (this.completed[c] as number) + 1;
    if (ok) (this.latency[c] ?? this.newCell(c)).recordCell(cell);
    else this.failedIn(c, cell[0] as number);
  }

  /** A cell's first answered latency: its histogram, out of `completeCell` (bytecode TurboFan inlines). */
  private newCell(c: number): LogHistogram {
    const h = new LogHistogram(this.accuracy, false);
    this.latency[c] = h;
    return h;
  }

  /** Out of `completeCell`, which runs per request: failures are few, and this keeps its code small. */
  private failedIn(c: number, latencyMs: number): void {
    this.failed[c] = (this.failed[c] as number) + 1;
    if (!this.keepFailed) return;
    let h = this.failedLatency[c];
    if (h === undefined) {
      h = new LogHistogram(this.accuracy, false);
      this.failedLatency[c] = h;
    }
    h.record(latencyMs);
  }

  /** Answered latencies of a cell; undefined when it has none. */
  histogram(unit: number, window: number): LogHistogram | undefined {
    const c = this.cell(unit, window);
    return c < 0 ? undefined : this.latency[c];
  }

  /** Answered latencies of a unit over every window. */
  unitHistogram(unit: number): LogHistogram {
    return this.merged(this.latency, unit * this.windows, unit * this.windows + this.windows, 1);
  }

  /** Failed requests' latencies of a unit over every window (`keepFailed`). */
  unitFailedHistogram(unit: number): LogHistogram {
    this.mustKeepFailed();
    return this.merged(this.failedLatency, unit * this.windows, unit * this.windows + this.windows, 1);
  }

  /** Answered latencies of a window over every unit. */
  windowHistogram(window: number): LogHistogram {
    return this.merged(this.latency, window, this.units * this.windows, this.windows);
  }

  /** Failed requests' latencies of a window over every unit (`keepFailed`). */
  windowFailedHistogram(window: number): LogHistogram {
    this.mustKeepFailed();
    return this.merged(this.failedLatency, window, this.units * this.windows, this.windows);
  }

  /** Requests completed in a window, over every unit, and those of them that failed. */
  windowCounts(window: number): { readonly completed: number; readonly failed: number } {
    let completed = 0;
    let failed = 0;
    for (let c = window; c < this.units * this.windows; c += this.windows) {
      completed += this.completed[c] as number;
      failed += this.failed[c] as number;
    }
    return { completed, failed };
  }

  /** The histograms of cells from, from + step, ... below `end`, merged (bucket counts add exactly). */
  private merged(cells: readonly (LogHistogram | undefined)[], from: number, end: number, step: number) {
    const all = new LogHistogram(this.accuracy);
    for (let c = from; c < end; c += step) {
      const h = cells[c];
      if (h !== undefined) all.merge(h);
    }
    return all;
  }

  private mustKeepFailed(): void {
    if (!this.keepFailed)
      throw new Error('UnitWindows: these cells keep no failed latencies (constructed without keepFailed)');
  }

  /** The cells as plain data; `UnitWindows.fromJSON` restores them exactly. */
  toJSON(): UnitWindowsJSON {
    return {
      units: this.units,
      windows: this.windows,
      accuracy: this.accuracy,
      started: this.started.slice(),
      completed: this.completed.slice(),
      failed: this.failed.slice(),
      latency: this.latency.map((h) => (h === undefined ? null : h.toJSON())),
      ...(this.keepFailed
        ? { failedLatency: this.failedLatency.map((h) => (h === undefined ? null : h.toJSON())) }
        : {}),
    };
  }

  static fromJSON(json: UnitWindowsJSON): UnitWindows {
    const cells = json.units * json.windows;
    if (json.started.length !== cells || json.completed.length !== cells || json.failed.length !== cells)
      throw new RangeError(`UnitWindows.fromJSON: counts do not have ${cells} cells`);
    const failedLatency = json.failedLatency;
    if (failedLatency !== undefined && failedLatency.length !== cells)
      throw new RangeError(`UnitWindows.fromJSON: failed latencies do not have ${cells} cells`);
    const u = new UnitWindows(json.units, json.windows, json.accuracy, failedLatency !== undefined);
    u.started.set(json.started);
    u.completed.set(json.completed);
    u.failed.set(json.failed);
    json.latency.forEach((h, c) => {
      if (h !== null) u.latency[c] = LogHistogram.fromJSON(h);
    });
    failedLatency?.forEach((h, c) => {
      if (h !== null) u.failedLatency[c] = LogHistogram.fromJSON(h);
    });
    return u;
  }

  /** Histogram buckets held over all cells (memory accounting). */
  get bucketCount(): number {
    let n = 0;
    for (const h of this.latency) if (h !== undefined) n += h.bucketCount;
    for (const h of this.failedLatency) if (h !== undefined) n += h.bucketCount;
    return n;
  }
}
