/**
 * A pool of `worker_threads` for replications. Runs are CPU-bound and independent, so K threads finish
 * about K times sooner; the results are the same bytes as in one thread because every run depends on its
 * (scenario, model, seed) alone and results are put back in job order, whatever order they finish in.
 *
 * Each worker gets the scenario as a structured clone (it is plain data) and loads only the simulator.
 *
 * Contents: `runInWorkerPool`, `replicationWorkerScript`, `ReplicationFailedError`, `WorkerPoolError`,
 * `WorkerOutOfMemoryError`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Scenario } from '../scenario/index.js';
import type { WorkerInit, WorkerJob, WorkerReply } from './replication-messages.js';
import type { ReplicationJob } from './job-runner.js';
import { rerunCommand, type RunPartResult } from './run.js';

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

/** Each worker's old-generation heap: the limit of this process (`--max-old-space-size`, else V8's own). */
function workerHeapMb(): number {
  return Math.floor(getHeapStatistics().heap_size_limit / 1024 / 1024);
}

/** The pool itself failed: a worker died, or came back without all its results. */
export class WorkerPoolError extends Error {
  override name = 'WorkerPoolError';
}

/** What `new Worker` is given: a file, or code to evaluate, and its options. */
export interface WorkerScript {
  readonly filename: string | URL;
  readonly options: WorkerOptions;
}

/**
 * The file URL of tsx's ESM API (`tsx/esm/api` under the `import` condition), found through its
 * package.json: `require.resolve` would give the CommonJS build, whose loader does not start from ESM.
 */
function tsxEsmApi(moduleUrl: string): string {
  const pkgPath = createRequire(moduleUrl).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const target = pkg.exports['./esm/api']?.import?.default;
  if (target === undefined) throw new Error(`${pkgPath}: no "./esm/api" import export`);
  return pathToFileURL(join(dirname(pkgPath), target)).href;
}

/**
 * Where the worker's code is. Built (`dist/`, what the CLI runs): the compiled `replication-worker.js`
 * next to this module. From TypeScript sources (vitest, `npm run bench` under tsx): worker threads do not
 * inherit the parent's tsx loader, so a two-line bootstrap registers tsx in the worker first and then
 * imports the `.ts` entry. tsx is a dev dependency; the built package never takes this path.
 */
export function replicationWorkerScript(moduleUrl: string = import.meta.url): WorkerScript {
  if (!moduleUrl.endsWith('.ts')) {
    return { filename: new URL('./replication-worker.js', moduleUrl), options: {} };
  }
  const entry = new URL('./replication-worker.ts', moduleUrl).href;
  const tsx = tsxEsmApi(moduleUrl);
  const code = [
    `import(${JSON.stringify(tsx)})`,
    `.then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`,
  ].join('');
  return { filename: code, options: { eval: true } };
}

/**
 * Runs `jobs` on `workers` threads, handing each result to `consume` (with its job index) as it comes
 * back, in whatever order; resolves once every job's result was consumed. Rejects on the first failure
 * (a run, or `consume` itself), after stopping every thread.
 */
export function runInWorkerPool(
  scenarios: readonly Scenario[],
  jobs: readonly ReplicationJob[],
  workers: number,
  consume: (id: number, result: RunPartResult) => void,
  onProgress?: (fraction: number) => void,
): Promise<void> {
  const script = replicationWorkerScript();
  const init: WorkerInit = { scenarios };
  return new Promise((resolve, reject) => {
    /** Per busy worker: its job and how far that run has got. */
    const running = new Map<Worker, { id: number; fraction: number }>();
    const threads: Worker[] = [];
    let next = 0;
    let done = 0;
    let settled = false;

    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      void Promise.all(threads.map((t) => t.terminate())).then(() => {
        const missing = jobs.length - done;
        if (error !== undefined) reject(error);
        else if (missing > 0) {
          reject(new WorkerPoolError(`${missing} of ${jobs.length} simulations came back empty`));
        } else resolve();
      });
    };
    const progress = () => {
      if (onProgress === undefined) return;
      let f = done;
      for (const r of running.values()) f += r.fraction;
      onProgress(f / jobs.length);
    };
    const feed = (w: Worker) => {
      const job = jobs[next];
      if (job === undefined) {
        running.delete(w);
        if (done === jobs.length) finish();
        return;
      }
      const message: WorkerJob = {
        id: next,
        point: job.point,
        model: job.model,
        seed: job.seed,
        part: job.part,
        progress: onProgress !== undefined,
      };
      running.set(w, { id: next, fraction: 0 });
      next++;
      w.postMessage(message);
    };
    const failed = (id: number, message: string, stack: string) => {
      const job = jobs[id];
      const scenario = job === undefined ? undefined : scenarios[job.point];
      const rerun =
        job === undefined || scenario === undefined
          ? ''
          : `; rerun alone: ${rerunCommand(scenario, job.seed, job.model)}${scenarios.length > 1 ? ` (with sweep point ${job.point + 1}'s settings)` : ''}`;
      finish(
        new ReplicationFailedError(
          `${job !== undefined && job.part >= 0 ? `the baseline without fault ${job.part} of ` : ''}run of model ${job === undefined ? '(unknown)' : modelName(scenarios[job.point], job.model)} with seed ${job?.seed} failed: ${message}${rerun}`,
          stack,
        ),
      );
    };

    for (let i = 0; i < workers; i++) {
      const w = new Worker(script.filename, {
        ...script.options,
        workerData: init,
        resourceLimits: { maxOldGenerationSizeMb: workerHeapMb() },
      });
      threads.push(w);
      w.on('message', (m: WorkerReply) => {
        if (settled) return;
        switch (m.type) {
          case 'ready':
            feed(w);
            break;
          case 'progress': {
            const r = running.get(w);
            if (r !== undefined) r.fraction = m.fraction;
            progress();
            break;
          }
          case 'done':
            try {
              consume(m.id, m.result);
            } catch (e) {
              finish(e instanceof Error ? e : new Error(String(e)));
              break;
            }
            done++;
            running.delete(w);
            progress();
            feed(w);
            break;
          case 'failed':
            failed(m.id, m.message, m.stack);
            break;
        }
      });
      w.on('error', (e) => {
        if ((e as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY') return finish(e);
        const job = jobs[running.get(w)?.id ?? -1];
        const what =
          job === undefined
            ? 'a simulation'
            : `the ${job.part >= 0 ? `baseline without fault ${job.part} of the ` : ''}run of model ${modelName(scenarios[job.point], job.model)}, replication seed ${job.seed}`;
        finish(
          new WorkerOutOfMemoryError(
            `meshsim: ${what} ran out of memory (its thread may use ${workerHeapMb()} MB; ${workers} thread${workers === 1 ? '' : 's'} at once). ` +
              `Ways out: fewer threads at once (--workers 1), a larger heap (node --max-old-space-size=8192 $(which meshsim) ...), ` +
              `or a smaller scenario (shorter duration, lower rates, narrower fan-out).` +
              (job === undefined || scenarios[job.point] === undefined
                ? ''
                : ` That run alone: ${rerunCommand(scenarios[job.point] as Scenario, job.seed, job.model)}`),
          ),
        );
      });
      w.on('exit', (code) => {
        if (!settled)
          finish(
            new WorkerPoolError(`a replication worker stopped (exit code ${code}) before its work was done`),
          );
      });
    }
  });
}

/** The model a job runs: the one it names, else the scenario's first (what `run` without `--model` runs). */
function modelName(scenario: Scenario | undefined, model: string | undefined): string {
  return model ?? scenario?.models[0]?.name ?? '(default)';
}
