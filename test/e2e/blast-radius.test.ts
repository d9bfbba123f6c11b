/**
 * Blast radius on constructed scenarios with known answers, from scenario file to summary (in process:
 * load, run with paired baselines, measure).
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/experiment/index.js';
import type { FaultImpact } from '../../src/metrics/index.js';
import { loadScenarioFile, type Scenario } from '../../src/scenario/index.js';
import { REPO_ROOT } from '../helpers/cli.js';

async function load(name: string): Promise<Scenario> {
  const r = await loadScenarioFile(`${REPO_ROOT}test/fixtures/blast-radius/${name}`);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join('\n'));
  return r.scenario;
}

function only(faults: readonly FaultImpact[] | undefined, type: string): FaultImpact {
  const f = faults?.find((x) => x.type === type);
  if (f === undefined) throw new Error(`no ${type} fault in the summary`);
  return f;
}

describe('e2e/blast-radius', () => {
  it('runScenario(own-clients.yaml): a fault hurting only cluster a’s own clients gives clusters 1/3 and collateral 0', async () => {
    const s = runScenario(await load('own-clients.yaml'));
    const f = only(s.faults, 'error-injection');
    expect(f.blastRadius?.clusters).toBeCloseTo(1 / 3, 6);
    expect(f.blastRadius?.services).toBeCloseTo(1 / 3, 6);
    expect(f.blastRadius?.collateral).toBe(0);
    // Half of a's third of the traffic fails during the fault: 1/6, up to sampling noise.
    expect(f.blastRadius?.traffic).toBeGreaterThan(0.15);
    expect(f.blastRadius?.traffic).toBeLessThan(0.18);
    // Injected errors stop with the fault, at a window boundary.
    expect(f.timeToRecoverMs).toBe(0);
    expect(f.detail?.failedDomain).toEqual(['a']);
    expect(f.detail?.impactedClusters).toEqual(['a']);
    expect(s.blastRadiusMethod).toContain('Paired baselines');
  });

  it('runScenario(primary-outage-churn.yaml): under primary-remote the primary’s outage hurts the remote’s clients too', async () => {
    const scenario = await load('primary-outage-churn.yaml');
    const pr = only(runScenario(scenario, { model: 'primary-remote' }).faults, 'control-plane-outage');
    const mp = only(runScenario(scenario, { model: 'multi-primary' }).faults, 'control-plane-outage');
    // primary-remote: p's istiod serves r; r's clients are hurt by a fault in p.
    expect(pr.detail?.failedDomain).toEqual(['p']);
    expect(pr.blastRadius?.clusters).toBe(1);
    expect(pr.blastRadius?.collateral).toBeGreaterThan(0.02);
    // multi-primary: r has its own istiod; only p's clients notice.
    expect(mp.blastRadius?.clusters).toBe(0.5);
    expect(mp.detail?.impactedClusters).toEqual(['p']);
    expect(mp.blastRadius?.collateral).toBeLessThan(0.005);
    expect(pr.blastRadius?.clusters).toBeGreaterThan(mp.blastRadius?.clusters ?? 1);
    expect(pr.blastRadius?.collateral).toBeGreaterThan(mp.blastRadius?.collateral ?? 1);
  });

  it('runScenario(..., {baselines: false}) lists faults without blast radius and says so', async () => {
    const s = runScenario(await load('own-clients.yaml'), { baselines: false });
    expect(s.faults).toEqual([
      {
        type: 'error-injection',
        kind: 'fault',
        atMs: 25_000,
        forMs: 15_000,
        target: 'app-a in a',
        blastRadius: null,
        timeToRecoverMs: null,
      },
    ]);
    expect(s.blastRadiusMethod).toContain('Not measured');
  });
});
