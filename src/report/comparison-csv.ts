/**
 * The CSV files of a model comparison, in long format (a `model` column rather than one file per model), so
 * the set of files is the same whatever the models are called and a spreadsheet pivots them directly:
 *
 * - `comparison.csv`: one row per model and metric: mean, 95% interval, replications, and the metric's unit.
 *
 * Column names follow one convention (Prometheus-like): snake_case, the unit last (`_ms`, `_ratio` for a
 * share from 0 to 1, `_total` for a count, `_gb`, `_vcpu`), intervals as `<figure>_ci95_lo` / `_ci95_hi`;
 * in long files a `unit` column states the unit of `mean` or `difference` on each row.
 * - `differences.csv`: the paired differences a − b with their intervals.
 * - `timeline.csv`: per model and window, mean availability and p99 over replications.
 * - `traffic-matrix.csv`: per model, mean calls per replication by client and serving cluster.
 * - `faults.csv`: see `faults-csv.ts`.
 * - `services.csv`: per model and service (`service_kind`: service, or external for a ServiceEntry
 *   host), then (with a `version` column, when any run had versioned pods) per service version: mean
 *   calls, availability, p50 and p99 over replications, with intervals.
 */
import type { ComparisonResult, Estimate, ModelComparison, ServiceComparison } from '../experiment/index.js';
import type { ReportFile } from './atomic-write.js';
import { type CsvRow, csvText } from './csv-text.js';
import { comparisonFaultsCsv } from './faults-csv.js';
import { comparisonServiceGraphCsv } from './service-graph-csv.js';

interface Metric {
  readonly metric: string;
  readonly unit: string;
  readonly value: (m: ModelComparison) => Estimate | number | null | undefined;
}

/** Every metric of `comparison.csv`, in row order; names end in their unit where it is not plain. */
const METRICS: readonly Metric[] = [
  { metric: 'availability_ratio', unit: 'ratio', value: (m) => m.availability },
  { metric: 'within_slo_ratio', unit: 'ratio', value: (m) => m.withinSlo },
  { metric: 'latency_p50_ms', unit: 'ms', value: (m) => m.latencyMs.p50 },
  { metric: 'latency_p99_ms', unit: 'ms', value: (m) => m.latencyMs.p99 },
  { metric: 'blast_clusters_ratio', unit: 'ratio', value: (m) => m.blastRadius?.clusters },
  { metric: 'blast_services_ratio', unit: 'ratio', value: (m) => m.blastRadius?.services },
  { metric: 'blast_traffic_ratio', unit: 'ratio', value: (m) => m.blastRadius?.traffic },
  { metric: 'blast_failed_ratio', unit: 'ratio', value: (m) => m.blastRadius?.failed },
  { metric: 'blast_slow_ratio', unit: 'ratio', value: (m) => m.blastRadius?.slow },
  { metric: 'blast_collateral_ratio', unit: 'ratio', value: (m) => m.blastRadius?.collateral },
  {
    metric: 'control_plane_outage_availability_ratio',
    unit: 'ratio',
    value: (m) => m.controlPlaneOutageAvailability,
  },
  { metric: 'cross_cluster_calls_ratio', unit: 'ratio', value: (m) => m.locality?.crossClusterShare },
  { metric: 'cross_region_calls_ratio', unit: 'ratio', value: (m) => m.locality?.crossRegionShare },
  { metric: 'istiods_total', unit: 'count', value: (m) => m.cost?.istiods },
  { metric: 'istiod_vcpu', unit: 'vCPU', value: (m) => m.cost?.istiodVcpu },
  { metric: 'istiod_memory_gb', unit: 'GB', value: (m) => m.cost?.istiodMemoryGb },
  { metric: 'sidecar_vcpu', unit: 'vCPU', value: (m) => m.cost?.sidecarVcpu },
  { metric: 'cross_zone_gb', unit: 'GB', value: (m) => m.cost?.crossZoneGb },
  { metric: 'cross_region_gb', unit: 'GB', value: (m) => m.cost?.crossRegionGb },
  { metric: 'config_places_total', unit: 'count', value: (m) => m.cost?.configPlaces },
  { metric: 'convergence_p99_ms', unit: 'ms', value: (m) => m.controlPlaneHealth?.convergenceP99Ms },
  { metric: 'stale_proxy_seconds', unit: 's', value: (m) => m.controlPlaneHealth?.staleProxySeconds },
  {
    metric: 'rejected_pod_creations_total',
    unit: 'count',
    value: (m) => m.controlPlaneHealth?.rejectedPodCreations,
  },
];

const COMPARISON_COLUMNS = [
  'model',
  'metric',
  'unit',
  'mean',
  'mean_ci95_lo',
  'mean_ci95_hi',
  'replications_total',
];

/**
 * One row per model and metric, undefined figures as empty cells, so every comparison has the same rows.
 * A figure that is one number for the model (istiods, config places) has no interval.
 */
