/**
 * Runs a plan's simulations on the process's replication threads (worker-threads.ts), and on the main
 * thread too when asked. Runs are CPU-bound and independent, so K threads finish about K times sooner; the
 * results are the same bytes as in one thread because every run depends on its (scenario, model, seed,
 * part) alone and results are put back by job index, whatever order they finish in.
 *
 * Each thread is sent the plan's scenarios once (plain data, a structured clone), then jobs. A thread
 * holds `IN_FLIGHT` jobs at a time, so it starts its next one the moment it finishes the last, without
 * waiting for this thread to read its answer: this thread may be busy running a job of its own.
 *
 * Contents: `runInWorkerPool`, `PoolShape`, `ReplicationFailedError`, `WorkerPoolError`,
 * `WorkerOutOfMemoryError`, `replicationWorkerScript`, `prestartWorkers`, `stopWorkers`.
 */
import type { Scenario } from '../scenario/index.js';
import type { WorkerReply } from './replication-messages.js';
import type { ReplicationJob } from './job-runner.js';
import { rerunCommand, runPart, type RunPartResult } from './run.js';
import { type PoolThread, poolThreads, stopWorkers, workerHeapMb } from './worker-threads.js';

export { liveWorkers, prestartWorkers, replicationWorkerScript, stopWorkers } from './worker-threads.js';

/** Jobs a thread holds at once: the one it runs and the next, so it never waits for this thread. */
const IN_FLIGHT = 2;

/** A run threw inside a worker: a bug, reported with the job and the command that reruns it alone. */
export class ReplicationFailedError extends Error {
  override name = 'ReplicationFailedError';
  constructor(
    message: string,
    readonly workerStack: string,
  ) {
    super(message);
  }
}

/**
 * A simulation ran out of memory in its worker thread. The thread's heap is limited (`resourceLimits`) to
 * this process's own limit, so V8 stops the thread, not the process, and the user reads which model and
 * replication it was and what to do, never a V8 crash dump.
 */
export class WorkerOutOfMemoryError extends Error {
  override name = 'WorkerOutOfMemoryError';
}

/** The pool itself failed: a worker died, or came back without all its results. */
export class WorkerPoolError extends Error {
  override name = 'WorkerPoolError';
}

/** Where the jobs run: `threads` worker threads, and this thread as well when `mainThread`. */
export interface PoolShape {
  readonly threads: number;
  readonly mainThread: boolean;
}

let plans = 0;

/**
 * Runs `jobs`, handing each result to `consume` (with its job index) as it comes back, in whatever
 * order; resolves once every job's result was consumed. Rejects on the first failure (a run, or
 * `consume` itself), after stopping the threads (they may still be busy with this plan's jobs).
 */
