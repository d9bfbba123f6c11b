import { describe, expect, it } from 'vitest';
import { FAULTED_PART, assembleRun, runPart, runParts, runScenario } from '../../src/experiment/run.js';
import { loadFixture } from './load-fixture.js';

describe('experiment/run parts', () => {
  it('runParts: the run itself, then one baseline per fault; none with baselines off', async () => {
    const scenario = await loadFixture('outage.yaml');
    expect(runParts(scenario)).toEqual([FAULTED_PART, 0, 1]);
    expect(runParts(scenario, { baselines: false })).toEqual([FAULTED_PART]);
  });

  it('assembleRun over cloned parts in any order gives the bytes of runScenario (what workers rely on)', async () => {
    const scenario = await loadFixture('outage.yaml');
    const options = { model: scenario.models[1]?.name ?? '', seed: 17 };
    const whole = JSON.stringify(runScenario(scenario, options));
    // As a worker hands them back: structured clones, finishing in another order.
    const parts = runParts(scenario).map((p) => structuredClone(runPart(scenario, options, p)));
    const assembled = JSON.stringify(assembleRun(scenario, options, [...parts].reverse()));
    expect(assembled).toBe(whole);
    // The faults really were measured against their baselines (not listed unmeasured).
    const faults = (JSON.parse(whole) as { faults: { blastRadius: unknown }[] }).faults;
    expect(faults).toHaveLength(2);
    for (const f of faults) expect(f.blastRadius).not.toBeNull();
  });

  it('assembleRun refuses a run whose baselines are missing rather than reporting it unmeasured', async () => {
    const scenario = await loadFixture('outage.yaml');
    const options = { seed: 3 };
    const run = runPart(scenario, options, FAULTED_PART);
    expect(() => assembleRun(scenario, options, [run])).toThrow(/baseline of fault 0/);
    expect(() => assembleRun(scenario, options, [])).toThrow(/run itself/);
  });
});
