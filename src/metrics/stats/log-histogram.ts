/**
 * LogHistogram: a streaming, mergeable, log-bucketed histogram with relative-error quantiles (DDSketch).
 *
 * Reference: Masson, Rim and Lee, "DDSketch: A Fast and Fully-Mergeable Quantile Sketch with Relative-Error
 * Guarantees", VLDB 2019.
 */

/**
 * Values below this floor (in the recorded unit, milliseconds for latencies) share the zero bucket.
 *
 * @remarks Without a floor, tiny positive values would stretch the bucket array toward log(0). Values in the
 * zero bucket are reported with an absolute error below this floor instead of a relative error.
 */
export const LOG_HISTOGRAM_ZERO_FLOOR = 1e-9;

/** Plain-data form of a {@link LogHistogram}, safe for JSON and for structured clone across worker_threads. */
export interface LogHistogramJSON {
  readonly relativeAccuracy: number;
  /** Bucket index of `counts[0]`. */
  readonly offset: number;
  /** Counts of buckets `offset … offset + counts.length - 1`. */
  readonly counts: readonly number[];
  readonly zeroCount: number;
  readonly count: number;
  readonly sum: number;
  /** Sum of squared values (for the standard deviation); absent in data written before it was kept. */
  readonly sumSq?: number;
  /** Absent when the histogram is empty. */
  readonly min?: number;
  /** Absent when the histogram is empty. */
  readonly max?: number;
}

/*
 * A histogram's figures and bucket counts live in one array of doubles (`LogHistogram.data`): these header
 * words, then the buckets. A record reads and writes the header and one bucket: two or three cache lines,
 * where separate fields took the object's lines, a 16-byte number box per double field (V8 boxes a double
 * field), a Float64Array's object and its data: six to eight lines, nearly all of them L1d misses when the
 * run recorder replays ~150 calls over ~150 live histograms (issue 17). A plain array of doubles, not a
 * Float64Array: its elements are unboxed doubles too, and an element access is a bounds check and a load,
 * with no detached-buffer check (which V8 adds to every typed-array access under the bench's tsx).
 */
// The record methods index the header by number (`d[1]` for TOTAL): TurboFan loads a module constant from
// the module's context and checks its type at each use (~4 instructions an access, 8 accesses a record).
/** 1/ln γ: a bucket's index is ceil(ln v / ln γ); a multiplication, not a division, on the hot path. */
const INV_LN_GAMMA = 0;
const TOTAL = 1;
/** Smallest and largest value; ±Infinity while empty, so that a record needs no first-sample branch. */
const LOWEST = 2;
const HIGHEST = 3;
/** Running sums of values and of their squares; NaN when the histogram keeps none (`keepSums`). */
const SUM = 4;
const SUM_SQ = 5;
const ZERO_COUNT = 6;
/** Index in `data` of the first bucket (bucket index `offset`). */
const BUCKETS = 7;

/**
 * A histogram's data with no buckets. An array literal holding a non-integer is an array of unboxed doubles
 * (V8's PACKED_DOUBLE_ELEMENTS), and stays one as integers are stored and pushed into it; one made from
 * integers only would hold small integers, and the first double stored would convert it (and deoptimize the
 * code that had seen the other kind).
 */
function emptyData(invLnGamma: number, keepSums: boolean): number[] {
  const sum = keepSums ? 0 : NaN;
  return [invLnGamma, 0, Infinity, -Infinity, sum, sum, 0];
}

/**
 * A streaming histogram whose quantile estimates are within a relative error `relativeAccuracy` of the
 * sample value at that rank, using memory proportional to log(max/min) rather than to the number of samples.
 *
 * @remarks Bucket i covers (γ^(i-1), γ^i] with γ = (1+a)/(1-a) and reports 2γ^i/(γ+1): the point whose relative
 * distance to both bucket edges is exactly a. Quantiles use the inverse empirical CDF (Hyndman–Fan type 1):
 * the value at rank ceil(q·count). Two histograms with the same accuracy merge exactly (bucket-wise sums), so
 * per-worker or per-replication histograms combine without loss.
 */
