/**
 * Probability distributions of the scenario format, each drawing from one uniform stream.
 *
 * `Distribution` is the resolved description (numbers in ms); `sampler()` turns it into an object whose
 * `sample()` the hot path calls. Each sampler is a small class with a monomorphic `sample` so that V8 can
 * inline it. `distributionMean` gives the exact mean, for reports and for checking models against theory.
 */
import { SimulationError } from './errors.js';
import { drawSource, UniformDraws, type AleaStates, type StreamDraws } from './alea-states.js';
import type { Uniform } from './rng-streams.js';

/** z such that P(Z <= z) = 0.99 for a standard normal; turns (median, p99) into a lognormal sigma. */
export const Z_99 = 2.3263478740408408;

/** A lognormal given by its median and p99, as ln X ~ N(mu, sigma^2): the one place that converts them. */
export function lognormalShape(median: number, p99: number): { mu: number; sigma: number } {
  const mu = Math.log(median);
  return { mu, sigma: (Math.log(p99) - mu) / Z_99 };
}

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

/**
 * A sampler and the stream it draws from next: `StreamSampler` sets `stream` before each draw. Every sampler
 * draws through `StreamDraws.next` (an `AleaStates` in a run), never through a `Uniform` closure: see
 * alea-states.ts `drawSource`.
 */
interface StreamedSampler extends Sampler {
  stream: number;
}

class ConstantSampler implements StreamedSampler {
  stream = 0;
  constructor(private readonly value: number) {}
  sample(): number {
    return this.value;
  }
}

/**
 * The ziggurat method (Marsaglia and Tsang, "The ziggurat method for generating random variables", J. Stat.
 * Software 5(8), 2000), in the floating-point form of Doornik ("An improved ziggurat method to generate
 * normal random samples", 2005, ZIGNOR): the density is covered by `layers` strips of equal area; a draw
 * picks a strip and a point in it, and about 98-99% of draws land in a strip's inner rectangle and return
 * after one uniform, one table load and one multiply, no log, exp or trigonometry. The rest take the exact
 * slow path (a wedge test or the tail), so the law is exact, not an approximation.
 *
 * One uniform from the stream supplies both the strip and the point: seedrandom's alea returns multiples of
 * 2^-32, so `u * 2^32` is a 32-bit integer whose low bits pick the strip and whose high bits place the
 * point (24 or 25 bits, a resolution far below any latency meshsim reports). A uniform that is not on that
 * grid still works: the integer conversions truncate.
 */
const TWO_32 = 4294967296;
const TWO_M24 = 1 / 16777216;

/**
 * The strip table, interleaved: `[2i]` = x[i+1]/x[i] (the fast path's bound) and `[2i+1]` = x[i], the strip
 * edges x[0..layers] (x[0] = the base strip's virtual width, x[1] = r, x[layers] = 0). A draw reads one
 * strip's bound and edge, which side by side share a cache line; in two arrays they were two lines, and on
 * a mesh, where a request's other work evicts the tables between draws, each a miss.
 */
function zigguratTable(
  layers: number,
  r: number,
  v: number,
  f: (x: number) => number,
  fInverse: (y: number) => number,
): Float64Array {
  const x = new Float64Array(layers + 1);
  x[0] = v / f(r);
  x[1] = r;
  for (let i = 2; i < layers; i++) {
    const prev = x[i - 1] as number;
    x[i] = fInverse(v / prev + f(prev));
  }
  x[layers] = 0;
  const table = new Float64Array(2 * layers + 2);
  for (let i = 0; i <= layers; i++) {
    table[2 * i] = i < layers ? (x[i + 1] as number) / (x[i] as number) : 0;
    table[2 * i + 1] = x[i] as number;
  }
  return table;
}

