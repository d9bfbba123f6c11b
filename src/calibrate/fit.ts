/**
 * A latency distribution fitted to histogram bucket counts, the way Istio's telemetry gives latency:
 * counts in Envoy's fixed buckets (0.5, 1, 5, 10, 25, 50, 100, 250 ms ...) and an exact sum.
 *
 * Why not `histogram_quantile`: it interpolates linearly inside a bucket, and Istio's buckets are wide (a
 * factor 2 to 5 apart), so a p50 of 1.4 ms in the 1-5 ms bucket reads as anything from 1 to 5 ms depending
 * on the neighbours. What the buckets do say exactly is how many observations fell in each; the sum says the
 * mean exactly. So:
 * 1. Parametric maximum likelihood on the interval-censored counts (each bucket contributes
 *    n_i · log P(lo_i < X <= hi_i)): exponential with the observed mean (0 free parameters), lognormal with
 *    the observed mean (σ free), lognormal (μ and σ free). The smallest AIC wins.
 * 2. If that family is adequate by the likelihood-ratio test against the saturated model (G² below the
 *    99.9% chi-square quantile on the buckets' degrees of freedom), it is written as is: a readable
 *    `{dist: lognormal, median, p99}` or `{dist: exponential, mean}`.
 * 3. Otherwise (with tens of thousands of observations no simple family passes when the truth is, say, a
 *    mixture), the written distribution keeps every bucket's observed mass exactly (the nonparametric
 *    maximum-likelihood answer) and takes only the shape *inside* each bucket, which no count can tell,
 *    from the best parametric fit instead of a uniform spread. It is written as `{dist: empirical}` with
 *    percentiles dense enough (1% steps, then 99.5, 99.9) that meshsim's piecewise-linear quantile
 *    function follows it.
 * 4. All observations in one bucket: the buckets say nothing about shape, the sum gives the mean exactly:
 *    a constant at the mean.
 *
 * `shiftMs` is time in every observation that is not the service's own (the response's way back, as the
 * destination reporter's duration includes it): the fit is of X - shift, bucket bounds moved down with it.
 */
import { chiSquareQuantile, normalCdf, normalQuantile, normalSurvival } from './normal.js';

export interface BucketCounts {
  /** Finite upper bounds, ascending (the histogram's `le` values). */
  readonly bounds: readonly number[];
  /** Per bucket: counts[i] observations in (bounds[i-1], bounds[i]]; counts[bounds.length] above every bound. */
  readonly counts: readonly number[];
  /** Sum of the observations (the histogram's `_sum`). */
  readonly sum: number;
}

export type FitFamily = 'constant' | 'exponential' | 'lognormal' | 'bucket-masses';

/** A distribution as the scenario file writes it (durations as strings with a unit). */
export type DistributionText =
  | string
  | { dist: 'exponential'; mean: string }
  | { dist: 'lognormal'; median: string; p99: string }
  | { dist: 'empirical'; percentiles: Record<string, string> };

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

interface Parametric {
  readonly name: 'exponential' | 'lognormal';
  /** Free parameters once the mean is pinned (AIC's k). */
  readonly k: number;
  cdf(x: number): number;
  /** P(lo < X <= hi), computed so that small tail masses keep their precision. */
  mass(lo: number, hi: number): number;
  quantile(p: number): number;
  readonly text: DistributionText;
  readonly label: string;
}

const Z_99 = 2.3263478740408408;

/** Milliseconds as a duration string, 4 significant digits. */
export function ms(v: number): string {
  const r = Number(v.toPrecision(4));
  return `${r}ms`;
}

function exponential(mean: number): Parametric {
  const cdf = (x: number) => (x <= 0 ? 0 : -Math.expm1(-x / mean));
  return {
    name: 'exponential',
    k: 0,
    cdf,
    mass: (lo, hi) => (hi === Infinity ? Math.exp(-Math.max(lo, 0) / mean) : cdf(hi) - cdf(lo)),
    quantile: (p) => -mean * Math.log1p(-p),
    text: { dist: 'exponential', mean: ms(mean) },
    label: `exponential (mean ${ms(mean)})`,
  };
}

