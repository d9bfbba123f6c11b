/**
 * `run`'s paired baselines on the worker pool: a run with faults is 1 + faults simulations, and on two
 * threads it must give the bytes one thread gives (and `runScenario` gives), default model included (its
 * rerun command names no model when the file has one and none was asked for).
 */
import { describe, expect, it } from 'vitest';
import {
  runScenario,
  runScenarioParallel,
  runModelsWithRecordsParallel,
  runScenarioWithRecords,
  runScenarioWithRecordsParallel,
} from '../../src/experiment/index.js';
import { loadFixture } from './load-fixture.js';

describe('experiment/run-parallel', () => {
  it('a run with two faults: the same bytes on 1 and 2 workers as runScenario, baselines measured', async () => {
    const scenario = await loadFixture('outage.yaml');
    const options = { seed: 11 };
    const here = JSON.stringify(runScenario(scenario, options));
    const one = JSON.stringify(await runScenarioParallel(scenario, options, { workers: 1 }));
    const two = JSON.stringify(await runScenarioParallel(scenario, options, { workers: 2 }));
    expect(one).toBe(here);
    expect(two).toBe(here);
    const faults = (JSON.parse(two) as { faults: { blastRadius: unknown }[] }).faults;
    expect(faults).toHaveLength(2);
    for (const f of faults) expect(f.blastRadius).not.toBeNull();
  }, 120_000);

  it('a named model on 2 workers: the same bytes as runScenario with that model', async () => {
    const scenario = await loadFixture('outage.yaml');
    const options = { seed: 4, model: scenario.models[1]?.name ?? '' };
    expect(JSON.stringify(await runScenarioParallel(scenario, options, { workers: 2 }))).toBe(
      JSON.stringify(runScenario(scenario, options)),
    );
  }, 120_000);

  it('exports and thresholds records: the run keeps them in a worker thread too, the same bytes as in this thread', async () => {
    const scenario = await loadFixture('outage.yaml');
    const options = { seed: 6, telemetry: true, fortio: true, thresholds: true };
    const here = runScenarioWithRecords(scenario, options);
    for (const workers of [1, 2]) {
      const there = await runScenarioWithRecordsParallel(scenario, options, { workers, isolate: true });
      expect(there).toEqual(here);
      expect(JSON.stringify(there)).toBe(JSON.stringify(here));
    }
    expect(here.telemetry).toBeDefined();
    expect(here.fortio).toBeDefined();
    expect(here.thresholds).toBeDefined();
  }, 180_000);

  it('each record only when asked: telemetry without Fortio, Fortio without telemetry, the same summary and records as with both', async () => {
    const scenario = await loadFixture('outage.yaml');
    const both = runScenarioWithRecords(scenario, { seed: 6, telemetry: true, fortio: true });
    const telemetry = runScenarioWithRecords(scenario, { seed: 6, telemetry: true });
    const fortio = runScenarioWithRecords(scenario, { seed: 6, fortio: true });
    expect(Object.keys(telemetry).sort()).toEqual(['summary', 'telemetry']);
    expect(Object.keys(fortio).sort()).toEqual(['fortio', 'summary']);
    expect(JSON.stringify(telemetry.telemetry)).toBe(JSON.stringify(both.telemetry));
    expect(JSON.stringify(fortio.fortio)).toBe(JSON.stringify(both.fortio));
    expect(JSON.stringify(telemetry.summary)).toBe(JSON.stringify(both.summary));
    expect(JSON.stringify(fortio.summary)).toBe(JSON.stringify(both.summary));
  }, 180_000);

  it("compare's extras: every model's run with its records in one plan, in worker threads only, the same bytes as each model's run in this thread", async () => {
    const scenario = await loadFixture('outage.yaml');
    const models = scenario.models.map((m) => m.name);
    expect(models.length).toBeGreaterThan(1);
    const options = { seed: 9, telemetry: true, thresholds: true };
    const here = models.map((model) => runScenarioWithRecords(scenario, { ...options, model }));
    for (const workers of [1, 2]) {
      const threads = new Set<number>();
      const there = await runModelsWithRecordsParallel(scenario, models, options, {
        workers,
        isolate: true,
        onTiming: (t) => threads.add(t.thread),
      });
      expect(JSON.stringify(there)).toBe(JSON.stringify(here));
      // Thread 0 is this one: none of the runs (models x (1 + faults) jobs) ran here.
      // (Which worker thread took which job is the pool's choice: one may take them all.)
      expect(threads.has(0)).toBe(false);
      expect(threads.size).toBeGreaterThan(0);
    }
  }, 240_000);
});
