/**
 * One run with its paired baselines (one per fault) side by side on the worker pool: a run with 16 faults
 * is 17 independent simulations, which one thread does in turn. The summary is the same bytes as
 * `runScenario`'s whatever the number of workers: each part is a plain result, assembled in part order.
 *
 * Contents: `runScenarioParallel`.
 */
import type { RunSummary } from '../metrics/index.js';
import type { Scenario } from '../scenario/index.js';
import { runJobs, type JobRunOptions, type ReplicationJob } from './job-runner.js';
import { assembleRun, runParts, type RunOptions, type RunPartResult } from './run.js';

/** `runScenario` with its parts on `workers` threads (1: in this thread, as `runScenario`). */
export async function runScenarioParallel(
  scenario: Scenario,
  options: Omit<RunOptions, 'onProgress'>,
  pool: JobRunOptions,
): Promise<RunSummary> {
  const seed = options.seed ?? scenario.seed;
  const jobs: ReplicationJob[] = runParts(scenario, options).map((part) => ({
    point: 0,
    model: options.model,
    seed,
    part,
  }));
  const results = new Array<RunPartResult>(jobs.length);
  await runJobs([scenario], jobs, (id, result) => (results[id] = result), pool);
  return assembleRun(scenario, options, results);
}