/** 128 strips for exp(-x^2/2) (Marsaglia-Tsang's r and strip area; Doornik's ZIGNOR_R, ZIGNOR_V). */
const NORMAL_R = 3.442619855899;
const NORMAL_ZIG = zigguratTable(
  128,
  NORMAL_R,
  9.91256303526217e-3,
  (x) => Math.exp(-0.5 * x * x),
  (y) => Math.sqrt(-2 * Math.log(y)),
);
/** 256 strips for exp(-x) (Marsaglia-Tsang's r and strip area). */
const EXPONENTIAL_R = 7.69711747013104972;
const EXPONENTIAL_ZIG = zigguratTable(
  256,
  EXPONENTIAL_R,
  3.949659822581572e-3,
  (x) => Math.exp(-x),
  (y) => -Math.log(y),
);

/**
 * A standard exponential (mean 1) by the ziggurat, from stream `stream` of `draws`. Only the first strip test is here (about 98.9% of draws
 * end there); the rest is `exponentialSlow`, out of line. Each uniform draw is alea's step inlined (~680
 * bytes of machine code), and V8 inlines this function into every sampler and event handler that draws: with
 * the wedge and tail inline it was 2.2-3.4 KB in each of five places in the mesh bench, for branches taken
 * about once in a hundred draws. Same draws, in the same order, as the loop written whole.
 */
export function exponentialDraw(draws: StreamDraws, stream: number): number {
  const t = EXPONENTIAL_ZIG;
  const bits = draws.next(stream) * TWO_32;
  const i = bits & 255;
  const u = (bits >>> 8) * TWO_M24;
  if (u < (t[2 * i] as number)) return u * (t[2 * i + 1] as number);
  return exponentialSlow(draws, stream, i, u);
}

/**
 * `exponentialDraw` from a bare `Uniform` (a seedrandom generator in the bench's bare M/M/1 loop, tests):
 * the same fast path written again over `rng()`, so that its call site sees only such callers' closures and
 * the samplers' draws never meet them (alea-states.ts `drawSource`). Same draws as `exponentialDraw` over
 * the same generator (test/des/ziggurat.test.ts).
 */
export function standardExponential(rng: Uniform): number {
  const t = EXPONENTIAL_ZIG;
  const bits = rng() * TWO_32;
  const i = bits & 255;
  const u = (bits >>> 8) * TWO_M24;
  if (u < (t[2 * i] as number)) return u * (t[2 * i + 1] as number);
  // Not `drawSource`: its WeakMap miss for a bare generator cost the bench's bare M/M/1 loop 0.7%.
  return exponentialSlow(new UniformDraws(rng), 0, i, u);
}

/** The rest of `exponentialDraw`'s ziggurat loop, from a draw (`i`, `u`) that missed its strip's core. */
function exponentialSlow(draws: StreamDraws, stream: number, strip: number, uniform: number): number {
  const t = EXPONENTIAL_ZIG;
  let i = strip;
  let u = uniform;
  for (;;) {
    // The base strip's overhang is the tail beyond r, itself exponential (memoryless): r + Exp(1).
    if (i === 0) return EXPONENTIAL_R - Math.log(1 - draws.next(stream));
    const xi = t[2 * i + 1] as number;
    const xx = u * xi;
    // In the wedge between the strip's edges: accept under the density, y uniform in [f(x[i]), f(x[i+1])].
    const f0 = Math.exp(xx - xi);
    const f1 = Math.exp(xx - (t[2 * i + 3] as number));
    if (f1 + draws.next(stream) * (f0 - f1) < 1) return xx;
    const bits = draws.next(stream) * TWO_32;
    i = bits & 255;
    u = (bits >>> 8) * TWO_M24;
    if (u < (t[2 * i] as number)) return u * (t[2 * i + 1] as number);
  }
}

