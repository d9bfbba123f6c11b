/**
 * What the replication pool and its worker threads say to each other: plain data only, so it crosses
 * the thread boundary by structured clone unchanged (a `RunSummary` is plain data by design).
 *
 * Contents: `WorkerInit`, `WorkerJob`, `WorkerReply`, `scenarioFingerprint`.
 */
import type { RunSummary } from '../metrics/index.js';
import type { Scenario } from '../scenario/index.js';

/** `workerData` of a replication worker: the scenario file it loads itself, and what it must load to. */
export interface WorkerInit {
  readonly file: string;
  /** `scenarioFingerprint` of the scenario the pool was given; a worker that loads another one refuses. */
  readonly fingerprint: string;
}

/** One run to do. */
export interface WorkerJob {
  /** Index of the job in the plan: (model order, k). */
  readonly id: number;
  readonly model: string;
  readonly seed: number;
  /** Report progress while running (costs a message per 5% of simulated time). */
  readonly progress: boolean;
}

export type WorkerReply =
  | { readonly type: 'ready' }
  /** The worker could not load the scenario it was given; it takes no jobs. */
  | { readonly type: 'unusable'; readonly message: string }
  | { readonly type: 'progress'; readonly id: number; readonly fraction: number }
  | { readonly type: 'done'; readonly id: number; readonly summary: RunSummary }
  /** The run threw: a bug, reported with the job so that it can be rerun alone. */
  | { readonly type: 'failed'; readonly id: number; readonly message: string; readonly stack: string };

/**
 * The scenario as JSON: the same file loads to the same text, so a worker can check it runs exactly
 * what the pool was asked to run (a file edited meanwhile, or a scenario changed in memory, does not).
 */
export function scenarioFingerprint(scenario: Scenario): string {
  return JSON.stringify(scenario);
}
