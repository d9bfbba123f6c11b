/**
 * One run with its paired baselines (one per fault) side by side on the worker pool: a run with 16 faults
 * is 17 independent simulations, which one thread does in turn. The summary is the same bytes as
 * `runScenario`'s whatever the number of workers: each part is a plain result, assembled in part order.
 *
 * Contents: `runScenarioParallel`, `runScenarioWithRecordsParallel`, `runModelsWithRecordsParallel`.
 */
import type { RunSummary } from '../metrics/index.js';
import type { Scenario } from '../scenario/index.js';
import { runJobs, type JobRunOptions, type ReplicationJob } from './job-runner.js';
import { FAULTED_PART, assembleRun, runParts, type RunOptions, type RunPartResult } from './run.js';
import { type RunWithRecords, withRecords } from './run-telemetry.js';

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

/**
 * `runScenarioWithRecords` with its parts on `workers` threads: the run itself keeps its extra records
 * (exports, k6-style thresholds) wherever it runs, as plain data, so these runs go to the pool too, in
 * worker threads with `isolate` (an out-of-memory is a message, not a crash of the process).
 */
export async function runScenarioWithRecordsParallel(
  scenario: Scenario,
  options: Omit<RunOptions, 'onProgress'>,
  pool: JobRunOptions,
): Promise<RunWithRecords> {
  const [run] = await runModelsWithRecordsParallel(scenario, [options.model], options, pool);
  if (run === undefined) throw new Error('runScenarioWithRecordsParallel: no run came back');
  return run;
}

/**
 * `runScenarioWithRecordsParallel` for several models on the same seed, in one plan (every model's run and
 * baselines side by side): `compare`'s exports and thresholds, one run per model (its replication 0).
 * Results in the order of `models`.
 */
export async function runModelsWithRecordsParallel(
  scenario: Scenario,
  models: readonly (string | undefined)[],
  options: Omit<RunOptions, 'onProgress' | 'model'>,
  pool: JobRunOptions,
): Promise<RunWithRecords[]> {
  const seed = options.seed ?? scenario.seed;
  const records = {
    telemetry: options.telemetry === true,
    fortio: options.fortio === true,
    thresholds: options.thresholds === true,
  };
  const parts = runParts(scenario, options);
  const jobs: ReplicationJob[] = models.flatMap((model) =>
    parts.map((part) => ({
      point: 0,
      model,
      seed,
      part,
      ...(part === FAULTED_PART ? { records } : {}),
    })),
  );
  const results = new Array<RunPartResult>(jobs.length);
  await runJobs([scenario], jobs, (id, result) => (results[id] = result), pool);
  return models.map((model, m) =>
    withRecords(
      scenario,
      { ...options, ...(model === undefined ? {} : { model }) },
      results.slice(m * parts.length, (m + 1) * parts.length),
    ),
  );
}
