/**
 * A scenario's `cost:` and `report.blastRadius:` are the run's measurement settings, `RunOptions.cost` and
 * `RunOptions.blastRadius` lay theirs over them key by key, and `assembleRun` reads the file's own, so
 * parts assembled from workers measure as a run in one thread does.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  FAULTED_PART,
  assembleRun,
  runPart,
  runParts,
  runScenario,
  type RunOptions,
} from '../../src/experiment/run.js';
import { replicate, replicationSeeds } from '../../src/experiment/replicate.js';
import type { BlastRadiusThresholds, CostConstants, RunSummary } from '../../src/metrics/index.js';
import {
  loadScenarioText,
  type BlastRadiusSettings,
  type CostSettings,
  type Scenario,
} from '../../src/scenario/index.js';
import { EXPERIMENT_FIXTURES, loadFixture } from './load-fixture.js';

const OUTAGE = readFileSync(`${EXPERIMENT_FIXTURES}/outage.yaml`, 'utf8');
const REPORT_LINE = 'report: { window: 5s, replications: 3 }';

/** outage.yaml with `blastRadius` in its report block and `tail` appended. */
function outageWith(blastRadius: string | undefined, tail = ''): Scenario {
  expect(OUTAGE).toContain(REPORT_LINE);
  const report =
    blastRadius === undefined
      ? REPORT_LINE
      : `report: { window: 5s, replications: 3, blastRadius: ${blastRadius} }`;
  const r = loadScenarioText(`${OUTAGE.replace(REPORT_LINE, report)}${tail}`, 'outage.yaml');
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.scenario;
}

type Fault = NonNullable<RunSummary['faults']>[number];
const faultsOf = (r: RunSummary): readonly Fault[] => r.faults ?? [];

