/**
 * Splits the mesh row's CPU per request (mesh/minimal by time) into where it goes, side by side with the
 * minimal model, over the mesh row's own slices (600 s simulated, 20 alternating slices of 30 s, each after
 * gc() and an idle wait; measure.ts `interleave`): the main thread's CPU against every other thread's
 * (V8's concurrent marking, sweeping and TurboFan compile run there), and the collections that fell in each
 * side's slices (scavenges and full collections, count and pause). Not a bench row: it reports figures.
 *
 *   node --expose-gc --import tsx/esm test/bench/mesh-gap.ts [SECONDS] [SLICES]
 *
 * Thread times come from /proc/self/task/<tid>/schedstat (nanoseconds on a core), so a slice of ~0.3 s is
 * read to far better than the 10 ms ticks of /proc/.../stat. Collections come from PerformanceObserver's
 * `gc` entries, placed in a slice by their start time.
 *
 * Why: by callgrind a mesh request is ~0.59 of the minimal model's instructions, by process CPU 0.43-0.46.
 * Process CPU counts every thread, and cost per instruction differs by cache behaviour and collections.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance, PerformanceObserver, constants } from 'node:perf_hooks';
import { meshAdvance, meshBench, scenarioWith } from './mesh-throughput.js';
import { minimalMeshAdvance, minimalMeshBench } from './minimal-mesh.js';
import { settle, type Advance } from './measure.js';

/** Nanoseconds each thread of this process has run, by thread id; undefined where /proc is missing. */
function threadNanos(): Map<number, number> | undefined {
  try {
    const out = new Map<number, number>();
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        out.set(Number(tid), Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
      } catch {
        // the thread ended between the listing and the read
      }
    }
    return out;
  } catch {
    return undefined;
  }
}

interface GcEntry {
  start: number;
  duration: number;
  kind: number;
}

const gcEntries: GcEntry[] = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const detail = (e as { detail?: { kind?: number } }).detail;
    gcEntries.push({ start: e.startTime, duration: e.duration, kind: detail?.kind ?? 0 });
  }
});
observer.observe({ entryTypes: ['gc'] });

interface Side {
  name: string;
  advance: Advance;
  done: number;
  requests: number;
  mainNs: number;
  otherNs: number;
  windows: [number, number][];
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function slice(side: Side, untilMs: number): void {
  gc();
  settle();
  const t0 = threadNanos();
  const w0 = performance.now();
  const done = side.advance(untilMs);
  const w1 = performance.now();
  const t1 = threadNanos();
  side.windows.push([w0, w1]);
  side.requests += done - side.done;
  side.done = done;
  if (t0 === undefined || t1 === undefined) return;
  for (const [tid, ns] of t1) {
    const d = ns - (t0.get(tid) ?? 0);
    if (tid === process.pid) side.mainNs += d;
    else side.otherNs += d;
  }
}

const seconds = Number(process.argv[2] ?? 600);
const slices = Number(process.argv[3] ?? 20);
// The mesh row's warm-up, so the JIT state at the first slice is the row's.
meshBench(10);
minimalMeshBench(scenarioWith(10), 10_000);
const scenario = scenarioWith(seconds);
const sliceMs = (seconds * 1000) / slices;
const mesh: Side = {
  name: 'mesh',
  advance: meshAdvance(scenario),
  done: 0,
  requests: 0,
  mainNs: 0,
  otherNs: 0,
  windows: [],
};
const minimal: Side = {
  name: 'minimal',
  advance: minimalMeshAdvance(scenario, seconds * 1000),
  done: 0,
  requests: 0,
  mainNs: 0,
  otherNs: 0,
  windows: [],
};
for (let i = 1; i <= slices; i++) {
  const until = i * sliceMs;
  const [first, second] = i % 2 === 1 ? [mesh, minimal] : [minimal, mesh];
  slice(first, until);
  slice(second, until);
}
await new Promise((resolve) => setTimeout(resolve, 50)); // let the observer deliver the last entries
observer.disconnect();

const us = (ns: number, n: number) => (ns / 1000 / n).toFixed(3).padStart(7);
console.log(
  `${seconds} s simulated, ${slices} alternating slices; CPU per completed request (us), collections per 30 s simulated`,
);
console.log(
  'side       requests   main  others   total  scav  scav-ms   major  major-ms  (major: mark-compact, incremental marking steps)',
);
for (const s of [mesh, minimal]) {
  const inSide = gcEntries.filter((g) => s.windows.some(([a, b]) => g.start >= a && g.start < b));
  const minor = inSide.filter((g) => g.kind === constants.NODE_PERFORMANCE_GC_MINOR);
  const major = inSide.filter((g) => g.kind !== constants.NODE_PERFORMANCE_GC_MINOR);
  const per30 = (x: number) => ((x * 30_000) / (seconds * 1000)).toFixed(1).padStart(5);
  const ms = (xs: GcEntry[]) => xs.reduce((a, g) => a + g.duration, 0);
  console.log(
    `${s.name.padEnd(9)} ${String(s.requests).padStart(9)} ${us(s.mainNs, s.requests)} ${us(s.otherNs, s.requests)} ${us(s.mainNs + s.otherNs, s.requests)} ${per30(minor.length)} ${per30(ms(minor)).padStart(8)} ${per30(major.length).padStart(7)} ${per30(ms(major)).padStart(9)}`,
  );
}
const m = (s: Side) => (s.mainNs + s.otherNs) / s.requests;
const mm = (s: Side) => s.mainNs / s.requests;
console.log(
  `mesh/minimal by all threads ${(m(minimal) / m(mesh)).toFixed(3)}, by the main thread ${(mm(minimal) / mm(mesh)).toFixed(3)}`,
);
