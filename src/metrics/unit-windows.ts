/**
 * Per (unit, window) counts and latency histograms: the raw material of blast radius. A unit is a slice of
 * traffic that can be hurt on its own, such as (client cluster, traffic source); a window is a slice of
 * measured time. Memory is units x windows cells, each a few counters and a histogram whose size depends on
 * the latency range, never on the number of requests.
 */
import { LogHistogram, type LogHistogramJSON } from './stats/index.js';

/**
 * Relative accuracy of the per (unit, window) histograms: coarser than the 1% of the run's own, because
 * there are units x windows of them and blast radius only asks "did p99 rise by 50%?" and "how many
 * requests were slower than a deadline?", where 2% is far below the thresholds.
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
}

/** Counts and answered-latency histograms per (unit, window) cell; cell = unit x windows + window. */
export class UnitWindows {
  /** Requests that started in the cell (requests not completed by the end count as failed later). */
  readonly started: Float64Array;
  readonly completed: Float64Array;
  readonly failed: Float64Array;
  /** Answered latencies per cell, created on first use so that empty cells cost a pointer. */
  private readonly latency: (LogHistogram | undefined)[];

  constructor(
    readonly units: number,
    readonly windows: number,
    readonly accuracy = UNIT_WINDOW_ACCURACY,
  ) {
    const cells = units * windows;
    this.started = new Float64Array(cells);
    this.completed = new Float64Array(cells);
    this.failed = new Float64Array(cells);
    this.latency = new Array<LogHistogram | undefined>(cells).fill(undefined);
  }

  /** Index of a cell; `window` outside [0, windows) gives -1. */
  cell(unit: number, window: number): number {
    return window >= 0 && window < this.windows ? unit * this.windows + window : -1;
  }

  start(unit: number, window: number): void {
    const c = this.cell(unit, window);
    if (c >= 0) this.started[c] = (this.started[c] as number) + 1;
  }

  /** `lnLatency`: `Math.log(latencyMs)`, when the caller has it already. */
  complete(
    unit: number,
    window: number,
    ok: boolean,
    latencyMs: number,
    lnLatency = Math.log(latencyMs),
  ): void {
    const c = this.cell(unit, window);
    if (c < 0) return;
    this.completed[c] = (this.completed[c] as number) + 1;
    if (!ok) {
      this.failed[c] = (this.failed[c] as number) + 1;
      return;
    }
    let h = this.latency[c];
    if (h === undefined) {
      h = new LogHistogram(this.accuracy);
      this.latency[c] = h;
    }
    h.recordLn(latencyMs, lnLatency);
  }

  /** Answered latencies of a cell; undefined when it has none. */
  histogram(unit: number, window: number): LogHistogram | undefined {
    const c = this.cell(unit, window);
    return c < 0 ? undefined : this.latency[c];
  }

  /** Answered latencies of a unit over every window. */
  unitHistogram(unit: number): LogHistogram {
    const all = new LogHistogram(this.accuracy);
    for (let w = 0; w < this.windows; w++) {
      const h = this.latency[unit * this.windows + w];
      if (h !== undefined) all.merge(h);
    }
    return all;
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
    };
  }

  static fromJSON(json: UnitWindowsJSON): UnitWindows {
    const cells = json.units * json.windows;
    if (json.started.length !== cells || json.completed.length !== cells || json.failed.length !== cells)
      throw new RangeError(`UnitWindows.fromJSON: counts do not have ${cells} cells`);
    const u = new UnitWindows(json.units, json.windows, json.accuracy);
    u.started.set(json.started);
    u.completed.set(json.completed);
    u.failed.set(json.failed);
    json.latency.forEach((h, c) => {
      if (h !== null) u.latency[c] = LogHistogram.fromJSON(h);
    });
    return u;
  }

  /** Histogram buckets held over all cells (memory accounting). */
  get bucketCount(): number {
    let n = 0;
    for (const h of this.latency) if (h !== undefined) n += h.bucketCount;
    return n;
  }
}
