/**
 * Every distribution family the scenario format can write (scenario-format.md: exponential, lognormal,
 * normal truncated at 0, uniform, Pareto, empirical percentiles), each fitted by maximum likelihood to
 * interval-censored bucket counts: the multinomial log-likelihood Σ n_i · log P(lo_i < X <= hi_i). A
 * constant is not here: its likelihood is -∞ unless every count is in one bucket (fit.ts handles that).
 *
 * The empirical family is meshsim's own law (src/des/distribution.ts `empiricalQuantile`): a quantile
 * function linear between knots (0, 0), (p_1, v_1), ... (p_k, v_k), then an exponential tail through the last
 * two knots; its density is a step function. Its knot levels are a menu of the sets people read off
 * histograms (the format's own example is p50/p90/p99), each a sub-family with k = its knot count, so AIC
 * charges each for its parameters; the values are the fitted parameters. A law with a density break at a
 * level outside the menu is approximated, not matched (said in the fit's explanation when chosen).
 */
import { Z_99 } from '../des/index.js';
import { ms } from './format-duration.js';
import { goldenMax, nelderMeadMax } from './optimize.js';
import { normalCdf, normalQuantile, normalSurvival } from './normal.js';

/** A distribution as the scenario file writes it (durations as strings with a unit). */
export type DistributionText =
  | string
  | { dist: 'exponential'; mean: string }
  | { dist: 'lognormal'; median: string; p99: string }
  | { dist: 'normal'; mean: string; stddev: string }
  | { dist: 'uniform'; min: string; max: string }
  | { dist: 'pareto'; scale: string; shape: number }
  | { dist: 'empirical'; percentiles: Record<string, string> };

export type ParametricName = 'exponential' | 'lognormal' | 'normal' | 'uniform' | 'pareto' | 'empirical';

export interface Parametric {
  readonly name: ParametricName;
  /** Free parameters (AIC's k; a parameter pinned to the histogram's exact sum is not free). */
  readonly k: number;
  cdf(x: number): number;
  /** P(lo < X <= hi), computed so that small tail masses keep their precision. */
  mass(lo: number, hi: number): number;
  quantile(p: number): number;
  readonly text: DistributionText;
  readonly label: string;
}

export interface Fitted {
  readonly f: Parametric;
  readonly ll: number;
  readonly aic: number;
}

/** Bucket edges [lo, hi] after the shift, and the counts in them. */
export interface Binned {
  readonly edges: readonly (readonly [number, number])[];
  readonly counts: readonly number[];
}

export function logLikelihood(f: Parametric, b: Binned): number {
  let ll = 0;
  for (let i = 0; i < b.counts.length; i++) {
    const n = b.counts[i] as number;
    if (n === 0) continue;
    const [lo, hi] = b.edges[i] as readonly [number, number];
    const p = f.mass(lo, hi);
    if (!(p > 0)) return -Infinity;
    ll += n * Math.log(p);
  }
  return ll;
}

export function exponential(mean: number, k: number): Parametric {
  const cdf = (x: number) => (x <= 0 ? 0 : -Math.expm1(-x / mean));
  return {
    name: 'exponential',
    k,
    cdf,
    mass: (lo, hi) =>
      Math.exp(-Math.max(lo, 0) / mean) - (hi === Infinity ? 0 : Math.exp(-Math.max(hi, 0) / mean)),
    quantile: (p) => -mean * Math.log1p(-p),
    text: { dist: 'exponential', mean: ms(mean) },
    label: `exponential (mean ${ms(mean)}${k === 0 ? ', the exact mean _sum/_count' : ''})`,
  };
}

export function lognormal(mu: number, sigma: number, k: number): Parametric {
  const z = (x: number) => (Math.log(x) - mu) / sigma;
  const median = Math.exp(mu);
  const p99 = Math.exp(mu + Z_99 * sigma);
  return {
    name: 'lognormal',
    k,
    cdf: (x) => (x <= 0 ? 0 : normalCdf(z(x))),
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
    label: `lognormal (median ${ms(median)}, p99 ${ms(p99)}${k === 1 ? ', mean pinned to _sum/_count' : ''})`,
  };
}

