/**
 * compare(): the shape of a comparison, its bad options, its progress, and that neither progress reporting
 * nor worker threads change a byte of the result.
 */
import { describe, expect, it } from 'vitest';
import { compare, type ComparisonResult } from '../../src/experiment/index.js';
import { loadFixture } from './load-fixture.js';

async function ok(p: ReturnType<typeof compare>): Promise<ComparisonResult> {
  const outcome = await p;
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return outcome.result;
}

describe('experiment/compare', { timeout: 60_000 }, () => {
  it('compare(two-regions, {replications: 3}) reports every default model with estimates over 3 seeds', async () => {
    const scenario = await loadFixture('two-regions.yaml');
    const r = await ok(compare(scenario, { replications: 3 }));
    expect(r.models.map((m) => m.model)).toEqual(['multi-primary', 'primary-remote', 'hybrid', 'external']);
    expect(r.seed).toBe(5);
    expect(r.rerun).toBe(
      'meshsim compare test/fixtures/experiment/two-regions.yaml --replications 3 --seed 5',
    );
    for (const m of r.models) {
      expect(m.seeds).toEqual(r.models[0]?.seeds);
      expect(m.seeds[0]).toBe(5);
      expect(m.availability?.n).toBe(3);
      const a = m.availability;
      if (a === null) throw new Error('no availability');
      expect(a.ci95[0]).toBeLessThanOrEqual(a.mean);
      expect(a.ci95[1]).toBeGreaterThanOrEqual(a.mean);
      expect(m.blastRadius).toBeNull();
      expect(m.timeline.length).toBe(5);
      expect(m.traffic.length).toBeGreaterThan(0);
      expect(m.locality?.crossRegionShare).not.toBeNull();
    }
    // 4 models: 6 pairs per measured metric, a before b in report order.
    expect(r.differences.filter((d) => d.metric === 'availability').map((d) => [d.a, d.b])).toEqual([
      ['multi-primary', 'primary-remote'],
      ['multi-primary', 'hybrid'],
      ['multi-primary', 'external'],
      ['primary-remote', 'hybrid'],
      ['primary-remote', 'external'],
      ['hybrid', 'external'],
    ]);
    expect(r.verdict.notMeasured?.map((n) => n.criterion)).toEqual([
      'blastRadius',
      'collateral',
      'singlePointOfFailure',
    ]);
    expect(r.verdict.fits.length).toBe(6);
  });

  it('compare(two-regions, {models: [external, multi-primary]}) keeps the order given and says so in rerun', async () => {
    const scenario = await loadFixture('two-regions.yaml');
    const r = await ok(
      compare(scenario, { models: ['external', 'multi-primary'], replications: 2, seed: 11 }),
    );
    expect(r.models.map((m) => m.model)).toEqual(['external', 'multi-primary']);
    expect(r.rerun).toBe(
      'meshsim compare test/fixtures/experiment/two-regions.yaml --models external,multi-primary --replications 2 --seed 11',
    );
  });

  it('compare() with an unknown model, one replication or a negative seed returns a problem, runs nothing', async () => {
    const scenario = await loadFixture('two-regions.yaml');
    const unknown = await compare(scenario, { models: ['multi-primery'] });
    expect(unknown).toMatchObject({ ok: false, problem: { code: 'unknown-model' } });
    if (!unknown.ok)
      expect(unknown.problem.message).toContain('multi-primary, primary-remote, hybrid, external');
    expect(await compare(scenario, { replications: 1 })).toMatchObject({
      ok: false,
      problem: { code: 'too-few-replications' },
    });
    expect(await compare(scenario, { seed: -1 })).toMatchObject({ ok: false, problem: { code: 'bad-seed' } });
    expect(await compare(scenario, { workers: 0 })).toMatchObject({
      ok: false,
      problem: { code: 'bad-workers' },
    });
  });

  it('compare(outage) aggregates each fault per model and measures availability during the outage', async () => {
    const scenario = await loadFixture('outage.yaml');
    const r = await ok(compare(scenario, { replications: 3 }));
    expect(r.faults.map((f) => [f.type, f.atMs, f.forMs])).toEqual([
      ['control-plane-outage', 10_000, 20_000],
      ['pod-churn', 12_000, 15_000],
    ]);
    const [mp, pr] = r.models;
    if (mp === undefined || pr === undefined) throw new Error('two models expected');
    expect(mp.faults?.map((f) => f.type)).toEqual(['control-plane-outage', 'pod-churn']);
    expect(mp.faults?.[0]?.blastRadius.traffic?.n).toBe(3);
    expect(mp.blastRadius?.traffic).not.toBeNull();
    expect(mp.controlPlaneOutageAvailability).not.toBeNull();
    expect(pr.cost?.istiods).toBe(1);
    expect(mp.cost?.istiods).toBe(2);
    expect(mp.cost?.configPlaces).toBe(2);
    expect(pr.cost?.configPlaces).toBe(1);
    const judged = r.verdict.criteria.map((c) => c.criterion);
    expect(judged).toContain('singlePointOfFailure');
    expect(judged).toContain('collateral');
    expect(r.verdict.criteria.find((c) => c.criterion === 'configConsistency')?.best).toBe('primary-remote');
  });

  it('compare() reports progress that never goes back and ends at 1, and progress changes no result', async () => {
    const scenario = await loadFixture('outage.yaml');
    const seen: number[] = [];
    const withProgress = await ok(compare(scenario, { replications: 2, onProgress: (f) => seen.push(f) }));
    const without = await ok(compare(scenario, { replications: 2 }));
    expect(JSON.stringify(withProgress)).toBe(JSON.stringify(without));
    expect(seen.length).toBeGreaterThan(4);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] as number);
    expect(seen[seen.length - 1]).toBeCloseTo(1, 12);
  });

  it('compare(outage, {workers: 2}) gives the same bytes as {workers: 1} (threads from the .ts sources)', async () => {
    const scenario = await loadFixture('outage.yaml');
    const one = await ok(compare(scenario, { replications: 3, workers: 1 }));
    const seen: number[] = [];
    const two = await ok(compare(scenario, { replications: 3, workers: 2, onProgress: (f) => seen.push(f) }));
    expect(JSON.stringify(two, null, 2)).toBe(JSON.stringify(one, null, 2));
    expect(seen[seen.length - 1]).toBeCloseTo(1, 12);
  });
});
