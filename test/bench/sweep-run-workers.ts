/**
 * The worker pool beyond `compare`: a sweep of the quickstart over two rates (2 workers vs 1, target at
 * least 1.8), and one `run` of the quickstart with 8 faults, whose 8 paired baselines go to the pool
 * (2 workers vs 1, target at least 1.7). Both on the built code (`dist/`, as the CLI runs; `npm run build`
 * first), `ROUNDS` rounds (env `BENCH_ROUNDS`) alternating 1 and 2 workers, and every round's result must
 * be the same bytes.
 *
 * "2 workers" is this thread and one worker thread (runJobs without isolation); the pool's threads are
 * kept between calls, so after the first round both sides are warm, as this thread is for "1 worker".
 * The target is judged on best / best (on a shared machine other processes only add time); each round's
 * own ratio is shown for the spread, with the load average before and after. Where Linux's /proc is
 * there, the CPU seconds of the busiest thread estimate the time with a free core per thread: that ratio
 * is printed beside, as an estimate, never as the target.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { busiestThread, threadCpu } from './thread-cpu.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const SCENARIO = 'scenarios/quickstart.yaml';
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);

type Experiment = typeof import('../../src/experiment/index.js');
type ScenarioModule = typeof import('../../src/scenario/index.js');

async function built(): Promise<{ ex: Experiment; sc: ScenarioModule } | undefined> {
  if (!existsSync(`${DIST}experiment/index.js`)) return undefined;
  return {
    ex: (await import(`${DIST}experiment/index.js`)) as Experiment,
    sc: (await import(`${DIST}scenario/index.js`)) as ScenarioModule,
  };
}

interface Round {
  seconds: number;
  bytes: string;
  cores: number;
  /** CPU seconds of the busiest thread (undefined without /proc). */
  critical: number | undefined;
}

async function time(f: () => Promise<string>): Promise<Round> {
  const c0 = process.cpuUsage();
  const t0cpu = threadCpu();
  const t0 = performance.now();
  const bytes = await f();
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return {
    seconds,
    bytes,
    cores: (c.user + c.system) / 1e6 / seconds,
    critical: busiestThread(t0cpu, threadCpu()),
  };
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function compareRounds(
  label: string,
  target: number,
  run: (workers: number) => Promise<string>,
): Promise<boolean> {
  const one: Round[] = [];
  const two: Round[] = [];
  const loadBefore = load();
  for (let r = 0; r < ROUNDS; r++) {
    one.push(await time(() => run(1)));
    two.push(await time(() => run(2)));
  }
  const show = (t: Round) => `${t.seconds.toFixed(1)} s (${t.cores.toFixed(2)} cores busy)`;
  const same = [...one, ...two].every((t) => t.bytes === one[0]?.bytes);
  const best = (xs: readonly Round[]) => Math.min(...xs.map((t) => t.seconds));
  const speedUp = best(one) / best(two);
  const perRound = one.map((t, r) => t.seconds / (two[r] as Round).seconds);
  const pass = same && speedUp >= target;
  console.log(label);
  console.log(`  load avg  : ${loadBefore} before, ${load()} after (1, 5, 15 min; 2 cores here)`);
  console.log(`  1 worker  : ${one.map(show).join(', ')}`);
  console.log(`  2 workers : ${two.map(show).join(', ')}; results ${same ? 'byte-identical' : 'DIFFERENT'}`);
  console.log(
    `  per round : ${perRound.map((x) => x.toFixed(2)).join(', ')} (spread ${Math.min(...perRound).toFixed(2)} to ${Math.max(...perRound).toFixed(2)})`,
  );
  const crit = (xs: readonly Round[]) => xs.map((t) => t.critical ?? NaN);
  const c1 = crit(one);
  const c2 = crit(two);
  if (c1.every(Number.isFinite) && c2.every(Number.isFinite)) {
    const est = Math.min(...c1) / Math.min(...c2);
    console.log(
      `  busiest thread CPU: 1 worker ${c1.map((x) => x.toFixed(1)).join(', ')} s; 2 workers ${c2.map((x) => x.toFixed(1)).join(', ')} s; ` +
        `estimate with a free core per thread ${est.toFixed(2)} (not the target)`,
    );
  }
  console.log(
    `  speed-up  : ${speedUp.toFixed(2)} (best / best wall clock; target >= ${target.toFixed(2)}) ${pass ? 'PASS' : 'MISS'}`,
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
