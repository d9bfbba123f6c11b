import { afterAll, describe, expect, it } from 'vitest';
import {
  liveWorkers,
  replicationWorkerScript,
  runJobs,
  stopWorkers,
  type ReplicationJob,
} from '../../src/experiment/index.js';
import { runPart } from '../../src/experiment/run.js';
import { loadFixture } from './load-fixture.js';

describe('experiment/replication-pool', () => {
  it('replicationWorkerScript(built .js module) is the compiled replication-worker.js next to it', () => {
    const s = replicationWorkerScript('file:///app/dist/experiment/replication-pool.js');
    expect(String(s.filename)).toBe('file:///app/dist/experiment/replication-worker.js');
    expect(s.options).toEqual({});
  });

  it('replicationWorkerScript(.ts source) evaluates a bootstrap that registers tsx, then imports the .ts entry', () => {
    const s = replicationWorkerScript(
      new URL('../../src/experiment/replication-pool.ts', import.meta.url).href,
    );
    expect(s.options).toEqual({ eval: true });
    expect(String(s.filename)).toMatch(/^import\("file:\/\/.*\/tsx\/dist\/esm\/api\/index\.mjs"\)/);
    expect(String(s.filename)).toContain('/src/experiment/replication-worker.ts');
  });
});

describe('experiment/replication-pool: threads kept between calls', () => {
  afterAll(stopWorkers);

  it('runJobs keeps its threads for the next call (this thread takes jobs too), gives runPart bytes, and a failure stops them', async () => {
    const scenario = await loadFixture('outage.yaml');
    const jobs: ReplicationJob[] = [-1, 0, 1, -1, 0, 1].map((part, k) => ({
      point: 0,
      model: undefined,
      seed: 3 + Math.floor(k / 3),
      part,
    }));
    const here = jobs.map((j) => JSON.stringify(runPart(scenario, { seed: j.seed }, j.part)));
    const collect = async (workers: number, isolate: boolean) => {
      const out: string[] = [];
      await runJobs([scenario], jobs, (i, r) => (out[i] = JSON.stringify(r)), { workers, isolate });
      return out;
    };
    await stopWorkers();
    expect(await collect(3, false)).toEqual(here); // this thread and 2 worker threads
    expect(liveWorkers()).toBe(2);
    expect(await collect(2, true)).toEqual(here); // 2 threads, none here: the same 2 threads again
    expect(liveWorkers()).toBe(2);

    const bad: ReplicationJob[] = [
      ...jobs.slice(0, 2),
      { point: 0, model: 'no-such-model', seed: 1, part: -1 },
    ];
    await expect(runJobs([scenario], bad, () => undefined, { workers: 2, isolate: true })).rejects.toThrow(
      /run of model no-such-model with seed 1 failed: no model "no-such-model"/,
    );
    expect(liveWorkers()).toBe(0); // stopped: they may have been busy with the failed plan's jobs
    expect(await collect(2, true)).toEqual(here);
  }, 120_000);
});

describe('experiment/replication-pool: a thread that dies', () => {
  afterAll(stopWorkers);

  it('a worker thread that dies mid-run rejects with the job it was running and its rerun command; the next call starts new threads', async () => {
    const { poolThreads } = await import('../../src/experiment/worker-threads.js');
    const { WorkerPoolError } = await import('../../src/experiment/index.js');
    const scenario = await loadFixture('outage.yaml');
    const jobs: ReplicationJob[] = [-1, 0, 1, -1, 0, 1].map((part, k) => ({
      point: 0,
      model: undefined,
      seed: 11 + Math.floor(k / 3),
      part,
    }));
    await stopWorkers();
    let killed = false;
    const call = runJobs([scenario], jobs, () => undefined, {
      workers: 1,
      isolate: true,
      // One thread: the first progress comes from inside its run. End it there, as a crash would.
      onProgress: () => {
        if (killed) return;
        killed = true;
        void poolThreads(1)[0]?.kill();
      },
    });
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(killed).toBe(true);
    expect(error).toBeInstanceOf(WorkerPoolError);
    expect((error as Error).message).toMatch(
      /^a replication worker thread stopped \(exit code 1\) while running the (baseline without fault [01] of the )?run of model multi-primary, replication seed 1[12]; rerun alone: meshsim run \S*outage\.yaml --seed 1[12]$/,
    );
    expect(liveWorkers()).toBe(0);
    const out: string[] = [];
    await runJobs([scenario], jobs.slice(0, 2), (i, r) => (out[i] = JSON.stringify(r)), {
      workers: 2,
      isolate: true,
    });
    expect(out).toEqual(
      jobs.slice(0, 2).map((j) => JSON.stringify(runPart(scenario, { seed: j.seed }, j.part))),
    );
  }, 120_000);
});
