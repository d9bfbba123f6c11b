/**
 * The pieces of the text format that the sidecars' metrics (openmetrics.ts) and istiod's
 * (openmetrics-istiod.ts) share: label text, numbers and timestamps as Prometheus reads them, a family's
 * HELP/TYPE lines, and a label set's sample lines (counter, gauge, histogram), written into chunks
 * (text-chunks.ts) a chunk at a time.
 */
import {
  type ChunkWriter,
  copy,
  type LineStarts,
  type SampleLines,
  type SampleValues,
  setRounded,
  utf8,
} from './text-chunks.js';

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
 * A family's fixed pieces of its lines' starts, `heads[j] labels tails[j]` per line of a sample (e.g.
 * `name_bucket{`, labels, `,le="5"} `), encoded once per family and label layout. A label set's starts lie
 * one after another in one array, so a tail and the next line's head are copied as one piece (`joins`).
 */
export class LineParts {
  /** `tails[j]` then `heads[j + 1]`, and last the last tail: what lies between two lines' labels. */
  readonly joins: readonly Uint8Array[];
  /** Each join's bytes. */
  readonly joinBytes: readonly number[];
  /** The heads' and tails' bytes together. */
  readonly bytes: number;

  constructor(
    readonly heads: readonly Uint8Array[],
    readonly tails: readonly Uint8Array[],
  ) {
    const n = heads.length;
    if (n === 0 || tails.length !== n) throw new Error(`line parts: ${n} heads and ${tails.length} tails`);
    this.joins = tails.map((tail, j) => {
      const head = heads[j + 1];
      if (head === undefined) return tail;
      const join = new Uint8Array(tail.length + head.length);
      join.set(tail);
      join.set(head, tail.length);
      return join;
    });
    this.joinBytes = this.joins.map((join) => join.length);
    this.bytes = [...heads, ...tails].reduce((bytes, part) => bytes + part.length, 0);
  }
}

/**
 * Memory for a label set's line starts and sample values, lent to one label set at a time and reused by
 * the next: `SeriesText` asks for a label set's lines only when the last one's are written. (New arrays
 * per label set cost an allocation and its zeroing, ~20 KB per histogram label set, every text.)
 */
export class LabelSetMemory {
  private bytes = new Uint8Array(0);
  private values = new Float64Array(0);
  private decimals = new Uint8Array(0);

  /** The last label set's starts, and what they were laid out for (see `lineStarts`). */
  private starts: readonly Uint8Array[] = [];
  private startsParts: LineParts | undefined;
  private startsLabelBytes = -1;

  /** At least `n` bytes, overwritten by the next call; a new array forgets the last starts. */
  lendBytes(n: number): Uint8Array {
    if (this.bytes.length < n) {
      this.bytes = new Uint8Array(Math.max(n, 2 * this.bytes.length));
      this.startsParts = undefined;
    }
    return this.bytes;
  }

  /**
   * The last label set's starts (in `lendBytes`' array) when they were laid out for `parts` and labels of
   * `labelBytes` bytes, the same array still lent: then only the labels in them differ.
   */
  lastStarts(parts: LineParts, labelBytes: number): readonly Uint8Array[] | undefined {
    return parts === this.startsParts && labelBytes === this.startsLabelBytes ? this.starts : undefined;
  }

  /** Remembers the starts just laid out (see `lastStarts`). */
  keepStarts(parts: LineParts, labelBytes: number, starts: readonly Uint8Array[]): void {
    this.starts = starts;
    this.startsParts = parts;
    this.startsLabelBytes = labelBytes;
  }

  /** At least `n` values and `n` decimals, zeros, overwritten by the next call. */
  lendValues(n: number): SampleValues {
    if (this.values.length < n) {
      this.values = new Float64Array(Math.max(n, 2 * this.values.length));
      this.decimals = new Uint8Array(this.values.length);
    } else {
      this.values.fill(0, 0, n);
      this.decimals.fill(0, 0, n);
    }
    return { values: this.values, decimals: this.decimals };
  }
}

