/**
 * The entry of a replication worker thread: keeps the scenarios and jobs of the plan it was last given,
 * claims the plan's jobs one at a time from the shared counter (replication-messages.ts `PlanClaims`) and
 * answers each with its plain `RunPartResult`, until none are left. The thread lives as long as the
 * process (it is started by worker-threads.ts and reused by every call of the pool), so the simulator's
 * code is compiled and optimised once per thread, not once per call. Not meant to be imported. It imports
 * only what a run needs: the simulator, not the scenario parser.
 */
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import type { WorkerPlan, WorkerReply, WorkerRequest } from './replication-messages.js';
import { runPart } from './run.js';

/** Progress messages per run: enough for a smooth bar, few enough to cost nothing. */
const PROGRESS_STEP = 0.05;

const epochMs = () => performance.timeOrigin + performance.now();

function serve(port: NonNullable<typeof parentPort>): void {
  const reply = (m: WorkerReply) => port.postMessage(m);
  let current: WorkerPlan | undefined;

  /** Claims and runs one job of `plan`, then yields (a newer plan may have come) and claims the next. */
  const step = (plan: WorkerPlan) => {
    if (current !== plan) return;
    const claims = new Int32Array(plan.claims);
    const k = Atomics.add(claims, 0, 1);
    const id = plan.order[k];
    if (id === undefined) {
      Atomics.store(claims, 1 + plan.slot, -1);
      return;
    }
    Atomics.store(claims, 1 + plan.slot, id);
    let reported = 0;
    const onProgress = (fraction: number) => {
      if (fraction - reported < PROGRESS_STEP) return;
      reported = fraction;
      reply({ type: 'progress', plan: plan.plan, id, fraction });
    };
    try {
      const job = plan.jobs[id];
      const scenario = job === undefined ? undefined : plan.scenarios[job.point];
      if (job === undefined || scenario === undefined)
        throw new Error(`job ${id} of plan ${plan.plan} names no scenario of ${plan.scenarios.length}`);
      const startMs = epochMs();
      const result = runPart(
        scenario,
        {
          ...(job.model === undefined ? {} : { model: job.model }),
          seed: job.seed,
          ...(job.records === undefined ? {} : job.records),
        },
        job.part,
        plan.progress ? onProgress : undefined,
      );
      reply({ type: 'done', plan: plan.plan, id, result, startMs, endMs: epochMs() });
      Atomics.store(claims, 1 + plan.slot, -1);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      reply({
        type: 'failed',
        plan: plan.plan,
        id,
        message: error.message,
        stack: error.stack ?? error.message,
      });
      return;
    }
    setImmediate(() => step(plan));
  };

  port.on('message', (m: WorkerRequest) => {
    current = m;
    step(m);
  });
}

const port = parentPort;
if (port === null)
  throw new Error('replication-worker.ts runs in a worker thread started by worker-threads.ts');
serve(port);
