/**
 * The worker pool beyond `compare`: a sweep of the quickstart over two rates (2 workers vs 1, target at
 * least 1.8), and one `run` of the quickstart with 8 faults, whose 8 paired baselines go to the pool
 * (2 workers vs 1, target at least 1.7). Both on the built code (`dist/`, as the CLI runs; `npm run build`
 * first), best of `ROUNDS` rounds alternating 1 and 2 workers (on a shared machine other processes only
 * add time), and every round's result must be the same bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const SCENARIO = 'scenarios/quickstart.yaml';
const ROUNDS = 2;

type Experiment = typeof import('../../src/experiment/index.js');
type ScenarioModule = typeof import('../../src/scenario/index.js');

async function built(): Promise<{ ex: Experiment; sc: ScenarioModule } | undefined> {
  if (!existsSync(`${DIST}experiment/index.js`)) return undefined;
  return {
    ex: (await import(`${DIST}experiment/index.js`)) as Experiment,
    sc: (await import(`${DIST}scenario/index.js`)) as ScenarioModule,
  };
}

async function time(f: () => Promise<string>): Promise<{ seconds: number; bytes: string; cores: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const bytes = await f();
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { seconds, bytes, cores: (c.user + c.system) / 1e6 / seconds };
}

async function compareRounds(
  label: string,
  target: number,
  run: (workers: number) => Promise<string>,
): Promise<boolean> {
  const one: Awaited<ReturnType<typeof time>>[] = [];
  const two: Awaited<ReturnType<typeof time>>[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    one.push(await time(() => run(1)));
    two.push(await time(() => run(2)));
  }
  const show = (t: { seconds: number; cores: number }) =>
    `${t.seconds.toFixed(1)} s (${t.cores.toFixed(2)} cores busy)`;
  const same = [...one, ...two].every((t) => t.bytes === one[0]?.bytes);
  const speedUp = Math.min(...one.map((t) => t.seconds)) / Math.min(...two.map((t) => t.seconds));
  const pass = same && speedUp >= target;
  console.log(label);
  console.log(`  1 worker  : ${one.map(show).join(', ')}`);
  console.log(`  2 workers : ${two.map(show).join(', ')}; results ${same ? 'byte-identical' : 'DIFFERENT'}`);
  console.log(
    `  speed-up  : ${speedUp.toFixed(2)} (best / best; target >= ${target.toFixed(2)}) ${pass ? 'PASS' : 'MISS'}`,
  );
  return pass;
}

/** The quickstart with 8 faults: its two, and six more pod-churn and outage windows. */
function eightFaults(data: Record<string, unknown>): void {
  const faults = data['faults'] as Record<string, unknown>[];
  for (let i = 0; faults.length < 8; i++)
    faults.push(
      i % 2 === 0
        ? {
            at: `${20 + 10 * i}s`,
            for: '15s',
            type: 'pod-churn',
            service: 'orders',
            cluster: 'us-east-1',
            every: '5s',
          }
        : { at: `${20 + 10 * i}s`, for: '10s', type: 'control-plane-outage', cluster: 'us-east-2' },
    );
}

export async function sweepRunWorkersBench(): Promise<boolean> {
  const b = await built();
  if (b === undefined) {
    console.log('sweep and run on the pool: dist/ not built: run npm run build first. MISS');
    return false;
  }
  const text = readFileSync(SCENARIO, 'utf8');
  const sets = [b.ex.parseSet('traffic[0].rate=400/s,600/s')];
  const points = b.ex.loadSweepScenarios(text, SCENARIO, sets);
  if (!points.ok) throw new Error(points.problems.join('\n'));
  const built_ = b.ex.sweepExperiment(points.scenarios, points.settings, { sets, replications: 2 });
  if (!built_.ok) throw new Error(built_.problem.message);
  const sweep = built_.experiment;
  const sweepPass = await compareRounds(
    `sweep ${SCENARIO} --set traffic[0].rate=400/s,600/s --replications 2 (${sweep.jobs} simulations), 1 vs 2 workers, ${ROUNDS} rounds`,
    1.8,
    async (workers) => JSON.stringify(await sweep.runAll({ workers })),
  );
  console.log('');
  const loaded = b.sc.loadScenarioText(text, SCENARIO, { edit: eightFaults });
  if (!loaded.ok) throw new Error(loaded.issues.map(b.sc.formatIssue).join('\n'));
  const scenario = loaded.scenario;
  const runPass = await compareRounds(
    `run ${SCENARIO} with ${scenario.mesh.faults.length} faults (1 run + ${scenario.mesh.faults.length} paired baselines), 1 vs 2 workers, ${ROUNDS} rounds`,
    1.7,
    async (workers) => JSON.stringify(await b.ex.runScenarioParallel(scenario, {}, { workers })),
  );
  return sweepPass && runPass;
}
