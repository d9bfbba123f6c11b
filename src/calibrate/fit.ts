/**
 * A latency distribution fitted to histogram bucket counts, the way Istio's telemetry gives latency:
 * counts in Envoy's fixed buckets (0.5, 1, 5, 10, 25, 50, 100, 250 ms ...) and an exact sum.
 *
 * Why not `histogram_quantile`: it interpolates linearly inside a bucket, and Istio's buckets are wide (a
 * factor 2 to 5 apart), so a p50 of 1.4 ms in the 1-5 ms bucket reads as anything from 1 to 5 ms depending
 * on the neighbours. What the buckets do say exactly is how many observations fell in each; the sum says the
 * mean exactly. So:
 * 1. Every family the scenario format can write (families.ts: exponential, lognormal, truncated normal,
 *    uniform, Pareto, empirical percentiles at a menu of knot levels, plus the exponential and lognormal
 *    with their mean pinned to the exact sum) is fitted by maximum likelihood on the interval-censored
 *    counts (multinomial: each bucket contributes n_i · log P(lo_i < X <= hi_i)). The smallest AIC wins.
 *    Inside a wide bucket the counts alone cannot place a quantile (every law with the same bucket masses
 *    is equally likely); a family can, because its shape is pinned by the other buckets. So the right
 *    family places, say, a p90 at a density break inside Istio's (10, 25] ms bucket to a fraction of a ms.
 * 2. If that family is adequate by the likelihood-ratio test against the saturated model (G² below the
 *    99.9% chi-square quantile on the buckets' degrees of freedom), it is written as is.
 * 3. Otherwise (no family of the format matches the law: a mixture, say), the written distribution keeps
 *    every bucket's observed mass exactly (the nonparametric maximum-likelihood answer) and takes only the
 *    shape *inside* each bucket, which no count can tell, from the best family instead of a uniform
 *    spread. It is written as `{dist: empirical}` with percentiles dense enough (1% steps, then 99.5,
 *    99.9) that meshsim's piecewise-linear quantile function follows it.
 * 4. All observations in one bucket: the buckets say nothing about shape, the sum gives the mean exactly:
 *    a constant at the mean.
 * The explanation (written into the scenario as the service's comment) names the family, its G² and the
 * runner-up's AIC, so a reader can see how clear the choice was.
 *
 * `shiftMs` is time in every observation that is not the service's own (the response's way back, as the
 * destination reporter's duration includes it): the fit is of X - shift, bucket bounds moved down with it.
 */
import { type DistributionText, fitFamilies, type ParametricName } from './families.js';
import { ms } from './format-duration.js';
import { chiSquareQuantile } from './normal.js';

export { ms } from './format-duration.js';
export type { DistributionText } from './families.js';

export interface BucketCounts {
  /** Finite upper bounds, ascending (the histogram's `le` values). */
  readonly bounds: readonly number[];
  /** Per bucket: counts[i] observations in (bounds[i-1], bounds[i]]; counts[bounds.length] above every bound. */
  readonly counts: readonly number[];
  /** Sum of the observations (the histogram's `_sum`). */
  readonly sum: number;
}

export type FitFamily = 'constant' | ParametricName | 'bucket-masses';

export interface LatencyFit {
  readonly family: FitFamily;
  /** The time taken off every observation before fitting (ms). */
  readonly shiftMs: number;
  readonly count: number;
  /** Observed mean (sum / count), before the shift. */
  readonly observedMeanMs: number;
  /** Of the fitted (shifted) distribution. */
  readonly meanMs: number;
  readonly varianceMs2: number;
  quantile(p: number): number;
  readonly distribution: DistributionText;
  /** One line saying how the fit was chosen (G², df, the family): written as the scenario's comment. */
  readonly explanation: string;
}

/** Bucket edges after the shift: [lo, hi] per bucket, lo of the first = 0. */
function edges(bounds: readonly number[], shift: number): [number, number][] {
  const out: [number, number][] = [];
  let lo = 0;
  for (let i = 0; i <= bounds.length; i++) {
    const hi = i < bounds.length ? Math.max((bounds[i] as number) - shift, 0) : Infinity;
    out.push([lo, hi]);
    lo = hi;
  }
  return out;
}

