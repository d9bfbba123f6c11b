/**
 * Runs a list of simulations (`ReplicationJob`s) in this thread or on a pool of worker threads, handing
 * each plain result to `consume` with its index in the list. Which thread ran a job, and in what order
 * jobs finished, never reaches the results: every job depends on its (scenario, model, seed, part) alone,
 * and callers put results back by index.
 *
 * Contents: `ReplicationJob`, `runJobs`, `JobRunOptions`.
 */
import type { Scenario } from '../scenario/index.js';
import { performance } from 'node:perf_hooks';
import { longestFirst } from './job-order.js';
import { jobRunOptions, runInWorkerPool, type JobTiming } from './replication-pool.js';
import { runPart, type RunPartResult } from './run.js';

/** One simulation: a run of `model` with `seed` on scenario `point`, or one of its baselines. */
export interface ReplicationJob {
  /** Index of the scenario among the plan's (a sweep's grid point; 0 for a run or a comparison). */
  readonly point: number;
  /** Undefined: the scenario's default model, as `run` without `--model` (its rerun command says so). */
  readonly model: string | undefined;
  readonly seed: number;
  /** See `runParts`: -1 the run itself, i the baseline of fault i. */
  readonly part: number;
  /** The run itself also keeps these records (`RunOptions.telemetry`, `.fortio`, `.thresholds`); plain data too. */
  readonly records?: JobRecords;
}

/** Which extra records a run keeps (exports, k6-style thresholds): `RunOptions`'s flags of the same names. */
export interface JobRecords {
  readonly telemetry: boolean;
  readonly fortio: boolean;
  readonly thresholds: boolean;
}

export interface JobRunOptions {
  /**
   * Threads at once, this one included unless `isolate`: 1 runs here; N runs here and on N-1 worker
   * threads (this thread is as fast as a worker and already warm, and it would otherwise only wait).
   */
  readonly workers: number;
  /**
   * Run every simulation in a worker thread with a heap limit, none in this thread, even with one worker:
   * a run out of memory stops its thread with a message (WorkerOutOfMemoryError), not the process with a
   * V8 crash dump. The CLI asks for it.
   */
  readonly isolate?: boolean;
  /** Called with the fraction of jobs done (jobs in progress count by their simulated time). */
  readonly onProgress?: (fraction: number) => void;
  /** Called as each job ends, with when and on which thread it ran (0: this one); for benches. */
  readonly onTiming?: (timing: JobTiming) => void;
}

/** Runs every job, handing each result to `consume(index, result)`; rejects on the first failure. */
export async function runJobs(
  scenarios: readonly Scenario[],
  jobs: readonly ReplicationJob[],
  consume: (id: number, result: RunPartResult) => void,
  options: JobRunOptions,
): Promise<void> {
  const workers = Math.max(1, Math.min(options.workers, jobs.length));
  if (options.isolate !== true && workers === 1) return runHere(scenarios, jobs, consume, options);
  const callbacks = {
    order: longestFirst(scenarios, jobs),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.onTiming === undefined ? {} : { onTiming: options.onTiming }),
  };
  if (options.isolate === true)
    await runInWorkerPool(scenarios, jobs, { threads: workers, mainThread: false }, consume, callbacks);
  else await runInWorkerPool(scenarios, jobs, { threads: workers - 1, mainThread: true }, consume, callbacks);
}

/** Runs the jobs in this thread, yielding between them so a progress bar and signals get a turn. */
async function runHere(
  scenarios: readonly Scenario[],
  jobs: readonly ReplicationJob[],
  consume: (id: number, result: RunPartResult) => void,
  { onProgress, onTiming }: JobRunOptions,
): Promise<void> {
  for (const [i, job] of jobs.entries()) {
    const startMs = performance.timeOrigin + performance.now();
    const scenario = scenarios[job.point];
    if (scenario === undefined)
      throw new Error(`runJobs: job ${i} names scenario ${job.point} of ${scenarios.length}`);
    const result = runPart(
      scenario,
      jobRunOptions(job),
      job.part,
      onProgress === undefined ? undefined : (f: number) => onProgress((i + f) / jobs.length),
    );
    onTiming?.({ id: i, thread: 0, startMs, endMs: performance.timeOrigin + performance.now() });
    consume(i, result);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
