/**
 * The latency SLO never changes availability: the same file with and without `slo.latency.p99` gives the
 * same availability, and the SLO adds a within-SLO figure beside it (issue: a 200 ms objective used to
 * lower availability from 99.94% to 91.1%).
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/experiment/index.js';
import { loadFixture } from '../experiment/load-fixture.js';

describe('e2e: availability whatever the latency SLO', () => {
  it('runScenario(outage) with and without slo.latency.p99: identical availability, within-SLO beside it', async () => {
    const scenario = await loadFixture('outage.yaml');
    const plain = runScenario(scenario, { baselines: false, model: 'primary-remote' });
    // A deadline at the run's own median: about half the answers are late, none of them failures.
    const deadline = plain.latencyMs?.p50 ?? 0;
    expect(deadline).toBeGreaterThan(0);
    const withSlo = runScenario(
      { ...scenario, slo: { ...scenario.slo, latencyMs: { ...scenario.slo.latencyMs, p99: deadline } } },
      { baselines: false, model: 'primary-remote' },
    );
    expect(withSlo.availability).toBe(plain.availability);
    expect(withSlo.requests.succeeded).toBe(plain.requests.succeeded);
    expect(withSlo.byCluster.map((c) => c.availability)).toEqual(plain.byCluster.map((c) => c.availability));
    expect(withSlo.timeline.map((w) => w.availability)).toEqual(plain.timeline.map((w) => w.availability));
    expect(plain.withinSlo).toBeUndefined();
    const late = withSlo.requests.late ?? 0;
    expect(late).toBeGreaterThan(0);
    const finished = withSlo.requests.total - withSlo.requests.unfinished;
    expect(withSlo.requests.withinSlo).toBe(withSlo.requests.succeeded - late);
    expect(withSlo.withinSlo).toBeCloseTo((withSlo.requests.succeeded - late) / finished, 7);
    expect(withSlo.withinSlo ?? 1).toBeLessThan(withSlo.availability ?? 0);
  });
});
