/**
 * Fortio's duration histogram, step for step as fortio/fortio 45e18710810d864a615618087228996a0a824b2f
 * stats/stats.go has it: `histogramBucketValues`, `Histogram.RecordN` (intervals ]prev, cur], its 1e-12 edge
 * rule, and the Counter adding `(v*n)^2` to the sum of squares), `Histogram.Export` and
 * `HistogramData.CalcPercentile(s)`. Exported field names are the Go structs', as `encoding/json` writes
 * them (no tags but `Percentiles,omitempty`; `Interval` flattened into `Bucket`).
 */

/** fortio/fortio stats/stats.go `histogramBucketValues` (see the file comment for the commit). */
export const FORTIO_BUCKET_VALUES: readonly number[] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 120,
  140, 160, 180, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 2000, 3000, 4000, 5000, 7500,
  10000, 20000, 30000, 40000, 50000, 75000, 100000,
];

/** Fortio's `Histogram` state: a Counter and the bucket counts (`Hdata`), with its scale. */
export interface FortioHistogramState {
  readonly offset: number;
  readonly divider: number;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly sum: number;
  readonly sumOfSquares: number;
  /** `FORTIO_BUCKET_VALUES.length + 1` counts. */
  readonly hdata: number[];
}

/**
 * The bucket of an integer `sv` (Fortio's truncated value, -1 .. 1000) by table: the first value above it,
 * as the scan in `fortioBucket` finds it.
 */
const TABLE_MAX = 1000;
const BUCKET_OF_INT = Int8Array.from({ length: TABLE_MAX + 2 }, (_, k) => {
  let i = 0;
  while ((FORTIO_BUCKET_VALUES[i] as number) <= k - 1) i++;
  return i;
});

/** Fortio's bucket for a value already divided by the resolution (`Histogram.record`). */
export function fortioBucket(scaled: number): number {
  // The first and last bucket values (0 and 100000) and TABLE_MAX written out, as `recordCell` has them
  // (checked against the table below): there, per request, a module constant is a load from the module's
  // context and a check, and bytecode against the replay loop's inlining budget.
  if (!(scaled > 0)) return 0; // NaN too, as Fortio's scan finds it
  if (scaled > 100000) return 56;
  let sv = Math.trunc(scaled);
  if (scaled - sv < 1e-12) sv--;
  return sv <= 1000 ? (BUCKET_OF_INT[sv + 1] as number) : bucketAboveTable(sv);
}

/** The bucket of an integer `sv` above the table: the first value above it. */
function bucketAboveTable(sv: number): number {
  const values = FORTIO_BUCKET_VALUES;
  let i = 0;
  while ((values[i] as number) <= sv) i++;
  return i;
}

// The literals of fortioBucket and recordCell, against the table they stand for.
if (
  FORTIO_BUCKET_VALUES[0] !== 0 ||
  FORTIO_BUCKET_VALUES[FORTIO_BUCKET_VALUES.length - 1] !== 100000 ||
  FORTIO_BUCKET_VALUES.length !== 56 ||
  TABLE_MAX !== 1000
)
  throw new Error("fortio-histogram: the bucket lookup's literals no longer match FORTIO_BUCKET_VALUES");

/** `FortioHistogram.record`'s value, handed to `recordCell`. */
const VALUE_CELL = new Float64Array(1);

/** Fortio's `stats.Histogram`: `record` as `RecordN(v, 1)`, same arithmetic in the same order. */
export class FortioHistogram {
  count = 0;
  min = 0;
  max = 0;
  sum = 0;
  sumOfSquares = 0;
  readonly hdata = new Float64Array(FORTIO_BUCKET_VALUES.length + 1);

  constructor(
    readonly offset: number,
    readonly divider: number,
  ) {}

  record(v: number): void {
    const cell = VALUE_CELL;
    cell[0] = v;
    this.recordCell(cell);
  }

  /**
   * `RecordN(cell[0], 1)`, written out for n = 1 (`v * 1` is `v` for every double, -0 and NaN too), with
   * `fortioBucket` inlined by hand. The Fortio recorder calls it once per request from the record buffer's
   * replay loop, where TurboFan's inlining budget is shared with the run recorder's hooks: inlined or not,
   * the duration crosses in a Float64Array, never boxed (a number argument of a call left out of line
   * allocated a heap number per request).
   */
  recordCell(cell: Float64Array): void {
    const v = cell[0] as number;
    if (this.count === 0) {
      this.min = v;
      this.max = v;
    } else if (v < this.min) this.min = v;
    else if (v > this.max) this.max = v;
    this.count++;
    this.sum += v;
    this.sumOfSquares += v * v;
    // fortioBucket's steps, its literals as there.
    const scaled = (v - this.offset) / this.divider;
    let i = 0;
    if (scaled > 100000) i = 56;
    else if (scaled > 0) {
      let sv = Math.trunc(scaled);
      if (scaled - sv < 1e-12) sv--;
      i = sv <= 1000 ? (BUCKET_OF_INT[sv + 1] as number) : bucketAboveTable(sv);
    }
    this.hdata[i] = (this.hdata[i] as number) + 1;
  }

