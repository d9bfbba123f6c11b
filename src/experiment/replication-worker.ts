/**
 * The entry of a replication worker thread: takes the scenario from `workerData` (a structured clone of
 * the caller's), then runs one job at a time and answers with its plain `RunPartResult`. Started by
 * `runInWorkerPool`; not meant to be imported. It imports only what a run needs: the simulator, not the
 * scenario parser.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Scenario } from '../scenario/index.js';
import type { WorkerInit, WorkerJob, WorkerReply } from './replication-messages.js';
import { runPart } from './run.js';

/** Progress messages per run: enough for a smooth bar, few enough to cost nothing. */
const PROGRESS_STEP = 0.05;

function serve(port: NonNullable<typeof parentPort>, scenarios: readonly Scenario[]): void {
  const reply = (m: WorkerReply) => port.postMessage(m);
  port.on('message', (job: WorkerJob) => {
    let reported = 0;
    const onProgress = (fraction: number) => {
      if (fraction - reported < PROGRESS_STEP) return;
      reported = fraction;
      reply({ type: 'progress', id: job.id, fraction });
    };
    try {
      const scenario = scenarios[job.point];
      if (scenario === undefined) throw new Error(`no scenario ${job.point} of ${scenarios.length}`);
      const result = runPart(
        scenario,
        { ...(job.model === undefined ? {} : { model: job.model }), seed: job.seed },
        job.part,
        job.progress ? onProgress : undefined,
      );
      reply({ type: 'done', id: job.id, result });
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      reply({ type: 'failed', id: job.id, message: error.message, stack: error.stack ?? error.message });
    }
  });
  reply({ type: 'ready' });
}

function start(): void {
  const port = parentPort;
  if (port === null)
    throw new Error('replication-worker.ts runs in a worker thread started by runInWorkerPool');
  serve(port, (workerData as WorkerInit).scenarios);
}

start();
