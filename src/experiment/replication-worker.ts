/**
 * The entry of a replication worker thread: keeps the scenarios of the plan it was last given, runs one
 * job at a time and answers with its plain `RunPartResult`. The thread lives as long as the process (it
 * is started by worker-threads.ts and reused by every call of the pool), so the simulator's code is
 * compiled and optimised once per thread, not once per call. Not meant to be imported. It imports only
 * what a run needs: the simulator, not the scenario parser.
 */
import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../scenario/index.js';
import type { WorkerReply, WorkerRequest } from './replication-messages.js';
import { runPart } from './run.js';

/** Progress messages per run: enough for a smooth bar, few enough to cost nothing. */
const PROGRESS_STEP = 0.05;

function serve(port: NonNullable<typeof parentPort>): void {
  const reply = (m: WorkerReply) => port.postMessage(m);
  let plan = -1;
  let scenarios: readonly Scenario[] = [];
  port.on('message', (m: WorkerRequest) => {
    if (m.type === 'plan') {
      plan = m.plan;
      scenarios = m.scenarios;
      return;
    }
    const job = m;
    let reported = 0;
    const onProgress = (fraction: number) => {
      if (fraction - reported < PROGRESS_STEP) return;
      reported = fraction;
      reply({ type: 'progress', plan: job.plan, id: job.id, fraction });
    };
    try {
      if (job.plan !== plan) throw new Error(`job of plan ${job.plan} sent to a thread holding plan ${plan}`);
      const scenario = scenarios[job.point];
      if (scenario === undefined) throw new Error(`no scenario ${job.point} of ${scenarios.length}`);
      const result = runPart(
        scenario,
        { ...(job.model === undefined ? {} : { model: job.model }), seed: job.seed },
        job.part,
        job.progress ? onProgress : undefined,
      );
      reply({ type: 'done', plan: job.plan, id: job.id, result });
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      reply({
        type: 'failed',
        plan: job.plan,
        id: job.id,
        message: error.message,
        stack: error.stack ?? error.message,
      });
    }
  });
}

const port = parentPort;
if (port === null)
  throw new Error('replication-worker.ts runs in a worker thread started by worker-threads.ts');
serve(port);