function comparisonRows(r: ComparisonResult): CsvRow[] {
  return r.models.flatMap((m) =>
    METRICS.map(({ metric, unit, value }): CsvRow => {
      const v = value(m) ?? null;
      const base = { model: m.model, metric, unit };
      const none = { mean_ci95_lo: null, mean_ci95_hi: null, replications_total: null };
      if (v === null) return { ...base, mean: null, ...none };
      if (typeof v === 'number') return { ...base, mean: v, ...none };
      return {
        ...base,
        mean: v.mean,
        mean_ci95_lo: v.ci95[0],
        mean_ci95_hi: v.ci95[1],
        replications_total: v.n,
      };
    }),
  );
}

/** `<figure>`, `<figure>_ci95_lo`, `<figure>_ci95_hi`: empty cells where no replication measured it. */
function estimateColumns(figure: string, e: Estimate | null): CsvRow {
  return {
    [figure]: e?.mean ?? null,
    [`${figure}_ci95_lo`]: e?.ci95[0] ?? null,
    [`${figure}_ci95_hi`]: e?.ci95[1] ?? null,
  };
}

const SERVICE_FIGURES = ['requests_mean', 'availability_ratio', 'latency_p50_ms', 'latency_p99_ms'];

function serviceCells(s: ServiceComparison): CsvRow {
  return {
    ...estimateColumns('requests_mean', s.requests),
    ...estimateColumns('availability_ratio', s.availability),
    ...estimateColumns('latency_p50_ms', s.latencyMs.p50),
    ...estimateColumns('latency_p99_ms', s.latencyMs.p99),
    replications_total: s.requests?.n ?? null,
  };
}

/**
 * Per model, a row per service (empty `version` when versions exist), then its version rows right under
 * it, as the run's services.csv orders them.
 */
function servicesCsv(r: ComparisonResult): Promise<string> {
  const versions = r.models.some((m) => m.byServiceVersion !== undefined);
  const rows = r.models.flatMap((m) =>
    (m.byService ?? []).flatMap((b): CsvRow[] => [
      {
        model: m.model,
        service: b.service,
        service_kind: b.kind ?? 'service',
        ...(versions ? { version: null } : {}),
        ...serviceCells(b),
      },
      ...(m.byServiceVersion ?? [])
        .filter((v) => v.service === b.service)
        .map((v): CsvRow => ({
          model: m.model,
          service: v.service,
          service_kind: 'service',
          version: v.version,
          ...serviceCells(v),
        })),
    ]),
  );
  return csvText(rows, [
    'model',
    'service',
    'service_kind',
    ...(versions ? ['version'] : []),
    ...SERVICE_FIGURES.flatMap((f) => [f, `${f}_ci95_lo`, `${f}_ci95_hi`]),
    'replications_total',
  ]);
}

/** The CSV files of a comparison, named as inside the report's `csv/` folder. */
export async function comparisonCsvFiles(r: ComparisonResult): Promise<ReportFile[]> {
  const differences = r.differences.map((d): CsvRow => ({
    metric: d.metric,
    unit: d.unit === 'fraction' ? 'ratio' : (d.unit ?? null),
    model_a: d.a,
    model_b: d.b,
    difference: d.mean,
    difference_ci95_lo: d.ci95[0],
    difference_ci95_hi: d.ci95[1],
    significant: d.significant,
    material: d.material ?? null,
  }));
  const slo = r.models.some((m) => m.timeline.some((w) => w.withinSlo !== undefined));
  const timeline = r.models.flatMap((m) =>
    m.timeline.map((w): CsvRow => ({
      model: m.model,
      window_start_ms: w.startMs,
      availability_ratio: w.availability,
      ...(slo ? { within_slo_ratio: w.withinSlo ?? null } : {}),
      latency_p99_ms: w.p99Ms,
    })),
  );
  const traffic = r.models.flatMap((m) =>
    m.traffic.map((t): CsvRow => ({
      model: m.model,
      from_cluster: t.from,
      to_cluster: t.to,
      calls_mean: t.requests,
    })),
  );
  return [
    { name: 'comparison.csv', content: await csvText(comparisonRows(r), COMPARISON_COLUMNS) },
    {
      name: 'differences.csv',
      content: await csvText(differences, [
        'metric',
        'unit',
        'model_a',
        'model_b',
        'difference',
        'difference_ci95_lo',
        'difference_ci95_hi',
        'significant',
        'material',
      ]),
    },
    {
      name: 'timeline.csv',
      content: await csvText(timeline, [
        'model',
        'window_start_ms',
        'availability_ratio',
        ...(slo ? ['within_slo_ratio'] : []),
        'latency_p99_ms',
      ]),
    },
    {
      name: 'traffic-matrix.csv',
      content: await csvText(traffic, ['model', 'from_cluster', 'to_cluster', 'calls_mean']),
    },
    { name: 'faults.csv', content: await comparisonFaultsCsv(r) },
    {
      name: 'service-graph.csv',
      content: await comparisonServiceGraphCsv(
        r.models.map((m) => ({ model: m.model, edges: m.serviceGraph?.edges ?? [] })),
      ),
    },
    { name: 'services.csv', content: await servicesCsv(r) },
  ];
}