describe('experiment/run measurement settings', () => {
  it('Scenario.cost and .blastRadius are the shapes of CostConstants and BlastRadiusThresholds, all optional', () => {
    expectTypeOf<Required<CostSettings>>().toEqualTypeOf<CostConstants>();
    expectTypeOf<Required<BlastRadiusSettings>>().toEqualTypeOf<BlastRadiusThresholds>();
  });

  it('runScenario(cost: {crossZonePricePerGbEachSide: 0.02}) doubles the network cost and changes nothing else', () => {
    const options = { model: 'multi-primary', seed: 4, baselines: false };
    const listed = runScenario(outageWith(undefined), options);
    const priced = runScenario(
      outageWith(undefined, 'cost: { crossZonePricePerGbEachSide: 0.02 }\n'),
      options,
    );
    const a = listed.cost;
    const b = priced.cost;
    if (a === undefined || b === undefined) throw new Error('no cost figures');
    // Both clusters are in one region: the network cost is all cross-zone, at twice the default price.
    expect(a.crossRegionGb).toBe(0);
    expect(a.crossZoneGb).toBeGreaterThan(0);
    expect(b.crossZoneGb).toBe(a.crossZoneGb);
    // Each figure is rounded to 9 decimals after the product: twice a rounded figure is within 1.5e-9.
    expect(Math.abs(b.networkCost - 2 * a.networkCost)).toBeLessThanOrEqual(1.5e-9);
    expect(b.networkCost).toBeCloseTo(2 * a.crossZoneGb * 0.02, 9);
    expect(b.method).toContain('cross-zone GB x 0.02 x 2 sides');
    expect(a.method).toContain('cross-zone GB x 0.01 x 2 sides');
    const rest = (r: RunSummary) => ({
      ...r,
      cost: { ...r.cost, networkCost: 0, networkCostPer30Days: 0, method: '' },
    });
    expect(rest(priced)).toEqual(rest(listed));
  });

  it('runScenario(report.blastRadius: {p99Rise: 100000%, errorRateRise: 100%}) measures no larger a blast radius, and says so', () => {
    const options = { model: 'multi-primary', seed: 9 };
    const byDefault = runScenario(outageWith(undefined), options);
    const lenient = runScenario(outageWith('{ p99Rise: 100000%, errorRateRise: 100% }'), options);
    expect(faultsOf(lenient)).toHaveLength(2);
    faultsOf(lenient).forEach((f, i) => {
      const d = faultsOf(byDefault)[i];
      if (f.blastRadius === null || d?.blastRadius == null) throw new Error(`fault ${i} unmeasured`);
      // Higher thresholds impact a subset of the (unit, window) pairs the defaults impact.
      expect(f.blastRadius.clusters).toBeLessThanOrEqual(d.blastRadius.clusters);
      expect(f.blastRadius.services).toBeLessThanOrEqual(d.blastRadius.services);
      expect(f.detail?.impactedUnitWindows).toBeLessThanOrEqual(d.detail?.impactedUnitWindows ?? 0);
    });
    // Measured, not implied: 10 s connect timeouts to the churned pods lift windows' p99s from ~17 ms to
    // ~10 s (~600-fold). Since retries avoid every host already tried (issue 12), no impacted window is
    // lifted less than 100-fold any more, so a 1000-fold threshold is what drops windows: 54 → 3 here.
    const cells = (r: RunSummary) =>
      faultsOf(r).reduce((n, f) => n + (f.detail?.impactedUnitWindows ?? 0), 0);
    expect(cells(lenient)).toBeLessThan(cells(byDefault));
    expect(lenient.blastRadiusMethod).toContain(
      'when its error rate rises by more than 100 points (with at least 20 requests in both runs) or its p99 by more than 100000% (at least 100 answered in both)',
    );
    expect(byDefault.blastRadiusMethod).toContain('more than 1 points');
    expect(byDefault.blastRadiusMethod).toContain('more than 50%');
  });

  it('runScenario(thresholds no window can meet) impacts no cluster or service, and recovers at once', () => {
    // An error rate cannot rise by more than 100 points, and no 5 s window holds a billion answers.
    const scenario = outageWith('{ errorRateRise: 100%, minLatencySamples: 1000000000 }');
    const run = runScenario(scenario, { model: 'primary-remote', seed: 9 });
    expect(faultsOf(run)).toHaveLength(2);
    for (const f of faultsOf(run)) {
      expect(f.blastRadius?.clusters).toBe(0);
      expect(f.blastRadius?.services).toBe(0);
      expect(f.detail?.impactedUnitWindows).toBe(0);
      expect(f.timeToRecoverMs).toBe(0);
    }
    expect(run.blastRadiusMethod).toContain('(at least 1000000000 answered in both)');
  });

  it("runScenario(outage-tuned, RunOptions overrides) takes each option's key over the file's, the file's over the defaults", async () => {
    const tuned = await loadFixture('outage-tuned.yaml');
    expect(tuned.cost).toEqual({ crossZonePricePerGbEachSide: 0.02, requestBytes: 2048, istiodMinVcpu: 1 });
    const options: RunOptions = {
      model: 'primary-remote',
      seed: 5,
      cost: { crossZonePricePerGbEachSide: 0.03 },
      blastRadius: { p99Rise: 0.5, minRequests: 40 },
    };
    const run = runScenario(tuned, options);
    expect(run.cost?.method).toContain('cross-zone GB x 0.03 x 2 sides');
    expect(run.cost?.method).toContain('Bytes: 2048 B request');
    expect(run.cost?.method).toContain('vCPU = max(1, ');
    expect(run.blastRadiusMethod).toContain(
      'rises by more than 5 points (with at least 40 requests in both runs) or its p99 by more than 50% (at least 50 answered in both)',
    );
    expect(run.blastRadiusMethod).toContain("past the baseline unit's p99 x 3");
    // The same run from the untuned file, every setting passed as options, is the same measurement.
    const plain = runScenario(outageWith(undefined), {
      ...options,
      cost: { ...tuned.cost, ...options.cost },
      blastRadius: { ...tuned.blastRadius, ...options.blastRadius },
    });
    const named = (r: RunSummary) => ({ ...r, scenario: '', rerun: '' });
    expect(named(run)).toEqual(named(plain));
  });

  it('runScenario(an option set to undefined by an untyped caller) keeps the file value', async () => {
    const tuned = await loadFixture('outage-tuned.yaml');
    const options = { seed: 2, baselines: false };
    const blank = { ...options, cost: { requestBytes: undefined } } as unknown as RunOptions;
    const kept = runScenario(tuned, blank);
    expect(kept.cost?.method).toContain('Bytes: 2048 B request');
    expect(JSON.stringify(kept)).toBe(JSON.stringify(runScenario(tuned, options)));
  });

  it('assembleRun(outage-tuned, cloned parts in any order) gives the bytes of runScenario: it reads the file settings itself', async () => {
    const tuned = await loadFixture('outage-tuned.yaml');
    const options = { model: 'multi-primary', seed: 17 };
    const whole = JSON.stringify(runScenario(tuned, options));
    const parts = runParts(tuned).map((p) => structuredClone(runPart(tuned, options, p)));
    expect(parts.map((p) => (p.kind === 'faulted' ? FAULTED_PART : p.fault))).toEqual([FAULTED_PART, 0, 1]);
    expect(JSON.stringify(assembleRun(tuned, options, [...parts].reverse()))).toBe(whole);
    // A scenario cloned as a worker receives it measures with the same settings.
    expect(JSON.stringify(assembleRun(structuredClone(tuned), options, parts))).toBe(whole);
    expect(whole).toContain('x 0.02 x 2 sides');
    expect(whole).toContain('more than 200%');
  });

  it('replicate(outage-tuned, {workers: 2}) gives the bytes of {workers: 1} (threads from the .ts sources)', async () => {
    const tuned = await loadFixture('outage-tuned.yaml');
    const plan = { models: tuned.models.slice(1), seeds: replicationSeeds(3, 1) };
    const one = await replicate(tuned, plan, { workers: 1 });
    const two = await replicate(tuned, plan, { workers: 2 });
    expect(JSON.stringify(two.runs)).toBe(JSON.stringify(one.runs));
    expect(JSON.stringify(one.runs)).toContain('more than 5 points');
  });
});