/**
 * The starts of a label set's lines, `heads[j] labels tails[j]` per line of a sample, each in one piece
 * (built once per label set, then copied once per sample: a line costs two copies and its number), in
 * `memory` (valid until the next label set's). When the last label set's starts had the same parts and
 * labels as long, they are the same pieces at the same places but for the labels: only those are copied.
 */
export function lineStarts(parts: LineParts, labels: Uint8Array, memory: LabelSetMemory): LineStarts {
  const bytes = parts.heads.length * labels.length + parts.bytes;
  const all = memory.lendBytes(bytes);
  const last = memory.lastStarts(parts, labels.length);
  if (last !== undefined) {
    copyLabels(parts, labels, all);
    return { starts: last, bytes };
  }
  const starts = fillStarts(parts, labels, all);
  memory.keepStarts(parts, labels.length, starts);
  return { starts, bytes };
}

/**
 * `lineStarts`' loop for a label set whose starts are laid out anew, apart from its memory: V8 compiled
 * it when it ran for every label set, and inlined into it the lending and its allocation, a larger compile
 * for a call per label set. (Now most label sets take `copyLabels`, and V8 leaves this one in baseline.)
 */
function fillStarts(parts: LineParts, labels: Uint8Array, all: Uint8Array): Uint8Array[] {
  const { heads, tails, joins } = parts;
  const n = heads.length;
  const starts = new Array<Uint8Array>(n);
  all.set(heads[0] as Uint8Array, 0);
  let at = (heads[0] as Uint8Array).length;
  for (let j = 0; j < n; j++) {
    const from = at - (heads[j] as Uint8Array).length;
    all.set(labels, at);
    at += labels.length;
    const join = joins[j] as Uint8Array;
    all.set(join, at);
    starts[j] = all.subarray(from, at + (tails[j] as Uint8Array).length);
    at += join.length;
  }
  return starts;
}

/**
 * Copies `labels` into starts laid out by `fillStarts` for labels as long. It runs for most label sets, and
 * V8 compiles it (~6 M instructions; baseline code would cost about as much).
 */
