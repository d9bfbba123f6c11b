/**
 * Replications: every model of a plan run under the same R seeds, so that replication k of model A and of
 * model B share every random stream (common random numbers: each random source draws from its own named
 * stream seeded by the replication seed alone, so arrivals and the fault timeline are identical across
 * models and their differences are paired). A sweep is one plan per grid point, on the same seeds.
 *
 * The unit of work is one simulation (a run, or one of its paired baselines: see `runParts`), not a whole
 * run: jobs of a few seconds rather than a run's (1 + faults) times that leave less idle time at the end
 * of a pool. Jobs go to a pool of worker threads or, with one worker, run here in turn (`runJobs`); either
 * way each run is assembled from its parts' plain results in (point, model order, k) order, so the output
 * does not depend on which job finished first, where it ran, or on which machine (shards: see shard.ts).
 *
 * Contents: `ReplicationPlan`, `Replications`, `replicationSeeds`, `replicationJobs`, `planJobs`,
 * `RunAssembler`, `replicate`, `replicatePoints`, `ReplicateOptions`.
 */
import { replicationSeed } from '../des/index.js';
import type { DeploymentModel } from '../mesh/index.js';
import type { RunSummary } from '../metrics/index.js';
import type { Scenario } from '../scenario/index.js';
import { runJobs, type JobRunOptions, type ReplicationJob } from './job-runner.js';
import { FAULTED_PART, assembleRun, runParts, type RunPartResult } from './run.js';

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

export type ReplicateOptions = JobRunOptions;

/** The seeds of `replications` replications of a run seeded `seed`. */
export function replicationSeeds(seed: number, replications: number): number[] {
  return Array.from({ length: replications }, (_, k) => replicationSeed(seed, k));
}

/** The plan's simulations in (model order, k, part) order, on scenario `point`. */
export function replicationJobs(scenario: Scenario, plan: ReplicationPlan, point = 0): ReplicationJob[] {
  const parts = runParts(scenario);
  return plan.models.flatMap((m) =>
    plan.seeds.flatMap((seed) => parts.map((part) => ({ point, model: m.name, seed, part }))),
  );
}

/** Every point's jobs, point after point: the numbered job list of a comparison (one point) or a sweep. */
export function planJobs(
  scenarios: readonly Scenario[],
  plans: readonly ReplicationPlan[],
): ReplicationJob[] {
  return scenarios.flatMap((s, p) => replicationJobs(s, plans[p] as ReplicationPlan, p));
}

/**
 * Puts runs together from their parts as they come in, in any order, and drops the parts: parts held
 * stay a few runs' worth, not the whole plan's. A run is the jobs from one `FAULTED_PART` to the next.
 */
export class RunAssembler {
  /** Per job, the index of its run; per run, its first job. */
  private readonly runOf: number[] = [];
  private readonly firstJob: number[] = [];
  private readonly waiting = new Map<number, RunPartResult[]>();
  private readonly summaries: (RunSummary | undefined)[];
  private readonly perRun: number[] = [];
  private assembled = 0;

  constructor(
    private readonly scenarios: readonly Scenario[],
    private readonly jobs: readonly ReplicationJob[],
  ) {
    jobs.forEach((job, id) => {
      if (job.part === FAULTED_PART) {
        this.firstJob.push(id);
        this.perRun.push(0);
      }
      const run = this.firstJob.length - 1;
      if (run < 0) throw new Error(`RunAssembler: job ${id} is a baseline before any run`);
      this.runOf.push(run);
      this.perRun[run] = (this.perRun[run] as number) + 1;
    });
    this.summaries = new Array<RunSummary | undefined>(this.firstJob.length).fill(undefined);
  }

  get runs(): number {
    return this.firstJob.length;
  }

  /** Takes job `id`'s result; assembles its run once every part is in. */
  add(id: number, result: RunPartResult): void {
    const run = this.runOf[id];
    if (run === undefined) throw new Error(`RunAssembler: no job ${id} of ${this.jobs.length}`);
    const parts = this.waiting.get(run) ?? [];
    parts.push(result);
    if (parts.length < (this.perRun[run] as number)) {
      this.waiting.set(run, parts);
      return;
    }
    this.waiting.delete(run);
    const job = this.jobs[this.firstJob[run] as number] as ReplicationJob;
    const scenario = this.scenarios[job.point] as Scenario;
    this.summaries[run] = assembleRun(
      scenario,
      { ...(job.model === undefined ? {} : { model: job.model }), seed: job.seed },
      parts,
    );
    this.assembled++;
  }

  /** Every run's summary in job order; throws if any run is missing a part. */
  all(): RunSummary[] {
    if (this.assembled !== this.runs)
      throw new Error(
        `replicate: ${this.runs - this.assembled} of ${this.runs} runs did not get all their parts`,
      );
    return this.summaries as RunSummary[];
  }
}

/** Splits the runs of `planJobs(scenarios, plans)` (in its order) into each point's `Replications`. */
export function replicationsOf(
  plans: readonly ReplicationPlan[],
  summaries: readonly RunSummary[],
): Replications[] {
  let at = 0;
  return plans.map((plan) => {
    const r = plan.seeds.length;
    const runs = plan.models.map((_, i) => summaries.slice(at + i * r, at + (i + 1) * r));
    at += plan.models.length * r;
    return { ...plan, runs };
  });
}

/** Runs every job of every point's plan and returns each point's summaries by model and replication. */
export async function replicatePoints(
  scenarios: readonly Scenario[],
  plans: readonly ReplicationPlan[],
  options: ReplicateOptions,
): Promise<Replications[]> {
  const jobs = planJobs(scenarios, plans);
  const assembler = new RunAssembler(scenarios, jobs);
  await runJobs(scenarios, jobs, (id, result) => assembler.add(id, result), options);
  return replicationsOf(plans, assembler.all());
}

/** Runs every job of the plan and returns the summaries by model and replication. */
export async function replicate(
  scenario: Scenario,
  plan: ReplicationPlan,
  options: ReplicateOptions,
): Promise<Replications> {
  return (await replicatePoints([scenario], [plan], options))[0] as Replications;
}
