/**
 * Student-t quantiles and t-based confidence intervals for a mean.
 */
import { createRequire } from 'node:module';
import { mean, sampleStandardDeviation } from 'simple-statistics';

/**
 * @stdlib's t quantile, loaded on first use: its import costs about 200 ms, and every replication worker
 * thread would pay it for nothing (intervals are computed in the main thread, over the workers' results).
 */
let stdlibTQuantile: ((p: number, df: number) => number) | undefined;
function stdlib(): (p: number, df: number) => number {
  stdlibTQuantile ??= createRequire(import.meta.url)('@stdlib/stats-base-dists-t-quantile') as (
    p: number,
    df: number,
  ) => number;
  return stdlibTQuantile;
}

/** A two-sided confidence interval for a mean: `lo = mean − halfWidth`, `hi = mean + halfWidth`. */
export interface MeanConfidenceInterval {
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  readonly halfWidth: number;
  /** The number of observations the interval is based on. */
  readonly n: number;
}

/**
 * The p-quantile of Student's t distribution with `df` degrees of freedom.
 *
 * @remarks Delegates to `@stdlib/stats-base-dists-t-quantile`, which returns NaN on bad input; this wrapper
 * throws instead, so a typo never turns into a NaN interval in a report.
 * @throws RangeError if p is not in [0, 1] or df is not positive.
 */
export function tQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`tQuantile(${p}, ${df}): p must be in [0, 1]`);
  }
  if (!(df > 0)) {
    throw new RangeError(`tQuantile(${p}, ${df}): df must be > 0`);
  }
  return stdlib()(p, df);
}

/**
 * The Student-t confidence interval for the mean of `values` (n − 1 degrees of freedom), or undefined when
 * there are fewer than two values.
 *
 * @remarks Assumes the values are independent and roughly normal, which holds for means of independent
 * replications; within-run observations are autocorrelated and need `batchMeansStandardError` instead.
 * @param level - the confidence level, in (0, 1).
 * @throws RangeError if level is not in (0, 1) or a value is not finite.
 */
export function meanConfidenceInterval(
  values: readonly number[],
  level = 0.95,
): MeanConfidenceInterval | undefined {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`meanConfidenceInterval(…, ${level}): level must be in (0, 1)`);
  }
  const n = values.length;
  let constant = true;
  for (const v of values) {
    if (!Number.isFinite(v)) {
      throw new RangeError(`meanConfidenceInterval: value ${v} is not finite`);
    }
    if (v !== values[0]) constant = false;
  }
  const first = values[0];
  if (n < 2 || first === undefined) return undefined;
  // Summation rounding turns [0.1, 0.1, 0.1] into a mean of 0.10000000000000002 and a ~1e-17 spread;
  // a constant sample has exactly its value as mean and no spread at all.
  if (constant) return { mean: first, lo: first, hi: first, halfWidth: 0, n };
  const m = mean(values);
  const halfWidth = (tQuantile((1 + level) / 2, n - 1) * sampleStandardDeviation(values)) / Math.sqrt(n);
  return { mean: m, lo: m - halfWidth, hi: m + halfWidth, halfWidth, n };
}
