/**
 * The order the pool claims jobs in: longest first (experiment/job-order.ts). The order moves where and
 * when a job runs, never a result; here, that it puts the longer points first and that, scheduled on two
 * threads, it ends sooner than the listed order when jobs differ in length (Graham's LPT bound).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSweepScenarios, parseSet, type ReplicationJob } from '../../src/experiment/index.js';
import { longestFirst } from '../../src/experiment/job-order.js';
import { lptMakespan } from '../bench/sweep-run-workers.js';

const FILE = 'test/fixtures/experiment/two-regions.yaml';

/** Makespan of jobs claimed in `order` by `threads` threads, each taking the next when free. */
function listMakespan(durations: readonly number[], order: readonly number[], threads: number): number {
  const free = new Array<number>(threads).fill(0);
  for (const i of order) {
    const t = free.indexOf(Math.min(...free));
    free[t] = (free[t] as number) + (durations[i] as number);
  }
  return Math.max(...free);
}

describe('experiment/job-order', () => {
  it('longestFirst: the 3x rate points first, the run itself before its baselines, listed order otherwise', () => {
    const points = loadSweepScenarios(readFileSync(FILE, 'utf8'), FILE, [
      parseSet('traffic[0].rate=100/s,300/s'),
    ]);
    if (!points.ok) throw new Error(points.problems.join('\n'));
    const jobs: ReplicationJob[] = [];
    for (const point of [0, 1])
      for (const seed of [1, 2])
        for (const part of [0, -1]) jobs.push({ point, model: undefined, seed, part });
    // jobs: 0-3 at 100/s (seed 1: baseline, run; seed 2: baseline, run), 4-7 at 300/s.
    expect(longestFirst(points.scenarios, jobs)).toEqual([5, 7, 4, 6, 1, 3, 0, 2]);
  });

  it('on two threads, six jobs of length 1 then one of 4 end at 7 as listed, at 5 longest first (and by lptMakespan)', () => {
    const durations = [1, 1, 1, 1, 1, 1, 4];
    const byLength = durations
      .map((_, i) => i)
      .sort((a, b) => (durations[b] as number) - (durations[a] as number));
    expect(listMakespan(durations, [0, 1, 2, 3, 4, 5, 6], 2)).toBe(7);
    expect(listMakespan(durations, byLength, 2)).toBe(5);
    expect(lptMakespan(durations, 2)).toBe(5);
    // Nine equal jobs (a run with 8 faults) on two threads: 5 jobs' time, whatever the order: 9/5 = 1.8.
    expect(lptMakespan(new Array<number>(9).fill(1), 2)).toBe(5);
  });
});
