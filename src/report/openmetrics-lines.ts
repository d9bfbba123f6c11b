/**
 * The pieces of the text format that the sidecars' metrics (openmetrics.ts) and istiod's
 * (openmetrics-istiod.ts) share: label text, numbers and timestamps as Prometheus reads them, a family's
 * HELP/TYPE lines, and a label set's sample lines (counter, gauge, histogram), written into chunks
 * (text-chunks.ts) a chunk at a time.
 */
import { type ChunkWriter, utf8 } from './text-chunks.js';

/** A character a label value escapes; most values have none, and a test is cheaper than three replaces. */
const ESCAPED = /[\\"\n]/;

export function escapeLabel(v: string): string {
  if (!ESCAPED.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function labelText(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
}

export function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
}

/** `ms` since the epoch as OpenMetrics seconds with millisecond digits (exact, no float noise). */
export function seconds(ms: number): string {
  const whole = Math.round(ms);
  return `${Math.floor(whole / 1000)}.${String(whole % 1000).padStart(3, '0')}`;
}

export interface Family {
  readonly name: string;
  readonly type: 'counter' | 'histogram' | 'gauge';
  readonly help: string;
  readonly unit?: string;
  /**
   * A counter exposed without `_total`, as istiod exposes its sums (its OpenTelemetry exporter is set up
   * `WithoutCounterSuffixes`: istio/istio pkg/monitoring/monitoring.go at 86c9f01f), so the series keep
   * the names Istio's dashboards query. OpenMetrics allows a counter only with `_total` samples, so there
   * the family is typed `unknown`; the final scrape says `counter`, as istiod's /metrics does.
   */
  readonly noTotal?: boolean;
}

/** A family's HELP and TYPE lines (a counter gets `_total` in the text format 0.0.4 unless `noTotal`). */
export function familyHeader(w: ChunkWriter, f: Family, openMetrics: boolean): void {
  const exposed = !openMetrics && f.type === 'counter' && f.noTotal !== true ? `${f.name}_total` : f.name;
  const type = openMetrics && f.noTotal === true ? 'unknown' : f.type;
  w.bytes(utf8(`# HELP ${exposed} ${f.help}\n# TYPE ${exposed} ${type}\n`));
}

/** Encoded once per text: each sample's timestamp with its leading space (none in a final scrape), `\n`. */
export type Times = readonly Uint8Array[];

/**
 * The starts of a label set's lines, `heads[j] labels tails[j]` per line of a sample, each in one piece
 * (built once per label set, then copied once per sample: a line costs two copies and its number).
 */
export function lineStarts(
  heads: readonly Uint8Array[],
  labels: Uint8Array,
  tails: readonly Uint8Array[],
): Uint8Array[] {
  const n = heads.length;
  let bytes = n * labels.length;
  for (let j = 0; j < n; j++) bytes += (heads[j] as Uint8Array).length + (tails[j] as Uint8Array).length;
  const all = new Uint8Array(bytes);
  const starts = new Array<Uint8Array>(n);
  let at = 0;
  for (let j = 0; j < n; j++) {
    const from = at;
    const head = heads[j] as Uint8Array;
    const tail = tails[j] as Uint8Array;
    all.set(head, at);
    at += head.length;
    all.set(labels, at);
    at += labels.length;
    all.set(tail, at);
    at += tail.length;
    starts[j] = all.subarray(from, at);
  }
  return starts;
}

/** The fixed parts of a histogram's lines, encoded once per family and label layout. */
export interface HistogramParts {
  readonly bucket: Uint8Array;
  /** Per bound, then +Inf: `,le="0.5"} ` (no comma when the label set is empty). */
  readonly le: readonly Uint8Array[];
  readonly count: Uint8Array;
  readonly sum: Uint8Array;
  /** Closes the count and sum lines' label set: `} `, or ` ` with no labels. */
  readonly close: Uint8Array;
}

export function histogramParts(name: string, bounds: readonly number[], labelled: boolean): HistogramParts {
  const sep = labelled ? ',' : '';
  return {
    bucket: utf8(`${name}_bucket{`),
    le: [...bounds.map((b) => utf8(`${sep}le="${num(b)}"} `)), utf8(`${sep}le="+Inf"} `)],
    count: utf8(`${name}_count${labelled ? '{' : ''}`),
    sum: utf8(`${name}_sum${labelled ? '{' : ''}`),
    close: utf8(labelled ? '} ' : ' '),
  };
}

/** The heads and tails of a histogram's lines, in `HistogramSamples.values` order: buckets, +Inf, count, sum. */
export function histogramLines(parts: HistogramParts): {
  readonly heads: readonly Uint8Array[];
  readonly tails: readonly Uint8Array[];
} {
  return {
    heads: [...parts.le.map(() => parts.bucket), parts.count, parts.sum],
    tails: [...parts.le, parts.close, parts.close],
  };
}

/** A label set's samples in turn: `next()` moves to the next sample (0 first), `values` its lines' values. */
export interface Samples {
  readonly values: ArrayLike<number>;
  next(): void;
}

/**
 * `a` when it is a Float64Array, else a copy in one (same values): the samples' loops then meet one kind
 * of array. The sidecars' series come in Float64Arrays and istiod's in plain arrays, and meeting the second
 * kind deoptimized the loops compiled for the first on an export's first text ("wrong map").
 */
function float64(a: ArrayLike<number>): Float64Array {
  return a instanceof Float64Array ? a : Float64Array.from(a);
}

/** A counter's samples: the running total at each window boundary. */
export class CounterSamples implements Samples {
  readonly values = new Float64Array(1);
  private k = -1;
  private readonly counts: Float64Array;

  constructor(counts: ArrayLike<number>) {
    this.counts = float64(counts);
  }

  next(): void {
    const k = ++this.k;
    if (k > 0) this.values[0] = (this.values[0] as number) + (this.counts[k - 1] ?? 0);
  }
}

/** A gauge's samples: its value at each window boundary. */
export class GaugeSamples implements Samples {
  readonly values = new Float64Array(1);
  private k = -1;
  private readonly samples: Float64Array;

  constructor(samples: ArrayLike<number>) {
    this.samples = float64(samples);
  }

  next(): void {
    this.values[0] = this.samples[++this.k] ?? 0;
  }
}

/**
 * A histogram label set's samples from its per-window record: per sample, its lines' values (buckets
 * cumulative in `le`, +Inf, count, sum).
 */
export class HistogramSamples implements Samples {
  /** Per line of a sample, in `histogramStarts` order. */
  readonly values: Float64Array;
  /** Per bucket, the total so far (the last: above every bound). */
  private readonly running: Float64Array;
  /**
   * The count and sum so far. In an array, not fields: a field that starts as a small integer and later
   * holds a fraction changes representation, and the objects' new map deoptimized the loop using them.
   */
  private readonly totals = new Float64Array(2);
  private k = -1;
  private readonly buckets: Float64Array;
  private readonly counts: Float64Array;
  private readonly sums: Float64Array;

  constructor(buckets: ArrayLike<number>, counts: ArrayLike<number>, sums: ArrayLike<number>, width: number) {
    this.buckets = float64(buckets);
    this.counts = float64(counts);
    this.sums = float64(sums);
    this.running = new Float64Array(width);
    this.values = new Float64Array(width + 2);
  }

  next(): void {
    const k = ++this.k;
    const running = this.running;
    const totals = this.totals;
    const width = running.length;
    if (k > 0) {
      const base = (k - 1) * width;
      for (let b = 0; b < width; b++) running[b] = (running[b] as number) + (this.buckets[base + b] ?? 0);
      totals[0] = (totals[0] as number) + (this.counts[k - 1] ?? 0);
      totals[1] = (totals[1] as number) + (this.sums[k - 1] ?? 0);
    }
    const values = this.values;
    let le = 0;
    for (let b = 0; b < width - 1; b++) {
      le += running[b] as number;
      values[b] = le;
    }
    const count = totals[0] as number;
    const sum = totals[1] as number;
    values[width - 1] = count;
    values[width] = count;
    // `num`'s rounding, as a number whose `String` is `num(sum)`.
    values[width + 1] = Number.isInteger(sum) ? sum : Math.round(sum * 1e6) / 1e6;
  }
}

/** A label set's sample lines: the starts, values and timestamps `sampleChunks` writes them from. */
export class SampleLines {
  /** The next sample to write or skip. */
  k = 0;

  constructor(
    readonly starts: readonly Uint8Array[],
    readonly samples: Samples,
    /** The last sample (samples are 0 .. windows). */
    readonly windows: number,
    /** The first sample written (0, or the last for a final scrape). */
    readonly from: number,
    readonly times: Times,
  ) {}
}

/**
 * Writes `count` label sets' lines into `w` (`series(i)` made as the text reaches it), yielding chunks as
 * they fill. The generator runs once per chunk and the loops over label sets and samples are one small
 * function (`SeriesText.write`): V8 compiles a generator per family, or a writer inlined into several
 * callers, once per caller, and an export's first text paid more in compiling than in writing.
 */
export function* sampleChunks(
  w: ChunkWriter,
  count: number,
  series: (i: number) => SampleLines,
): Generator<Uint8Array, void, undefined> {
  const text = new SeriesText(count, series);
  while (!text.write(w)) yield* w.take();
  if (w.ready.length > 0) yield* w.take();
}

/** Label sets' lines one after another, a chunk at a time. */
class SeriesText {
  private i = 0;
  private current: SampleLines | undefined;

  constructor(
    private readonly count: number,
    private readonly series: (i: number) => SampleLines,
  ) {}

  /** Writes on until a chunk is ready (then false) or every label set is written (then true). */
  write(w: ChunkWriter): boolean {
    for (;;) {
      let s = this.current;
      if (s === undefined) {
        if (this.i >= this.count) return true;
        s = this.current = this.series(this.i++);
      }
      const { starts, samples, windows, from, times } = s;
      while (s.k <= windows) {
        const k = s.k++;
        samples.next();
        if (k < from) continue;
        w.lines(starts, samples.values, starts.length, times[k] as Uint8Array);
        if (w.ready.length > 0) {
          if (s.k > windows) this.current = undefined;
          return false;
        }
      }
      this.current = undefined;
    }
  }
}
