/**
 * What the replication pool and its worker threads say to each other: plain data only, so it crosses
 * the thread boundary by structured clone unchanged (a `RunSummary` is plain data by design).
 *
 * Threads outlive one call of the pool (worker-threads.ts), so every message names its plan: a thread
 * keeps the scenarios of the plan it was last given, and the pool ignores a reply of an earlier plan.
 *
 * Contents: `WorkerPlan`, `WorkerJob`, `WorkerRequest`, `WorkerReply`.
 */
import type { Scenario } from '../scenario/index.js';
import type { RunPartResult } from './run.js';

/**
 * The scenarios of a plan (one per sweep point; one for a run or a comparison), already checked by the
 * caller. A `Scenario` is plain data (no classes, functions or maps), so the structured clone is the same
 * scenario, Infinity included, and the worker never loads the parser and schema (a third of a second per
 * thread). Sent once per thread per plan, before its jobs.
 */
export interface WorkerPlan {
  readonly type: 'plan';
  readonly plan: number;
  readonly scenarios: readonly Scenario[];
}

/** One simulation to do. */
export interface WorkerJob {
  readonly type: 'job';
  readonly plan: number;
  /** Index of the job in the plan: (model order, k, part). */
  readonly id: number;
  /** Index of the scenario in the plan's `scenarios`. */
  readonly point: number;
  /** Undefined: the scenario's default model, as `run` without `--model` (its rerun command says so). */
  readonly model: string | undefined;
  readonly seed: number;
  /** See `runParts`. */
  readonly part: number;
  /** Report progress while running (costs a message per 5% of simulated time). */
  readonly progress: boolean;
}

export type WorkerRequest = WorkerPlan | WorkerJob;

export type WorkerReply =
  | { readonly type: 'progress'; readonly plan: number; readonly id: number; readonly fraction: number }
  | { readonly type: 'done'; readonly plan: number; readonly id: number; readonly result: RunPartResult }
  /** The run threw: a bug, reported with the job so that it can be rerun alone. */
  | {
      readonly type: 'failed';
      readonly plan: number;
      readonly id: number;
      readonly message: string;
      readonly stack: string;
    };