export function runInWorkerPool(
  scenarios: readonly Scenario[],
  jobs: readonly ReplicationJob[],
  shape: PoolShape,
  consume: (id: number, result: RunPartResult) => void,
  onProgress?: (fraction: number) => void,
): Promise<void> {
  const plan = ++plans;
  const threads = poolThreads(shape.threads);
  return new Promise((resolve, reject) => {
    /** Per thread, the jobs it holds, the running one first. */
    const held = new Map<PoolThread, number[]>(threads.map((t) => [t, []]));
    /** How far each running job has got (the main thread's and each thread's first). */
    const fraction = new Map<number, number>();
    let next = 0;
    let done = 0;
    let settled = false;

    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      for (const t of threads) t.release();
      const failed = error ?? (done < jobs.length ? incomplete() : undefined);
      if (failed === undefined) resolve();
      else void stopWorkers().then(() => reject(failed));
    };
    const incomplete = () =>
      new WorkerPoolError(`${jobs.length - done} of ${jobs.length} simulations came back empty`);
    const progress = () => {
      if (onProgress === undefined) return;
      let f = done;
      for (const x of fraction.values()) f += x;
      onProgress(f / jobs.length);
    };
    const completed = (id: number, result: RunPartResult): boolean => {
      fraction.delete(id);
      try {
        consume(id, result);
      } catch (e) {
        finish(e instanceof Error ? e : new Error(String(e)));
        return false;
      }
      done++;
      progress();
      if (done === jobs.length) finish();
      return true;
    };
    const feed = (t: PoolThread) => {
      const mine = held.get(t) as number[];
      while (mine.length < IN_FLIGHT && next < jobs.length) {
        const id = next++;
        const job = jobs[id] as ReplicationJob;
        mine.push(id);
        t.post({ type: 'job', plan, id, ...job, progress: onProgress !== undefined });
      }
    };
    const listen = (t: PoolThread) => ({
      message(m: WorkerReply) {
        if (settled || m.plan !== plan) return;
        const mine = held.get(t) as number[];
        switch (m.type) {
          case 'progress':
            fraction.set(m.id, m.fraction);
            progress();
            break;
          case 'done':
            if (mine[0] !== m.id)
              return finish(
                new WorkerPoolError(`a worker answered job ${m.id} while it held ${mine.join(', ')}`),
              );
            mine.shift();
            if (completed(m.id, m.result)) feed(t);
            break;
          case 'failed':
            finish(failure(scenarios, jobs, m.id, m.message, m.stack));
            break;
        }
      },
      error(e: Error) {
        if ((e as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY') return finish(e);
        finish(outOfMemory(scenarios, jobs[held.get(t)?.[0] ?? -1], shape));
      },
      exit(code: number) {
        finish(
          new WorkerPoolError(`a replication worker stopped (exit code ${code}) before its work was done`),
        );
      },
    });
    /** This thread's share: one job per turn of the event loop, so the threads' answers are read between. */
    const mainTurn = () => {
      if (settled || next >= jobs.length) return;
      const id = next++;
      const job = jobs[id] as ReplicationJob;
      const scenario = scenarios[job.point];
      let result: RunPartResult;
      try {
        if (scenario === undefined)
          throw new Error(`runJobs: job ${id} names scenario ${job.point} of ${scenarios.length}`);
        result = runPart(
          scenario,
          { ...(job.model === undefined ? {} : { model: job.model }), seed: job.seed },
          job.part,
          onProgress === undefined ? undefined : (f: number) => (fraction.set(id, f), progress()),
        );
      } catch (e) {
        return finish(e instanceof Error ? e : new Error(String(e)));
      }
      if (completed(id, result)) setImmediate(mainTurn);
    };

    for (const t of threads) {
      t.take(listen(t));
      t.post({ type: 'plan', plan, scenarios });
      feed(t);
    }
    if (shape.mainThread) setImmediate(mainTurn);
    if (jobs.length === 0) finish();
  });
}

function failure(
  scenarios: readonly Scenario[],
  jobs: readonly ReplicationJob[],
  id: number,
  message: string,
  stack: string,
): ReplicationFailedError {
  const job = jobs[id];
  const scenario = job === undefined ? undefined : scenarios[job.point];
  const rerun =
    job === undefined || scenario === undefined
      ? ''
      : `; rerun alone: ${rerunCommand(scenario, job.seed, job.model)}${scenarios.length > 1 ? ` (with sweep point ${job.point + 1}'s settings)` : ''}`;
  return new ReplicationFailedError(
    `${job !== undefined && job.part >= 0 ? `the baseline without fault ${job.part} of ` : ''}run of model ${job === undefined ? '(unknown)' : modelName(scenarios[job.point], job.model)} with seed ${job?.seed} failed: ${message}${rerun}`,
    stack,
  );
}

function outOfMemory(
  scenarios: readonly Scenario[],
  job: ReplicationJob | undefined,
  shape: PoolShape,
): WorkerOutOfMemoryError {
  const what =
    job === undefined
      ? 'a simulation'
      : `the ${job.part >= 0 ? `baseline without fault ${job.part} of the ` : ''}run of model ${modelName(scenarios[job.point], job.model)}, replication seed ${job.seed}`;
  const n = shape.threads;
  return new WorkerOutOfMemoryError(
    `meshsim: ${what} ran out of memory (its thread may use ${workerHeapMb()} MB; ${n} thread${n === 1 ? '' : 's'} at once). ` +
      `Ways out: fewer threads at once (--workers 1), a larger heap (node --max-old-space-size=8192 $(which meshsim) ...), ` +
      `or a smaller scenario (shorter duration, lower rates, narrower fan-out).` +
      (job === undefined || scenarios[job.point] === undefined
        ? ''
        : ` That run alone: ${rerunCommand(scenarios[job.point] as Scenario, job.seed, job.model)}`),
  );
}

/** The model a job runs: the one it names, else the scenario's first (what `run` without `--model` runs). */
function modelName(scenario: Scenario | undefined, model: string | undefined): string {
  return model ?? scenario?.models[0]?.name ?? '(default)';
}
