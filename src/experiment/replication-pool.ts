/**
 * Runs a plan's simulations on the process's replication threads (worker-threads.ts), and on the main
 * thread too when asked. Runs are CPU-bound and independent, so K threads finish about K times sooner; the
 * results are the same bytes as in one thread because every run depends on its (scenario, model, seed,
 * part) alone and results are put back by job index, whatever order they finish in.
 *
 * Each thread is sent the plan once (its scenarios and jobs: plain data, a structured clone), then claims
 * jobs itself from a counter in shared memory, in the plan's order (longest first), until none are left:
 * no thread waits for this one (which may be busy with a simulation of its own) to hand it work, and no
 * job waits queued behind a busy thread while another is idle at the end.
 *
 * Contents: `runInWorkerPool`, `PoolShape`, `PoolCallbacks`, `JobTiming`, `ReplicationFailedError`,
 * `WorkerPoolError`, `WorkerOutOfMemoryError`, `replicationWorkerScript`, `prestartWorkers`, `stopWorkers`.
 */
import { performance } from 'node:perf_hooks';
import type { Scenario } from '../scenario/index.js';
import type { WorkerReply } from './replication-messages.js';
import type { ReplicationJob } from './job-runner.js';
import { rerunCommand, runPart, type RunOptions, type RunPartResult } from './run.js';
import { poolThreads, stopWorkers, workerHeapMb } from './worker-threads.js';

export { liveWorkers, prestartWorkers, replicationWorkerScript, stopWorkers } from './worker-threads.js';

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

/** When one job ran, and where: thread 0 is this thread, 1.. the worker threads. */
export interface JobTiming {
  readonly id: number;
  readonly thread: number;
  /** ms since the epoch (performance.timeOrigin + performance.now(), comparable across threads). */
  readonly startMs: number;
  readonly endMs: number;
}

export interface PoolCallbacks {
  /** Called with the fraction of jobs done (jobs in progress count by their simulated time). */
  readonly onProgress?: (fraction: number) => void;
  /** Called as each job's result comes back, with when and where it ran (for a timeline; benches). */
  readonly onTiming?: (timing: JobTiming) => void;
  /** The order jobs are claimed in (job indices, each once); default: as listed. */
  readonly order?: readonly number[];
}

/** The `RunOptions` a job runs with. */
export function jobRunOptions(job: ReplicationJob): RunOptions {
  return {
    ...(job.model === undefined ? {} : { model: job.model }),
    seed: job.seed,
    ...(job.records === undefined ? {} : job.records),
  };
}

let plans = 0;

const epochMs = () => performance.timeOrigin + performance.now();

/**
 * Runs `jobs`, handing each result to `consume` (with its job index) as it comes back, in whatever
 * order; resolves once every job's result was consumed. Rejects on the first failure (a run, a thread
 * out of memory or stopped, or `consume` itself), after stopping the threads (they may still be busy with
 * this plan's jobs).
 */
export function runInWorkerPool(
  scenarios: readonly Scenario[],
  jobs: readonly ReplicationJob[],
  shape: PoolShape,
  consume: (id: number, result: RunPartResult) => void,
  callbacks: PoolCallbacks = {},
): Promise<void> {
  const { onProgress, onTiming } = callbacks;
  const order = callbacks.order ?? jobs.map((_, i) => i);
  if (order.length !== jobs.length || new Set(order).size !== jobs.length || order.some((i) => !(i in jobs)))
    throw new Error(`runInWorkerPool: the order is not a permutation of the ${jobs.length} jobs`);
  const plan = ++plans;
  const threads = poolThreads(shape.threads);
  const claimsBuffer = new SharedArrayBuffer(4 * (1 + threads.length));
  const claims = new Int32Array(claimsBuffer).fill(-1);
  claims[0] = 0;
  return new Promise((resolve, reject) => {
    /** How far each running job has got. */
    const fraction = new Map<number, number>();
    let done = 0;
    let settled = false;

    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      Atomics.store(claims, 0, order.length); // nothing more to claim, whatever happens next
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
    /** The job worker thread `slot` is running now (undefined: none), read from shared memory. */
    const runningOn = (slot: number) => jobs[Atomics.load(claims, 1 + slot)];
    const listen = (slot: number) => ({
      message(m: WorkerReply) {
        if (settled || m.plan !== plan) return;
        switch (m.type) {
          case 'progress':
            fraction.set(m.id, m.fraction);
            progress();
            break;
          case 'done':
            onTiming?.({ id: m.id, thread: slot + 1, startMs: m.startMs, endMs: m.endMs });
            completed(m.id, m.result);
            break;
          case 'failed':
            finish(failure(scenarios, jobs, m.id, m.message, m.stack));
            break;
        }
      },
      error(e: Error) {
        const job = runningOn(slot);
        if ((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY')
          return finish(outOfMemory(scenarios, job, shape));
        finish(stopped(scenarios, job, `failed (${e.message})`, e.stack));
      },
      exit(code: number) {
        finish(stopped(scenarios, runningOn(slot), `stopped (exit code ${code})`));
      },
    });
    /** This thread's share: one job per turn of the event loop, so the threads' answers are read between. */
    const mainTurn = () => {
      if (settled) return;
      const id = order[Atomics.add(claims, 0, 1)];
      if (id === undefined) return;
      const job = jobs[id] as ReplicationJob;
      const scenario = scenarios[job.point];
      let result: RunPartResult;
      const startMs = epochMs();
      try {
        if (scenario === undefined)
          throw new Error(`runJobs: job ${id} names scenario ${job.point} of ${scenarios.length}`);
        result = runPart(
          scenario,
          jobRunOptions(job),
          job.part,
          onProgress === undefined ? undefined : (f: number) => (fraction.set(id, f), progress()),
        );
      } catch (e) {
        return finish(e instanceof Error ? e : new Error(String(e)));
      }
      onTiming?.({ id, thread: 0, startMs, endMs: epochMs() });
      if (completed(id, result)) setImmediate(mainTurn);
    };

    if (jobs.length === 0) return finish();
    for (const [slot, t] of threads.entries()) {
      t.take(listen(slot));
      t.post({
        type: 'plan',
        plan,
        scenarios,
        jobs,
        order,
        claims: claimsBuffer,
        slot,
        progress: onProgress !== undefined,
      });
    }
    if (shape.mainThread) setImmediate(mainTurn);
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

/**
 * A worker thread died for another reason than memory (an uncaught error outside a run, or an exit): the
 * pool says which simulation it was running and how to rerun it alone, rather than only that a thread
 * went away.
 */
function stopped(
  scenarios: readonly Scenario[],
  job: ReplicationJob | undefined,
  how: string,
  stack?: string,
): WorkerPoolError {
  const scenario = job === undefined ? undefined : scenarios[job.point];
  const what =
    job === undefined
      ? 'between simulations'
      : `while running the ${job.part >= 0 ? `baseline without fault ${job.part} of the ` : ''}run of model ${modelName(scenario, job.model)}, replication seed ${job.seed}`;
  const error = new WorkerPoolError(
    `a replication worker thread ${how} ${what}` +
      (job === undefined || scenario === undefined
        ? ''
        : `; rerun alone: ${rerunCommand(scenario, job.seed, job.model)}${scenarios.length > 1 ? ` (with sweep point ${job.point + 1}'s settings)` : ''}`),
  );
  if (stack !== undefined) error.stack = `${error.message}\n${stack}`;
  return error;
}
