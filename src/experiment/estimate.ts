/**
 * Figures over replications: a mean with its 95% Student-t interval, and the paired difference of two
 * models' figures replication by replication (common random numbers make the pairs).
 *
 * Contents: `estimate`, `FigureRange`, `pairedDifference`, `PairedDifference`, `meanOf`.
 */
import { meanConfidenceInterval, round } from '../metrics/index.js';
import type { Estimate } from './comparison.js';

/** A value of one replication; null or undefined where the run had no such figure. */
export type Observation = number | null | undefined;

const defined = (v: Observation): v is number => v !== null && v !== undefined;

/** The values a figure can take: a fraction in [0, 1], or any amount >= 0 (ms, counts, vCPU, GB). */
export type FigureRange = 'fraction' | 'nonNegative';

/**
 * The mean of the defined values with its 95% interval, rounded to `digits` decimals; null with fewer
 * than two defined values, because one value has no interval and a zero-width one would claim certainty.
 *
 * The Student-t interval is symmetric, so with few replications near a bound it can reach past it (an
 * availability of 100.03%). It is clipped to the figure's range: the true value lies inside the range,
 * so clipping never excludes it and the interval's coverage is unchanged.
 */
export function estimate(
  values: readonly Observation[],
  digits: number,
  range: FigureRange = 'nonNegative',
): Estimate | null {
  const ci = meanConfidenceInterval(values.filter(defined));
  if (ci === undefined) return null;
  const hi = range === 'fraction' ? Math.min(ci.hi, 1) : ci.hi;
  return {
    mean: round(ci.mean, digits),
    ci95: [round(Math.max(ci.lo, 0), digits), round(hi, digits)],
    n: ci.n,
  };
}

/** A paired difference a − b, unrounded, with whether its interval excludes zero. */
export interface PairedDifference {
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  readonly n: number;
  /**
   * The 95% interval excludes zero (decided on unrounded bounds) and, for a figure read off a histogram,
   * the difference is larger than the histogram can resolve.
   */
  readonly significant: boolean;
  /** The interval excludes zero, but the difference is within the histogram's resolution. */
  readonly belowResolution: boolean;
}

/**
 * The difference a[k] − b[k] over the replications where both are defined, with its 95% interval;
 * undefined with fewer than two such pairs. `resolution`: the relative difference below which two values
 * of the figure cannot be told apart (0 for exact figures). Taking the difference per replication, rather than
 * subtracting two means, is what lets common random numbers cancel the noise the models share.
 */
export function pairedDifference(
  a: readonly Observation[],
  b: readonly Observation[],
  resolution = 0,
): PairedDifference | undefined {
  const diffs: number[] = [];
  let size = 0;
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    const x = a[k];
    const y = b[k];
    if (!defined(x) || !defined(y)) continue;
    diffs.push(x - y);
    size += Math.max(Math.abs(x), Math.abs(y));
  }
  const ci = meanConfidenceInterval(diffs);
  if (ci === undefined) return undefined;
  // A percentile from a 1% histogram is its bucket's value in every replication that lands in that
  // bucket: the interval can shrink to nothing while the difference is only bucket edges. Below the
  // resolution (a share of the figure's size) no difference is claimed, however narrow the interval.
  const resolvable = Math.abs(ci.mean) > resolution * (size / diffs.length);
  const excludesZero = ci.lo > 0 || ci.hi < 0;
  return {
    mean: ci.mean,
    lo: ci.lo,
    hi: ci.hi,
    n: ci.n,
    significant: excludesZero && resolvable,
    belowResolution: excludesZero && !resolvable,
  };
}

/** The plain mean of the defined values, or null when there are none (for per-window timelines). */
export function meanOf(values: readonly Observation[], digits: number): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (!defined(v)) continue;
    sum += v;
    n++;
  }
  return n === 0 ? null : round(sum / n, digits);
}
