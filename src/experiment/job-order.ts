/**
 * The order a pool claims jobs in: the longest first (LPT, Graham 1969), so that the last jobs to start are
 * short and the threads finish close together. With K threads and jobs of unequal length, handing them
 * out as listed can leave one thread running a long job alone at the end (a sweep's 600 req/s points after
 * its 400 req/s ones); longest first bounds that tail by the shortest job's length instead.
 *
 * The length of a job is estimated from its scenario before it runs: expected client requests times the
 * calls each makes on average (work-estimate.ts), the bulk of a simulation's events. The order decides
 * only where and when a job runs, never its result (results are put back by job index).
 *
 * Contents: `longestFirst`.
 */
import { expectedArrivals } from '../scenario/normalize-traffic.js';
import type { Scenario } from '../scenario/index.js';
import { estimateWork } from '../scenario/work-estimate.js';
import type { ReplicationJob } from './job-runner.js';
import { FAULTED_PART } from './run.js';

/** Job indices, longest estimated job first; equal estimates keep their listed order, the run itself first. */
export function longestFirst(scenarios: readonly Scenario[], jobs: readonly ReplicationJob[]): number[] {
  const costs = scenarios.map(estimatedCalls);
  const cost = (i: number) => costs[(jobs[i] as ReplicationJob).point] ?? 0;
  // The run itself carries every fault (and, for exports, the extra records): not shorter than a baseline.
  const faulted = (i: number) => ((jobs[i] as ReplicationJob).part === FAULTED_PART ? 0 : 1);
  return jobs.map((_, i) => i).sort((a, b) => cost(b) - cost(a) || faulted(a) - faulted(b) || a - b);
}

/** Expected calls of one simulation of `scenario`: its client requests times their average calls. */
function estimatedCalls(scenario: Scenario): number {
  const arrivals = scenario.mesh.traffic.map((t) => expectedArrivals(t, scenario.durationMs));
  const { expectedCallsPerRequest } = estimateWork(scenario, arrivals);
  return arrivals.reduce((sum, n, i) => sum + n * (expectedCallsPerRequest[i] ?? 1), 0);
}