function lognormal(mu: number, sigma: number, k: number): Parametric {
  const z = (x: number) => (Math.log(x) - mu) / sigma;
  const cdf = (x: number) => (x <= 0 ? 0 : normalCdf(z(x)));
  const median = Math.exp(mu);
  const p99 = Math.exp(mu + Z_99 * sigma);
  return {
    name: 'lognormal',
    k,
    cdf,
    mass: (lo, hi) => {
      const zl = lo <= 0 ? -Infinity : z(lo);
      const zh = hi === Infinity ? Infinity : z(hi);
      // Above the median, difference of survivals (no 1 - Φ cancellation in the tail).
      return zl >= 0
        ? normalSurvival(zl) - (zh === Infinity ? 0 : normalSurvival(zh))
        : normalCdf(zh) - normalCdf(zl);
    },
    quantile: (p) => Math.exp(mu + sigma * normalQuantile(p)),
    text: { dist: 'lognormal', median: ms(median), p99: ms(p99) },
    label: `lognormal (median ${ms(median)}, p99 ${ms(p99)}${k === 1 ? ', mean pinned to the sum' : ''})`,
  };
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

function logLikelihood(
  f: Parametric,
  buckets: readonly [number, number][],
  counts: readonly number[],
): number {
  let ll = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i] as number;
    if (n === 0) continue;
    const [lo, hi] = buckets[i] as [number, number];
    const p = f.mass(lo, hi);
    if (!(p > 0)) return -Infinity;
    ll += n * Math.log(p);
  }
  return ll;
}

/** Maximum of a unimodal function on [a, b] by golden-section search. */
function goldenMax(f: (x: number) => number, a: number, b: number, iterations = 80): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a);
  let x2 = a + g * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let i = 0; i < iterations; i++) {
    if (f1 < f2) {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + g * (b - a);
      f2 = f(x2);
    } else {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - g * (b - a);
      f1 = f(x1);
    }
  }
  return (a + b) / 2;
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

  const candidates: { f: Parametric; ll: number }[] = [];
  const add = (f: Parametric) => candidates.push({ f, ll: logLikelihood(f, buckets, h.counts) });
  add(exponential(mean));
  const pinned = (s: number) => lognormal(Math.log(mean) - (s * s) / 2, s, 1);
  const sigma1 = goldenMax((s) => logLikelihood(pinned(s), buckets, h.counts), 0.01, 4);
  add(pinned(sigma1));
  const free = (s: number) => {
    const mu = goldenMax(
      (m) => logLikelihood(lognormal(m, s, 2), buckets, h.counts),
      Math.log(mean) - 6,
      Math.log(mean) + 2,
      60,
    );
    return lognormal(mu, s, 2);
  };
  const sigma2 = goldenMax((s) => logLikelihood(free(s), buckets, h.counts), 0.01, 4, 50);
  add(free(sigma2));
  const best = candidates.reduce((a, b) => (2 * b.f.k - 2 * b.ll < 2 * a.f.k - 2 * a.ll ? b : a));

  const saturated = h.counts.reduce((s, n) => (n > 0 ? s + n * Math.log(n / count) : s), 0);
  const g2 = Math.max(0, 2 * (saturated - best.ll));
  const df = populated.length - 1 - best.f.k;
  const critical = df > 0 ? chiSquareQuantile(0.999, df) : 1e-6;
  const adequate = g2 <= critical;

  const cumulative: number[] = [];
  let c = 0;
  for (const n of h.counts) cumulative.push((c += n / count));
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
  const fitText = `${best.f.label}: G² ${g2.toFixed(1)} on ${df} df (99.9% critical ${critical.toFixed(1)})`;
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
