/**
 * Paired differences between models: for each compared figure and each pair of models (a before b in
 * report order), the mean of a − b taken replication by replication, with its own 95% interval. Common
 * random numbers make replication k of both models see the same arrivals and faults, so the noise they
 * share cancels and the interval is narrower than the two models' own intervals suggest.
 *
 * Contents: `pairwiseDifferences`.
 */
import { round } from '../metrics/index.js';
import { COMPARISON_METRICS, observations, type ModelRuns } from './comparison-metric.js';
import type { PairwiseDifference } from './comparison.js';
import { meanOf, pairedDifference } from './estimate.js';
import { DEFAULT_MATERIAL, isMaterial, type MaterialThresholds } from './material.js';

/**
 * Every measured difference, by metric (in `COMPARISON_METRICS` order) then by pair. A metric is left
 * out where fewer than two replications measured it under both models, and structural counts (istiods,
 * config places) are left out: they are the same in every replication and the verdict states them.
 */
export function pairwiseDifferences(
  models: readonly ModelRuns[],
  material: MaterialThresholds = DEFAULT_MATERIAL,
): PairwiseDifference[] {
  const out: PairwiseDifference[] = [];
  for (const metric of COMPARISON_METRICS) {
    if (metric.structural) continue;
    const values = models.map((m) => observations(metric, m));
    for (let i = 0; i < models.length; i++) {
      for (let j = i + 1; j < models.length; j++) {
        const a = models[i];
        const b = models[j];
        const d = pairedDifference(values[i] ?? [], values[j] ?? [], metric.resolution);
        if (a === undefined || b === undefined || d === undefined) continue;
        // A relative threshold is taken against the better of the two models' means.
        const means = [meanOf(values[i] ?? [], 12) ?? 0, meanOf(values[j] ?? [], 12) ?? 0];
        const better = metric.better === 'higher' ? Math.max(...means) : Math.min(...means);
        out.push({
          metric: metric.name,
          unit: metric.unit,
          better: metric.better,
          a: a.model.name,
          b: b.model.name,
          n: d.n,
          mean: round(d.mean, metric.digits),
          ci95: [round(d.lo, metric.digits), round(d.hi, metric.digits)],
          significant: d.significant,
          material: d.significant && isMaterial(metric, d.mean, better, material),
          ...(d.belowResolution ? { belowResolution: true as const } : {}),
        });
      }
    }
  }
  return out;
}
