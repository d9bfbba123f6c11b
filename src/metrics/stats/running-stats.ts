/**
 * RunningStats: streaming count, mean, variance, min and max (Welford), mergeable (Chan et al.).
 */

/** Plain-data form of a {@link RunningStats}, safe for JSON and for structured clone across worker_threads. */
export interface RunningStatsJSON {
  readonly count: number;
  readonly mean: number;
  /** Sum of squared deviations from the mean. */
  readonly m2: number;
  /** Absent when empty. */
  readonly min?: number;
  /** Absent when empty. */
  readonly max?: number;
}

/**
 * Streaming mean and variance in O(1) memory, numerically stable, with exact parallel merging.
 *
 * @remarks Welford's update avoids the cancellation of the textbook Σx² − (Σx)²/n formula, which loses every
 * significant digit when the mean is large relative to the spread (e.g. timestamps, or latencies near a
 * constant network delay). `merge` uses the pairwise combination of Chan, Golub and LeVeque (1979), so
 * per-worker results combine to the same answer as a single sequential pass, up to rounding.
 */
export class RunningStats {
  private n = 0;
  private runningMean = 0;
  private m2 = 0;
  private lowest = Infinity;
  private highest = -Infinity;

  /**
   * Adds one observation.
   *
   * @throws RangeError if x is NaN or infinite (it would silently poison every later statistic).
   */
  add(x: number): void {
    if (!Number.isFinite(x)) throw notFinite(x);
    this.n += 1;
    const delta = x - this.runningMean;
    this.runningMean += delta / this.n;
    this.m2 += delta * (x - this.runningMean);
    if (x < this.lowest) this.lowest = x;
    if (x > this.highest) this.highest = x;
  }

  /** The number of observations. */
  get count(): number {
    return this.n;
  }

  /** The arithmetic mean, or undefined when empty. */
  get mean(): number | undefined {
    return this.n > 0 ? this.runningMean : undefined;
  }

  /** The sample variance (n − 1 denominator), or undefined when fewer than two observations. */
  get variance(): number | undefined {
    return this.n > 1 ? this.m2 / (this.n - 1) : undefined;
  }

  /** The sample standard deviation, or undefined when fewer than two observations. */
  get stddev(): number | undefined {
    return this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : undefined;
  }

  /** The smallest observation, or undefined when empty. */
  get min(): number | undefined {
    return this.n > 0 ? this.lowest : undefined;
  }

  /** The largest observation, or undefined when empty. */
  get max(): number | undefined {
    return this.n > 0 ? this.highest : undefined;
  }

  /** Adds every observation summarized by `other` to this accumulator; `other` is left unchanged. */
  merge(other: RunningStats): void {
    if (other.n === 0) return;
    if (this.n === 0) {
      this.n = other.n;
      this.runningMean = other.runningMean;
      this.m2 = other.m2;
      this.lowest = other.lowest;
      this.highest = other.highest;
      return;
    }
    const n = this.n + other.n;
    const delta = other.runningMean - this.runningMean;
    // Weighting by the share of each side keeps the update stable when one side is much larger.
    this.runningMean += (delta * other.n) / n;
    this.m2 += other.m2 + ((delta * delta * this.n) / n) * other.n;
    this.n = n;
    if (other.lowest < this.lowest) this.lowest = other.lowest;
    if (other.highest > this.highest) this.highest = other.highest;
  }

  /** The accumulator as plain data; `RunningStats.fromJSON` restores it exactly. */
  toJSON(): RunningStatsJSON {
    const base = { count: this.n, mean: this.runningMean, m2: this.m2 };
    // Infinity sentinels would turn into null under JSON.stringify, so an empty accumulator omits min/max.
    return this.n > 0 ? { ...base, min: this.lowest, max: this.highest } : base;
  }

  /**
   * Restores an accumulator from `toJSON()` output.
   *
   * @throws RangeError if the data is inconsistent (negative count or m2, or non-empty without min/max).
   */
  static fromJSON(json: RunningStatsJSON): RunningStats {
    if (!(json.count >= 0) || !(json.m2 >= 0)) {
      throw new RangeError(`RunningStats.fromJSON: count ${json.count} and m2 ${json.m2} must be >= 0`);
    }
    if (json.count > 0 && (json.min === undefined || json.max === undefined)) {
      throw new RangeError(`RunningStats.fromJSON: a non-empty accumulator needs min and max`);
    }
    const stats = new RunningStats();
    stats.n = json.count;
    stats.runningMean = json.count > 0 ? json.mean : 0;
    stats.m2 = json.m2;
    stats.lowest = json.min ?? Infinity;
    stats.highest = json.max ?? -Infinity;
    return stats;
  }
}

/** Out of line on purpose, like LogHistogram's guards: inline, the message was formatted on every call. */
function notFinite(x: number): RangeError {
  return new RangeError(`RunningStats.add(${x}): value must be finite`);
}
