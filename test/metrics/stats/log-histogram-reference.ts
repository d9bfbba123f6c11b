/**
 * The log histogram as it was before its state moved into one array of doubles (s34): separate fields and a
 * Float64Array of counts. Kept as the reference the packed one must match, value for value (test only).
 */
import type { LogHistogramJSON } from '../../../src/metrics/stats/index.js';

const ZERO_FLOOR = 1e-9;

const NO_COUNTS = new Float64Array(0);

export class ReferenceHistogram {
  private readonly accuracy: number;
  private readonly lnGamma: number;
  // Multiplying by a precomputed reciprocal keeps a division out of the hot path.
  private readonly invLnGamma: number;
  // The bucket value 2γ^i/(γ+1) is computed as exp(i·lnγ)·scale.
  private readonly estimateScale: number;
  private counts = NO_COUNTS;
  private offset = 0;
  private zeroCount = 0;
  private total = 0;
  /**
   * False for a histogram that keeps no running sums (`keepSums`): both sums are then NaN, and so is any
   * sum merged from it, until `setSums` gives the ones kept elsewhere.
   */
  private keepSums: boolean;
  private runningSum: number;
  private runningSumSq: number;
  // ±Infinity sentinels make `record` branch-free for the first sample; the getters map them to undefined.
  private lowest = Infinity;
  private highest = -Infinity;

