/**
 * Queueing theory through the whole CLI path: each case is a scenario file run by `meshsim run --json`,
 * with sidecar and network latency set to zero so that the mesh reduces to a textbook queueing network.
 *
 * Tolerance: consecutive sojourn times are strongly autocorrelated at these loads, so a fixed relative
 * tolerance is either too loose to catch a bug or fails for unlucky seeds (performance-anchors.md). Each
 * assertion is a z-score against the run's own batch-means standard error (32 batches of simulated time):
 * |simulated - theory| < 4 SE, a false alarm about 1 in 16,000 per assertion for a correct model. To keep
 * the test able to fail, each run must also be precise: SE below 3% of the theoretical value, which the
 * run lengths (300,000 to 580,000 customers) were chosen to give.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { erlangC } from '../helpers/erlang-c.js';

const Z_LIMIT = 4;
const MAX_RELATIVE_SE = 0.03;
const out = mkdtempSync(join(tmpdir(), 'meshsim-queueing-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Latency {
  mean: number;
  meanStdErr: number;
  count: number;
}
interface Summary {
  latencyMs: Latency;
  requests: { total: number; failed: number; unfinished: number };
  byService: { service: string; queueMs: Latency; latencyMs: Latency }[];
}

function expectNear(simulated: Latency, theory: number, label: string): void {
  const z = (simulated.mean - theory) / simulated.meanStdErr;
  const detail = `${label}: simulated ${simulated.mean} +/- ${simulated.meanStdErr} (SE), theory ${theory.toFixed(4)}, z = ${z.toFixed(2)}`;
  expect(simulated.meanStdErr / theory, `${detail}: run too short to be a test`).toBeLessThan(
    MAX_RELATIVE_SE,
  );
  expect(Math.abs(z), detail).toBeLessThan(Z_LIMIT);
}

function run(name: string): Summary {
  return runJson(`test/fixtures/queueing/${name}.yaml`, join(out, name)) as unknown as Summary;
}

describe('e2e/queueing-theory', () => {
  it('meshsim run mm1.yaml: mean sojourn 1/(mu - lambda) and mean wait rho/(mu - lambda)', () => {
    const s = run('mm1');
    const lambda = 0.08; // per ms
    const mu = 0.1;
    expect(s.requests.failed).toBe(0);
    expect(s.requests.unfinished).toBe(0);
    expectNear(s.latencyMs, 1 / (mu - lambda), 'M/M/1 sojourn W');
    expectNear(s.byService[0]?.queueMs as Latency, lambda / mu / (mu - lambda), 'M/M/1 wait Wq');
  });

  it('meshsim run mmc.yaml: Erlang C mean wait C(c, a)/(c mu - lambda) and sojourn Wq + 1/mu', () => {
    const s = run('mmc');
    const c = 4;
    const lambda = 0.16;
    const mu = 0.05;
    const wq = erlangC(c, lambda / mu) / (c * mu - lambda);
    expect(s.requests.failed).toBe(0);
    expectNear(s.byService[0]?.queueMs as Latency, wq, 'M/M/4 wait Wq');
    expectNear(s.latencyMs, wq + 1 / mu, 'M/M/4 sojourn W');
  });

  it('erlangC(c, a) matches textbook values', () => {
    // M/M/1 reduces to rho; M/M/2 with a = 1 gives 1/3 (Kleinrock, Queueing Systems vol. 1).
    expect(erlangC(1, 0.8)).toBeCloseTo(0.8, 12);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
  });

  it('meshsim run tandem.yaml: a Jackson tandem has sojourn 1/(mu1 - lambda) + 1/(mu2 - lambda)', () => {
    const s = run('tandem');
    const lambda = 0.1;
    const mu1 = 0.2;
    const mu2 = 0.125;
    const front = s.byService.find((b) => b.service === 'front') as Summary['byService'][number];
    const back = s.byService.find((b) => b.service === 'back') as Summary['byService'][number];
    expectNear(s.latencyMs, 1 / (mu1 - lambda) + 1 / (mu2 - lambda), 'tandem end-to-end sojourn');
    expectNear(front.queueMs, lambda / mu1 / (mu1 - lambda), 'station 1 wait');
    expectNear(back.queueMs, lambda / mu2 / (mu2 - lambda), 'station 2 wait');
    expectNear(back.latencyMs, 1 / (mu2 - lambda), 'station 2 sojourn');
  });
});
