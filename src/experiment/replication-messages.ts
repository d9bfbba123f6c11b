/**
 * What the replication pool and its worker threads say to each other: plain data only, so it crosses
 * the thread boundary by structured clone unchanged (a `RunSummary` is plain data by design).
 *
 * Threads outlive one call of the pool (worker-threads.ts), so every message names its plan: a thread
 * keeps the scenarios of the plan it was last given, and the pool ignores a reply of an earlier plan.
 *
 * Jobs are not sent one by one: every thread (and the main thread, when it takes a share) claims the next
 * job itself from a counter in shared memory (`PlanClaims`), in the plan's `order`. A thread never waits
 * for the main thread (busy with a simulation of its own) to hand it work, and no job sits queued behind a
 * busy thread while another thread is idle at the end of the plan.
 *
 * Contents: `WorkerPlan`, `WorkerRequest`, `WorkerReply`, `PlanJob`, `PlanClaims`.
 */
import type { Scenario } from '../scenario/index.js';
import type { JobRecords } from './job-runner.js';
import type { RunPartResult } from './run.js';

/** One simulation of a plan (the fields of a `ReplicationJob`). */
export interface PlanJob {
  /** Index of the scenario in the plan's `scenarios`. */
  readonly point: number;
  /** Undefined: the scenario's default model, as `run` without `--model` (its rerun command says so). */
  readonly model: string | undefined;
  readonly seed: number;
  /** See `runParts`. */
  readonly part: number;
  /** See `ReplicationJob.records`. */
  readonly records?: JobRecords;
}

/**
 * The shared counters of a plan, an Int32Array over a SharedArrayBuffer: [0] the next position in `order`
 * to claim (Atomics.add; positions past the end mean no work is left), [1 + slot] the job a worker thread
 * is running (-1: none), so that a thread that dies is reported with the job it was running, read at once
 * without waiting for a message.
 */
export type PlanClaims = Int32Array;

/**
 * A plan: the scenarios (one per sweep point; one for a run or a comparison), already checked by the
 * caller, and its jobs. A `Scenario` is plain data (no classes, functions or maps), so the structured
 * clone is the same scenario, Infinity included, and the worker never loads the parser and schema (a
 * third of a second per thread). Sent once per thread per plan; the thread then claims jobs until none
 * are left.
 */
export interface WorkerPlan {
  readonly type: 'plan';
  readonly plan: number;
  readonly scenarios: readonly Scenario[];
  readonly jobs: readonly PlanJob[];
  /** The order jobs are claimed in (job indices): the longest first, so the end of a plan is short. */
  readonly order: readonly number[];
  /** Shared with every thread of the plan (see `PlanClaims`). */
  readonly claims: SharedArrayBuffer;
  /** This thread's slot in `claims`. */
  readonly slot: number;
  /** Report progress while running (costs a message per 5% of simulated time). */
  readonly progress: boolean;
}

export type WorkerRequest = WorkerPlan;

export type WorkerReply =
  | { readonly type: 'progress'; readonly plan: number; readonly id: number; readonly fraction: number }
  | {
      readonly type: 'done';
      readonly plan: number;
      readonly id: number;
      readonly result: RunPartResult;
      /**
       * When the thread started and ended the job, in ms since the epoch (performance.timeOrigin +
       * performance.now(): comparable across threads), for a timeline of the pool; never part of a result.
       */
      readonly startMs: number;
      readonly endMs: number;
    }
  /** The run threw: a bug, reported with the job so that it can be rerun alone. */
  | {
      readonly type: 'failed';
      readonly plan: number;
      readonly id: number;
      readonly message: string;
      readonly stack: string;
    };
