/**
 * Where the export row's extra CPU goes (export-cost.ts times only the total): the same two sides, each in
 * a fresh process, with the CPU read at each phase's end, per thread and by kind:
 * - phases: the run (plain, or with its recorders), the OpenMetrics text rendered and written,
 *   metrics.prom rendered and written, the closing full collection;
 * - per phase: the main thread's CPU and V8's and libuv's other threads' (background compile, concurrent
 *   marking and sweeping) apart, from each thread's schedstat (ns: exact, where /proc's utime and stime
 *   tick by 10 ms); the process's user and system time (getrusage; system is mostly the texts' writes);
 *   its minor page faults; and the main thread's collection pauses (PerformanceObserver 'gc', wall ms).
 *
 *   node --expose-gc --import tsx/esm test/bench/export-cost-split.ts [PAIRS] [DURATION_S]
 *
 * prints each phase's median over PAIRS pairs of sides in alternating order (as export-cost.ts runs them).
 * One side alone: `... export-cost-split.ts side plain|export DURATION_S` (one JSON line).
 *
 * What it found (2026-12-07, a machine at load 2-9, so the run's own figures are noise): the texts cost
 * 30-50 ms of main thread and 10-25 ms of other threads (TurboFan compiling the writer's loops, which
 * single-threaded callgrind counts as ~30 M of the texts' ~130 M instructions), and 0-12 ms of system
 * time (writing 38 MB); other threads worked as much during the plain run as during the recording one
 * (235-295 ms each), and the export side took no more page faults. So the recording's extra is on the main
 * thread, where only callgrind can weigh it on a busy machine.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runScenario, runScenarioWithRecords } from '../../src/experiment/index.js';
import { metricsTexts, type TextChunks } from '../../src/report/index.js';
import { median, spread } from './measure.js';
import { scenarioWith } from './mesh-throughput.js';

type Mode = 'plain' | 'export';

/** One phase of a side: what it cost, by kind (ms, or a count for `minflt`). */
export interface SplitPhase {
  readonly phase: string;
  readonly wallMs: number;
  readonly gcPauseMs: number;
  readonly cost: Readonly<Record<string, number>>;
}

/**
 * CPU ms of this thread (`main`) and of every other (`workers`), from schedstat; the process's `user` and
 * `sys` ms (every thread) and minor page faults (`minflt`).
 */
function counters(): Map<string, number> {
  const out = new Map<string, number>([
    ['main', 0],
    ['workers', 0],
  ]);
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    const name = Number(tid) === process.pid ? 'main' : 'workers';
    out.set(name, (out.get(name) as number) + Number(stat.split(' ')[0]) / 1e6);
  }
  const u = process.cpuUsage();
  out.set('user', u.user / 1000);
  out.set('sys', u.system / 1000);
  out.set('minflt', process.resourceUsage().minorPageFault);
  return out;
}

/** Writes the chunks to a new file, as export-cost-side.ts does (its size bound read first, no fsync). */
function writeChunks(path: string, chunks: TextChunks): void {
  if (chunks.maxBytes === undefined) throw new Error('export split: the export states no size bound');
  const fd = openSync(path, 'wx');
  try {
    for (const c of chunks) for (let at = 0; at < c.length;) at += writeSync(fd, c, at);
  } finally {
    closeSync(fd);
  }
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function side(mode: Mode, durationS: number): Promise<SplitPhase[]> {
  const pauses: { at: number; ms: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ at: e.startTime, ms: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const scenario = scenarioWith(durationS);
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-export-split-'));
  const marks: { phase: string; at: number; counters: Map<string, number> }[] = [];
  const mark = (phase: string) => marks.push({ phase, at: performance.now(), counters: counters() });
  try {
    gc();
    // Lets the background sweep of that collection finish outside the first phase.
    await pause(50);
    mark('start');
    if (mode === 'plain') {
      runScenario(scenario);
      mark('run');
    } else {
      // What `run --openmetrics` records: Istio's series only (Fortio's record is `--fortio`'s).
      const r = runScenarioWithRecords(scenario, { telemetry: true });
      if (r.telemetry === undefined) throw new Error('export bench: the run recorded no telemetry');
      mark('run');
      const texts = metricsTexts(r.telemetry);
      writeChunks(join(dir, 'openmetrics.txt'), texts.openMetrics);
      mark('openmetrics');
      writeChunks(join(dir, 'metrics.prom'), texts.prometheus);
      mark('prom');
    }
    gc();
    mark('gc');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // PerformanceObserver delivers its entries on a later turn.
  await pause(10);
  observer.disconnect();
  const phases: SplitPhase[] = [];
  for (let i = 1; i < marks.length; i++) {
    const a = marks[i - 1] as (typeof marks)[number];
    const b = marks[i] as (typeof marks)[number];
    const cost: Record<string, number> = {};
    for (const [k, v] of b.counters) cost[k] = v - (a.counters.get(k) ?? 0);
    phases.push({
      phase: b.phase,
      wallMs: b.at - a.at,
      gcPauseMs: pauses.filter((p) => p.at >= a.at && p.at < b.at).reduce((s, p) => s + p.ms, 0),
      cost,
    });
  }
  return phases;
}

const SELF = fileURLToPath(import.meta.url);

function runSide(mode: Mode, durationS: number): SplitPhase[] {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx/esm', SELF, 'side', mode, String(durationS)],
    { encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`export split: the ${mode} side failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as SplitPhase[];
}

/** Per phase and kind, the median over pairs of sides in alternating order. */
export function exportCostSplit(pairs = 7, durationS = 60): void {
  const runs: Record<Mode, SplitPhase[][]> = { plain: [], export: [] };
  for (let i = 0; i < pairs; i++) {
    const order: Mode[] = i % 2 === 0 ? ['plain', 'export'] : ['export', 'plain'];
    for (const mode of order) runs[mode].push(runSide(mode, durationS));
  }
  console.log(`Export split: the bench mesh, ${durationS} s simulated, ${pairs} pairs (medians; ranges)`);
  const kinds = ['main', 'workers', 'user', 'sys', 'minflt'];
  console.log(
    `  ${'side/phase'.padEnd(20)}${kinds.map((k) => k.padStart(22)).join('')}${'gc pause'.padStart(22)}`,
  );
  for (const mode of ['plain', 'export'] as const) {
    const sides = runs[mode];
    for (const [p, { phase }] of (sides[0] as SplitPhase[]).entries()) {
      const of = (pick: (s: SplitPhase) => number) => {
        const xs = sides.map((s) => pick(s[p] as SplitPhase));
        return `${median(xs).toFixed(0)} (${spread(xs, 0)})`.padStart(22);
      };
      console.log(
        `  ${`${mode}/${phase}`.padEnd(20)}${kinds.map((k) => of((s) => s.cost[k] ?? 0)).join('')}${of((s) => s.gcPauseMs)}`,
      );
    }
  }
}

if (process.argv[1] === SELF) {
  if (process.argv[2] === 'side') {
    const mode = process.argv[3];
    if (mode !== 'plain' && mode !== 'export')
      throw new Error('usage: export-cost-split.ts side plain|export DURATION_S');
    console.log(JSON.stringify(await side(mode, Number(process.argv[4] ?? 60))));
  } else exportCostSplit(Number(process.argv[2] ?? 7), Number(process.argv[3] ?? 60));
}
