/**
 * The worker pool beyond `compare`: a sweep of the quickstart over two rates (2 workers vs 1, target at
 * least 1.8), and one `run` of the quickstart with 8 faults, whose 8 paired baselines go to the pool
 * (2 workers vs 1, target at least 1.7). Both on the built code (`dist/`, as the CLI runs; `npm run build`
 * first), `ROUNDS` rounds (env `BENCH_ROUNDS`) alternating 1 and 2 workers, and every round's result must
 * be the same bytes. One half alone: `BENCH_POOL_ONLY=run` (or `sweep`) `node --import tsx/esm -e "await (await
 * import('./test/bench/sweep-run-workers.ts')).sweepRunWorkersBench()"`.
 *
 * "2 workers" is this thread and one worker thread (runJobs without isolation); the pool's threads are
 * kept between calls, so after the first round both sides are warm, as this thread is for "1 worker".
 * The target is judged on best / best (on a shared machine other processes only add time); each round's
 * own ratio is shown for the spread, with the load average before and after. Where Linux's /proc is
 * there, the CPU seconds of the busiest thread estimate the time with a free core per thread: that ratio
 * is printed beside, as an estimate, never as the target.
 *
 * A timeline of the best round on each side (the pool's `onTiming`: when each job started and ended, on
 * which thread) splits the 2-worker time into its parts, so a miss says where the time went:
 *  - serial: from the call to the first job's start (plan sent, threads woken) and from the last job's end
 *    to the result (assembly, JSON);
 *  - ideal makespan: the 1-worker round's own job times scheduled longest-first on 2 threads, plus that
 *    serial time: what 2 threads would take if a job ran as fast beside another as alone. 1 worker's time
 *    over it is the ceiling of this shape (9 equal jobs on 2 threads: 9/5 = 1.8);
 *  - slowdown beside another: the 2-worker round's job times summed over the 1-worker round's. Two busy
 *    threads share caches, memory bandwidth and the second core V8's own helper threads (GC, compiler) use
 *    freely when one thread works alone; the pool cannot remove that, only the simulation's allocations
 *    can.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { busiestThread, threadCpu } from './thread-cpu.js';

type JobTiming = import('../../src/experiment/index.js').JobTiming;

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const SCENARIO = 'scenarios/quickstart.yaml';
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
/** `sweep` or `run`: only that half (to rerun one target alone); default both. */
const ONLY = process.env['BENCH_POOL_ONLY'];

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
  /** Every job: thread, start and end in seconds from the round's start. */
  jobs: { thread: number; start: number; end: number }[];
}

async function time(f: (onTiming: (t: JobTiming) => void) => Promise<string>): Promise<Round> {
  const timings: JobTiming[] = [];
  const c0 = process.cpuUsage();
  const t0cpu = threadCpu();
  const t0 = performance.now();
  const bytes = await f((t) => timings.push(t));
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const origin = performance.timeOrigin + t0;
  return {
    seconds,
    bytes,
    cores: (c.user + c.system) / 1e6 / seconds,
    critical: busiestThread(t0cpu, threadCpu()),
    jobs: timings.map((t) => ({
      thread: t.thread,
      start: (t.startMs - origin) / 1000,
      end: (t.endMs - origin) / 1000,
    })),
  };
}

/** The makespan of `durations` scheduled longest-first on `threads` threads (each to the least loaded). */
export function lptMakespan(durations: readonly number[], threads: number): number {
  const load = new Array<number>(threads).fill(0);
  for (const d of [...durations].sort((a, b) => b - a)) {
    const i = load.indexOf(Math.min(...load));
    load[i] = (load[i] as number) + d;
  }
  return Math.max(...load);
}

/** Where a round's time went: serial head and tail, per-thread busy time, the jobs' sum. */
function anatomy(r: Round): { head: number; tail: number; busy: Map<number, number>; sum: number } {
  const head = Math.min(...r.jobs.map((j) => j.start));
  const tail = r.seconds - Math.max(...r.jobs.map((j) => j.end));
  const busy = new Map<number, number>();
  for (const j of r.jobs) busy.set(j.thread, (busy.get(j.thread) ?? 0) + j.end - j.start);
  return { head, tail, busy, sum: r.jobs.reduce((s, j) => s + j.end - j.start, 0) };
}

