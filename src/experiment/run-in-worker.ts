/**
 * `runScenario` in a worker thread: the same simulations (the run and its per-fault baselines) and the
 * same bytes, but a run that exhausts memory stops its thread with a message naming the model, the seed
 * and the way out (WorkerOutOfMemoryError), not the process with a V8 crash dump. The CLI's `run` uses it.
 *
 * Contents: `runScenarioInWorker`.
 */
import type { RunSummary } from '../metrics/index.js';
import type { Scenario } from '../scenario/index.js';
import { runInWorkerPool } from './replication-pool.js';
import {
  assembleRun,
  rerunCommand,
  runParts,
  type RunOptions,
  type RunPartResult,
  UnknownModelError,
} from './run.js';

export async function runScenarioInWorker(scenario: Scenario, options: RunOptions = {}): Promise<RunSummary> {
  const model = options.model ?? scenario.models[0]?.name;
  if (model === undefined || !scenario.models.some((m) => m.name === model))
    throw new UnknownModelError(`no model "${options.model}" in ${scenario.file}`);
  const seed = options.seed ?? scenario.seed;
  const jobs = runParts(scenario, options).map((part) => ({ model, seed, part }));
  const parts = new Array<RunPartResult>(jobs.length);
  let got = 0;
  await runInWorkerPool(
    scenario,
    jobs,
    1,
    (id, result) => {
      parts[id] = result;
      got++;
    },
    options.onProgress,
  );
  if (got !== jobs.length) throw new Error(`runScenarioInWorker: ${jobs.length - got} parts missing`);
  const summary = assembleRun(scenario, options, parts);
  // The worker was told the model by name; the rerun line names it as runPart does for runScenario: unless
  // the caller named none and the file has only one.
  const named = options.model === undefined && scenario.models.length === 1 ? undefined : model;
  return { ...summary, rerun: rerunCommand(scenario, seed, named) };
}
