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
import { istiodLines } from './openmetrics-istiod.js';
import {
  counterValues,
  type Family,
  escapeLabel,
  familyHeader,
  float64,
  histogramLines,
  histogramValues,
  histogramParts,
  labelText,
  LineParts,
  lineStarts,
  sampleChunks,
  seconds,
} from './openmetrics-lines.js';
import {
  ChunkWriter,
  chunksToString,
  SampleLines,
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

/**
 * Istio's labels of each series, in the stats filter's order, encoded: a workload's source and
 * destination labels are written once per workload and shared by its series.
 */
function seriesLabels(t: IstioTelemetry, extra: readonly (readonly [string, string])[]): Uint8Array[] {
  const sources = new Map<number, string>();
  const destinations = new Map<number, string>();
  const source = (id: number) => {
    let text = sources.get(id);
    if (text === undefined) {
      const w = t.workloads[id] ?? UNKNOWN;
      text = labelText([
        ['source_workload', w.workload],
        ['source_workload_namespace', w.namespace],
        ['source_principal', w.principal],
        ['source_app', w.app],
        ['source_version', w.version],
        ['source_canonical_service', w.canonicalService],
        ['source_canonical_revision', w.canonicalRevision],
        ['source_cluster', w.cluster],
      ]);
      sources.set(id, text);
    }
    return text;
  };
  const destination = (id: number) => {
    let text = destinations.get(id);
    if (text === undefined) {
      const w = t.workloads[id] ?? UNKNOWN;
      text = labelText([
        ['destination_workload', w.workload],
        ['destination_workload_namespace', w.namespace],
        ['destination_principal', w.principal],
        ['destination_app', w.app],
        ['destination_version', w.version],
      ]);
      destinations.set(id, text);
    }
    return text;
  };
  const extraText = extra.length === 0 ? '' : `,${labelText(extra)}`;
  return t.series.map(function labelsOf(s) {
    const dst = t.workloads[s.destination] ?? UNKNOWN;
    const service = escapeLabel(s.destinationService);
    const namespace = escapeLabel(t.namespace);
    // Istio's source reporter cannot see the server's mTLS mode and reports "unknown".
    const security = s.reporter === 'destination' ? 'mutual_tls' : 'unknown';
    const canonical = escapeLabel(s.destination < 0 ? s.destinationService : dst.canonicalService);
    return utf8(
      `reporter="${escapeLabel(s.reporter)}",${source(s.source)},${destination(s.destination)},` +
        `destination_service="${service}.${namespace}.svc.cluster.local",destination_service_name="${service}",` +
        `destination_service_namespace="${namespace}",destination_canonical_service="${canonical}",` +
        `destination_canonical_revision="${escapeLabel(dst.canonicalRevision)}",` +
        `destination_cluster="${escapeLabel(dst.cluster)}",request_protocol="http",` +
        `response_flags="${escapeLabel(s.responseFlags)}",connection_security_policy="${security}",` +
        `response_code="${s.responseCode}"${extraText}`,
    );
  });
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
/** One run's telemetry and the labels that tell it apart from the others in the same text. */
interface Source {
  readonly t: IstioTelemetry;
  readonly extra: readonly (readonly [string, string])[];
}

/**
 * The text of one or more runs, as chunks of bytes (see text-chunks.ts). Each metric family appears once,
 * its series of every run together under one HELP/TYPE header (OpenMetrics and the text format both
 * require a family's samples to be contiguous). Chunks are yielded as they fill, sample by sample
 * (`sampleChunks`), so a long run's series never piles up in memory.
 */
function* render(
  sources: readonly Source[],
  baseTimeMs: number | undefined,
  openMetrics: boolean,
  labelSets: () => readonly (readonly Uint8Array[])[],
): Generator<Uint8Array, void, undefined> {
  const base = baseTimeMs ?? DEFAULT_METRICS_BASE_TIME_MS;
  const w = new ChunkWriter();
  const header = (f: Family) => familyHeader(w, f, openMetrics);
  const labels = labelSets();
  const prepared = sources.map(({ t, extra }, i) => {
    const extraText = labelText(extra);
    return {
      t,
      from: openMetrics ? 0 : t.windows,
      times: Array.from({ length: t.windows + 1 }, (_, k) =>
        utf8(`${openMetrics ? ` ${seconds(base + t.startMs + k * t.windowMs)}` : ''}\n`),
      ),
      labels: labels[i] as readonly Uint8Array[],
      withExtra: (x: string) => (x === '' ? extraText : extraText === '' ? x : `${x},${extraText}`),
    };
  });
  header(REQUESTS);
  const requestsParts = new LineParts([utf8('istio_requests_total{')], [utf8('} ')]);
  for (const { t, from, times, labels } of prepared)
    yield* sampleChunks(w, t.series.length, function requestLines(i, memory) {
      return new SampleLines(
        lineStarts(requestsParts, labels[i] as Uint8Array, memory),
        counterValues(float64((t.series[i] as TelemetrySeries).counts), t.windows, from, memory),
        times,
        from,
        t.windows,
      );
    });
  header(DURATION);
  for (const { t, from, times, labels } of prepared) {
    const parts = histogramParts(DURATION.name, t.durationBucketsMs, true);
    const lines = histogramLines(parts);
    yield* sampleChunks(w, t.series.length, function durationLines(i, memory) {
      const s = t.series[i] as TelemetrySeries;
      return new SampleLines(
        lineStarts(lines, labels[i] as Uint8Array, memory),
        histogramValues(
          float64(s.buckets),
          float64(s.counts),
          float64(s.sumsMs),
          parts.le.length,
          t.windows,
          from,
          memory,
        ),
        times,
        from,
        t.windows,
      );
    });
  }
  yield* istiodLines(
    w,
    prepared.flatMap((p) => (p.t.controlPlane === null ? [] : [{ ...p, cp: p.t.controlPlane }])),
    openMetrics,
  );
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
function renderMaxBytes(
  sources: readonly Source[],
  openMetrics: boolean,
  labelSets: readonly (readonly Uint8Array[])[],
): number {
  const line = NAME_BYTES + NUMBER_BYTES + (openMetrics ? TIME_BYTES : 1);
  let bytes = 8192; // HELP and TYPE lines, # EOF
  for (const [i, { t, extra }] of sources.entries()) {
    const samples = openMetrics ? t.windows + 1 : 1;
    // A counter line and the histogram's buckets, +Inf, count and sum, per sample.
    const perSample = 1 + t.durationBucketsMs.length + 3;
    for (const labels of labelSets[i] as readonly Uint8Array[])
      bytes += samples * perSample * (line + labels.length);
    const cp = t.controlPlane;
    if (cp === null) continue;
    const extraBytes = Buffer.byteLength(labelText(extra)) + 1;
    const cpLines = 1 + cp.convergenceBucketsS.length + 3 + cp.xdsClients.length;
    const istiods = cp.xdsClients.reduce((n, x) => Math.max(n, Buffer.byteLength(x.istiod)), 0);
    bytes += samples * cpLines * (line + extraBytes + istiods + 32);
  }
  return bytes;
}

/**
 * Each source's label sets, encoded at the first call and then the same arrays: a text reads them for its
 * size bound and again for its lines, and `metricsTexts` shares them between its two texts.
 */
function labelTable(sources: readonly Source[]): () => readonly (readonly Uint8Array[])[] {
  let labels: (readonly Uint8Array[])[] | undefined;
  return () => (labels ??= sources.map(({ t, extra }) => seriesLabels(t, extra)));
}

/** Chunks of `render`, with their size bound, from `labelSets` (see `labelTable`). */
function rendered(
  sources: readonly Source[],
  baseTimeMs: number | undefined,
  openMetrics: boolean,
  labelSets = labelTable(sources),
): TextChunks {
  return textChunks(
    () => render(sources, baseTimeMs, openMetrics, labelSets),
    () => renderMaxBytes(sources, openMetrics, labelSets()),
  );
}

/** A run's two texts (see the file comment), as an export writes both. */
export interface MetricsTexts {
  /** Every window's sample, OpenMetrics 1.0 (`openMetricsChunks`). */
  readonly openMetrics: TextChunks;
  /** The final scrape, Prometheus text format 0.0.4 (`prometheusChunks`). */
  readonly prometheus: TextChunks;
}

/** Both texts of `sources`, their label sets encoded once for the two (each text encoded them anew). */
function bothTexts(sources: readonly Source[], baseTimeMs: number | undefined): MetricsTexts {
  const labelSets = labelTable(sources);
  return {
    openMetrics: rendered(sources, baseTimeMs, true, labelSets),
    prometheus: rendered(sources, baseTimeMs, false, labelSets),
  };
}

const sourceOf = (t: IstioTelemetry, options: OpenMetricsOptions): Source => ({
  t,
  extra: Object.entries(options.extraLabels ?? {}).sort(([a], [b]) => a.localeCompare(b, 'en')),
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

/** `openMetricsChunks` and `prometheusChunks` of `t`, the same bytes, for writing both (openmetrics.txt and metrics.prom). */
export function metricsTexts(t: IstioTelemetry, options: OpenMetricsOptions = {}): MetricsTexts {
  return bothTexts([sourceOf(t, options)], options.baseTimeMs);
}

/** `openMetricsChunksOfModels` and `prometheusChunksOfModels` of `runs`, the same bytes, for writing both. */
export function metricsTextsOfModels(
  runs: readonly { readonly model: string; readonly telemetry: IstioTelemetry }[],
  options: { readonly baseTimeMs?: number } = {},
): MetricsTexts {
  return bothTexts(modelSources(runs), options.baseTimeMs);
}

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
