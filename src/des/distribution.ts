/**
 * Probability distributions of the scenario format, each drawing from one uniform stream.
 *
 * `Distribution` is the resolved description (numbers in ms); `sampler()` turns it into an object whose
 * `sample()` the hot path calls. Each sampler is a small class with a monomorphic `sample` so that V8 can
 * inline it. `distributionMean` gives the exact mean, for reports and for checking models against theory.
 */
import { SimulationError } from './errors.js';
import type { Uniform } from './rng-streams.js';

/** z such that P(Z <= z) = 0.99 for a standard normal; turns (median, p99) into a lognormal sigma. */
export const Z_99 = 2.3263478740408408;

/** A resolved distribution; every value in milliseconds (or the unit of whatever it samples). */
export type Distribution =
  | { readonly dist: 'constant'; readonly value: number }
  | { readonly dist: 'exponential'; readonly mean: number }
  | { readonly dist: 'lognormal'; readonly median: number; readonly p99: number }
  | { readonly dist: 'normal'; readonly mean: number; readonly stddev: number }
  | { readonly dist: 'uniform'; readonly min: number; readonly max: number }
  | { readonly dist: 'pareto'; readonly scale: number; readonly shape: number }
  | { readonly dist: 'empirical'; readonly percentiles: readonly (readonly [p: number, value: number])[] };

export const DistributionKind = {
  constant: 'constant',
  exponential: 'exponential',
  lognormal: 'lognormal',
  normal: 'normal',
  uniform: 'uniform',
  pareto: 'pareto',
  empirical: 'empirical',
} as const;
export type DistributionKind = keyof typeof DistributionKind;
export function isDistributionKind(x: unknown): x is DistributionKind {
  return typeof x === 'string' && Object.hasOwn(DistributionKind, x);
}

/** Draws values. */
export interface Sampler {
  sample(): number;
}

class ConstantSampler implements Sampler {
  constructor(private readonly value: number) {}
  sample(): number {
    return this.value;
  }
}

class ExponentialSampler implements Sampler {
  constructor(
    private readonly rng: Uniform,
    private readonly mean: number,
  ) {}
  sample(): number {
    // 1 - u lies in (0, 1]: log never sees 0.
    return -this.mean * Math.log(1 - this.rng());
  }
}

/**
 * Standard normals by Box-Muller, two per pair of uniforms: the second is kept for the next call. The
 * cache lives in the sampler, so the sequence depends only on the stream and the number of draws.
 */
class NormalSource {
  private spare = 0;
  private hasSpare = false;
  constructor(private readonly rng: Uniform) {}
  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.rng()));
    const theta = 2 * Math.PI * this.rng();
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }
}

class LognormalSampler implements Sampler {
  private readonly mu: number;
  private readonly sigma: number;
  private readonly normal: NormalSource;
  constructor(rng: Uniform, median: number, p99: number) {
    this.mu = Math.log(median);
    this.sigma = (Math.log(p99) - this.mu) / Z_99;
    this.normal = new NormalSource(rng);
  }
  sample(): number {
    return Math.exp(this.mu + this.sigma * this.normal.next());
  }
}

class TruncatedNormalSampler implements Sampler {
  private readonly normal: NormalSource;
  constructor(
    rng: Uniform,
    private readonly mean: number,
    private readonly stddev: number,
  ) {
    this.normal = new NormalSource(rng);
  }
  sample(): number {
    // Rejection gives the exact truncated law; validation keeps mean >= 0, so acceptance is at least 1/2.
    for (;;) {
      const x = this.mean + this.stddev * this.normal.next();
      if (x >= 0) return x;
    }
  }
}

class UniformSampler implements Sampler {
  constructor(
    private readonly rng: Uniform,
    private readonly min: number,
    private readonly max: number,
  ) {}
  sample(): number {
    return this.min + (this.max - this.min) * this.rng();
  }
}

class ParetoSampler implements Sampler {
  private readonly inverseShape: number;
  constructor(
    private readonly rng: Uniform,
    private readonly scale: number,
    shape: number,
  ) {
    this.inverseShape = 1 / shape;
  }
  sample(): number {
    return this.scale / Math.pow(1 - this.rng(), this.inverseShape);
  }
}

/**
 * Inverse-CDF sampling from percentiles read off a latency histogram.
 *
 * Between knots the quantile function is linear (monotone by construction). Below the first knot it runs
 * linearly from 0 at p = 0. Above the last knot it continues as an exponential tail fitted through the last
 * two knots, the usual choice for latency tails (a hard cap would understate them, a linear one too).
 */