/** A standard normal by the ziggurat (ZIGNOR: strips over both halves, the sign from the same uniform), from stream `stream` of `draws`. */
export function normalDraw(draws: StreamDraws, stream: number): number {
  const t = NORMAL_ZIG;
  const bits = draws.next(stream) * TWO_32;
  const i = bits & 127;
  // 25 high bits: u uniform on [-1, 1).
  const u = (bits >>> 7) * TWO_M24 - 1;
  if (Math.abs(u) < (t[2 * i] as number)) return u * (t[2 * i + 1] as number);
  return normalSlow(draws, stream, i, u);
}

/** `normalDraw` from a bare `Uniform` (as `standardExponential`). */
export function standardNormal(rng: Uniform): number {
  const t = NORMAL_ZIG;
  const bits = rng() * TWO_32;
  const i = bits & 127;
  const u = (bits >>> 7) * TWO_M24 - 1;
  if (Math.abs(u) < (t[2 * i] as number)) return u * (t[2 * i + 1] as number);
  return normalSlow(new UniformDraws(rng), 0, i, u);
}

/** The rest of `normalDraw`'s ziggurat loop (out of line, as `exponentialSlow`). */
function normalSlow(draws: StreamDraws, stream: number, strip: number, uniform: number): number {
  const t = NORMAL_ZIG;
  let i = strip;
  let u = uniform;
  for (;;) {
    if (i === 0) return normalTail(draws, stream, u < 0);
    const xi = t[2 * i + 1] as number;
    const xx = u * xi;
    const xn = t[2 * i + 3] as number;
    const f0 = Math.exp(-0.5 * (xi * xi - xx * xx));
    const f1 = Math.exp(-0.5 * (xn * xn - xx * xx));
    if (f1 + draws.next(stream) * (f0 - f1) < 1) return xx;
    const bits = draws.next(stream) * TWO_32;
    i = bits & 127;
    u = (bits >>> 7) * TWO_M24 - 1;
    if (Math.abs(u) < (t[2 * i] as number)) return u * (t[2 * i + 1] as number);
  }
}

/** The normal's tail beyond r (Marsaglia, 1964), out of line: about 1 draw in 3,500 takes it. */
function normalTail(draws: StreamDraws, stream: number, negative: boolean): number {
  for (;;) {
    // 1 - u lies in (0, 1]: log never sees 0.
    const a = Math.log(1 - draws.next(stream)) / NORMAL_R;
    const b = Math.log(1 - draws.next(stream));
    if (-2 * b >= a * a) return negative ? a - NORMAL_R : NORMAL_R - a;
  }
}

class ExponentialSampler implements StreamedSampler {
  constructor(
    private readonly draws: StreamDraws,
    public stream: number,
    private readonly mean: number,
  ) {}
  sample(): number {
    return this.mean * exponentialDraw(this.draws, this.stream);
  }
}

class LognormalSampler implements StreamedSampler {
  private readonly mu: number;
  private readonly sigma: number;
  constructor(
    private readonly draws: StreamDraws,
    public stream: number,
    median: number,
    p99: number,
  ) {
    ({ mu: this.mu, sigma: this.sigma } = lognormalShape(median, p99));
  }
  sample(): number {
    return Math.exp(this.mu + this.sigma * normalDraw(this.draws, this.stream));
  }
}

class TruncatedNormalSampler implements StreamedSampler {
  constructor(
    private readonly draws: StreamDraws,
    public stream: number,
    private readonly mean: number,
    private readonly stddev: number,
  ) {}
  sample(): number {
    // Rejection gives the exact truncated law; validation keeps mean >= 0, so acceptance is at least 1/2.
    for (;;) {
      const x = this.mean + this.stddev * normalDraw(this.draws, this.stream);
      if (x >= 0) return x;
    }
  }
}

class UniformSampler implements StreamedSampler {
  constructor(
    private readonly draws: StreamDraws,
    public stream: number,
    private readonly min: number,
    private readonly max: number,
  ) {}
  sample(): number {
    return this.min + (this.max - this.min) * this.draws.next(this.stream);
  }
}

