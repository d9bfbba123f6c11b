/**
 * One run with its paired baselines (one per fault) side by side on the worker pool: a run with 16 faults
 * is 17 independent simulations, which one thread does in turn. The summary is the same bytes as
 * `runScenario`'s whatever the number of workers: each part is a plain result, assembled in part order.
 *
 * Contents: `runScenarioParallel`, `runScenarioWithRecordsParallel`.
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
  const seed = options.seed ?? scenario.seed;
  const records = { telemetry: options.telemetry === true, thresholds: options.thresholds === true };
  const jobs: ReplicationJob[] = runParts(scenario, options).map((part) => ({
    point: 0,
    model: options.model,
    seed,
    part,
    ...(part === FAULTED_PART ? { records } : {}),
  }));
  const results = new Array<RunPartResult>(jobs.length);
  await runJobs([scenario], jobs, (id, result) => (results[id] = result), pool);
  return withRecords(scenario, options, results);
}