function timeline(one: Round, two: Round): string[] {
  const a1 = anatomy(one);
  const a2 = anatomy(two);
  const durations1 = one.jobs.map((j) => j.end - j.start);
  const ideal = lptMakespan(durations1, 2) + a2.head + a2.tail;
  const busy = [...a2.busy]
    .sort(([a], [b]) => a - b)
    .map(
      ([t, b]) =>
        `${t === 0 ? 'main' : `thread ${t}`} ${b.toFixed(2)} s busy (${two.jobs.filter((j) => j.thread === t).length} jobs)`,
    );
  const spans = [...two.jobs]
    .sort((a, b) => a.start - b.start)
    .map((j) => `${j.thread === 0 ? 'm' : `t${j.thread}`}[${j.start.toFixed(2)}-${j.end.toFixed(2)}]`);
  return [
    `  timeline of the best rounds (s): 1 worker: jobs ${a1.sum.toFixed(2)} s (${durations1.map((d) => d.toFixed(2)).join(' ')}), serial ${(one.seconds - a1.sum).toFixed(3)} s`,
    `    2 workers: ${busy.join(', ')}; serial: ${a2.head.toFixed(3)} s before the first job, ${a2.tail.toFixed(3)} s after the last (${((100 * (a2.head + a2.tail)) / two.seconds).toFixed(1)}% of ${two.seconds.toFixed(2)} s)`,
    `    ${spans.join(' ')}`,
    `    ideal makespan on 2 threads (1 worker's job times, longest first, + serial): ${ideal.toFixed(2)} s: ceiling ${(one.seconds / ideal).toFixed(2)}; ` +
      `jobs slower beside another thread: x${(a2.sum / a1.sum).toFixed(3)}; measured ${two.seconds.toFixed(2)} s = ${((100 * (two.seconds - ideal)) / ideal).toFixed(1)}% over ideal`,
  ];
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function compareRounds(
  label: string,
  target: number,
  run: (workers: number, onTiming: (t: JobTiming) => void) => Promise<string>,
): Promise<boolean> {
  const one: Round[] = [];
  const two: Round[] = [];
  const loadBefore = load();
  for (let r = 0; r < ROUNDS; r++) {
    one.push(await time((onTiming) => run(1, onTiming)));
    two.push(await time((onTiming) => run(2, onTiming)));
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
  const fastest = (xs: readonly Round[]) => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  for (const line of timeline(fastest(one), fastest(two))) console.log(line);
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
  const sweepPass =
    ONLY === 'run' ||
    (await compareRounds(
      `sweep ${SCENARIO} --set traffic[0].rate=400/s,600/s --replications 2 (${sweep.jobs} simulations), 1 vs 2 workers, ${ROUNDS} rounds`,
      1.8,
      async (workers, onTiming) => JSON.stringify(await sweep.runAll({ workers, onTiming })),
    ));
  if (ONLY === 'sweep') return sweepPass;
  console.log('');
  const loaded = b.sc.loadScenarioText(text, SCENARIO, { edit: eightFaults });
  if (!loaded.ok) throw new Error(loaded.issues.map(b.sc.formatIssue).join('\n'));
  const scenario = loaded.scenario;
  const runOnce = async (workers: number, onTiming: (t: JobTiming) => void) =>
    JSON.stringify(await b.ex.runScenarioParallel(scenario, {}, { workers, onTiming }));
  // Alone, the worker thread has not run the sweep: one round each side first, unmeasured, warms both.
  if (ONLY === 'run') for (const w of [1, 2]) await runOnce(w, () => undefined);
  const runPass = await compareRounds(
    `run ${SCENARIO} with ${scenario.mesh.faults.length} faults (1 run + ${scenario.mesh.faults.length} paired baselines), 1 vs 2 workers, ${ROUNDS} rounds`,
    1.7,
    runOnce,
  );
  return sweepPass && runPass;
}
