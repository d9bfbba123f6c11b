/**
 * `runScenario` in a worker thread: the same simulations (the run and its per-fault baselines) and the
 * same bytes, but a run that exhausts memory stops its thread with a message naming the model, the seed
 * and the way out (WorkerOutOfMemoryError), not the process with a V8 crash dump. With more than one
 * worker, the paired baselines run side by side (run-parallel.ts).
 *
 * Contents: `runScenarioInWorker`.
 */
import type { RunSummary } from '../metrics/index.js';
import type { Scenario } from '../scenario/index.js';
import { runScenarioParallel } from './run-parallel.js';
import { type RunOptions, UnknownModelError } from './run.js';

export async function runScenarioInWorker(
  scenario: Scenario,
  options: RunOptions = {},
  workers = 1,
): Promise<RunSummary> {
  const model = options.model ?? scenario.models[0]?.name;
  if (model === undefined || !scenario.models.some((m) => m.name === model))
    throw new UnknownModelError(`no model "${options.model}" in ${scenario.file}`);
  const { onProgress, ...rest } = options;
  return runScenarioParallel(scenario, rest, {
    workers,
    isolate: true,
    ...(onProgress === undefined ? {} : { onProgress }),
  });
}
