/**
 * verdict(): the best model per criterion only where the paired interval and the material threshold say so, "no material
 * difference" otherwise, criteria that cannot be measured listed with the reason, and which model fits.
 */
import { describe, expect, it } from 'vitest';
import {
  judgeCriterion,
  metricByName,
  metricContext,
  verdict,
  type Judgement,
  type VerdictEntry,
} from '../../src/experiment/index.js';
import type { FaultImpact, RunSummary } from '../../src/metrics/index.js';
import type { DeploymentModel } from '../../src/mesh/index.js';
import { comparisonFixture } from '../report/fixtures.js';
import { baseRun, modelRuns, renamed } from './fake-runs.js';

function judged(j: Judgement): VerdictEntry {
  if (j.kind !== 'judged') throw new Error(`not judged: ${j.reason}`);
  return j.entry;
}

async function setup() {
  const { scenario, run } = await baseRun();
  const [mp, pr] = scenario.models as [DeploymentModel, DeploymentModel];
  return { scenario, run, mp, pr };
}

describe('experiment/verdict', () => {
  it('judgeCriterion(availability) names the best model when its paired difference with every other excludes 0', async () => {
    const { scenario, run, mp, pr } = await setup();
    const a = modelRuns(scenario, mp, run, [
      { availability: 0.999 },
      { availability: 0.998 },
      { availability: 0.9985 },
    ]);
    const b = modelRuns(scenario, pr, run, [
      { availability: 0.99 },
      { availability: 0.991 },
      { availability: 0.989 },
    ]);
    const e = judged(judgeCriterion('availability', scenario, [b, a]));
    expect(e.best).toBe('multi-primary');
    expect(e.leaders).toEqual(['multi-primary']);
    expect(e.metric).toBe('availability');
    expect(e.note).toBe(
      'multi-primary 99.850%, primary-remote 99.000%; better than primary-remote by 0.850 points (95% CI 0.521 to 1.179)',
    );
  });

  it('judgeCriterion(availability) says "no material difference" when the paired interval spans 0', async () => {
    const { scenario, run, mp, pr } = await setup();
    const a = modelRuns(scenario, mp, run, [
      { availability: 0.99 },
      { availability: 0.995 },
      { availability: 0.992 },
    ]);
    const b = modelRuns(scenario, pr, run, [
      { availability: 0.991 },
      { availability: 0.993 },
      { availability: 0.993 },
    ]);
    const e = judged(judgeCriterion('availability', scenario, [a, b]));
    expect(e.best).toBeNull();
    expect(e.leaders).toEqual(['multi-primary', 'primary-remote']);
    expect(e.note).toMatch(
      /no material difference between multi-primary and primary-remote \(.* includes 0\)$/,
    );
  });

  it('judgeCriterion pairs replications: a steady 0.1-point lead wins even when replications vary 100 times more', async () => {
    const { scenario, run, mp, pr } = await setup();
    const level = [0.9, 0.97, 0.93, 0.99, 0.95];
    const jitter = [0, 0.0001, -0.0001, 0.00005, 0];
    const a = modelRuns(
      scenario,
      mp,
      run,
      level.map((x, k) => ({ availability: x + 0.001 + (jitter[k] ?? 0) })),
    );
    const b = modelRuns(
      scenario,
      pr,
      run,
      level.map((x) => ({ availability: x })),
    );
    // Unpaired, the two means' intervals overlap almost entirely; paired, the difference is clear.
    expect(judged(judgeCriterion('availability', scenario, [a, b])).best).toBe('multi-primary');
  });

  it('judgeCriterion(p99Latency) prefers lower values and names a materially worse third model', async () => {
    const { scenario, run, mp, pr } = await setup();
    const c = renamed(mp, 'slow');
    const fast1 = modelRuns(scenario, mp, run, [{ p99: 80 }, { p99: 82 }, { p99: 81 }]);
    const fast2 = modelRuns(scenario, pr, run, [{ p99: 81 }, { p99: 80 }, { p99: 82 }]);
    const slow = modelRuns(scenario, c, run, [{ p99: 120 }, { p99: 125 }, { p99: 119 }]);
    const e = judged(judgeCriterion('p99Latency', scenario, [slow, fast1, fast2]));
    expect(e.best).toBeNull();
    expect(e.leaders).toEqual(['multi-primary', 'primary-remote']);
    expect(e.note).toMatch(/; slow is materially worse$/);
    // One wording for a tie: never "no significant difference ... significantly worse" in one sentence.
    expect(e.note).not.toMatch(/significant/);
    const clear = judged(judgeCriterion('p99Latency', scenario, [slow, fast1]));
    expect(clear.best).toBe('multi-primary');
  });

  it('tied leaders ahead of a materially worse model are named as leaders, in the text headline and the overall sentence', async () => {
    const { scenario, run, mp, pr } = await setup();
    const slowModel = renamed(mp, 'slow');
    const fast1 = modelRuns(scenario, mp, run, [{ p99: 80 }, { p99: 82 }, { p99: 81 }]);
    const fast2 = modelRuns(scenario, pr, run, [{ p99: 81 }, { p99: 80 }, { p99: 82 }]);
    const slow = modelRuns(scenario, slowModel, run, [{ p99: 120 }, { p99: 125 }, { p99: 119 }]);
    const v = verdict(scenario, [slow, fast1, fast2]);
    const overall = v.fits[v.fits.length - 1] ?? '';
    // The quickstart read "Overall: no model is materially best" while two models beat a third by 6x on p99.
    expect(overall).not.toContain('no model is materially best');
    expect(overall).toContain(
      'multi-primary and primary-remote together on p99Latency (no material difference between them)',
    );
    expect(overall).toContain('slow leads on no criterion judged here');
    const collateral = verdict(scenario, [
      modelRuns(scenario, slowModel, run, [{ collateral: 0.2 }, { collateral: 0.25 }, { collateral: 0.22 }]),
      modelRuns(scenario, mp, run, [{ collateral: 0.01 }, { collateral: 0.012 }, { collateral: 0.011 }]),
      modelRuns(scenario, pr, run, [{ collateral: 0.011 }, { collateral: 0.01 }, { collateral: 0.012 }]),
    ]);
    expect(collateral.fits[0]).toMatch(
      /^Fault isolation: multi-primary and primary-remote kept collateral damage/,
    );
    expect(collateral.fits[0]).not.toContain('do not separate the models');
    const { comparisonText } = await import('../../src/report/index.js');
    // Three models in the fixture, as in this verdict.
    const text = comparisonText({ ...comparisonFixture, verdict: v }, '', 200);
    // Never "no material difference" heading a line that calls a model materially worse.
    expect(text).toContain('p99Latency: multi-primary and primary-remote (tied).');
    expect(text).not.toMatch(/p99Latency: no material difference\./);
  });

  it('judgeCriterion(p99Latency) calls a lead of one histogram bucket no material difference, and says why', async () => {
    const { scenario, run, mp, pr } = await setup();
    // Every replication lands in the same 1% buckets: a zero-width interval 1 ms apart at 100 ms.
    const a = modelRuns(scenario, mp, run, [{ p99: 100 }, { p99: 100 }, { p99: 100 }]);
    const b = modelRuns(scenario, pr, run, [{ p99: 101 }, { p99: 101 }, { p99: 101 }]);
    const e = judged(judgeCriterion('p99Latency', scenario, [a, b]));
    expect(e.best).toBeNull();
    expect(e.leaders).toEqual(['multi-primary', 'primary-remote']);
    expect(e.note).toMatch(/within the latency histograms' resolution of 2%/);
    // Ten buckets apart is a difference.
    const c = modelRuns(scenario, pr, run, [{ p99: 110 }, { p99: 110 }, { p99: 110 }]);
    expect(judged(judgeCriterion('p99Latency', scenario, [a, c])).best).toBe('multi-primary');
  });

  it('judgeCriterion(availability): a significant 0.02-point lead is "no material difference"; 0.1 points wins', async () => {
    const { scenario, run, mp, pr } = await setup();
    const base = [0.999, 0.9985, 0.9992, 0.9988];
    const jitter = [0, 0.00001, -0.00001, 0.000005];
    const b = modelRuns(
      scenario,
      pr,
      run,
      base.map((x) => ({ availability: x })),
    );
    const small = modelRuns(
      scenario,
      mp,
      run,
      base.map((x, k) => ({ availability: x + 0.0002 + (jitter[k] ?? 0) })),
    );
    const e = judged(judgeCriterion('availability', scenario, [small, b]));
    expect(e.best).toBeNull();
    expect(e.leaders).toEqual(['multi-primary', 'primary-remote']);
    expect(e.note).toMatch(
      /no material difference between multi-primary and primary-remote \(multi-primary − primary-remote: 0\.020 points, 95% CI 0\.01\d to 0\.02\d: real but below the 0\.05 points \(report\.material\.availability\) that matters\)$/,
    );
    const big = modelRuns(
      scenario,
      mp,
      run,
      base.map((x, k) => ({ availability: x + 0.001 + (jitter[k] ?? 0) })),
    );
    expect(judged(judgeCriterion('availability', scenario, [big, b])).best).toBe('multi-primary');
    // The threshold is the scenario's when it sets one: at 0.01 points the 0.02-point lead wins.
    const strict = { ...scenario, material: { availability: 0.0001 } };
    expect(judged(judgeCriterion('availability', strict, [small, b])).best).toBe('multi-primary');
  });

  it('judgeCriterion(p99Latency): a significant 3% lead is no material difference at the default 5%; 8% wins', async () => {
    const { scenario, run, mp, pr } = await setup();
    const a = modelRuns(scenario, mp, run, [{ p99: 100 }, { p99: 101 }, { p99: 100.5 }]);
    const b = modelRuns(scenario, pr, run, [{ p99: 103 }, { p99: 104 }, { p99: 103.6 }]);
    const e = judged(judgeCriterion('p99Latency', scenario, [a, b]));
    expect(e.best).toBeNull();
    expect(e.note).toMatch(/below the 5% \(report\.material\.latency\) that matters/);
    const c = modelRuns(scenario, pr, run, [{ p99: 108 }, { p99: 109 }, { p99: 108.6 }]);
    expect(judged(judgeCriterion('p99Latency', scenario, [a, c])).best).toBe('multi-primary');
  });

  it('judgeCriterion explains identical replications instead of printing a zero-width interval', async () => {
    const { scenario, run, mp, pr } = await setup();
    const a = modelRuns(scenario, mp, run, [{ p99: 504.1 }, { p99: 504.1 }]);
    const b = modelRuns(scenario, pr, run, [{ p99: 504.1 }, { p99: 504.1 }]);
    const e = judged(judgeCriterion('p99Latency', scenario, [a, b]));
    expect(e.note).toMatch(/identical in every replication/);
    expect(e.note).not.toMatch(/\[504\.10, 504\.10\]|504\.10 to 504\.10/);
  });

  it('judgeCriterion(configConsistency) counts places from the wiring: primary-remote 1, multi-primary 2', async () => {
    const { scenario, run, mp, pr } = await setup();
    const e = judged(
      judgeCriterion('configConsistency', scenario, [
        modelRuns(scenario, mp, run, [{}, {}]),
        modelRuns(scenario, pr, run, [{}, {}]),
      ]),
    );
    expect(e.best).toBe('primary-remote');
    expect(e.note).toBe('primary-remote 1 place, multi-primary 2 places');
  });

  it('judgeCriterion(collateral) is not measured without blast radius, and says what to add', async () => {
    const { scenario, run, mp, pr } = await setup();
    const j = judgeCriterion('collateral', scenario, [
      modelRuns(scenario, mp, run, [{}, {}]),
      modelRuns(scenario, pr, run, [{}, {}]),
    ]);
    expect(j).toEqual({
      kind: 'not-measured',
      criterion: 'collateral',
      reason: 'the runs report no blast radius for the faults',
    });
    const noFaults = { ...scenario, mesh: { ...scenario.mesh, faults: [] } };
    const k = judgeCriterion('blastRadius', noFaults, [
      modelRuns(noFaults, mp, run, [{}, {}]),
      modelRuns(noFaults, pr, run, [{}, {}]),
    ]);
    expect(k.kind === 'not-measured' && k.reason).toMatch(
      /^the scenario has no faults: add some under `faults:`/,
    );
  });

  it('verdict() judges collateral when measured and writes one sentence per trade-off', async () => {
    const { scenario, run, mp, pr } = await setup();
    const a = modelRuns(scenario, mp, run, [
      { collateral: 0.01 },
      { collateral: 0.012 },
      { collateral: 0.011 },
    ]);
    const b = modelRuns(scenario, pr, run, [{ collateral: 0.2 }, { collateral: 0.25 }, { collateral: 0.22 }]);
    const v = verdict(scenario, [a, b]);
    expect(v.criteria.find((c) => c.criterion === 'collateral')?.best).toBe('multi-primary');
    expect(v.fits.map((f) => f.split(/[:(]/)[0])).toEqual([
      'Fault isolation',
      'Resource cost',
      'Config consistency',
      'Single point of failure',
      'Data locality',
      'Overall',
    ]);
    expect(v.fits[0]).toContain('multi-primary kept collateral damage');
    expect(v.fits[2]).toContain(
      'in 2 places (east-1, east-2) under multi-primary and in 1 place (east-1) under primary-remote',
    );
    expect(v.fits[3]).toContain('under primary-remote the istiod in east-1 serves 2 of 2 clusters');
    // Every criterion is either judged or explained.
    const named = [...v.criteria.map((c) => c.criterion), ...(v.notMeasured ?? []).map((n) => n.criterion)];
    expect(named.sort()).toEqual([
      'availability',
      'blastRadius',
      'collateral',
      'configConsistency',
      'controlPlaneCost',
      'dataLocality',
      'p99Latency',
      'singlePointOfFailure',
    ]);
  });

  it('verdict() of a single model judges nothing and says why', async () => {
    const { scenario, run, mp } = await setup();
    const v = verdict(scenario, [modelRuns(scenario, mp, run, [{}, {}])]);
    expect(v.criteria).toEqual([]);
    expect(v.notMeasured?.every((n) => n.reason === 'only one model was compared')).toBe(true);
    expect(v.fits).toEqual([expect.stringMatching(/^Only multi-primary was compared/)]);
  });

  it('the headline blast radius averages faults only: a planned scale step does not halve a lost primary', async () => {
    const { run } = await setup();
    const impact = (type: string, kind: 'fault' | 'event', traffic: number): FaultImpact => ({
      type,
      kind,
      atMs: 10_000,
      forMs: 20_000,
      target: 't',
      blastRadius: { clusters: 0.5, services: 0.5, traffic, failed: traffic, slow: 0, collateral: 0 },
      timeToRecoverMs: 1000,
    });
    const withFaults: RunSummary = {
      ...run,
      faults: [impact('cluster-outage', 'fault', 0.3), impact('scale', 'event', 0)],
    };
    const { scenario, mp } = await setup();
    const ctx = metricContext(scenario, mp);
    expect(metricByName('blastRadiusTraffic').of(withFaults, ctx)).toBeCloseTo(0.3, 12);
    expect(metricByName('blastRadiusFailed').of(withFaults, ctx)).toBeCloseTo(0.3, 12);
    // Only events: no headline at all rather than an average of planned changes.
    const onlyEvents: RunSummary = { ...run, faults: [impact('scale', 'event', 0.1)] };
    expect(metricByName('blastRadiusTraffic').of(onlyEvents, ctx)).toBeNull();
  });

  it('singlePointOfFailure is measured when the primary is lost through a cluster-outage, not only a control-plane-outage', async () => {
    const { scenario, run, mp, pr } = await setup();
    const primaryLost = {
      ...scenario,
      mesh: {
        ...scenario.mesh,
        faults: [{ atMs: 10_000, forMs: 20_000, type: 'cluster-outage' as const, cluster: 'east-1' }],
      },
    };
    const models = [mp, pr];
    const ctx = metricContext(primaryLost, pr, models);
    expect(ctx.controlPlaneOutages).toEqual([{ startMs: 10_000, endMs: 30_000 }]);
    const runsOf = (m: typeof mp) => ({
      model: m,
      runs: [run, run],
      ctx: metricContext(primaryLost, m, models),
    });
    const j = judgeCriterion('singlePointOfFailure', primaryLost, [runsOf(mp), runsOf(pr)]);
    expect(j.kind).toBe('judged');
    // A cluster-outage of a cluster without an istiod under every model is not a control-plane fault.
    const remoteLost = {
      ...primaryLost,
      mesh: { ...primaryLost.mesh, faults: [{ ...primaryLost.mesh.faults[0], cluster: 'east-2' }] },
    } as typeof primaryLost;
    expect(metricContext(remoteLost, pr, [pr]).controlPlaneOutages).toEqual([]);
    expect(metricContext(remoteLost, pr, [mp, pr]).controlPlaneOutages).toHaveLength(1);
  });
});