function copyLabels(parts: LineParts, labels: Uint8Array, all: Uint8Array): void {
  const stride = labels.length;
  const { joinBytes } = parts;
  let at = (parts.heads[0] as Uint8Array).length;
  for (let j = 0; j < joinBytes.length; j++) {
    copy.call(all, labels, at); // not `all.set` (see `copy`)
    at += stride + (joinBytes[j] as number);
  }
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

/** The heads and tails of a histogram's lines, in `histogramValues`' order: buckets, +Inf, count, sum. */
export function histogramLines(parts: HistogramParts): LineParts {
  return new LineParts(
    [...parts.le.map(() => parts.bucket), parts.count, parts.sum],
    [...parts.le, parts.close, parts.close],
  );
}

/**
 * `a` when it is a Float64Array, else a copy in one (same values), for the value functions below: their
 * loops then meet one kind of array. The sidecars' series come in Float64Arrays and istiod's in plain
 * arrays, and meeting the second kind deoptimized the loops compiled for the first on an export's first
 * text ("wrong map"); so did the copy, when it was first taken inside them (istiod's series come last).
 */
export function float64(a: ArrayLike<number>): Float64Array {
  return a instanceof Float64Array ? a : Float64Array.from(a);
}

/**
 * A counter's samples `from` .. `windows` (one line each): the running total at each window boundary. A
 * final scrape (`from` = `windows`) adds up every window too, in the same order, so its total is the same
 * double as the last sample's in the full text.
 */
export function counterValues(
  series: Float64Array,
  windows: number,
  from: number,
  memory: LabelSetMemory,
): SampleValues {
  const out = memory.lendValues(windows + 1 - from);
  const values = out.values;
  // Sample 0 is 0, as lent.
  let total = 0;
  for (let k = 1; k <= windows; k++) {
    total += series[k - 1] ?? 0;
    if (k >= from) values[k - from] = total;
  }
  return out;
}

/** A gauge's samples `from` .. `windows` (one line each): its value at each window boundary. */
export function gaugeValues(
  series: Float64Array,
  windows: number,
  from: number,
  memory: LabelSetMemory,
): SampleValues {
  const out = memory.lendValues(windows + 1 - from);
  for (let k = from; k <= windows; k++) out.values[k - from] = series[k] ?? 0;
  return out;
}

/**
 * A histogram label set's samples `from` .. `windows` from its per-window record, `width + 2` lines each in
 * `histogramLines` order: buckets cumulative in `le`, +Inf, count, sum (rounded as `num` does). Every
 * window is added up whatever `from` is, in the same order (see `counterValues`).
 */
export function histogramValues(
  perWindow: Float64Array,
  countOf: Float64Array,
  sumOf: Float64Array,
  width: number,
  windows: number,
  from: number,
  memory: LabelSetMemory,
): SampleValues {
  // The rows, then per bucket the total so far (the last: above every bound).
  const out = memory.lendValues((windows + 1 - from) * (width + 2) + width);
  addHistogram(perWindow, countOf, sumOf, width, windows, from, out.values);
  // Each row's sum rounded here, not in addHistogram: inlined there, setRounded made V8's compile of it
  // ~5 M instructions larger (an export's first text), for one call per row.
  const { values, decimals } = out;
  const n = width + 2;
  for (let sum = width + 1; sum < (windows + 1 - from) * n; sum += n)
    setRounded(values, decimals, sum, values[sum] as number);
  return out;
}

/**
 * `histogramValues`' loops, apart from its memory: V8 compiles this function (it runs every window's
 * buckets), and inlined into it the lending and its allocation, a larger compile for a call per label set.
 * Each row's sum is left unrounded (see `histogramValues`).
 */
function addHistogram(
  perWindow: Float64Array,
  countOf: Float64Array,
  sumOf: Float64Array,
  width: number,
  windows: number,
  from: number,
  values: Float64Array,
): void {
  const n = width + 2;
  const running = (windows + 1 - from) * n;
  let count = 0;
  let sum = 0;
  for (let k = 0; k <= windows; k++) {
    if (k > 0) {
      const base = (k - 1) * width;
      for (let b = 0; b < width; b++)
        values[running + b] = (values[running + b] as number) + (perWindow[base + b] ?? 0);
      count += countOf[k - 1] ?? 0;
      sum += sumOf[k - 1] ?? 0;
    }
    if (k < from) continue;
    const row = (k - from) * n;
    let le = 0;
    for (let b = 0; b < width - 1; b++) {
      le += values[running + b] as number;
      values[row + b] = le;
    }
    values[row + width - 1] = count;
    values[row + width] = count;
    values[row + width + 1] = sum;
  }
}

/**
 * Writes `count` label sets' lines into `w` (`series(i)` made as the text reaches it), yielding chunks as
 * they fill. The generator runs once per chunk and the loop over label sets is one small function
 * (`SeriesText.write`): V8 compiles a generator per family, or a writer inlined into several callers, once
 * per caller, and an export's first text paid more in compiling than in writing.
 */
export function* sampleChunks(
  w: ChunkWriter,
  count: number,
  series: (i: number, memory: LabelSetMemory) => SampleLines,
): Generator<Uint8Array, void, undefined> {
  const text = new SeriesText(count, series);
  while (!text.write(w)) yield* w.take();
  if (w.ready.length > 0) yield* w.take();
}

/** Label sets' lines one after another, a chunk at a time. */
class SeriesText {
  private i = 0;
  private current: SampleLines | undefined;
  private readonly memory = new LabelSetMemory();

  constructor(
    private readonly count: number,
    /** Label set `i`'s lines, their starts in `memory` (which the next label set's reuse). */
    private readonly series: (i: number, memory: LabelSetMemory) => SampleLines,
  ) {}

  /** Writes on until a chunk is ready (then false) or every label set is written (then true). */
  write(w: ChunkWriter): boolean {
    for (;;) {
      let s = this.current;
      if (s === undefined) {
        if (this.i >= this.count) return true;
        s = this.current = this.series(this.i++, this.memory);
      }
      const need = w.samples(s);
      if (need === 0) this.current = undefined;
      else w.makeRoom(need);
      if (w.ready.length > 0) return false;
    }
  }
}
