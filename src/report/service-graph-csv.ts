/**
 * `service-graph.csv`: the service graph in long form, as Prometheus' istio_requests_total is labelled. Per
 * edge one row with empty `response_code`/`response_flags` (the edge's totals, error ratio and latency),
 * then one row per final response code and Envoy flag with its calls and share of the edge (no flag: an
 * empty cell, as Envoy's `-` would be quoted against CSV injection). `source_kind` is `service`, `traffic`
 * (a client outside the mesh) or `ingress` (the ingress gateway); `destination_kind` is `service` or
 * `external` (a ServiceEntry host), as services.csv's `service_kind`. A comparison
 * writes the same rows per model, means over the replications, with a `model` column first and
 * `calls_mean` for `calls_total`.
 */
import type { ServiceGraphEdge } from '../metrics/index.js';
import type { CsvRow } from './csv-text.js';
import { csvText } from './csv-text.js';

export const SERVICE_GRAPH_CSV_COLUMNS = [
  'source_kind',
  'source',
  'source_version',
  'source_cluster',
  'destination_kind',
  'destination',
  'destination_version',
  'destination_cluster',
  'response_code',
  'response_flags',
  'calls_total',
  'edge_share_ratio',
  'request_rate_per_second',
  'error_ratio',
  'latency_p50_ms',
  'latency_p90_ms',
  'latency_p99_ms',
] as const;

/** Rows for a set of edges; a response's rate is its share of the edge's rate. */
export function serviceGraphRows(edges: readonly ServiceGraphEdge[]): CsvRow[] {
  return edges.flatMap((e) => {
    const ends: CsvRow = {
      source_kind: e.sourceKind,
      source: e.source,
      source_version: e.sourceVersion,
      source_cluster: e.sourceCluster,
      // The vocabulary of services.csv's service_kind: a meshed service, or a ServiceEntry host.
      destination_kind: e.destinationKind ?? 'service',
      destination: e.destination,
      destination_version: e.destinationVersion,
      destination_cluster: e.destinationCluster,
    };
    const total: CsvRow = {
      ...ends,
      response_code: null,
      response_flags: null,
      calls_total: e.calls,
      edge_share_ratio: 1,
      request_rate_per_second: e.ratePerSecond,
      error_ratio: e.errorRatio,
      latency_p50_ms: e.latencyMs.p50,
      latency_p90_ms: e.latencyMs.p90,
      latency_p99_ms: e.latencyMs.p99,
    };
    const byResponse = e.responses.map((r): CsvRow => ({
      ...ends,
      response_code: r.code,
      // Envoy's `-` (no flag) would be quoted as a formula start (csv-text.ts): no flag is an empty cell.
      response_flags: r.flags === '-' ? null : r.flags,
      calls_total: r.count,
      edge_share_ratio: e.calls > 0 ? round6(r.count / e.calls) : null,
      request_rate_per_second: e.calls > 0 ? round6((r.count / e.calls) * e.ratePerSecond) : null,
      error_ratio: null,
      latency_p50_ms: null,
      latency_p90_ms: null,
      latency_p99_ms: null,
    }));
    return [total, ...byResponse];
  });
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export async function serviceGraphCsv(edges: readonly ServiceGraphEdge[]): Promise<string> {
  return csvText(serviceGraphRows(edges), [...SERVICE_GRAPH_CSV_COLUMNS]);
}

/**
 * The comparison's file: per model, the same rows with `model` first; calls are means per replication, so
 * `calls_total` is `calls_mean` there (as in the comparison's traffic-matrix.csv).
 */
export async function comparisonServiceGraphCsv(
  models: readonly { readonly model: string; readonly edges: readonly ServiceGraphEdge[] }[],
): Promise<string> {
  const rows = models.flatMap((m) =>
    serviceGraphRows(m.edges).map((row): CsvRow => {
      const { calls_total: calls, ...rest } = row;
      return { model: m.model, ...rest, calls_mean: calls ?? null };
    }),
  );
  const columns = SERVICE_GRAPH_CSV_COLUMNS.map((c) => (c === 'calls_total' ? 'calls_mean' : c));
  return csvText(rows, ['model', ...columns]);
}
