/**
 * A run's Istio telemetry as text Prometheus reads:
 * - `openMetricsText`: OpenMetrics 1.0 with one sample per window and timestamps from a stated base time,
 *   for `promtool tsdb create-blocks-from openmetrics` (a Prometheus TSDB a Grafana Istio dashboard or
 *   Kiali can then query);
 * - `prometheusText`: the last sample only, without timestamps, as a scrape of every proxy at the end of
 *   the run would read (Prometheus text format 0.0.4, what `promtool check metrics` lints).
 *
 * Label names and their order are those of Istio's stats filter (istio/proxy
 * source/extensions/filters/http/istio_stats/istio_stats.cc `all_tags_`, at
 * c0655e15082ffa899284cb3ffb24d5dfb409232e), less `grpc_response_status`, which is empty for HTTP and which
 * Prometheus drops as an empty label anyway.
 */
import type { IstioTelemetry, TelemetrySeries, TelemetryWorkload } from '../metrics/index.js';
import {
  ChunkWriter,
  chunksToString,
  concatBytes,
  type TextChunks,
  textChunks,
  utf8,
} from './text-chunks.js';

/** The base time when none is given: simulated time 0 is 2026-01-01T00:00:00Z. */
export const DEFAULT_METRICS_BASE_TIME_MS = Date.UTC(2026, 0, 1);

export interface OpenMetricsOptions {
  /** Wall-clock time of simulated time 0, in ms since the epoch (default `DEFAULT_METRICS_BASE_TIME_MS`). */
  readonly baseTimeMs?: number;
  /** Labels added to every series (e.g. `{ meshsim_model: 'multi-primary' }` in a comparison). */
  readonly extraLabels?: Readonly<Record<string, string>>;
}

const UNKNOWN: TelemetryWorkload = {
  workload: 'unknown',
  namespace: 'unknown',
  canonicalService: 'unknown',
  canonicalRevision: 'unknown',
  version: 'unknown',
  app: 'unknown',
  cluster: 'unknown',
  principal: 'unknown',
};

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
}

/** Istio's labels of one series, in the stats filter's order. */
function requestLabels(
  t: IstioTelemetry,
  s: TelemetrySeries,
  extra: readonly (readonly [string, string])[],
): (readonly [string, string])[] {
  const src = t.workloads[s.source] ?? UNKNOWN;
  const dst = t.workloads[s.destination] ?? UNKNOWN;
  return [
    ['reporter', s.reporter],
    ['source_workload', src.workload],
    ['source_workload_namespace', src.namespace],
    ['source_principal', src.principal],
    ['source_app', src.app],
    ['source_version', src.version],
    ['source_canonical_service', src.canonicalService],
    ['source_canonical_revision', src.canonicalRevision],
    ['source_cluster', src.cluster],
    ['destination_workload', dst.workload],
    ['destination_workload_namespace', dst.namespace],
    ['destination_principal', dst.principal],
    ['destination_app', dst.app],
    ['destination_version', dst.version],
    ['destination_service', `${s.destinationService}.${t.namespace}.svc.cluster.local`],
    ['destination_service_name', s.destinationService],
    ['destination_service_namespace', t.namespace],
    ['destination_canonical_service', s.destination < 0 ? s.destinationService : dst.canonicalService],
    ['destination_canonical_revision', dst.canonicalRevision],
    ['destination_cluster', dst.cluster],
    ['request_protocol', 'http'],
    ['response_flags', s.responseFlags],
    // Istio's source reporter cannot see the server's mTLS mode and reports "unknown".
    ['connection_security_policy', s.reporter === 'destination' ? 'mutual_tls' : 'unknown'],
    ['response_code', String(s.responseCode)],
    ...extra,
  ];
}

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
}

/** `ms` since the epoch as OpenMetrics seconds with millisecond digits (exact, no float noise). */
function seconds(ms: number): string {
  const whole = Math.round(ms);
  return `${Math.floor(whole / 1000)}.${String(whole % 1000).padStart(3, '0')}`;
}

