/**
 * Replications: every model of a plan run under the same R seeds, so that replication k of model A and of
 * model B share every random stream (common random numbers: each random source draws from its own named
 * stream seeded by the replication seed alone, so arrivals and the fault timeline are identical across
 * models and their differences are paired).
 *
 * Runs go to a pool of worker threads or, with one worker, run here in turn; either way results are
 * assembled in (model order, k) order, so the output does not depend on which run finished first.
 *
 * Contents: `ReplicationPlan`, `Replications`, `ReplicationJob`, `replicationSeeds`, `replicationJobs`,
 * `replicate`, `ReplicateOptions`.
 */
import { replicationSeed } from '../des/index.js';
import type { DeploymentModel } from '../mesh/index.js';
import type { RunSummary } from '../metrics/index.js';
import type { Scenario } from '../scenario/index.js';
import { runInWorkerPool } from './replication-pool.js';
import { runScenario } from './run.js';

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

/** One run of a plan, as sent to a worker: plain data. */
export interface ReplicationJob {
  readonly model: string;
  readonly seed: number;
}

export interface ReplicateOptions {
  /** Worker threads; 1 runs in this thread. */
  readonly workers: number;
  /** Called with the fraction of runs done (runs in progress count by their simulated time). */
  readonly onProgress?: (fraction: number) => void;
}

/** The seeds of `replications` replications of a run seeded `seed`. */
export function replicationSeeds(seed: number, replications: number): number[] {
  return Array.from({ length: replications }, (_, k) => replicationSeed(seed, k));
}

/** The plan's runs in (model order, k) order: job i·R + k is model i, replication k. */
export function replicationJobs(plan: ReplicationPlan): ReplicationJob[] {
  return plan.models.flatMap((m) => plan.seeds.map((seed) => ({ model: m.name, seed })));
}

/** Runs every job of the plan and returns the summaries by model and replication. */
export async function replicate(
  scenario: Scenario,
  plan: ReplicationPlan,
  options: ReplicateOptions,
): Promise<Replications> {
  const jobs = replicationJobs(plan);
  const workers = Math.max(1, Math.min(options.workers, jobs.length));
  const summaries =
    workers === 1
      ? await runHere(scenario, jobs, options.onProgress)
      : await runInWorkerPool(scenario, jobs, workers, options.onProgress);
  const r = plan.seeds.length;
  return {
    ...plan,
    runs: plan.models.map((_, i) => summaries.slice(i * r, (i + 1) * r)),
  };
}

/** Runs the jobs in this thread, yielding between runs so a progress bar and signals get a turn. */
async function runHere(
  scenario: Scenario,
  jobs: readonly ReplicationJob[],
  onProgress: ((fraction: number) => void) | undefined,
): Promise<RunSummary[]> {
  const out: RunSummary[] = [];
  for (const [i, job] of jobs.entries()) {
    out.push(
      runScenario(scenario, {
        model: job.model,
        seed: job.seed,
        ...(onProgress === undefined ? {} : { onProgress: (f: number) => onProgress((i + f) / jobs.length) }),
      }),
    );
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}
