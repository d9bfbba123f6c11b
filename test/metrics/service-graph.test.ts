/**
 * The service graph against known answers: a VirtualService splitting back's calls 80/20 by version with a
 * 10% abort. Every share is a binomial draw, so each is checked within 4.5 standard deviations derived from
 * the count (a false alarm about once in 150,000 runs per check; the seed is fixed anyway).
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/experiment/index.js';
import type { ServiceGraphEdge } from '../../src/metrics/index.js';
import { loadFixture } from '../experiment/load-fixture.js';

/** |observed - p| within 4.5 binomial standard deviations of a share p over n trials. */
function expectShare(count: number, n: number, p: number): void {
  const tolerance = 4.5 * Math.sqrt((p * (1 - p)) / n);
  expect(Math.abs(count / n - p)).toBeLessThanOrEqual(tolerance);
}

describe('metrics/service-graph', () => {
  it('runScenario(80/20 split, 10% abort): edges by version, shares and codes within binomial tolerances', async () => {
    const scenario = await loadFixture('service-graph.yaml');
    const s = runScenario(scenario, { baselines: false, model: 'multi-primary' });
    const edges = s.serviceGraph?.edges ?? [];
    const key = (e: ServiceGraphEdge) =>
      `${e.sourceKind}:${e.source}/${e.sourceVersion}@${e.sourceCluster}->${e.destination}/${e.destinationVersion}@${e.destinationCluster}`;
    expect(edges.map(key)).toEqual([
      'service:front/null@east-1->back/v1@east-1',
      'service:front/null@east-1->back/v2@east-1',
      // Calls that reached no replica (the abort) come after the served ones.
      'service:front/null@east-1->back/null@null',
      'traffic:web/null@east-1->front/null@east-1',
    ]);
    const [v1, v2, aborted, entry] = edges as [
      ServiceGraphEdge,
      ServiceGraphEdge,
      ServiceGraphEdge,
      ServiceGraphEdge,
    ];
    const n = aborted.calls + v1.calls + v2.calls;
    // Every front request calls back once: the edges out of front add up to the edge into it.
    expect(n).toBe(entry.calls);
    // Poisson arrivals at 200/s over 45 s measured: 9,000 calls expected, standard deviation sqrt(9,000).
    expect(Math.abs(n - 9000)).toBeLessThanOrEqual(4.5 * Math.sqrt(9000));
    expectShare(aborted.calls, n, 0.1);
    expectShare(v1.calls, n, 0.9 * 0.8);
    expectShare(v2.calls, n, 0.9 * 0.2);
    // The abort answers 503 FI, never retried, and reaches no replica.
    expect(aborted.responses).toEqual([{ code: 503, flags: 'FI', count: aborted.calls }]);
    expect(aborted.errorRatio).toBe(1);
    expect(v1.errors + v2.errors).toBe(0);
    expect(v1.responses).toEqual([{ code: 200, flags: '-', count: v1.calls }]);
    // front turns the failed call into a failure of its own: the entry edge fails as often as the abort.
    expect(entry.errors).toBe(aborted.calls);
    expect(entry.errorRatio).toBeCloseTo(aborted.calls / entry.calls, 6);
    // Rates are per second of measured time (45 s).
    expect(v1.ratePerSecond).toBeCloseTo(v1.calls / 45, 3);
    // Latency: an abort is answered locally, far below a served call; percentiles are ordered.
    for (const e of edges) {
      expect(e.latencyMs.p50).toBeLessThanOrEqual(e.latencyMs.p90);
      expect(e.latencyMs.p90).toBeLessThanOrEqual(e.latencyMs.p99);
    }
    expect(aborted.latencyMs.p99).toBeLessThan(v1.latencyMs.p50);
  });
});
