/**
 * The sweep's figures are experiment's `MODEL_FIGURES`, written by the report: the CSV column names and
 * axis titles below are the ones sweep.csv and the charts have always carried (a rename would break
 * every spreadsheet and `--figure` built on them), derived from each figure's camelCase name and unit.
 */
import { describe, expect, it } from 'vitest';
import { COMPARISON_METRICS } from '../../src/experiment/comparison-metric.js';
import { MODEL_FIGURES } from '../../src/experiment/model-figures.js';
import { sweepFigure, sweepFigureName } from '../../src/report/sweep-figures.js';

describe('sweepFigure(MODEL_FIGURES)', () => {
  it('writes the column names and axis titles of sweep.csv and the sweep charts, in CSV order', () => {
    expect(MODEL_FIGURES.map(sweepFigure).map((f) => [f.name, f.title])).toEqual([
      ['availability_ratio', 'availability (ratio)'],
      ['latency_mean_ms', 'mean latency (ms)'],
      ['latency_p50_ms', 'p50 latency (ms)'],
      ['latency_p90_ms', 'p90 latency (ms)'],
      ['latency_p99_ms', 'p99 latency (ms)'],
      ['latency_p999_ms', 'p99.9 latency (ms)'],
      ['blast_radius_clusters_ratio', 'clusters hit (ratio)'],
      ['blast_radius_services_ratio', 'services hit (ratio)'],
      ['blast_radius_traffic_ratio', 'traffic lost (ratio)'],
      ['blast_radius_collateral_ratio', 'collateral (ratio)'],
      ['istiod_vcpu', 'istiod vCPU'],
      ['istiod_memory_gb', 'istiod memory (GB)'],
      ['sidecar_vcpu', 'sidecar vCPU'],
      ['cross_zone_gb', 'cross-zone traffic (GB)'],
      ['cross_region_gb', 'cross-region traffic (GB)'],
      ['convergence_p99_ms', 'config convergence p99 (ms)'],
      ['stale_proxy_seconds', 'stale proxy-seconds'],
      ['rejected_pod_creations_total', 'rejected pod creations'],
    ]);
  });

  it('a figure that is a compared metric has its name and unit, so the two lists cannot drift apart', () => {
    const compared = MODEL_FIGURES.filter((f) => COMPARISON_METRICS.some((m) => m.name === f.name));
    expect(compared.map((f) => f.name)).toEqual([
      'availability',
      'latencyMeanMs',
      'latencyP50Ms',
      'latencyP99Ms',
      'blastRadiusClusters',
      'blastRadiusServices',
      'blastRadiusTraffic',
      'blastRadiusCollateral',
      'istiodVcpu',
      'istiodMemoryGb',
      'sidecarVcpu',
    ]);
    for (const f of compared) expect(f.unit).toBe(COMPARISON_METRICS.find((m) => m.name === f.name)?.unit);
  });

  it('names are unique, so --figure picks one', () => {
    const names = MODEL_FIGURES.map(sweepFigureName);
    expect(new Set(names).size).toBe(names.length);
  });
});