interface EmpiricalKnots {
  readonly ps: Float64Array;
  readonly vs: Float64Array;
  readonly tailScale: number;
}

function empiricalKnots(percentiles: readonly (readonly [number, number])[]): EmpiricalKnots {
  const knots: (readonly [number, number])[] = [[0, 0], ...percentiles];
  const n = knots.length;
  const [pA, vA] = knots[n - 2] as readonly [number, number];
  const [pB, vB] = knots[n - 1] as readonly [number, number];
  return {
    ps: Float64Array.from(knots, (k) => k[0]),
    vs: Float64Array.from(knots, (k) => k[1]),
    tailScale: pB < 1 ? (vB - vA) / Math.log((1 - pA) / (1 - pB)) : 0,
  };
}

class EmpiricalSampler implements Sampler {
  private readonly ps: Float64Array;
  private readonly vs: Float64Array;
  private readonly tailScale: number;
  constructor(
    private readonly rng: Uniform,
    percentiles: readonly (readonly [number, number])[],
  ) {
    ({ ps: this.ps, vs: this.vs, tailScale: this.tailScale } = empiricalKnots(percentiles));
  }
  sample(): number {
    return empiricalQuantile(this.ps, this.vs, this.tailScale, this.rng());
  }
}

function empiricalQuantile(ps: Float64Array, vs: Float64Array, tailScale: number, u: number): number {
  const last = ps.length - 1;
  const pLast = ps[last] as number;
  if (u >= pLast) return (vs[last] as number) + tailScale * Math.log((1 - pLast) / (1 - u));
  let i = 1;
  while ((ps[i] as number) <= u) i++;
  const p0 = ps[i - 1] as number;
  const p1 = ps[i] as number;
  const v0 = vs[i - 1] as number;
  return v0 + ((vs[i] as number) - v0) * ((u - p0) / (p1 - p0));
}

/** Builds the sampler of `d` drawing from `rng`. */
export function sampler(d: Distribution, rng: Uniform): Sampler {
  switch (d.dist) {
    case 'constant':
      return new ConstantSampler(d.value);
    case 'exponential':
      return new ExponentialSampler(rng, d.mean);
    case 'lognormal':
      if (!(d.median > 0 && d.p99 >= d.median))
        throw new SimulationError(`lognormal: need 0 < median <= p99`);
      return new LognormalSampler(rng, d.median, d.p99);
    case 'normal':
      if (!(d.mean >= 0 && d.stddev >= 0))
        throw new SimulationError(`normal: need mean >= 0 and stddev >= 0`);
      return new TruncatedNormalSampler(rng, d.mean, d.stddev);
    case 'uniform':
      return new UniformSampler(rng, d.min, d.max);
    case 'pareto':
      return new ParetoSampler(rng, d.scale, d.shape);
    case 'empirical':
      return new EmpiricalSampler(rng, d.percentiles);
  }
}

/** The exact mean of `d` (Infinity for a Pareto with shape <= 1). */
export function distributionMean(d: Distribution): number {
  switch (d.dist) {
    case 'constant':
      return d.value;
    case 'exponential':
      return d.mean;
    case 'lognormal': {
      const sigma = (Math.log(d.p99) - Math.log(d.median)) / Z_99;
      return d.median * Math.exp((sigma * sigma) / 2);
    }
    case 'normal': {
      if (d.stddev === 0) return d.mean;
      // Mean of a normal truncated below at 0: mu + sigma * phi(a) / (1 - Phi(a)), a = -mu / sigma.
      const a = -d.mean / d.stddev;
      const phi = Math.exp((-a * a) / 2) / Math.sqrt(2 * Math.PI);
      return d.mean + (d.stddev * phi) / (1 - standardNormalCdf(a));
    }
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'pareto':
      return d.shape <= 1 ? Infinity : (d.shape * d.scale) / (d.shape - 1);
    case 'empirical': {
      // Integrate the piecewise-linear quantile function, plus the exponential tail (mean = start + scale).
      const { ps, vs, tailScale } = empiricalKnots(d.percentiles);
      let mean = 0;
      for (let i = 1; i < ps.length; i++) {
        mean +=
          (((ps[i] as number) - (ps[i - 1] as number)) * ((vs[i] as number) + (vs[i - 1] as number))) / 2;
      }
      const pLast = ps[ps.length - 1] as number;
      return mean + (1 - pLast) * ((vs[vs.length - 1] as number) + tailScale);
    }
  }
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 via erf; absolute error below 1.5e-7). */
function standardNormalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp((-x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}