/** A normal(mu, sigma) truncated below at 0, as meshsim's sampler draws it (rejection of negatives). */
export function truncatedNormal(mu: number, sigma: number): Parametric {
  const a = -mu / sigma;
  const below = normalCdf(a);
  const kept = normalSurvival(a);
  const z = (x: number) => (x - mu) / sigma;
  const cdf = (x: number) => (x <= 0 ? 0 : (normalCdf(z(x)) - below) / kept);
  return {
    name: 'normal',
    k: 2,
    cdf,
    mass: (lo, hi) => {
      const zl = Math.max(z(Math.max(lo, 0)), a);
      const zh = hi === Infinity ? Infinity : z(hi);
      const m =
        zl >= 0
          ? normalSurvival(zl) - (zh === Infinity ? 0 : normalSurvival(zh))
          : normalCdf(zh) - normalCdf(zl);
      return m / kept;
    },
    quantile: (p) => Math.max(0, mu + sigma * normalQuantile(below + p * kept)),
    text: { dist: 'normal', mean: ms(mu), stddev: ms(sigma) },
    label: `normal truncated at 0 (mean ${ms(mu)}, stddev ${ms(sigma)})`,
  };
}

export function uniform(min: number, max: number): Parametric {
  const w = max - min;
  const cdf = (x: number) => Math.min(1, Math.max(0, (x - min) / w));
  return {
    name: 'uniform',
    k: 2,
    cdf,
    mass: (lo, hi) => Math.max(0, Math.min(hi, max) - Math.max(lo, min)) / w,
    quantile: (p) => min + p * w,
    text: { dist: 'uniform', min: ms(min), max: ms(max) },
    label: `uniform (${ms(min)} to ${ms(max)})`,
  };
}

export function pareto(scale: number, shape: number): Parametric {
  const sf = (x: number) => (x <= scale ? 1 : Math.pow(scale / x, shape));
  return {
    name: 'pareto',
    k: 2,
    cdf: (x) => 1 - sf(x),
    mass: (lo, hi) => sf(lo) - (hi === Infinity ? 0 : sf(hi)),
    quantile: (p) => scale / Math.pow(1 - p, 1 / shape),
    text: { dist: 'pareto', scale: ms(scale), shape: Number(shape.toPrecision(4)) },
    label: `pareto (scale ${ms(scale)}, shape ${shape.toPrecision(4)})`,
  };
}

