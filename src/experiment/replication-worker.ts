/**
 * The entry of a replication worker thread: loads the scenario file itself (a `Scenario` is rebuilt from
 * its file rather than cloned across threads), then runs one job at a time and answers with the plain
 * `RunSummary`. Started by `runInWorkerPool`; not meant to be imported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadScenarioFile, type Scenario } from '../scenario/index.js';
import {
  scenarioFingerprint,
  type WorkerInit,
  type WorkerJob,
  type WorkerReply,
} from './replication-messages.js';
import { runScenario } from './run.js';

/** Progress messages per run: enough for a smooth bar, few enough to cost nothing. */
const PROGRESS_STEP = 0.05;

function serve(port: NonNullable<typeof parentPort>, scenario: Scenario): void {
  const reply = (m: WorkerReply) => port.postMessage(m);
  port.on('message', (job: WorkerJob) => {
    let reported = 0;
    const onProgress = (fraction: number) => {
      if (fraction - reported < PROGRESS_STEP) return;
      reported = fraction;
      reply({ type: 'progress', id: job.id, fraction });
    };
    try {
      const summary = runScenario(scenario, {
        model: job.model,
        seed: job.seed,
        ...(job.progress ? { onProgress } : {}),
      });
      reply({ type: 'done', id: job.id, summary });
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      reply({ type: 'failed', id: job.id, message: error.message, stack: error.stack ?? error.message });
    }
  });
  reply({ type: 'ready' });
}

async function start(): Promise<void> {
  const port = parentPort;
  if (port === null)
    throw new Error('replication-worker.ts runs in a worker thread started by runInWorkerPool');
  const init = workerData as WorkerInit;
  // The pool's caller already accepted this scenario, size limits included; the fingerprint below checks
  // that the worker got the same one.
  const loaded = await loadScenarioFile(init.file, { allowLarge: true });
  if (!loaded.ok) {
    const reasons = loaded.issues.map((i) => i.message).join('; ');
    port.postMessage({
      type: 'unusable',
      message: `${init.file} does not load in a worker: ${reasons}`,
    } satisfies WorkerReply);
    return;
  }
  if (scenarioFingerprint(loaded.scenario) !== init.fingerprint) {
    port.postMessage({
      type: 'unusable',
      message: `${init.file} is not the scenario the comparison was given (changed since it was loaded, or changed in memory); run with one worker`,
    } satisfies WorkerReply);
    return;
  }
  serve(port, loaded.scenario);
}

await start();
