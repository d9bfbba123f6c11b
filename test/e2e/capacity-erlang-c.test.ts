/**
 * `capacity` against queueing theory: on an M/M/4 queue (test/fixtures/queueing/mmc-capacity.yaml:
 * four slots, exponential service with mean 20 ms, Poisson arrivals, no sidecar or network latency) with
 * the objective p90 latency <= 80 ms, the largest arrival rate meeting it follows from Erlang C.
 *
 * The sojourn time T = Wq + S of M/M/c: Wq is 0 with probability 1 - C(c, a) and else exponential with
 * rate theta = c mu - lambda; S is exponential with rate mu; so (for theta != mu)
 *   P(T > t) = (1 - C) e^(-mu t) + C (theta e^(-mu t) - mu e^(-theta t)) / (theta - mu)
 * (Kleinrock, Queueing Systems vol. 1, 3.6; Gross & Harris, Fundamentals of Queueing Theory, 2.3). Its
 * 0.9-quantile is solved for, then lambda* with p90(lambda*) = 80 ms: 163.26 req/s.
 *
 * Tolerance: the search brackets its answer (holds at `holds`, misses at `misses`, misses - holds within
 * the stated 1%); the true lambda* must lie in that bracket widened by what the simulation cannot resolve,
 * mapped from latency to rate through the theoretical slope dp90/dlambda at lambda*: the 95% interval
 * half-width of the p90 mean at the bracket's steps (from the run's own replications) and the latency
 * histogram's 1% relative accuracy of a percentile.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capacityExperiment } from '../../src/experiment/index.js';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { erlangC } from '../helpers/erlang-c.js';

const FILE = 'test/fixtures/queueing/mmc-capacity.yaml';
const C = 4;
const MU = 0.05; // per ms
const TARGET_MS = 80;
const HISTOGRAM_ACCURACY = 0.01;

function sojournTail(lambda: number, t: number): number {
  const c = erlangC(C, lambda / MU);
  const theta = C * MU - lambda;
  return (
    (1 - c) * Math.exp(-MU * t) + (c * (theta * Math.exp(-MU * t) - MU * Math.exp(-theta * t))) / (theta - MU)
  );
}

/** The q-quantile of the sojourn time, in ms, by bisection on the tail. */
function sojournQuantile(lambda: number, q: number): number {
  let lo = 0;
  let hi = 1e6;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (sojournTail(lambda, mid) > 1 - q) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** lambda* in req/s: the largest rate whose p90 sojourn is at most the target. */
function lambdaStar(): number {
  let lo = 0.155; // above mu = 0.05 * 3, so theta < mu and the formula is regular on the whole interval
  let hi = 0.199;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (sojournQuantile(mid, 0.9) <= TARGET_MS) lo = mid;
    else hi = mid;
  }
  return lo * 1000;
}

describe('e2e/capacity against Erlang C', () => {
  it('the analytic p90 is right where it can be checked: M/M/1 (c = 1) has an exponential sojourn, p90 = ln 10 / (mu - lambda)', () => {
    // With c = 1 the formula reduces to P(T > t) = e^-(mu - lambda) t; checked through C = erlangC(1, rho) = rho.
    const lambda = 0.03;
    const theta = MU - lambda;
    const tail = (t: number) => {
      const c = erlangC(1, lambda / MU);
      return (
        (1 - c) * Math.exp(-MU * t) +
        (c * (theta * Math.exp(-MU * t) - MU * Math.exp(-theta * t))) / (theta - MU)
      );
    };
    for (const t of [1, 10, 50]) expect(tail(t)).toBeCloseTo(Math.exp(-(MU - lambda) * t), 12);
  });

  it('capacity finds the M/M/4 rate meeting p90 <= 80 ms within its stated 1% precision', async () => {
    const loaded = await loadScenarioFile(FILE);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const experiment = capacityExperiment(loaded.scenario, readFileSync(FILE, 'utf8'), {});
    const result = await experiment.runAll({ workers: 2 });
    const m = result.models[0];
    if (m === undefined || m.holds === null || m.misses === null) throw new Error(JSON.stringify(result));
    const star = lambdaStar();
    expect(star).toBeCloseTo(163.26, 1);
    expect(m.status).toBe('found');
    // The stated precision: the bracket is at most 1% of its lower end.
    expect(m.misses - m.holds).toBeLessThanOrEqual(0.01 * m.holds);
    // What the simulation cannot resolve, in req/s.
    const slope =
      (sojournQuantile((star + 0.1) / 1000, 0.9) - sojournQuantile((star - 0.1) / 1000, 0.9)) / 0.2;
    const bracketSteps = m.steps.filter((s) => s.value === m.holds || s.value === m.misses);
    const halfWidth = Math.max(
      ...bracketSteps.map((s) => {
        const ci = s.objectives[0]?.ci95;
        return ci === null || ci === undefined ? Infinity : (ci[1] - ci[0]) / 2;
      }),
    );
    const slack = (halfWidth + HISTOGRAM_ACCURACY * TARGET_MS) / slope;
    const detail = `lambda* ${star.toFixed(2)} req/s, bracket [${m.holds}, ${m.misses}], slack ${slack.toFixed(2)} req/s (p90 CI half-width ${halfWidth.toFixed(2)} ms, slope ${slope.toFixed(2)} ms per req/s)`;
    // The slack must stay small against the answer, or the test could not fail.
    expect(slack, detail).toBeLessThan(0.05 * star);
    expect(star, detail).toBeGreaterThanOrEqual(m.holds - slack);
    expect(star, detail).toBeLessThanOrEqual(m.misses + slack);
    // Common random numbers: every step ran the same seeds, so the decisions are monotone in the rate.
    const decided = [...m.steps].sort((a, b) => a.value - b.value);
    const firstMiss = decided.findIndex((s) => !s.holds);
    expect(
      decided.slice(firstMiss).every((s) => !s.holds),
      detail,
    ).toBe(true);
  }, 300_000);
});
