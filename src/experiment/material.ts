/**
 * The smallest difference between two models that matters, per criterion (`report.material:`): a
 * significant difference below it is "no material difference" in the verdict. Significance says the
 * difference is real; materiality says it is worth choosing a model for. Both are needed: with many
 * replications a 0.02-point availability gap or a 0.0008-vCPU cost gap is significant and irrelevant.
 *
 * Defaults, and why:
 * - availability 0.05 points: half the gap between 99.9% and 99.95%; smaller differences vanish inside a
 *   three-nines error budget. Also for within-SLO and the single point of failure (both availabilities);
 * - latency 5% of the better model's figure: below what users notice, and well above the 2% at which two
 *   percentiles read off the 1% histograms can be told apart;
 * - cost 5% of the cheaper model's figure: within the error of capacity planning. A count fixed by the
 *   wiring (istiods, config places) differs materially by any whole one;
 * - blast radius 1 point of traffic: the error-rate rise that marks a unit impacted (metrics.md);
 * - locality 1 point of calls served in another region (or cluster).
 *
 * Contents: `MaterialThresholds`, `DEFAULT_MATERIAL`, `materialThresholds`, `materialOf`, `isMaterial`,
 * `thresholdText`.
 */
import type { Scenario } from '../scenario/index.js';
import type { ComparisonMetric } from './comparison-metric.js';

export interface MaterialThresholds {
  /** Fraction (0.0005 is 0.05 points). */
  readonly availability: number;
  /** Share of the better model's figure. */
  readonly latency: number;
  /** Share of the cheaper model's figure. */
  readonly cost: number;
  /** Fraction of traffic (0.01 is 1 point). */
  readonly blastRadius: number;
  /** Fraction of calls. */
  readonly locality: number;
}

export const DEFAULT_MATERIAL: MaterialThresholds = {
  availability: 0.0005,
  latency: 0.05,
  cost: 0.05,
  blastRadius: 0.01,
  locality: 0.01,
};

/** The scenario's `report.material`, key by key over the defaults. */
export function materialThresholds(scenario: Pick<Scenario, 'material'> | undefined): MaterialThresholds {
  return { ...DEFAULT_MATERIAL, ...(scenario?.material ?? {}) };
}

/** Which threshold a metric is held to, and whether it is in points (absolute) or a share (relative). */
export function materialOf(
  metric: ComparisonMetric,
  t: MaterialThresholds,
): { readonly key: keyof MaterialThresholds | 'count'; readonly amount: number; readonly relative: boolean } {
  if (metric.structural) return { key: 'count', amount: 1, relative: false };
  const key = metric.material;
  const relative = key === 'latency' || key === 'cost';
  return { key, amount: t[key], relative };
}

/**
 * Whether a difference of `diff` matters; `reference` is the better model's mean, against which a
 * relative threshold is taken. A difference at the threshold counts as material.
 */
export function isMaterial(
  metric: ComparisonMetric,
  diff: number,
  reference: number,
  t: MaterialThresholds,
): boolean {
  const m = materialOf(metric, t);
  const size = m.relative ? m.amount * Math.abs(reference) : m.amount;
  // Rounding of the inputs must not turn a difference of exactly the threshold into one just below it.
  return Math.abs(diff) >= size * (1 - 1e-9);
}

/** The threshold in words: `0.050 points (report.material.availability)`, `5% (report.material.latency)`. */
export function thresholdText(metric: ComparisonMetric, t: MaterialThresholds): string {
  const m = materialOf(metric, t);
  if (m.key === 'count') return 'one whole count';
  const amount = m.relative
    ? `${+(m.amount * 100).toPrecision(6)}%`
    : `${+(m.amount * 100).toPrecision(6)} points`;
  return `${amount} (report.material.${m.key})`;
}