  /**
   * Creates an empty histogram.
   *
   * @param relativeAccuracy - the guaranteed relative error a of quantile estimates, in (0, 1).
   * @param keepSums - keep the running sums (of values and of their squares) behind `sum`, `mean` and
   *   `stddev`. False for a finest cell whose coarser histograms take their sums from elsewhere
   *   (`setSums`, tally.ts `TallySums`) and whose own sums nothing reads: the recorder's per (unit,
   *   window) cells and service-graph edges. A record then skips two read-modify-writes of boxed doubles,
   *   often cold in cache (~1% of the mesh bench, issue 17); `sum`, `mean` and `stddev` throw.
   */
  constructor(relativeAccuracy = 0.01, keepSums = true) {
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
      throw new RangeError(`ReferenceHistogram(${relativeAccuracy}): relativeAccuracy must be in (0, 1)`);
    }
    this.accuracy = relativeAccuracy;
    this.keepSums = keepSums;
    this.runningSum = keepSums ? 0 : NaN;
    this.runningSumSq = keepSums ? 0 : NaN;
    const gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.lnGamma = Math.log(gamma);
    this.invLnGamma = 1 / this.lnGamma;
    this.estimateScale = 2 / (gamma + 1);
  }

  /** The guaranteed relative error of quantile estimates. */
  get relativeAccuracy(): number {
    return this.accuracy;
  }

  /** The number of recorded values (the sum of weights when `recordMany` was given non-integer counts). */
  get count(): number {
    return this.total;
  }

  /** The exact sum of recorded values. */
  get sum(): number {
    this.mustHaveSums('sum');
    return this.runningSum;
  }

  /** The exact smallest recorded value, or undefined when empty. */
  get min(): number | undefined {
    return this.total > 0 ? this.lowest : undefined;
  }

  /** The exact largest recorded value, or undefined when empty. */
  get max(): number | undefined {
    return this.total > 0 ? this.highest : undefined;
  }

  /**
   * The population standard deviation, sqrt(Σx²/n − mean²) from exact running sums (as Fortio's
   * histogram reports it); undefined when empty or restored from data without the sum of squares.
   */
  get stddev(): number | undefined {
    if (this.total === 0) return undefined;
    this.mustHaveSums('stddev');
    if (!Number.isFinite(this.runningSumSq)) return undefined;
    const mean = this.runningSum / this.total;
    return Math.sqrt(Math.max(0, this.runningSumSq / this.total - mean * mean));
  }

  /** The exact mean (sum / count), or undefined when empty. */
  get mean(): number | undefined {
    if (this.total === 0) return undefined;
    this.mustHaveSums('mean');
    return this.runningSum / this.total;
  }

  /** Sums never kept (`keepSums` false, or merged from such a histogram without `setSums`) cannot be read. */
  private mustHaveSums(what: string): void {
    if (Number.isNaN(this.runningSum))
      throw new Error(
        `ReferenceHistogram.${what}: this histogram keeps no sums (keepSums false, and no setSums)`,
      );
  }

  /**
   * The number of allocated buckets, which is the memory footprint in doubles (the zero bucket aside).
   *
   * @remarks Equals ceil(log_γ max) − ceil(log_γ min) + 1 over the values above the zero floor, so it is at
   * most log(max/min)/log(γ) + 2 however many values were recorded.
   */
  get bucketCount(): number {
    return this.counts.length;
  }

  /**
   * Records one value.
   *
   * @throws RangeError if value is negative, NaN or infinite.
   */
  record(value: number): void {
    // Values in the zero bucket need no log: a queue wait is mostly 0, and Math.log(0) is a call into C.
    this.recordLn(value, value >= ZERO_FLOOR ? Math.log(value) : 0);
  }

  /**
   * Records one value whose natural log the caller already has: a value recorded into several histograms
   * (a request's latency goes into five) is then logged once. `lnValue` must be `Math.log(value)`.
   *
   * @throws RangeError if value is negative, NaN or infinite.
   */
  recordLn(value: number, lnValue: number): void {
    // One comparison chain rejects NaN, negatives and +Infinity.
    if (!(value >= 0 && value < Infinity)) throw invalid('record', 'value must be finite and >= 0', value);
    this.total += 1;
    if (this.keepSums) {
      this.runningSum += value;
      this.runningSumSq += value * value;
    }
    if (value < this.lowest) this.lowest = value;
    if (value > this.highest) this.highest = value;
    // ZERO_FLOOR written out: TurboFan loads a module constant from the module's context and
    // checks its type on every call (~8 instructions per value, ~100 per request on the mesh bench).
    if (value < 1e-9) {
      this.zeroCount += 1;
      return;
    }
    // `+ 0`: Math.ceil of a value in (-1, 0) is -0 (a latency just under 1 ms), which is no small integer:
    // stored as the first bucket's offset, it turned that field into a double for every histogram, and
    // the recorder's optimized code then deoptimized ("minus zero", then "wrong map" on each histogram
    // made before) in the middle of a run. -0 + 0 is +0; every other index is unchanged.
    const index = Math.ceil(lnValue * this.invLnGamma) + 0;
    let slot = index - this.offset;
    if (slot < 0 || slot >= this.counts.length) {
      this.cover(index, index);
      slot = index - this.offset;
    }
    this.counts[slot] = (this.counts[slot] ?? 0) + 1;
  }

  /**
   * Records `cell[0]`, whose natural log the caller put in `cell[1]`: `recordLn` with both numbers read
   * from a Float64Array. A double passed as an argument to a call V8 does not inline is boxed (a 16-byte
   * HeapNumber) at each call; a request's latency crosses several such calls, so the run recorder writes it
   * and its log once into a cell and hands the cell on (a pointer, nothing allocated). The body is
   * `recordLn`'s, not a call to it: that call would box both numbers again whenever V8 did not inline it.
   *
   * @throws RangeError if cell[0] is negative, NaN or infinite.
   */
  recordCell(cell: Float64Array): void {
    const value = cell[0] as number;
    if (!(value >= 0 && value < Infinity)) throw invalid('record', 'value must be finite and >= 0', value);
    this.total += 1;
    if (this.keepSums) {
      this.runningSum += value;
      this.runningSumSq += value * value;
    }
    if (value < this.lowest) this.lowest = value;
    if (value > this.highest) this.highest = value;
    if (value < 1e-9) {
      this.zeroCount += 1;
      return;
    }
    const index = Math.ceil((cell[1] as number) * this.invLnGamma) + 0; // + 0: no -0 (see recordLn)
    let slot = index - this.offset;
    if (slot < 0 || slot >= this.counts.length) {
      this.cover(index, index);
      slot = index - this.offset;
    }
    this.counts[slot] = (this.counts[slot] ?? 0) + 1;
  }

  /**
   * Records `value` with weight `count`, as if `record(value)` were called `count` times.
   *
   * @throws RangeError if value is negative, NaN or infinite, or count is negative or not finite.
   */
  recordMany(value: number, count: number): void {
    if (!(value >= 0 && value < Infinity))
      throw invalid('recordMany', 'value must be finite and >= 0', value, count);
    if (!(count >= 0 && count < Infinity))
      throw invalid('recordMany', 'count must be finite and >= 0', value, count);
    // A zero weight must not widen min/max or the bucket range.
    if (count === 0) return;
    this.total += count;
    if (this.keepSums) {
      this.runningSum += value * count;
      this.runningSumSq += value * value * count;
    }
    if (value < this.lowest) this.lowest = value;
    if (value > this.highest) this.highest = value;
    if (value < ZERO_FLOOR) {
      this.zeroCount += count;
      return;
    }
    const index = Math.ceil(Math.log(value) * this.invLnGamma) + 0; // + 0: no -0 offset (see recordLn)
    this.cover(index, index);
    const slot = index - this.offset;
    this.counts[slot] = (this.counts[slot] ?? 0) + count;
  }

  /**
   * The estimated q-quantile: within relative error `relativeAccuracy` of the recorded value at rank
   * ceil(q·count), clamped into [min, max]; undefined when empty.
   *
   * @remarks q = 0 and q = 1 return the exact min and max. Values below the zero floor are estimated by min.
   * @throws RangeError if q is not in [0, 1].
   */
  quantile(q: number): number | undefined {
    if (!(q >= 0 && q <= 1)) {
      throw new RangeError(`ReferenceHistogram.quantile(${q}): q must be in [0, 1]`);
    }
    if (this.total === 0) return undefined;
    if (q === 0) return this.lowest;
    if (q === 1) return this.highest;
    // With integer counts, "cumulative >= q·count" is the same test as "cumulative >= ceil(q·count)".
    const rank = q * this.total;
    let cumulative = this.zeroCount;
    if (cumulative >= rank) return this.lowest;
    const counts = this.counts;
    for (let slot = 0; slot < counts.length; slot++) {
      cumulative += counts[slot] ?? 0;
      if (cumulative >= rank) {
        const estimate = Math.exp((this.offset + slot) * this.lnGamma) * this.estimateScale;
        return Math.min(Math.max(estimate, this.lowest), this.highest);
      }
    }
    // Reached only when rounding in fractional weights leaves the cumulative sum a hair below the rank.
    return this.highest;
  }

  /**
   * The estimated number of recorded values above `threshold`.
   *
   * @remarks Exact when `threshold` is below min or at or above max. Otherwise a bucket counts when its
   * reported value (the one `quantile` would give) is above the threshold, so only values within the relative
   * accuracy of `threshold` can be misplaced. This is what lets a per-request deadline that is known only
   * after the run (another run's p99) be applied to a histogram afterwards.
   */
  countAbove(threshold: number): number {
    if (this.total === 0 || !(threshold < this.highest)) return 0;
    if (threshold < this.lowest) return this.total;
    let above = 0;
    const counts = this.counts;
    for (let slot = counts.length - 1; slot >= 0; slot--) {
      const estimate = Math.exp((this.offset + slot) * this.lnGamma) * this.estimateScale;
      if (!(estimate > threshold)) break;
      above += counts[slot] ?? 0;
    }
    return above;
  }

  /**
   * Adds every value recorded in `other` to this histogram; `other` is left unchanged.
   *
   * @throws RangeError if the two histograms have different relative accuracies (their buckets differ).
   */
  merge(other: ReferenceHistogram): void {
    if (other.accuracy !== this.accuracy) {
      throw new RangeError(
        `ReferenceHistogram.merge: relativeAccuracy ${other.accuracy} differs from ${this.accuracy}`,
      );
    }
    if (other.total === 0) return;
    const source = other.counts;
    if (source.length > 0) {
      this.cover(other.offset, other.offset + source.length - 1);
      const shift = other.offset - this.offset;
      for (let slot = 0; slot < source.length; slot++) {
        this.counts[shift + slot] = (this.counts[shift + slot] ?? 0) + (source[slot] ?? 0);
      }
    }
    this.zeroCount += other.zeroCount;
    this.total += other.total;
    this.runningSum += other.runningSum;
    this.runningSumSq += other.runningSumSq;
    if (other.lowest < this.lowest) this.lowest = other.lowest;
    if (other.highest > this.highest) this.highest = other.highest;
  }

  /**
   * Replaces the running sums (of values and of their squares) by ones kept elsewhere, for a histogram
   * merged from parts whose values were also summed in the order recorded (tally.ts `TallySums`): merging
   * adds the parts' sums in another order, which can change the last bit of a mean; these make the mean
   * and standard deviation exactly those of recording the values one by one here.
   */
  setSums(sum: number, sumSq: number): void {
    this.runningSum = sum;
    this.runningSumSq = sumSq;
    this.keepSums = true;
  }

  /** An independent copy of this histogram. */
  clone(): ReferenceHistogram {
    const copy = new ReferenceHistogram(this.accuracy, this.keepSums);
    copy.counts = this.counts.slice();
    copy.offset = this.offset;
    copy.zeroCount = this.zeroCount;
    copy.total = this.total;
    copy.runningSum = this.runningSum;
    copy.runningSumSq = this.runningSumSq;
    copy.lowest = this.lowest;
    copy.highest = this.highest;
    return copy;
  }

  /** Empties the histogram and releases its buckets, keeping the accuracy. */
  reset(): void {
    this.counts = NO_COUNTS;
    this.offset = 0;
    this.zeroCount = 0;
    this.total = 0;
    this.runningSum = this.keepSums ? 0 : NaN;
    this.runningSumSq = this.keepSums ? 0 : NaN;
    this.lowest = Infinity;
    this.highest = -Infinity;
  }

  /** The histogram as plain data; `ReferenceHistogram.fromJSON` restores it exactly. */
  toJSON(): LogHistogramJSON {
    const base = {
      relativeAccuracy: this.accuracy,
      offset: this.offset,
      counts: Array.from(this.counts),
      zeroCount: this.zeroCount,
      count: this.total,
      sum: this.runningSum,
      sumSq: this.runningSumSq,
    };
    // Infinity sentinels would turn into null under JSON.stringify, so an empty histogram omits min/max.
    return this.total > 0 ? { ...base, min: this.lowest, max: this.highest } : base;
  }

  /**
   * Restores a histogram from `toJSON()` output.
   *
   * @throws RangeError if the data is inconsistent (negative counts, or a non-empty histogram without min/max).
   */
  static fromJSON(json: LogHistogramJSON): ReferenceHistogram {
    const histogram = new ReferenceHistogram(json.relativeAccuracy);
    if (!Number.isInteger(json.offset)) {
      throw new RangeError(`ReferenceHistogram.fromJSON: offset ${json.offset} is not an integer`);
    }
    const counts = Float64Array.from(json.counts);
    let bucketTotal = json.zeroCount;
    for (const c of counts) {
      if (!(c >= 0 && c < Infinity)) {
        throw new RangeError(`ReferenceHistogram.fromJSON: bucket count ${c} must be finite and >= 0`);
      }
      bucketTotal += c;
    }
    if (!(json.zeroCount >= 0) || !(json.count >= 0)) {
      throw new RangeError(`ReferenceHistogram.fromJSON: counts must be >= 0`);
    }
    if (json.count > 0 && (json.min === undefined || json.max === undefined)) {
      throw new RangeError(`ReferenceHistogram.fromJSON: a non-empty histogram needs min and max`);
    }
    if (json.count === 0 && bucketTotal > 0) {
      throw new RangeError(`ReferenceHistogram.fromJSON: count is 0 but buckets hold ${bucketTotal}`);
    }
    histogram.counts = counts;
    histogram.offset = json.offset + 0; // a structured clone keeps a -0 (see recordLn)
    histogram.zeroCount = json.zeroCount;
    histogram.total = json.count;
    // NaN (null once through JSON text): written by a histogram that kept no sums (`keepSums`).
    const keptSums = typeof json.sum === 'number' && !Number.isNaN(json.sum);
    histogram.keepSums = keptSums;
    histogram.runningSum = keptSums ? json.sum : NaN;
    // Data without it restores a histogram whose standard deviation is unknown (NaN), never 0.
    histogram.runningSumSq = keptSums ? (json.sumSq ?? (json.count > 0 ? NaN : 0)) : NaN;
    histogram.lowest = json.min ?? Infinity;
    histogram.highest = json.max ?? -Infinity;
    return histogram;
  }

  /**
   * Grows the bucket array to cover bucket indices [lo, hi] and nothing beyond the range seen.
   *
   * @remarks Growing exactly (no slack) keeps memory at the value range; the copy is rare because a new
   * extreme among n i.i.d. samples appears only O(log n) times.
   */
  private cover(lo: number, hi: number): void {
    const length = this.counts.length;
    if (length === 0) {
      this.counts = new Float64Array(hi - lo + 1);
      this.offset = lo;
      return;
    }
    const currentHi = this.offset + length - 1;
    if (lo >= this.offset && hi <= currentHi) return;
    const newLo = Math.min(lo, this.offset);
    const newHi = Math.max(hi, currentHi);
    const grown = new Float64Array(newHi - newLo + 1);
    grown.set(this.counts, this.offset - newLo);
    this.counts = grown;
    this.offset = newLo;
  }
}

/*
 * Error messages of hot-path guards are built out of line. Written inline, the guard's template literal
 * cost 13-16% of a minimal mesh run in NumberToString and dtoa, which made it 1.5x slower: every recorded
 * value was formatted although the branch never ran (by all appearances TurboFan, taking number-to-string
 * as pure, scheduled it before the branch). The same holds for Engine.schedule and RunningStats.add.
 */
function invalid(method: string, problem: string, ...args: number[]): RangeError {
  return new RangeError(`ReferenceHistogram.${method}(${args.join(', ')}): ${problem}`);
}