class ParetoSampler implements StreamedSampler {
  private readonly inverseShape: number;
  constructor(
    private readonly draws: StreamDraws,
    public stream: number,
    private readonly scale: number,
    shape: number,
  ) {
    this.inverseShape = 1 / shape;
  }
  sample(): number {
    return this.scale / Math.pow(1 - this.draws.next(this.stream), this.inverseShape);
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

class EmpiricalSampler implements StreamedSampler {
  private readonly ps: Float64Array;
  private readonly vs: Float64Array;
  private readonly tailScale: number;
  constructor(
    private readonly draws: StreamDraws,
    public stream: number,
    percentiles: readonly (readonly [number, number])[],
  ) {
    ({ ps: this.ps, vs: this.vs, tailScale: this.tailScale } = empiricalKnots(percentiles));
  }
  sample(): number {
    return empiricalQuantile(this.ps, this.vs, this.tailScale, this.draws.next(this.stream));
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

/** Builds the sampler of `d` drawing from `rng` (through its generator, see alea-states.ts `drawSource`). */
export function sampler(d: Distribution, rng: Uniform): Sampler {
  const { draws, stream } = drawSource(rng);
  return streamedSampler(d, draws, stream);
}

function streamedSampler(d: Distribution, draws: StreamDraws, stream: number): StreamedSampler {
  switch (d.dist) {
    case 'constant':
      return new ConstantSampler(d.value);
    case 'exponential':
      return new ExponentialSampler(draws, stream, d.mean);
    case 'lognormal':
      if (!(d.median > 0 && d.p99 >= d.median))
        throw new SimulationError(`lognormal: need 0 < median <= p99`);
      return new LognormalSampler(draws, stream, d.median, d.p99);
    case 'normal':
      if (!(d.mean >= 0 && d.stddev >= 0))
        throw new SimulationError(`normal: need mean >= 0 and stddev >= 0`);
      return new TruncatedNormalSampler(draws, stream, d.mean, d.stddev);
    case 'uniform':
      return new UniformSampler(draws, stream, d.min, d.max);
    case 'pareto':
      return new ParetoSampler(draws, stream, d.scale, d.shape);
    case 'empirical':
      return new EmpiricalSampler(draws, stream, d.percentiles);
  }
}

/**
 * One distribution drawn from any of many streams, the stream named per draw by its index in an
 * `AleaStates` (RngStreams `streamIndex` / `ownStreamIndex`). A mesh draws every sidecar's latency from the
 * sidecar's own stream; a sampler object and a closure per sidecar were two more objects per pod that a
 * draw at a random pod missed in cache. Here every sidecar shares this one object and keeps a number; the
 * draws are those of `sampler(d, streams.stream(name))` bit for bit (the same sampler class, its stream set
 * before each draw).
 */
export class StreamSampler {
  private readonly inner: StreamedSampler;
  /**
   * A lognormal (every proxy's latency by default, six draws per request in the mesh bench) is drawn here,
   * not through `inner`: that call was a second out-of-line call per draw (V8 inlined neither level into the
   * hops that draw), each returning its double boxed. Same formula, same draws as `LognormalSampler`.
   */
  /** Tested against `true`, not bare: see `EventQueue`'s `calendar`. */
  private readonly lognormal: boolean;
  private readonly mu: number;
  private readonly sigma: number;
  constructor(
    d: Distribution,
    private readonly states: AleaStates,
  ) {
    this.inner = streamedSampler(d, states, 0);
    this.lognormal = d.dist === 'lognormal';
    ({ mu: this.mu, sigma: this.sigma } =
      d.dist === 'lognormal' ? lognormalShape(d.median, d.p99) : { mu: 0, sigma: 0 });
  }

  /** A draw from generator `stream` of the states. */
  sample(stream: number): number {
    if (this.lognormal === true) return Math.exp(this.mu + this.sigma * normalDraw(this.states, stream));
    this.inner.stream = stream;
    return this.inner.sample();
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
      const { sigma } = lognormalShape(d.median, d.p99);
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