interface Family {
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

const REQUESTS: Family = {
  name: 'istio_requests',
  type: 'counter',
  help: 'Requests (meshsim: source = every call after retries; destination = final attempts that reached a replica).',
};
const DURATION: Family = {
  name: 'istio_request_duration_milliseconds',
  type: 'histogram',
  help: 'Request duration (meshsim: destination-reporter durations include the return hop).',
};
/**
 * istiod's series, names, types and labels from istio/istio pilot/pkg/xds/monitoring.go at 86c9f01f:
 * `pilot_xds_pushes` (a Sum, label `type`), `pilot_proxy_convergence_time` (a Distribution, no label),
 * `pilot_xds` (a Gauge, label `version`: the connected proxies' Istio version, recorded in ads.go
 * addCon/removeCon).
 */
const PUSHES: Family = {
  name: 'pilot_xds_pushes',
  type: 'counter',
  noTotal: true,
  help: 'Pushes to proxies (meshsim: one push carries endpoints and routes, counted as type eds).',
};
const XDS: Family = {
  name: 'pilot_xds',
  type: 'gauge',
  help: 'Number of endpoints connected to this pilot using XDS (meshsim: per istiod, labelled with the cluster it runs in or "external"; no version label, meshsim models no proxy versions).',
};
const CONVERGENCE: Family = {
  name: 'pilot_proxy_convergence_time',
  type: 'histogram',
  help: "Delay in seconds between config change and a proxy receiving all required configuration (meshsim as istiod records it: one observation per proxy per debounced push, from the push start after debounce to that proxy's push; initial pushes on connect not recorded).",
};

/** Encoded once per text: each sample's timestamp with its leading space (none in a final scrape), `\n`. */
type Times = readonly Uint8Array[];

/** A counter's samples: the running total at each window boundary from `from` on. */
function counterLines(
  w: ChunkWriter,
  prefix: readonly Uint8Array[],
  counts: ArrayLike<number>,
  windows: number,
  times: Times,
  from: number,
): void {
  let total = 0;
  for (let k = 0; k <= windows; k++) {
    if (k > 0) total += counts[k - 1] ?? 0;
    if (k < from) continue;
    for (const p of prefix) w.bytes(p);
    w.number(total);
    w.bytes(times[k] as Uint8Array);
  }
}

/** The fixed parts of a histogram's lines, encoded once per family and label layout. */
interface HistogramParts {
  readonly bucket: Uint8Array;
  /** Per bound, then +Inf: `,le="0.5"} ` (no comma when the label set is empty). */
  readonly le: readonly Uint8Array[];
  readonly count: Uint8Array;
  readonly sum: Uint8Array;
  /** Closes the count and sum lines' label set: `} `, or ` ` with no labels. */
  readonly close: Uint8Array;
}

function histogramParts(name: string, bounds: readonly number[], labelled: boolean): HistogramParts {
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
function* histogramLines(
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
  // Each line's start (name, labels, le) in one piece per bound: one copy a line.
  const bucketStarts = parts.le.map((le) => concatBytes(parts.bucket, labels, le));
  const countStart = concatBytes(parts.count, labels, parts.close);
  const sumStart = concatBytes(parts.sum, labels, parts.close);
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
    const ts = times[k] as Uint8Array;
    let le = 0;
    for (let b = 0; b < width - 1; b++) {
      le += running[b] as number;
      w.bytes(bucketStarts[b] as Uint8Array);
      w.number(le);
      w.bytes(ts);
    }
    w.bytes(bucketStarts[width - 1] as Uint8Array);
    w.number(count);
    w.bytes(ts);
    w.bytes(countStart);
    w.number(count);
    w.bytes(ts);
    w.bytes(sumStart);
    w.ascii(num(sum));
    w.bytes(ts);
    if (w.ready.length > 0) yield* w.take();
  }
}

/** One run's telemetry and the labels that tell it apart from the others in the same text. */
interface Source {
  readonly t: IstioTelemetry;
  readonly extra: readonly (readonly [string, string])[];
}

/**
 * The text of one or more runs, as chunks of bytes (see text-chunks.ts). Each metric family appears once,
 * its series of every run together under one HELP/TYPE header (OpenMetrics and the text format both
 * require a family's samples to be contiguous). Chunks are yielded as they fill, series by series.
 */
function* render(
  sources: readonly Source[],
  baseTimeMs: number | undefined,
  openMetrics: boolean,
): Generator<Uint8Array, void, undefined> {
  const base = baseTimeMs ?? DEFAULT_METRICS_BASE_TIME_MS;
  const w = new ChunkWriter();
  const header = (f: Family) => {
    const exposed = !openMetrics && f.type === 'counter' && f.noTotal !== true ? `${f.name}_total` : f.name;
    const type = openMetrics && f.noTotal === true ? 'unknown' : f.type;
    w.bytes(utf8(`# HELP ${exposed} ${f.help}\n# TYPE ${exposed} ${type}\n`));
  };
  const prepared = sources.map(({ t, extra }) => {
    const extraText = labelText(extra);
    return {
      t,
      from: openMetrics ? 0 : t.windows,
      times: Array.from({ length: t.windows + 1 }, (_, k) =>
        utf8(`${openMetrics ? ` ${seconds(base + t.startMs + k * t.windowMs)}` : ''}\n`),
      ),
      // Each label set encoded once, for the counter and the histogram alike.
      labels: t.series.map((s) => utf8(labelText(requestLabels(t, s, extra)))),
      withExtra: (x: string) => (x === '' ? extraText : extraText === '' ? x : `${x},${extraText}`),
    };
  });
  header(REQUESTS);
  const requestsOpen = utf8('istio_requests_total{');
  const requestsClose = utf8('} ');
  for (const { t, from, times, labels } of prepared)
    for (const [i, s] of t.series.entries()) {
      counterLines(
        w,
        [concatBytes(requestsOpen, labels[i] as Uint8Array, requestsClose)],
        s.counts,
        t.windows,
        times,
        from,
      );
      if (w.ready.length > 0) yield* w.take();
    }
  header(DURATION);
  for (const { t, from, times, labels } of prepared) {
    const parts = histogramParts(DURATION.name, t.durationBucketsMs, true);
    for (const [i, s] of t.series.entries())
      yield* histogramLines(
        w,
        parts,
        labels[i] as Uint8Array,
        s.buckets,
        s.counts,
        s.sumsMs,
        t.windows,
        times,
        from,
      );
  }
  const planes = prepared.filter((p) => p.t.controlPlane !== null);
  if (planes.length > 0) {
    header(PUSHES);
    for (const { t, from, times, withExtra } of planes) {
      const cp = t.controlPlane as NonNullable<IstioTelemetry['controlPlane']>;
      counterLines(
        w,
        [utf8(`pilot_xds_pushes{${withExtra('type="eds"')}} `)],
        cp.pushes,
        t.windows,
        times,
        from,
      );
    }
    header(CONVERGENCE);
    for (const { t, from, times, withExtra } of planes) {
      const cp = t.controlPlane as NonNullable<IstioTelemetry['controlPlane']>;
      const labels = withExtra('');
      yield* histogramLines(
        w,
        histogramParts(CONVERGENCE.name, cp.convergenceBucketsS, labels !== ''),
        utf8(labels),
        cp.convergenceBuckets,
        cp.convergenceCounts,
        cp.convergenceSumsS,
        t.windows,
        times,
        from,
      );
    }
    header(XDS);
    for (const { t, from, times, withExtra } of planes) {
      const cp = t.controlPlane as NonNullable<IstioTelemetry['controlPlane']>;
      for (const { istiod, samples } of cp.xdsClients) {
        const prefix = utf8(`pilot_xds{${withExtra(labelText([['cluster', istiod]]))}} `);
        for (let k = from; k <= t.windows; k++) {
          w.bytes(prefix);
          w.number(samples[k] ?? 0);
          w.bytes(times[k] as Uint8Array);
        }
      }
    }
  }
  if (openMetrics) w.ascii('# EOF\n');
  yield* w.take(true);
}

/** The longest a sample's value is written: an integer count (16 digits) or `num`'s sum (`1.234567e+21`). */
const NUMBER_BYTES = 24;
/** A sample's timestamp (` 1767225600.000`, up to year 33658) and the line's end. */
const TIME_BYTES = 18;
/** A line's metric name, `le`, braces and spaces, generously. */
const NAME_BYTES = 96;

/**
 * An upper bound of the bytes `render` writes, from the same label sets and sample counts: a report
 * folder's free-space check counts the export with it before writing (it runs to tens of MB).
 */
function renderMaxBytes(sources: readonly Source[], openMetrics: boolean): number {
  const line = NAME_BYTES + NUMBER_BYTES + (openMetrics ? TIME_BYTES : 1);
  let bytes = 8192; // HELP and TYPE lines, # EOF
  for (const { t, extra } of sources) {
    const samples = openMetrics ? t.windows + 1 : 1;
    // A counter line and the histogram's buckets, +Inf, count and sum, per sample.
    const perSample = 1 + t.durationBucketsMs.length + 3;
    for (const s of t.series)
      bytes += samples * perSample * (line + Buffer.byteLength(labelText(requestLabels(t, s, extra))));
    const cp = t.controlPlane;
    if (cp === null) continue;
    const extraBytes = Buffer.byteLength(labelText(extra)) + 1;
    const cpLines = 1 + cp.convergenceBucketsS.length + 3 + cp.xdsClients.length;
    const istiods = cp.xdsClients.reduce((n, x) => Math.max(n, Buffer.byteLength(x.istiod)), 0);
    bytes += samples * cpLines * (line + extraBytes + istiods + 32);
  }
  return bytes;
}

/** Chunks of `render`, with their size bound. */
const rendered = (sources: readonly Source[], baseTimeMs: number | undefined, openMetrics: boolean) =>
  textChunks(
    () => render(sources, baseTimeMs, openMetrics),
    () => renderMaxBytes(sources, openMetrics),
  );

const sourceOf = (t: IstioTelemetry, options: OpenMetricsOptions): Source => ({
  t,
  extra: Object.entries(options.extraLabels ?? {}).sort(([a], [b]) => a.localeCompare(b)),
});

/**
 * The label that tells a comparison's models apart in one file. One file, not one per model: loaded into
 * one TSDB, every model's series sit side by side under the same base time, and a Grafana variable or
 * `sum by (meshsim_model)` compares them; files per model would collide there (same series, same times) or
 * need a TSDB each. Prefixed, as Prometheus advises for labels an exporter adds, so it never meets a label
 * of Istio's own.
 */
export const MODEL_LABEL = 'meshsim_model';

const modelSources = (runs: readonly { readonly model: string; readonly telemetry: IstioTelemetry }[]) =>
  runs.map((r): Source => ({ t: r.telemetry, extra: [[MODEL_LABEL, r.model]] }));

/** Each model's run in one OpenMetrics text, its series labelled `meshsim_model` (see MODEL_LABEL). */
export function openMetricsChunksOfModels(
  runs: readonly { readonly model: string; readonly telemetry: IstioTelemetry }[],
  options: { readonly baseTimeMs?: number } = {},
): TextChunks {
  return rendered(modelSources(runs), options.baseTimeMs, true);
}

/** The final scrape of each model's run (Prometheus text 0.0.4), labelled as `openMetricsChunksOfModels`. */
export function prometheusChunksOfModels(
  runs: readonly { readonly model: string; readonly telemetry: IstioTelemetry }[],
): TextChunks {
  return rendered(modelSources(runs), undefined, false);
}

/** Every window's sample, OpenMetrics 1.0, timestamps from `options.baseTimeMs` (see the file comment). */
export function openMetricsChunks(t: IstioTelemetry, options: OpenMetricsOptions = {}): TextChunks {
  return rendered([sourceOf(t, options)], options.baseTimeMs, true);
}

/** The final sample as Prometheus text format 0.0.4, no timestamps (see the file comment). */
export function prometheusChunks(t: IstioTelemetry, options: OpenMetricsOptions = {}): TextChunks {
  return rendered([sourceOf(t, options)], options.baseTimeMs, false);
}

/** `openMetricsChunksOfModels` as one string. */
export function openMetricsTextOfModels(
  runs: readonly { readonly model: string; readonly telemetry: IstioTelemetry }[],
  options: { readonly baseTimeMs?: number } = {},
): string {
  return chunksToString(openMetricsChunksOfModels(runs, options));
}

/** `prometheusChunksOfModels` as one string. */
export function prometheusTextOfModels(
  runs: readonly { readonly model: string; readonly telemetry: IstioTelemetry }[],
): string {
  return chunksToString(prometheusChunksOfModels(runs));
}

/** `openMetricsChunks` as one string (tests and small runs; the CLI writes the chunks). */
export function openMetricsText(t: IstioTelemetry, options: OpenMetricsOptions = {}): string {
  return chunksToString(openMetricsChunks(t, options));
}

/** `prometheusChunks` as one string. */
export function prometheusText(t: IstioTelemetry, options: OpenMetricsOptions = {}): string {
  return chunksToString(prometheusChunks(t, options));
}
