/**
 * The ziggurat samplers (src/des/distribution.ts) against theory: moments of the standard normal and the
 * standard exponential, the Kolmogorov-Smirnov distance to the exact CDF, and the mass in the regions the
 * fast path never returns from (the normal's tail beyond r = 3.4426 and the wedges), so that a wrong table
 * or slow path shows as a failed test and not only as a shifted golden.
 *
 * Tolerances come from the sample size: a moment must lie within 5 standard errors of its exact value (the
 * standard error from the exact higher moments; a false alarm about 1 in 1.7 million per check), and the KS
 * distance below the asymptotic critical value sqrt(ln(2 / alpha) / (2 n)) at alpha = 1e-6.
 */
import { describe, expect, it } from 'vitest';
import {
  exponentialDraw,
  normalDraw,
  RngStreams,
  sampler,
  standardExponential,
  standardNormal,
  type Uniform,
} from '../../src/des/index.js';

const N = 400_000;
const Z = 5;

function draws(f: (rng: Uniform) => number, seed: number): Float64Array {
  const rng = new RngStreams(seed).stream('ziggurat');
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) out[i] = f(rng);
  return out;
}

/** Raw moments E[x^k], k = 1..4. */
function moments(v: Float64Array): [number, number, number, number] {
  let m1 = 0;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of v) {
    const x2 = x * x;
    m1 += x;
    m2 += x2;
    m3 += x2 * x;
    m4 += x2 * x2;
  }
  return [m1 / N, m2 / N, m3 / N, m4 / N];
}

/** Phi by Abramowitz-Stegun 7.1.26: absolute error below 1.5e-7, far under the KS bound (about 4e-3). */
function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp((-x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

function ksDistance(v: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(v).sort();
  let d = 0;
  for (let i = 0; i < N; i++) {
    const f = cdf(sorted[i] as number);
    d = Math.max(d, f - i / N, (i + 1) / N - f);
  }
  return d;
}

const KS_CRITICAL = Math.sqrt(Math.log(2 / 1e-6) / (2 * N));

/** |observed - expected| within Z standard errors, sd being the per-draw standard deviation. */
function within(observed: number, expected: number, sd: number): void {
  expect(Math.abs(observed - expected)).toBeLessThan((Z * sd) / Math.sqrt(N));
}

describe('ziggurat samplers', () => {
  it('standardNormal: E[z] = 0, E[z^2] = 1, E[z^3] = 0, E[z^4] = 3 within 5 SE', () => {
    const [m1, m2, m3, m4] = moments(draws(standardNormal, 11));
    // Per-draw sd of z^k: sqrt(E[z^2k] - E[z^k]^2), with E[z^2k] = (2k - 1)!!.
    within(m1, 0, 1);
    within(m2, 1, Math.sqrt(3 - 1));
    within(m3, 0, Math.sqrt(15));
    within(m4, 3, Math.sqrt(105 - 9));
  });

  it('standardNormal: KS distance to the normal CDF below the alpha = 1e-6 critical value', () => {
    expect(ksDistance(draws(standardNormal, 12), normalCdf)).toBeLessThan(KS_CRITICAL);
  });

  it('standardNormal: P(|z| > r) and P(|z| > 2) match 2(1 - Phi) within 5 SE (the tail and wedge paths)', () => {
    const v = draws(standardNormal, 13);
    for (const t of [3.442619855899, 2, 0.5]) {
      const p = v.filter((x) => Math.abs(x) > t).length / N;
      const expected = 2 * (1 - normalCdf(t));
      within(p, expected, Math.sqrt(expected * (1 - expected)));
    }
    // Both signs of the tail: a sign bug in the tail would put all of it on one side.
    const upper = v.filter((x) => x > 3).length / N;
    const lower = v.filter((x) => x < -3).length / N;
    const expected = 1 - normalCdf(3);
    within(upper, expected, Math.sqrt(expected * (1 - expected)));
    within(lower, expected, Math.sqrt(expected * (1 - expected)));
  });

  it('standardExponential: E[x] = 1, E[x^2] = 2, E[x^3] = 6, E[x^4] = 24 within 5 SE', () => {
    const [m1, m2, m3, m4] = moments(draws(standardExponential, 21));
    // E[x^k] = k!, so the per-draw sd of x^k is sqrt((2k)! - (k!)^2).
    within(m1, 1, Math.sqrt(2 - 1));
    within(m2, 2, Math.sqrt(24 - 4));
    within(m3, 6, Math.sqrt(720 - 36));
    within(m4, 24, Math.sqrt(40320 - 576));
  });

  it('standardExponential: KS distance to 1 - e^-x below the critical value, and P(x > r) = e^-r within 5 SE', () => {
    const v = draws(standardExponential, 22);
    expect(ksDistance(v, (x) => 1 - Math.exp(-x))).toBeLessThan(KS_CRITICAL);
    expect(v.every((x) => x >= 0)).toBe(true);
    for (const t of [7.69711747013104972, 3, 1]) {
      const p = v.filter((x) => x > t).length / N;
      const expected = Math.exp(-t);
      within(p, expected, Math.sqrt(expected * (1 - expected)));
    }
  });

  it('the samplers draw through the generator behind a Uniform, exactly as the Uniform itself would', () => {
    // The samplers take `AleaStates.next` (exponentialDraw, normalDraw) where a bare Uniform takes the
    // closure: the two fast paths are written twice, so check they agree, slow paths included (N draws
    // reach the wedges and the tails).
    const viaUniform = draws(standardNormal, 31);
    const streams = new RngStreams(31);
    const stream = streams.streamIndex('ziggurat');
    expect(viaUniform.every((x) => x === normalDraw(streams.alea, stream))).toBe(true);
    const expViaUniform = draws(standardExponential, 32);
    const streams2 = new RngStreams(32);
    const stream2 = streams2.streamIndex('ziggurat');
    expect(expViaUniform.every((x) => x === exponentialDraw(streams2.alea, stream2))).toBe(true);
    // A Uniform that AleaStates did not make (a seedrandom-like closure here) is drawn from as it is.
    const alea = new RngStreams(33).stream('ziggurat');
    const bare: Uniform = () => alea();
    const s = sampler({ dist: 'exponential', mean: 2 }, bare);
    const again = new RngStreams(33).stream('ziggurat');
    for (let i = 0; i < 1000; i++) expect(s.sample()).toBe(2 * standardExponential(again));
  });

  it('draws depend on the stream alone: the same seed gives the same sequence', () => {
    const a = draws(standardNormal, 5).subarray(0, 1000);
    const b = draws(standardNormal, 5).subarray(0, 1000);
    expect([...a]).toEqual([...b]);
  });
});
