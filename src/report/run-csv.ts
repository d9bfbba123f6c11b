/**
 * CSV files of a run, written with fast-csv: the timeline (one row per window), services, clusters and the
 * traffic matrix. Column names follow one convention, as Prometheus names metrics: snake_case with the
 * unit last (`_ms`, `_ratio` for a share from 0 to 1, `_total` for a count); names and labels plain.
 */
import type { LatencySummary, RunSummary } from '../metrics/index.js';
import type { ReportFile } from './atomic-write.js';
import { type CsvRow as Row, csvText as csv } from './csv-text.js';
import { serviceGraphCsv } from './service-graph-csv.js';

const latencyColumns = (l: LatencySummary | null, prefix = 'latency'): Row => ({
  [`${prefix}_mean_ms`]: l?.mean ?? null,
  [`${prefix}_stddev_ms`]: l?.stddev ?? null,
  [`${prefix}_min_ms`]: l?.min ?? null,
  [`${prefix}_p50_ms`]: l?.p50 ?? null,
  [`${prefix}_p90_ms`]: l?.p90 ?? null,
  [`${prefix}_p99_ms`]: l?.p99 ?? null,
  [`${prefix}_p999_ms`]: l?.p999 ?? null,
  [`${prefix}_max_ms`]: l?.max ?? null,
});

/**
 * The CSV files of one run, named as in the report folder's root (`timeline.csv`, `services.csv`,
 * `clusters.csv`, `traffic-matrix.csv`); `runReportFiles` puts them under `csv/`.
 */
export async function runCsvFiles(s: RunSummary): Promise<ReportFile[]> {
  const slo = s.withinSlo !== undefined;
  const within = (x: number | null | undefined): Row => (slo ? { within_slo_ratio: x ?? null } : {});
  const timeline = s.timeline.map((w) => ({
    window_start_ms: w.startMs,
    requests_total: w.requests,
    succeeded_total: w.succeeded,
    availability_ratio: w.availability,
    ...within(w.withinSlo),
    latency_mean_ms: w.latencyMs?.mean ?? null,
    latency_p50_ms: w.latencyMs?.p50 ?? null,
    latency_p99_ms: w.latencyMs?.p99 ?? null,
  }));
  // With versions, a `version` column: a service's row (empty version), then one row per version.
  const versions = s.byServiceVersion;
  const services = s.byService.flatMap((b) => [
    {
      service: b.service,
      service_kind: b.kind ?? 'service',
      ...(versions === undefined ? {} : { version: null }),
      requests_total: b.requests,
      succeeded_total: b.succeeded,
      availability_ratio: b.availability,
      ...latencyColumns(b.latencyMs),
      queue_mean_ms: b.queueMs?.mean ?? null,
      queue_p99_ms: b.queueMs?.p99 ?? null,
    },
    ...(versions ?? [])
      .filter((v) => v.service === b.service)
      .map((v) => ({
        service: v.service,
        service_kind: 'service',
        version: v.version,
        requests_total: v.requests,
        succeeded_total: v.succeeded,
        availability_ratio: v.availability,
        ...latencyColumns(v.latencyMs),
        queue_mean_ms: null,
        queue_p99_ms: null,
      })),
  ]);
  const clusters = s.byCluster.map((b) => ({
    cluster: b.cluster,
    requests_total: b.requests,
    succeeded_total: b.succeeded,
    availability_ratio: b.availability,
    ...within(b.withinSlo),
    ...latencyColumns(b.latencyMs),
  }));
  const matrix = s.traffic.map((t) => ({
    from_cluster: t.from,
    to_cluster: t.to,
    calls_total: t.requests,
  }));
  const keys = (rows: readonly Row[], fallback: Row) => Object.keys(rows[0] ?? fallback);
  return [
    {
      name: 'timeline.csv',
      content: await csv(
        timeline,
        keys(timeline, {
          window_start_ms: 0,
          requests_total: 0,
          succeeded_total: 0,
          availability_ratio: 0,
          ...within(0),
          latency_mean_ms: 0,
          latency_p50_ms: 0,
          latency_p99_ms: 0,
        }),
      ),
    },
    { name: 'services.csv', content: await csv(services, keys(services, {})) },
    { name: 'clusters.csv', content: await csv(clusters, keys(clusters, {})) },
    {
      name: 'traffic-matrix.csv',
      content: await csv(matrix, ['from_cluster', 'to_cluster', 'calls_total']),
    },
    { name: 'service-graph.csv', content: await serviceGraphCsv(s.serviceGraph?.edges ?? []) },
  ];
}
