/**
 * The CSV files of a model comparison, in long format (a `model` column rather than one file per model), so
 * the set of files is the same whatever the models are called and a spreadsheet pivots them directly:
 *
 * - `comparison.csv`: one row per model and metric: mean, 95% interval, replications, and the metric's unit.
 * - `differences.csv`: the paired differences a − b with their intervals.
 * - `timeline.csv`: per model and window, mean availability and p99 over replications.
 * - `traffic-matrix.csv`: per model, mean calls per replication by client and serving cluster.
 * - `faults.csv`: see `faults-csv.ts`.
 */
import type { ComparisonResult, Estimate, ModelComparison } from '../experiment/index.js';
import type { ReportFile } from './atomic-write.js';
import { type CsvRow, csvText } from './csv-text.js';
import { comparisonFaultsCsv } from './faults-csv.js';

interface Metric {
  readonly metric: string;
  readonly unit: string;
  readonly value: (m: ModelComparison) => Estimate | number | null | undefined;
}

/** Every metric of `comparison.csv`, in row order; names end in their unit where it is not plain. */
const METRICS: readonly Metric[] = [
  { metric: 'availability', unit: 'fraction', value: (m) => m.availability },
  { metric: 'latency_p50_ms', unit: 'ms', value: (m) => m.latencyMs.p50 },
  { metric: 'latency_p99_ms', unit: 'ms', value: (m) => m.latencyMs.p99 },
  { metric: 'blast_clusters_fraction', unit: 'fraction', value: (m) => m.blastRadius?.clusters },
  { metric: 'blast_services_fraction', unit: 'fraction', value: (m) => m.blastRadius?.services },
  { metric: 'blast_traffic_fraction', unit: 'fraction', value: (m) => m.blastRadius?.traffic },
  { metric: 'blast_collateral_fraction', unit: 'fraction', value: (m) => m.blastRadius?.collateral },
  { metric: 'istiods', unit: 'count', value: (m) => m.cost?.istiods },
  { metric: 'istiod_vcpu', unit: 'vCPU', value: (m) => m.cost?.istiodVcpu },
  { metric: 'istiod_memory_gb', unit: 'GB', value: (m) => m.cost?.istiodMemoryGb },
  { metric: 'sidecar_vcpu', unit: 'vCPU', value: (m) => m.cost?.sidecarVcpu },
  { metric: 'cross_zone_gb', unit: 'GB', value: (m) => m.cost?.crossZoneGb },
  { metric: 'cross_region_gb', unit: 'GB', value: (m) => m.cost?.crossRegionGb },
  { metric: 'config_places', unit: 'count', value: (m) => m.cost?.configPlaces },
  { metric: 'convergence_p99_ms', unit: 'ms', value: (m) => m.controlPlaneHealth?.convergenceP99Ms },
  { metric: 'stale_proxy_seconds', unit: 's', value: (m) => m.controlPlaneHealth?.staleProxySeconds },
  {
    metric: 'rejected_pod_creations',
    unit: 'count',
    value: (m) => m.controlPlaneHealth?.rejectedPodCreations,
  },
];

const COMPARISON_COLUMNS = ['model', 'metric', 'unit', 'mean', 'ci95_lo', 'ci95_hi', 'replications'];

/**
 * One row per model and metric, undefined figures as empty cells, so every comparison has the same rows.
 * A figure that is one number for the model (istiods, config places) has no interval.
 */
function comparisonRows(r: ComparisonResult): CsvRow[] {
  return r.models.flatMap((m) =>
    METRICS.map(({ metric, unit, value }): CsvRow => {
      const v = value(m) ?? null;
      const base = { model: m.model, metric, unit };
      if (v === null) return { ...base, mean: null, ci95_lo: null, ci95_hi: null, replications: null };
      if (typeof v === 'number')
        return { ...base, mean: v, ci95_lo: null, ci95_hi: null, replications: null };
      return { ...base, mean: v.mean, ci95_lo: v.ci95[0], ci95_hi: v.ci95[1], replications: v.n };
    }),
  );
}

/** The CSV files of a comparison, named as inside the report's `csv/` folder. */
export async function comparisonCsvFiles(r: ComparisonResult): Promise<ReportFile[]> {
  const differences = r.differences.map((d): CsvRow => ({
    metric: d.metric,
    model_a: d.a,
    model_b: d.b,
    difference_mean: d.mean,
    difference_ci95_lo: d.ci95[0],
    difference_ci95_hi: d.ci95[1],
    significant: d.significant,
  }));
  const timeline = r.models.flatMap((m) =>
    m.timeline.map((w): CsvRow => ({
      model: m.model,
      window_start_ms: w.startMs,
      availability: w.availability,
      latency_p99_ms: w.p99Ms,
    })),
  );
  const traffic = r.models.flatMap((m) =>
    m.traffic.map((t): CsvRow => ({
      model: m.model,
      from_cluster: t.from,
      to_cluster: t.to,
      requests_mean: t.requests,
    })),
  );
  return [
    { name: 'comparison.csv', content: await csvText(comparisonRows(r), COMPARISON_COLUMNS) },
    {
      name: 'differences.csv',
      content: await csvText(differences, [
        'metric',
        'model_a',
        'model_b',
        'difference_mean',
        'difference_ci95_lo',
        'difference_ci95_hi',
        'significant',
      ]),
    },
    {
      name: 'timeline.csv',
      content: await csvText(timeline, ['model', 'window_start_ms', 'availability', 'latency_p99_ms']),
    },
    {
      name: 'traffic-matrix.csv',
      content: await csvText(traffic, ['model', 'from_cluster', 'to_cluster', 'requests_mean']),
    },
    { name: 'faults.csv', content: await comparisonFaultsCsv(r) },
  ];
}