  /** Fortio's `RecordN`, including its Counter adding `(v*n)^2` to the sum of squares. */
  recordN(v: number, n: number): void {
    if (this.count === 0) {
      this.min = v;
      this.max = v;
    } else if (v < this.min) this.min = v;
    else if (v > this.max) this.max = v;
    this.count += n;
    const s = v * n;
    this.sum += s;
    this.sumOfSquares += s * s;
    const i = fortioBucket((v - this.offset) / this.divider);
    this.hdata[i] = (this.hdata[i] as number) + n;
  }

  state(): FortioHistogramState {
    return {
      offset: this.offset,
      divider: this.divider,
      count: this.count,
      min: this.min,
      max: this.max,
      sum: this.sum,
      sumOfSquares: this.sumOfSquares,
      hdata: Array.from(this.hdata),
    };
  }
}

/** Fortio's default `-r` resolution: 1 ms, on durations in seconds. */
export const FORTIO_RESOLUTION_S = 0.001;

export interface FortioBucket {
  readonly Start: number;
  readonly End: number;
  readonly Percent: number;
  readonly Count: number;
}

export interface FortioPercentile {
  readonly Percentile: number;
  readonly Value: number;
}

/** `stats.HistogramData`. */
export interface FortioHistogramData {
  readonly Count: number;
  readonly Min: number;
  readonly Max: number;
  readonly Sum: number;
  readonly Avg: number;
  readonly StdDev: number;
  readonly Data: FortioBucket[];
  /** Absent when empty (`omitempty`). */
  readonly Percentiles?: FortioPercentile[];
}

/** Fortio's command line default `-p`: the percentiles its reports show. */
export const FORTIO_DEFAULT_PERCENTILES: readonly number[] = [50, 75, 90, 99, 99.9];

function stdDev(h: FortioHistogramState): number {
  if (h.count === 0) return 0;
  const sigma = (h.sumOfSquares - (h.sum * h.sum) / h.count) / h.count;
  return sigma < 0 ? 0 : Math.sqrt(sigma);
}

/** `Histogram.Export()`. */
function exportData(h: FortioHistogramState): { data: FortioBucket[] } {
  const values = FORTIO_BUCKET_VALUES;
  const data: FortioBucket[] = [];
  let lastIdx = -1;
  for (let i = h.hdata.length - 1; i >= 0; i--) {
    if ((h.hdata[i] as number) > 0) {
      lastIdx = i;
      break;
    }
  }
  if (lastIdx === -1) return { data };
  let prev = values[0] as number;
  let total = 0;
  for (let i = 0; i <= lastIdx; i++) {
    const n = h.hdata[i] as number;
    if (n === 0) {
      if (i < values.length) prev = values[i] as number;
      continue;
    }
    total += n;
    let start = data.length === 0 ? h.min : h.divider * prev + h.offset;
    let end: number;
    if (i < values.length) {
      const cur = values[i] as number;
      end = h.divider * cur + h.offset;
      prev = cur;
    } else {
      start = h.divider * prev + h.offset;
      end = h.max;
    }
    data.push({ Start: start, End: end, Percent: (100 * total) / h.count, Count: n });
  }
  const last = data[data.length - 1] as FortioBucket;
  data[data.length - 1] = { ...last, End: h.max };
  return { data };
}

/** `HistogramData.CalcPercentile`. */
export function fortioPercentile(
  d: Pick<FortioHistogramData, 'Count' | 'Min' | 'Max' | 'Data'>,
  p: number,
): number {
  if (d.Data.length === 0) return 0;
  if (p >= 100) return d.Max;
  let pp = 100 / d.Count;
  if (p <= pp) return d.Min;
  for (const cur of d.Data) {
    if (p <= cur.Percent) return cur.Start + ((p - pp) / (cur.Percent - pp)) * (cur.End - cur.Start);
    pp = cur.Percent;
  }
  return d.Max;
}

/** `h.Export().CalcPercentiles(percentiles)`. */
export function fortioHistogramData(
  h: FortioHistogramState,
  percentiles: readonly number[] = FORTIO_DEFAULT_PERCENTILES,
): FortioHistogramData {
  const { data } = exportData(h);
  const base = {
    Count: h.count,
    Min: h.min,
    Max: h.max,
    Sum: h.sum,
    Avg: h.count === 0 ? 0 : h.sum / h.count,
    StdDev: stdDev(h),
    Data: data,
  };
  if (h.count === 0 || percentiles.length === 0) return base;
  return {
    ...base,
    Percentiles: percentiles.map((p) => ({ Percentile: p, Value: fortioPercentile(base, p) })),
  };
}