export class LogHistogram {
  /** The header words above, then the bucket counts (`BUCKETS` on): the only state a record touches. */
  private data: number[];
  /** Bucket index of `data[BUCKETS]`; an integer (a field of this object, on the line `data` is read from). */
  private offset: number;
  /**
   * False for a histogram that keeps no running sums (`keepSums`): both sums are then NaN, and so is any
   * sum merged from it, until `setSums` gives the ones kept elsewhere.
   */
  private keepSums: boolean;
  private readonly accuracy: number;
  private readonly lnGamma: number;
  // The bucket value 2γ^i/(γ+1) is computed as exp(i·lnγ)·scale.
  private readonly estimateScale: number;

  /**
   * Creates an empty histogram.
   *
   * @param relativeAccuracy - the guaranteed relative error a of quantile estimates, in (0, 1).
   * @param keepSums - keep the running sums (of values and of their squares) behind `sum`, `mean` and
   *   `stddev`. False for a finest cell whose coarser histograms take their sums from elsewhere
   *   (`setSums`, tally.ts `TallySums`) and whose own sums nothing reads: the recorder's per (unit,
   *   window) cells and service-graph edges. A record then skips two read-modify-writes (~1% of the mesh
   *   bench, issue 17); `sum`, `mean` and `stddev` throw.
   */
  constructor(relativeAccuracy = 0.01, keepSums = true) {
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
      throw new RangeError(`LogHistogram(${relativeAccuracy}): relativeAccuracy must be in (0, 1)`);
    }
    const gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    const lnGamma = Math.log(gamma);
    // Fields in the order the hot path reads them (V8 lays them out in the order they are first stored).
    this.data = emptyData(1 / lnGamma, keepSums);
    this.offset = 0;
    this.keepSums = keepSums;
    this.accuracy = relativeAccuracy;
    this.lnGamma = lnGamma;
    this.estimateScale = 2 / (gamma + 1);
  }

  /** The guaranteed relative error of quantile estimates. */
  get relativeAccuracy(): number {
    return this.accuracy;
  }

  /** The number of recorded values (the sum of weights when `recordMany` was given non-integer counts). */
  get count(): number {
    return this.data[TOTAL] as number;
  }

  /** The exact sum of recorded values. */
  get sum(): number {
    this.mustHaveSums('sum');
    return this.data[SUM] as number;
  }

  /** The exact smallest recorded value, or undefined when empty. */
  get min(): number | undefined {
    return this.count > 0 ? (this.data[LOWEST] as number) : undefined;
  }

  /** The exact largest recorded value, or undefined when empty. */
  get max(): number | undefined {
    return this.count > 0 ? (this.data[HIGHEST] as number) : undefined;
  }

  /**
   * The population standard deviation, sqrt(Σx²/n − mean²) from exact running sums (as Fortio's
   * histogram reports it); undefined when empty or restored from data without the sum of squares.
   */
  get stddev(): number | undefined {
    const total = this.count;
    if (total === 0) return undefined;
    this.mustHaveSums('stddev');
    const sumSq = this.data[SUM_SQ] as number;
    if (!Number.isFinite(sumSq)) return undefined;
    const mean = (this.data[SUM] as number) / total;
    return Math.sqrt(Math.max(0, sumSq / total - mean * mean));
  }

  /** The exact mean (sum / count), or undefined when empty. */
  get mean(): number | undefined {
    const total = this.count;
    if (total === 0) return undefined;
    this.mustHaveSums('mean');
    return (this.data[SUM] as number) / total;
  }

  /** Sums never kept (`keepSums` false, or merged from such a histogram without `setSums`) cannot be read. */
  private mustHaveSums(what: string): void {
    if (Number.isNaN(this.data[SUM]))
      throw new Error(`LogHistogram.${what}: this histogram keeps no sums (keepSums false, and no setSums)`);
  }

  /**
   * The number of allocated buckets, which is the memory footprint in doubles (the zero bucket aside).
   *
   * @remarks Equals ceil(log_γ max) − ceil(log_γ min) + 1 over the values above the zero floor, so it is at
   * most log(max/min)/log(γ) + 2 however many values were recorded.
   */
  get bucketCount(): number {
    return this.data.length - BUCKETS;
  }

  /**
   * Records one value.
   *
   * @throws RangeError if value is negative, NaN or infinite.
   */
  record(value: number): void {
    // Values in the zero bucket need no log: a queue wait is mostly 0, and Math.log(0) is a call into C.
    this.recordLn(value, value >= LOG_HISTOGRAM_ZERO_FLOOR ? Math.log(value) : 0);
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
    const d = this.data;
    d[1] = (d[1] as number) + 1;
    if (this.keepSums) {
      d[4] = (d[4] as number) + value;
      d[5] = (d[5] as number) + value * value;
    }
    if (value < (d[2] as number)) d[2] = value;
    if (value > (d[3] as number)) d[3] = value;
    // LOG_HISTOGRAM_ZERO_FLOOR written out: TurboFan loads a module constant from the module's context and
    // checks its type on every call (~8 instructions per value, ~100 per request on the mesh bench).
    if (value < 1e-9) {
      d[6] = (d[6] as number) + 1;
      return;
    }
    // `+ 0`: Math.ceil of a value in (-1, 0) is -0 (a latency just under 1 ms), which is no small integer:
    // stored as the first bucket's offset, it turned that field into a double for every histogram, and
    // the recorder's optimized code then deoptimized ("minus zero", then "wrong map" on each histogram
    // made before) in the middle of a run. -0 + 0 is +0; every other index is unchanged.
    const index = Math.ceil(lnValue * (d[0] as number)) + 0;
    const at = index - this.offset + 7;
    if (at >= 7 && at < d.length) d[at] = (d[at] as number) + 1;
    else this.grownAt(index);
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
    const d = this.data;
    d[1] = (d[1] as number) + 1;
    if (this.keepSums) {
      d[4] = (d[4] as number) + value;
      d[5] = (d[5] as number) + value * value;
    }
    if (value < (d[2] as number)) d[2] = value;
    if (value > (d[3] as number)) d[3] = value;
    if (value < 1e-9) {
      d[6] = (d[6] as number) + 1;
      return;
    }
    const index = Math.ceil((cell[1] as number) * (d[0] as number)) + 0; // + 0: see recordLn
    // The bucket's count written out, not through a shared method: this body's bytecode is then above
    // what TurboFan inlines into the run recorder's `recordCall` once its own callees are in (the budget
    // those need, run-recorder.ts); as a call of its own it is one call per record.
    const at = index - this.offset + 7;
    if (at >= 7 && at < d.length) d[at] = (d[at] as number) + 1;
    else this.grownAt(index);
  }

  /** One more value in bucket `index`, past the buckets there are: they grow first (rare). */
  private grownAt(index: number): void {
    const grown = this.cover(index, index);
    const slot = index - this.offset + BUCKETS;
    grown[slot] = (grown[slot] as number) + 1;
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
    let d = this.data;
    d[TOTAL] = (d[TOTAL] as number) + count;
    if (this.keepSums) {
      d[SUM] = (d[SUM] as number) + value * count;
      d[SUM_SQ] = (d[SUM_SQ] as number) + value * value * count;
    }
    if (value < (d[LOWEST] as number)) d[LOWEST] = value;
    if (value > (d[HIGHEST] as number)) d[HIGHEST] = value;
    if (value < LOG_HISTOGRAM_ZERO_FLOOR) {
      d[ZERO_COUNT] = (d[ZERO_COUNT] as number) + count;
      return;
    }
    const index = Math.ceil(Math.log(value) * (d[INV_LN_GAMMA] as number)) + 0; // + 0: see recordLn
    d = this.cover(index, index);
    const slot = index - this.offset + BUCKETS;
    d[slot] = (d[slot] as number) + count;
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
      throw new RangeError(`LogHistogram.quantile(${q}): q must be in [0, 1]`);
    }
    const d = this.data;
    const total = d[TOTAL] as number;
    const lowest = d[LOWEST] as number;
    const highest = d[HIGHEST] as number;
    if (total === 0) return undefined;
    if (q === 0) return lowest;
    if (q === 1) return highest;
    // With integer counts, "cumulative >= q·count" is the same test as "cumulative >= ceil(q·count)".
    const rank = q * total;
    let cumulative = d[ZERO_COUNT] as number;
    if (cumulative >= rank) return lowest;
    for (let at = BUCKETS; at < d.length; at++) {
      cumulative += d[at] as number;
      if (cumulative >= rank) {
        const estimate = Math.exp((this.offset + at - BUCKETS) * this.lnGamma) * this.estimateScale;
        return Math.min(Math.max(estimate, lowest), highest);
      }
    }
    // Reached only when rounding in fractional weights leaves the cumulative sum a hair below the rank.
    return highest;
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
    const d = this.data;
    const total = d[TOTAL] as number;
    if (total === 0 || !(threshold < (d[HIGHEST] as number))) return 0;
    if (threshold < (d[LOWEST] as number)) return total;
    let above = 0;
    for (let at = d.length - 1; at >= BUCKETS; at--) {
      const estimate = Math.exp((this.offset + at - BUCKETS) * this.lnGamma) * this.estimateScale;
      if (!(estimate > threshold)) break;
      above += d[at] as number;
    }
    return above;
  }

  /**
   * Adds every value recorded in `other` to this histogram; `other` is left unchanged.
   *
   * @throws RangeError if the two histograms have different relative accuracies (their buckets differ).
   */
  merge(other: LogHistogram): void {
    if (other.accuracy !== this.accuracy) {
      throw new RangeError(
        `LogHistogram.merge: relativeAccuracy ${other.accuracy} differs from ${this.accuracy}`,
      );
    }
    const source = other.data;
    if ((source[TOTAL] as number) === 0) return;
    let d = this.data;
    const buckets = source.length - BUCKETS;
    if (buckets > 0) {
      d = this.cover(other.offset, other.offset + buckets - 1);
      const shift = other.offset - this.offset + BUCKETS;
      for (let slot = 0; slot < buckets; slot++) {
        d[shift + slot] = (d[shift + slot] as number) + (source[BUCKETS + slot] as number);
      }
    }
    d[ZERO_COUNT] = (d[ZERO_COUNT] as number) + (source[ZERO_COUNT] as number);
    d[TOTAL] = (d[TOTAL] as number) + (source[TOTAL] as number);
    d[SUM] = (d[SUM] as number) + (source[SUM] as number);
    d[SUM_SQ] = (d[SUM_SQ] as number) + (source[SUM_SQ] as number);
    if ((source[LOWEST] as number) < (d[LOWEST] as number)) d[LOWEST] = source[LOWEST] as number;
    if ((source[HIGHEST] as number) > (d[HIGHEST] as number)) d[HIGHEST] = source[HIGHEST] as number;
  }

  /**
   * Replaces the running sums (of values and of their squares) by ones kept elsewhere, for a histogram
   * merged from parts whose values were also summed in the order recorded (tally.ts `TallySums`): merging
   * adds the parts' sums in another order, which can change the last bit of a mean; these make the mean
   * and standard deviation exactly those of recording the values one by one here.
   */
  setSums(sum: number, sumSq: number): void {
    this.data[SUM] = sum;
    this.data[SUM_SQ] = sumSq;
    this.keepSums = true;
  }

  /** An independent copy of this histogram. */
  clone(): LogHistogram {
    const copy = new LogHistogram(this.accuracy, this.keepSums);
    copy.data = this.data.slice();
    copy.offset = this.offset;
    return copy;
  }

  /** Empties the histogram and releases its buckets, keeping the accuracy. */
  reset(): void {
    this.data = emptyData(this.data[INV_LN_GAMMA] as number, this.keepSums);
    this.offset = 0;
  }

  /** The histogram as plain data; `LogHistogram.fromJSON` restores it exactly. */
  toJSON(): LogHistogramJSON {
    const d = this.data;
    const total = d[TOTAL] as number;
    const base = {
      relativeAccuracy: this.accuracy,
      offset: this.offset,
      counts: d.slice(BUCKETS),
      zeroCount: d[ZERO_COUNT] as number,
      count: total,
      sum: d[SUM] as number,
      sumSq: d[SUM_SQ] as number,
    };
    // Infinity sentinels would turn into null under JSON.stringify, so an empty histogram omits min/max.
    return total > 0 ? { ...base, min: d[LOWEST] as number, max: d[HIGHEST] as number } : base;
  }

  /**
   * Restores a histogram from `toJSON()` output.
   *
   * @throws RangeError if the data is inconsistent (negative counts, or a non-empty histogram without min/max).
   */
  static fromJSON(json: LogHistogramJSON): LogHistogram {
    const histogram = new LogHistogram(json.relativeAccuracy);
    if (!Number.isInteger(json.offset)) {
      throw new RangeError(`LogHistogram.fromJSON: offset ${json.offset} is not an integer`);
    }
    let bucketTotal = json.zeroCount;
    for (const c of json.counts) {
      if (!(c >= 0 && c < Infinity)) {
        throw new RangeError(`LogHistogram.fromJSON: bucket count ${c} must be finite and >= 0`);
      }
      bucketTotal += c;
    }
    if (!(json.zeroCount >= 0) || !(json.count >= 0)) {
      throw new RangeError(`LogHistogram.fromJSON: counts must be >= 0`);
    }
    if (json.count > 0 && (json.min === undefined || json.max === undefined)) {
      throw new RangeError(`LogHistogram.fromJSON: a non-empty histogram needs min and max`);
    }
    if (json.count === 0 && bucketTotal > 0) {
      throw new RangeError(`LogHistogram.fromJSON: count is 0 but buckets hold ${bucketTotal}`);
    }
    // NaN (null once through JSON text): written by a histogram that kept no sums (`keepSums`).
    const keptSums = typeof json.sum === 'number' && !Number.isNaN(json.sum);
    histogram.keepSums = keptSums;
    const d = histogram.data;
    for (const c of json.counts) d.push(c);
    histogram.offset = json.offset + 0; // a structured clone keeps a -0 (see recordLn)
    d[ZERO_COUNT] = json.zeroCount;
    d[TOTAL] = json.count;
    d[SUM] = keptSums ? json.sum : NaN;
    // Data without it restores a histogram whose standard deviation is unknown (NaN), never 0.
    d[SUM_SQ] = keptSums ? (json.sumSq ?? (json.count > 0 ? NaN : 0)) : NaN;
    d[LOWEST] = json.min ?? Infinity;
    d[HIGHEST] = json.max ?? -Infinity;
    return histogram;
  }

  /**
   * Grows the bucket array to cover bucket indices [lo, hi] and nothing beyond the range seen; returns
   * `data`, a new array when it grew.
   *
   * @remarks Growing exactly (no slack) keeps memory at the value range; the copy is rare because a new
   * extreme among n i.i.d. samples appears only O(log n) times.
   */
  private cover(lo: number, hi: number): number[] {
    const d = this.data;
    const length = d.length - BUCKETS;
    if (length === 0) {
      const grown = d.concat(zeros(hi - lo + 1));
      this.data = grown;
      this.offset = lo;
      return grown;
    }
    const currentHi = this.offset + length - 1;
    if (lo >= this.offset && hi <= currentHi) return d;
    const newLo = Math.min(lo, this.offset);
    const newHi = Math.max(hi, currentHi);
    // Builtin copies (concat, slice), not a loop of pushes: a new cell's histogram grows a few times, and
    // this copy ran ~3 buckets a request on the mesh bench. Every part is an array of doubles, and so is
    // the result.
    const grown = d
      .slice(0, BUCKETS)
      .concat(zeros(this.offset - newLo), d.slice(BUCKETS), zeros(newHi - currentHi));
    this.data = grown;
    this.offset = newLo;
    return grown;
  }
}

/** Zeros for `zeros`: an array of doubles (a literal with a non-integer, then zeroed), grown as needed. */
const ZEROS = [0.5];
ZEROS[0] = 0;

/** `n` zeros as an array of doubles, to pad a histogram's buckets. */
function zeros(n: number): number[] {
  while (ZEROS.length < n) ZEROS.push(0);
  return ZEROS.slice(0, n);
}

/*
 * Error messages of hot-path guards are built out of line. Written inline, the guard's template literal
 * cost 13-16% of a minimal mesh run in NumberToString and dtoa, which made it 1.5x slower: every recorded
 * value was formatted although the branch never ran (by all appearances TurboFan, taking number-to-string
 * as pure, scheduled it before the branch). The same holds for Engine.schedule and RunningStats.add.
 */
function invalid(method: string, problem: string, ...args: number[]): RangeError {
  return new RangeError(`LogHistogram.${method}(${args.join(', ')}): ${problem}`);
}
