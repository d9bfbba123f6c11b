/**
 * Interval coverage: on an M/M/1 queue at rho = 0.5 (test/fixtures/experiment/mm1-rho-half.yaml: Poisson
 * arrivals at 50/s, exponential service of mean 10 ms, one server, no sidecar or network time) the 95%
 * intervals of `compare` must contain the known answer in about 95% of many independent comparisons.
 *
 * Two figures with exact answers:
 * - mean sojourn time (end-to-end latency) W = 1/(mu - lambda) = 20 ms. A short run started empty is
 *   biased low by its initial transient; the fixture's 5 s warm-up is about 40 relaxation times
 *   (1/(mu (1 - sqrt rho)^2) = 117 ms), which leaves no measurable bias (measured: -0.03 ms +/- 0.02 over
 *   10,000 runs).
 * - requests counted per run: the Poisson arrivals in the 20 s after warm-up, expectation 50/s x 20 s = 1000
 *   exactly, whatever the transient.
 *
 * Tolerance: N = 200 comparisons of R = 10 replications each (seeds 1000..1199, so each comparison's
 * replications are independent of the others'). The number of intervals that cover is binomial(N, 0.95)
 * for a correct interval: standard error sqrt(0.95 x 0.05 / 200) = 1.54 points, and the test allows 4 of
 * them, 95% +/- 6.2 points (a false alarm about 1 in 16,000 for a correct interval). Run means of sojourn
 * times are right-skewed, so Student-t intervals with 9 degrees of freedom cover a little less than 95%:
 * 93.1% measured over 1,000 comparisons, inside the tolerance. Too-wide intervals would pass a coverage
 * test, so the mean half-width is also checked against the spread of the comparisons' means.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compare, type Estimate } from '../../src/experiment/index.js';
import { tQuantile } from '../../src/metrics/index.js';
import { loadFixture } from './load-fixture.js';

const N = 200;
const R = 10;
const TRUE_W_MS = 1 / (0.1 - 0.05);
const TRUE_REQUESTS = 50 * 20;
const SE = Math.sqrt((0.95 * 0.05) / N);
const TOLERANCE = 4 * SE;

interface Repetition {
  readonly w: Estimate;
  readonly requests: Estimate;
}

const reps: Repetition[] = [];

beforeAll(async () => {
  const scenario = await loadFixture('mm1-rho-half.yaml');
  for (let i = 0; i < N; i++) {
    const outcome = await compare(scenario, { seed: 1000 + i, replications: R });
    if (!outcome.ok) throw new Error(outcome.problem.message);
    const m = outcome.result.models[0];
    const w = m?.latencyMs.mean;
    const requests = m?.requests;
    if (w === null || w === undefined || requests === null || requests === undefined) {
      throw new Error('mm1-rho-half: no latency or request estimate');
    }
    reps.push({ w, requests });
  }
}, 120_000);

const covers = (e: Estimate, truth: number) => e.ci95[0] <= truth && truth <= e.ci95[1];

function sd(xs: readonly number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

describe('experiment/interval coverage (M/M/1, rho 0.5)', () => {
  it(`compare(mm1) x ${N}: the 95% interval of mean latency covers W = 20 ms in 95% +/- ${(TOLERANCE * 100).toFixed(1)} points`, () => {
    const coverage = reps.filter((r) => covers(r.w, TRUE_W_MS)).length / N;
    expect(Math.abs(coverage - 0.95), `coverage ${(coverage * 100).toFixed(1)}%`).toBeLessThanOrEqual(
      TOLERANCE,
    );
  });

  it(`compare(mm1) x ${N}: the 95% interval of requests per run covers 1000 in 95% +/- ${(TOLERANCE * 100).toFixed(1)} points`, () => {
    const coverage = reps.filter((r) => covers(r.requests, TRUE_REQUESTS)).length / N;
    expect(Math.abs(coverage - 0.95), `coverage ${(coverage * 100).toFixed(1)}%`).toBeLessThanOrEqual(
      TOLERANCE,
    );
  });

  it('compare(mm1): intervals are as wide as the spread of comparisons calls for, and narrow enough to test', () => {
    // Each comparison's mean has standard deviation sigma/sqrt(R); its interval half-width should be about
    // t(0.975, R-1) times that. The spread of the N means estimates sigma/sqrt(R) directly.
    const halfWidth = reps.reduce((a, r) => a + (r.w.ci95[1] - r.w.ci95[0]) / 2, 0) / N;
    const expected = tQuantile(0.975, R - 1) * sd(reps.map((r) => r.w.mean));
    expect(halfWidth / expected).toBeGreaterThan(0.8);
    expect(halfWidth / expected).toBeLessThan(1.2);
    expect(halfWidth / TRUE_W_MS, 'intervals too wide to be a test').toBeLessThan(0.1);
  });
});
