/**
 * The figures of a sweep's CSV and charts, each read from one model's comparison at one point. Names are
 * snake_case with the unit in the name, as Prometheus names metrics (`latency_p99_ms`,
 * `availability_ratio`); an interval's bounds are `<name>_ci_low` and `<name>_ci_high`.
 *
 * Contents: `SweepFigure`, `SWEEP_FIGURES`, `sweepFigure`.
 */
import type { Estimate, ModelComparison } from '../experiment/index.js';

export interface SweepFigure {
  readonly name: string;
  /** Axis title. */
  readonly title: string;
  readonly value: (m: ModelComparison) => Estimate | null | undefined;
}

export const SWEEP_FIGURES: readonly SweepFigure[] = [
  { name: 'availability_ratio', title: 'availability (ratio)', value: (m) => m.availability },
  { name: 'latency_mean_ms', title: 'mean latency (ms)', value: (m) => m.latencyMs.mean },
  { name: 'latency_p50_ms', title: 'p50 latency (ms)', value: (m) => m.latencyMs.p50 },
  { name: 'latency_p90_ms', title: 'p90 latency (ms)', value: (m) => m.latencyMs.p90 },
  { name: 'latency_p99_ms', title: 'p99 latency (ms)', value: (m) => m.latencyMs.p99 },
  { name: 'latency_p999_ms', title: 'p99.9 latency (ms)', value: (m) => m.latencyMs.p999 },
  {
    name: 'blast_radius_clusters_ratio',
    title: 'clusters hit (ratio)',
    value: (m) => m.blastRadius?.clusters,
  },
  {
    name: 'blast_radius_services_ratio',
    title: 'services hit (ratio)',
    value: (m) => m.blastRadius?.services,
  },
  {
    name: 'blast_radius_traffic_ratio',
    title: 'traffic lost (ratio)',
    value: (m) => m.blastRadius?.traffic,
  },
  {
    name: 'blast_radius_collateral_ratio',
    title: 'collateral (ratio)',
    value: (m) => m.blastRadius?.collateral,
  },
  { name: 'istiod_vcpu', title: 'istiod vCPU', value: (m) => m.cost?.istiodVcpu },
  { name: 'istiod_memory_gb', title: 'istiod memory (GB)', value: (m) => m.cost?.istiodMemoryGb },
  { name: 'sidecar_vcpu', title: 'sidecar vCPU', value: (m) => m.cost?.sidecarVcpu },
  { name: 'cross_zone_gb', title: 'cross-zone traffic (GB)', value: (m) => m.cost?.crossZoneGb },
  { name: 'cross_region_gb', title: 'cross-region traffic (GB)', value: (m) => m.cost?.crossRegionGb },
  {
    name: 'convergence_p99_ms',
    title: 'config convergence p99 (ms)',
    value: (m) => m.controlPlaneHealth?.convergenceP99Ms,
  },
  {
    name: 'stale_proxy_seconds',
    title: 'stale proxy-seconds',
    value: (m) => m.controlPlaneHealth?.staleProxySeconds,
  },
  {
    name: 'rejected_pod_creations_total',
    title: 'rejected pod creations',
    value: (m) => m.controlPlaneHealth?.rejectedPodCreations,
  },
];

/** The figure named `name`, or undefined. */
export function sweepFigure(name: string): SweepFigure | undefined {
  return SWEEP_FIGURES.find((f) => f.name === name);
}
