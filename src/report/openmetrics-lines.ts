/**
 * The pieces of the text format that the sidecars' metrics (openmetrics.ts) and istiod's
 * (openmetrics-istiod.ts) share: label text, numbers and timestamps as Prometheus reads them, a family's
 * HELP/TYPE lines, and the sample lines of a counter and of a histogram, written into chunks (text-chunks.ts).
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

/** The pieces before a sample's value: `head labels tail` (e.g. `name{`, labels, `} `). */
export interface LineStart {
  readonly head: Uint8Array;
  readonly labels: Uint8Array;
  readonly tail: Uint8Array;
}

/** A counter's samples: the running total at each window boundary from `from` on. */
export function counterLines(
  w: ChunkWriter,
  start: LineStart,
  counts: ArrayLike<number>,
  windows: number,
  times: Times,
  from: number,
): void {
  const { head, labels, tail } = start;
  let total = 0;
  for (let k = 0; k <= windows; k++) {
    if (k > 0) total += counts[k - 1] ?? 0;
    if (k < from) continue;
    w.line(head, labels, tail, total, times[k] as Uint8Array);
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

/**
 * The sample lines of one histogram label set, sample by sample: buckets (cumulative in `le`), count,
 * sum. Yields full chunks after each sample, so a long run's series never piles up in memory.
 */
export function* histogramLines(
  w: ChunkWriter,
  parts: HistogramParts,
  labels: Uint8Array,
  buckets: ArrayLike<number>,
  counts: ArrayLike<number>,
  sums: ArrayLike<number>,
  windows: number,
  times: Times,
  from: number,
): Generator<Uint8Array, void, undefined> {
  const width = parts.le.length;
  const running = new Float64Array(width);
  let count = 0;
  let sum = 0;
  for (let k = 0; k <= windows; k++) {
    if (k > 0) {
      const base = (k - 1) * width;
      for (let b = 0; b < width; b++) running[b] = (running[b] as number) + (buckets[base + b] ?? 0);
      count += counts[k - 1] ?? 0;
      sum += sums[k - 1] ?? 0;
    }
    if (k < from) continue;
    histogramSample(w, parts, labels, running, count, sum, times[k] as Uint8Array);
    if (w.ready.length > 0) yield* w.take();
  }
}

/** One sample of a histogram: its bucket lines, count and sum, each ending with `end`. */
function histogramSample(
  w: ChunkWriter,
  parts: HistogramParts,
  labels: Uint8Array,
  running: Float64Array,
  count: number,
  sum: number,
  end: Uint8Array,
): void {
  const last = parts.le.length - 1;
  let le = 0;
  for (let b = 0; b < last; b++) {
    le += running[b] as number;
    w.line(parts.bucket, labels, parts.le[b] as Uint8Array, le, end);
  }
  w.line(parts.bucket, labels, parts.le[last] as Uint8Array, count, end);
  w.line(parts.count, labels, parts.close, count, end);
  // `num`'s rounding, as a number whose `String` is `num(sum)`.
  w.line(parts.sum, labels, parts.close, Number.isInteger(sum) ? sum : Math.round(sum * 1e6) / 1e6, end);
}