/** Fits the observations of `h` less `shiftMs`; see the file comment for the method. */
export function fitLatency(h: BucketCounts, shiftMs = 0): LatencyFit {
  const count = h.counts.reduce((a, b) => a + b, 0);
  if (!(count > 0)) throw new Error('fitLatency: no observations');
  const observedMean = h.sum / count;
  const populated = h.counts.flatMap((n, i) => (n > 0 ? [i] : []));
  const first = populated[0] as number;
  // The shift cannot empty the lowest populated bucket (at most 90% of its upper bound), and leaves at least
  // half the mean (what is left must be the service's own time).
  const lowestTop = first < h.bounds.length ? (h.bounds[first] as number) : Infinity;
  const shift = Math.max(0, Math.min(shiftMs, 0.9 * lowestTop, observedMean / 2));
  const mean = observedMean - shift;
  const buckets = edges(h.bounds, shift);

  if (populated.length === 1) {
    const [lo, hi] = buckets[first] as [number, number];
    return {
      family: 'constant',
      shiftMs: shift,
      count,
      observedMeanMs: observedMean,
      meanMs: mean,
      varianceMs2: 0,
      quantile: () => mean,
      distribution: ms(mean),
      explanation: `all ${count} observations in one bucket (${ms(lo + shift)}, ${hi === Infinity ? '+Inf' : ms(hi + shift)}]: its shape is unknown; a constant at the exact mean (_sum/_count)`,
    };
  }

  const cumulative: number[] = [];
  let c = 0;
  for (const n of h.counts) cumulative.push((c += n / count));
  const binned = { edges: buckets, counts: h.counts };
  // Rough quantiles (a uniform spread inside each bucket) only seed the searches.
  const rough = (p: number): number => {
    let i = 0;
    while (i < h.counts.length - 1 && (cumulative[i] as number) < p) i++;
    const before = i === 0 ? 0 : (cumulative[i - 1] as number);
    const share = (h.counts[i] as number) / count;
    const [lo, hi] = buckets[i] as [number, number];
    const top = hi === Infinity ? 2 * Math.max(lo, 1e-3) : hi;
    return lo + (share > 0 ? Math.min(1, (p - before) / share) : 0) * (top - lo);
  };
  // A family with as many free parameters as the counts have degrees of freedom fits any histogram (G² 0
  // on 0 df): it says nothing and is not a candidate.
  const fitted = fitFamilies(binned, mean, rough)
    .filter((x) => x.f.k <= populated.length - 2)
    .sort((a, b) => a.aic - b.aic);
  const best = fitted[0];
  if (best === undefined) throw new Error('fitLatency: no family has a finite likelihood');
  const runnerUp = fitted.find((x) => x.f.name !== best.f.name);
  const saturated = h.counts.reduce((s, n) => (n > 0 ? s + n * Math.log(n / count) : s), 0);
  const g2 = Math.max(0, 2 * (saturated - best.ll));
  const df = populated.length - 1 - best.f.k;
  const critical = df > 0 ? chiSquareQuantile(0.999, df) : 1e-6;
  const adequate = g2 <= critical;

  const spliced = (p: number): number => {
    let i = 0;
    while (i < h.counts.length - 1 && (cumulative[i] as number) < p) i++;
    const before = i === 0 ? 0 : (cumulative[i - 1] as number);
    const share = (h.counts[i] as number) / count;
    const frac = share > 0 ? Math.min(1, Math.max(0, (p - before) / share)) : 0;
    const [lo, hi] = buckets[i] as [number, number];
    const glo = best.f.cdf(lo);
    const ghi = hi === Infinity ? 1 : best.f.cdf(hi);
    if (ghi - glo > 1e-12) {
      const v = best.f.quantile(glo + frac * (ghi - glo));
      return Math.min(hi, Math.max(lo, v));
    }
    // The family puts no mass here: spread evenly (above the last bound: up to twice it).
    return lo + frac * ((hi === Infinity ? 2 * Math.max(lo, 1e-3) : hi) - lo);
  };
  const quantile = adequate ? best.f.quantile : spliced;
  const grid = 4000;
  let m1 = 0;
  let m2 = 0;
  for (let k = 0; k < grid; k++) {
    const v = quantile((k + 0.5) / grid);
    m1 += v;
    m2 += v * v;
  }
  m1 /= grid;
  const variance = Math.max(0, m2 / grid - m1 * m1);
  const versus =
    runnerUp === undefined
      ? ''
      : `; next family ${runnerUp.f.label}, AIC +${(runnerUp.aic - best.aic).toFixed(1)}`;
  const fitText = `best of ${fitted.length} fits by AIC: ${best.f.label}, G² ${g2.toFixed(1)} on ${df} df (99.9% critical ${critical.toFixed(1)})${versus}`;
  if (adequate)
    return {
      family: best.f.name,
      shiftMs: shift,
      count,
      observedMeanMs: observedMean,
      meanMs: m1,
      varianceMs2: variance,
      quantile,
      distribution: best.f.text,
      explanation: `maximum likelihood on ${count} bucket counts, ${fitText}: adequate`,
    };
  const percentiles: Record<string, string> = {};
  let last = 0;
  for (const p of [...Array.from({ length: 99 }, (_, i) => i + 1), 99.5, 99.9]) {
    // Strictly rising knots (the loader refuses equal neighbours): a nudge of 0.1% where two coincide.
    const v = Math.max(spliced(p / 100), last * 1.001 + 1e-6);
    percentiles[`p${p}`] = ms(v);
    last = Number(ms(v).slice(0, -2));
  }
  return {
    family: 'bucket-masses',
    shiftMs: shift,
    count,
    observedMeanMs: observedMean,
    meanMs: m1,
    varianceMs2: variance,
    quantile: spliced,
    distribution: { dist: 'empirical', percentiles },
    explanation: `every bucket's observed mass kept (${count} observations), shape inside a bucket from the best family, ${fitText}: not adequate alone`,
  };
}