/** meshsim's empirical law through (levels[i], values[i]); see the file comment. */
export function empirical(levels: readonly number[], values: readonly number[]): Parametric {
  const ps = [0, ...levels];
  const vs = [0, ...values];
  const n = ps.length - 1;
  const pA = ps[n - 1] as number;
  const pB = ps[n] as number;
  const vA = vs[n - 1] as number;
  const vB = vs[n] as number;
  const tail = (vB - vA) / Math.log((1 - pA) / (1 - pB));
  const cdf = (x: number) => {
    if (x <= 0) return 0;
    if (x >= vB) return 1 - (1 - pB) * Math.exp(-(x - vB) / tail);
    let i = 1;
    while ((vs[i] as number) < x) i++;
    const v0 = vs[i - 1] as number;
    const p0 = ps[i - 1] as number;
    return p0 + ((ps[i] as number) - p0) * ((x - v0) / ((vs[i] as number) - v0));
  };
  const sf = (x: number) => (x >= vB ? (1 - pB) * Math.exp(-(x - vB) / tail) : 1 - cdf(x));
  const percentiles: Record<string, string> = {};
  levels.forEach((p, i) => (percentiles[`p${Number((p * 100).toPrecision(6))}`] = ms(values[i] as number)));
  return {
    name: 'empirical',
    k: levels.length,
    cdf,
    mass: (lo, hi) => (lo >= vB ? sf(lo) - (hi === Infinity ? 0 : sf(hi)) : cdf(hi) - cdf(lo)),
    quantile: (p) => {
      if (p >= pB) return vB + tail * Math.log((1 - pB) / (1 - p));
      let i = 1;
      while ((ps[i] as number) <= p) i++;
      const p0 = ps[i - 1] as number;
      const v0 = vs[i - 1] as number;
      return v0 + ((vs[i] as number) - v0) * ((p - p0) / ((ps[i] as number) - p0));
    },
    text: { dist: 'empirical', percentiles },
    label: `empirical (${Object.entries(percentiles)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  };
}

/** The empirical family's knot levels tried (see the file comment). */
export const EMPIRICAL_LEVELS: readonly (readonly number[])[] = [
  [0.5, 0.9, 0.99],
  [0.5, 0.95, 0.99],
  [0.5, 0.9, 0.99, 0.999],
  [0.5, 0.75, 0.9, 0.99],
  [0.5, 0.9, 0.95, 0.99],
  [0.25, 0.5, 0.75, 0.9, 0.99],
];

/**
 * Every family at its maximum likelihood. `mean` is the exact observed mean (less the shift), used by the
 * pinned variants (exponential, lognormal with its mean pinned) and for starting points; `start(p)` is a
 * rough quantile (bucket masses with a uniform spread inside a bucket) that seeds the empirical search.
 */
export function fitFamilies(b: Binned, mean: number, start: (p: number) => number): Fitted[] {
  const out: Fitted[] = [];
  const add = (f: Parametric | undefined) => {
    if (f === undefined) return;
    const ll = logLikelihood(f, b);
    if (Number.isFinite(ll)) out.push({ f, ll, aic: 2 * f.k - 2 * ll });
  };
  const ll = (f: Parametric) => logLikelihood(f, b);
  const populated = b.counts.flatMap((n, i) => (n > 0 ? [i] : []));
  const [firstLo, firstHi] = b.edges[populated[0] as number] as readonly [number, number];
  const [lastLo, lastHi] = b.edges[populated[populated.length - 1] as number] as readonly [number, number];

  add(exponential(mean, 0));
  const logMean = goldenMax((m) => ll(exponential(Math.exp(m), 1)), Math.log(mean) - 4, Math.log(mean) + 4);
  add(exponential(Math.exp(logMean), 1));

  const pinned = (s: number) => lognormal(Math.log(mean) - (s * s) / 2, s, 1);
  add(pinned(goldenMax((s) => ll(pinned(s)), 0.01, 4)));
  const ln = nelderMeadMax(
    (x) => ll(lognormal(x[0] as number, Math.exp(x[1] as number), 2)),
    [Math.log(start(0.5)), Math.log(0.8)],
  );
  add(lognormal(ln.x[0] as number, Math.exp(ln.x[1] as number), 2));

  const nm = nelderMeadMax(
    (x) => ((x[0] as number) < 0 ? -Infinity : ll(truncatedNormal(x[0] as number, Math.exp(x[1] as number)))),
    [mean, Math.log(Math.max(start(0.84) - start(0.5), mean / 4))],
  );
  if (Number.isFinite(nm.value)) add(truncatedNormal(nm.x[0] as number, Math.exp(nm.x[1] as number)));

  // A uniform must cover every populated bucket (an empty overlap is probability 0): its bounds are free
  // inside the outermost populated buckets.
  if (lastHi !== Infinity) {
    const u = nelderMeadMax(
      (x) => {
        const lo = x[0] as number;
        const hi = x[1] as number;
        return lo < 0 || !(hi > lo) ? -Infinity : ll(uniform(lo, hi));
      },
      [firstLo + 0.5 * (firstHi - firstLo), lastLo + 0.5 * (lastHi - lastLo)],
      0.1 * (lastHi - firstLo),
    );
    if (Number.isFinite(u.value)) add(uniform(u.x[0] as number, u.x[1] as number));
  }

  // A Pareto starts at its scale: inside the lowest populated bucket.
  if (firstHi > 0) {
    const p = nelderMeadMax(
      (x) => {
        const scale = Math.exp(x[0] as number);
        return scale > firstHi ? -Infinity : ll(pareto(scale, Math.exp(x[1] as number)));
      },
      [Math.log(Math.max(firstLo, firstHi / 2)), Math.log(2)],
    );
    if (Number.isFinite(p.value)) add(pareto(Math.exp(p.x[0] as number), Math.exp(p.x[1] as number)));
  }

  // Empirical: values as increments on a log scale (strictly rising knots, as the loader requires).
  for (const levels of EMPIRICAL_LEVELS) {
    const values = (x: readonly number[]) => {
      let v = 0;
      return x.map((a) => (v += Math.exp(a)));
    };
    const seed: number[] = [];
    let prev = 0;
    for (const p of levels) {
      const v = Math.max(start(p), prev * 1.05 + 1e-3);
      seed.push(Math.log(v - prev));
      prev = v;
    }
    const e = nelderMeadMax((x) => ll(empirical(levels, values(x))), seed, 0.2, 600);
    if (Number.isFinite(e.value)) add(empirical(levels, values(e.x)));
  }
  return out;
}
