/**
 * Replications: every model of a plan run under the same R seeds, so that replication k of model A and of
 * model B share every random stream (common random numbers: each random source draws from its own named
 * stream seeded by the replication seed alone, so arrivals and the fault timeline are identical across
 * models and their differences are paired).
 *
 * The unit of work is one simulation (a run, or one of its paired baselines: see `runParts`), not a whole
 * run: jobs of a few seconds rather than a run's (1 + faults) times that leave less idle time at the end
 * of a pool. Jobs go to a pool of worker threads or, with one worker, run here in turn; either way each
 * run is assembled from its parts' plain results in (model order, k) order, so the output does not
 * depend on which job finished first or where it ran.
 *
 * Contents: `ReplicationPlan`, `Replications`, `ReplicationJob`, `replicationSeeds`, `replicationJobs`,
 * `replicate`, `ReplicateOptions`.
 */
import { replicationSeed } from '../des/index.js';
import type { DeploymentModel } from '../mesh/index.js';
import type { RunSummary } from '../metrics/index.js';
import type { Scenario } from '../scenario/index.js';
import { runInWorkerPool } from './replication-pool.js';
import { assembleRun, runPart, runParts, type RunPartResult } from './run.js';

/** What to run: the models, in report order, and the seeds shared by every model. */
export interface ReplicationPlan {
  readonly models: readonly DeploymentModel[];
  /** Seed of replication k, `replicationSeed(seed, k)`. */
  readonly seeds: readonly number[];
}

/** The runs of a plan: `runs[i][k]` is model i under replication k. */
export interface Replications extends ReplicationPlan {
  readonly runs: readonly (readonly RunSummary[])[];
}

/** One simulation of a plan (a run of `model` with `seed`, or one of its baselines), as sent to a worker. */
export interface ReplicationJob {
  readonly model: string;
  readonly seed: number;
  /** See `runParts`: -1 the run itself, i the baseline of fault i. */
  readonly part: number;
}

export interface ReplicateOptions {
  /** Worker threads; 1 runs in this thread unless `isolate`. */
  readonly workers: number;
  /** Run even a single worker in a thread of its own, with a heap limit (memory exhaustion is reported). */
  readonly isolate?: boolean;
  /** Called with the fraction of runs done (runs in progress count by their simulated time). */
  readonly onProgress?: (fraction: number) => void;
}

/** The seeds of `replications` replications of a run seeded `seed`. */
export function replicationSeeds(seed: number, replications: number): number[] {
  return Array.from({ length: replications }, (_, k) => replicationSeed(seed, k));
}

/** The plan's simulations in (model order, k, part) order. */
export function replicationJobs(scenario: Scenario, plan: ReplicationPlan): ReplicationJob[] {
  const parts = runParts(scenario);
  return plan.models.flatMap((m) =>
    plan.seeds.flatMap((seed) => parts.map((part) => ({ model: m.name, seed, part }))),
  );
}

/** Runs every job of the plan and returns the summaries by model and replication. */
export async function replicate(
  scenario: Scenario,
  plan: ReplicationPlan,
  options: ReplicateOptions,
): Promise<Replications> {
  const jobs = replicationJobs(scenario, plan);
  const workers = Math.max(1, Math.min(options.workers, jobs.length));
  // Each run is put together as soon as its last part is in, and its parts dropped: parts in flight
  // stay a few runs' worth, not the whole plan's cells.
  const perRun = runParts(scenario).length;
  const runs = jobs.length / perRun;
  const summaries = new Array<RunSummary>(runs);
  let assembled = 0;
  const waiting = new Map<number, RunPartResult[]>();
  const consume = (id: number, result: RunPartResult) => {
    const run = Math.floor(id / perRun);
    const parts = waiting.get(run) ?? [];
    parts.push(result);
    if (parts.length < perRun) {
      waiting.set(run, parts);
      return;
    }
    waiting.delete(run);
    const job = jobs[run * perRun] as ReplicationJob;
    summaries[run] = assembleRun(scenario, { model: job.model, seed: job.seed }, parts);
    assembled++;
  };
  // `isolate`: even one worker is a thread, so a run out of memory stops its thread with a message
  // (WorkerOutOfMemoryError), not the process with a V8 crash dump. The CLI asks for it.
  if (workers === 1 && options.isolate !== true) await runHere(scenario, jobs, consume, options.onProgress);
  else await runInWorkerPool(scenario, jobs, workers, consume, options.onProgress);
  if (assembled !== runs)
    throw new Error(`replicate: ${runs - assembled} of ${runs} runs did not get all their parts`);
  const r = plan.seeds.length;
  return {
    ...plan,
    runs: plan.models.map((_, i) => summaries.slice(i * r, (i + 1) * r)),
  };
}

/** Runs the jobs in this thread, yielding between them so a progress bar and signals get a turn. */
async function runHere(
  scenario: Scenario,
  jobs: readonly ReplicationJob[],
  consume: (id: number, result: RunPartResult) => void,
  onProgress: ((fraction: number) => void) | undefined,
): Promise<void> {
  for (const [i, job] of jobs.entries()) {
    consume(
      i,
      runPart(
        scenario,
        { model: job.model, seed: job.seed },
        job.part,
        onProgress === undefined ? undefined : (f: number) => onProgress((i + f) / jobs.length),
      ),
    );
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
