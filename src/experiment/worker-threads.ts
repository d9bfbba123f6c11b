/**
 * The replication threads of this process, started once and kept for every later call of the pool.
 *
 * A thread's first simulation is about twice as slow as its later ones (V8 compiles and optimises the
 * simulator's code per thread: quickstart 1.1 s, then 0.5 s), and starting a thread and loading the
 * simulator costs a further fraction of a second. A pool that started fresh threads per call paid both on
 * every call (every capacity step, every round of a benchmark), which made two threads barely faster than
 * one warm main thread. Kept threads pay them once per process, and `prestartWorkers` lets a command start
 * them while its main thread still reads and checks the scenario.
 *
 * Idle threads are `unref`ed, so they never keep the process alive; a call `ref`s the threads it uses.
 * A thread that fails (out of memory, a crash) or is stopped mid-call is dropped and replaced on demand.
 *
 * Contents: `PoolThread`, `ThreadListener`, `poolThreads`, `prestartWorkers`, `stopWorkers`, `liveWorkers`,
 * `replicationWorkerScript`, `workerHeapMb`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './replication-messages.js';

/** What the call in progress does with its threads' news. */
export interface ThreadListener {
  message(m: WorkerReply): void;
  error(e: Error): void;
  exit(code: number): void;
}

export class PoolThread {
  /** Set by the call using this thread; undefined while idle. */
  listener: ThreadListener | undefined;
  private readonly worker: Worker;

  constructor(script: WorkerScript, onGone: (t: PoolThread) => void) {
    this.worker = new Worker(script.filename, {
      ...script.options,
      resourceLimits: { maxOldGenerationSizeMb: workerHeapMb() },
    });
    this.worker.unref();
    this.worker.on('message', (m: WorkerReply) => this.listener?.message(m));
    this.worker.on('error', (e) => {
      onGone(this);
      this.listener?.error(e);
    });
    this.worker.on('exit', (code) => {
      onGone(this);
      this.listener?.exit(code);
    });
  }

  /** Takes the thread for a call: the process stays alive while it works. */
  take(listener: ThreadListener): void {
    // Two calls of the pool at once would share threads and miss each other's answers: none does today.
    if (this.listener !== undefined)
      throw new Error('a replication thread was taken by two pool calls at once');
    this.listener = listener;
    this.worker.ref();
  }

  /** Gives the thread back, idle: it no longer keeps the process alive. */
  release(): void {
    this.listener = undefined;
    this.worker.unref();
  }

  post(m: WorkerRequest): void {
    this.worker.postMessage(m);
  }

  /**
   * Ends the thread the way a crash would: unlike `stop`, the call using it still hears its exit. For the
   * tests of the pool's failure path (a thread cannot otherwise be made to die on purpose).
   */
  async kill(): Promise<void> {
    await this.worker.terminate();
  }

  async stop(): Promise<void> {
    this.listener = undefined;
    await this.worker.terminate();
  }
}

const threads: PoolThread[] = [];

function gone(t: PoolThread): void {
  const i = threads.indexOf(t);
  if (i >= 0) threads.splice(i, 1);
}

/** The first `n` threads of the process, starting those missing. */
export function poolThreads(n: number): PoolThread[] {
  if (threads.length < n) {
    const script = replicationWorkerScript();
    while (threads.length < n) threads.push(new PoolThread(script, gone));
  }
  return threads.slice(0, n);
}

/**
 * Starts `n` threads now, so that their start (and loading the simulator) overlaps what the main thread
 * does before it needs them. Cheap when they already run.
 */
export function prestartWorkers(n: number): void {
  if (n > 0) poolThreads(n);
}

/** Threads alive now (for tests and diagnostics). */
export function liveWorkers(): number {
  return threads.length;
}

/** Stops every thread (after a failure, whose threads may still be busy with its jobs; and in tests). */
export async function stopWorkers(): Promise<void> {
  const all = threads.splice(0, threads.length);
  await Promise.all(all.map((t) => t.stop()));
}

/** Each worker's old-generation heap: the limit of this process (`--max-old-space-size`, else V8's own). */
export function workerHeapMb(): number {
  return Math.floor(getHeapStatistics().heap_size_limit / 1024 / 1024);
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
