/**
 * An experiment as a numbered list of independent jobs, the form shards and `merge` work on: a
 * comparison (its simulations), a sweep (every grid point's simulations) or a capacity search (one job
 * per model: a search's steps depend on each other, so a model's search is not split).
 *
 * `runExperimentJobs` runs some of the jobs (a shard's) and returns their plain results;
 * `assembleExperiment` turns every job's result, from one process or from many parts files, into the
 * experiment's result through the same code, so a merged result is the bytes of a one-machine run.
 *
 * Contents: `Experiment`, `JobResult`, `runExperimentJobs`, `assembleExperiment`, `replicationExperiment`.
 */
import type { Scenario } from '../scenario/index.js';
import { runJobs, type JobRunOptions, type ReplicationJob } from './job-runner.js';
import {
  planJobs,
  replicationsOf,
  RunAssembler,
  type ReplicationPlan,
  type Replications,
} from './replicate.js';
import type { RunPartResult } from './run.js';
import type { ExperimentKind } from './parts-file.js';

export interface JobResult {
  readonly job: number;
  readonly result: unknown;
}

/** An experiment ready to run in whole or in part. `R` is its result. */
export interface Experiment<R> {
  readonly kind: ExperimentKind;
  /** The options that, with the scenarios, determine the job list (stored in parts files). */
  readonly request: unknown;
  readonly scenarios: readonly Scenario[];
  /** The seed of replication 0. */
  readonly seed: number;
  /** How many jobs; job ids are 0 to jobs - 1. */
  readonly jobs: number;
  /** What job `id` is, in words, for messages ("model a, seed 7, baseline of fault 1, point 3"). */
  describe(id: number): string;
  /** Runs the jobs `ids` and returns their results, in `ids` order. */
  run(ids: readonly number[], pool: JobRunOptions): Promise<JobResult[]>;
  /** The result from every job's result, in job order. */
  assemble(results: readonly unknown[]): R;
  /**
   * Every job, here, to the result: the same bytes as `assemble` over `run`'s results, but runs are put
   * together as their parts come in, so memory holds a few runs' parts, not the whole list's.
   */
  runAll(pool: JobRunOptions): Promise<R>;
}

export function runExperimentJobs<R>(
  e: Experiment<R>,
  ids: readonly number[],
  pool: JobRunOptions,
): Promise<JobResult[]> {
  return e.run(ids, pool);
}

/** Every job's result, in order, to the experiment's result. */
export function assembleExperiment<R>(e: Experiment<R>, results: readonly unknown[]): R {
  if (results.length !== e.jobs)
    throw new Error(`assembleExperiment: ${results.length} results for ${e.jobs} jobs`);
  return e.assemble(results);
}

function describeJob(job: ReplicationJob, points: number): string {
  const part = job.part < 0 ? 'the run' : `the baseline without fault ${job.part}`;
  return `${part} of model ${job.model ?? '(default)'} with seed ${job.seed}${points > 1 ? ` at sweep point ${job.point + 1}` : ''}`;
}

/**
 * An experiment whose jobs are simulations of replication plans, one plan per scenario (a comparison:
 * one; a sweep: one per grid point), and whose result is made from each point's replications.
 */
export function replicationExperiment<R>(
  kind: ExperimentKind,
  request: unknown,
  scenarios: readonly Scenario[],
  plans: readonly ReplicationPlan[],
  seed: number,
  result: (replications: Replications[]) => R,
): Experiment<R> {
  const jobs = planJobs(scenarios, plans);
  return {
    kind,
    request,
    scenarios,
    seed,
    jobs: jobs.length,
    describe: (id) => {
      const job = jobs[id];
      return job === undefined ? `job ${id}` : describeJob(job, scenarios.length);
    },
    run: async (ids, pool) => {
      const mine = ids.map((id) => {
        const job = jobs[id];
        if (job === undefined) throw new Error(`no job ${id} of ${jobs.length}`);
        return job;
      });
      const out = new Array<JobResult>(ids.length);
      await runJobs(scenarios, mine, (i, r) => (out[i] = { job: ids[i] as number, result: r }), pool);
      return out;
    },
    runAll: async (pool) => {
      const assembler = new RunAssembler(scenarios, jobs);
      await runJobs(scenarios, jobs, (id, r) => assembler.add(id, r), pool);
      return result(replicationsOf(plans, assembler.all()));
    },
    assemble: (results) => {
      const assembler = new RunAssembler(scenarios, jobs);
      results.forEach((r, id) => assembler.add(id, r as RunPartResult));
      return result(replicationsOf(plans, assembler.all()));
    },
  };
}
