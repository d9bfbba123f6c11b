/** Timing helpers for benchmarks: median of repeated runs after a warm-up, in the same process. */
import { performance } from 'node:perf_hooks';

export interface Timed<T> {
  seconds: number;
  result: T;
}

export function medianTime<T>(run: () => T, repeats: number, warmups = 1): Timed<T> {
  for (let i = 0; i < warmups; i++) run();
  const times: number[] = [];
  let result = run();
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    result = run();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)] as number, result };
}

export function fmtRate(perSecond: number): string {
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M` : `${(perSecond / 1e3).toFixed(1)} k`;
}

/** CPU time of this process so far (user + system, every thread), in seconds. */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) throw new Error('median of no values');
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
};

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** A simulation that can be advanced to a simulated time (ms); returns its requests completed so far. */
export type Advance = (untilMs: number) => number;

/** Idle steps of the wait after a forced collection, and the CPU a step may see and still count as quiet. */
const SETTLE_STEP_MS = 2;
const QUIET_CPU_S = 0.0002;
export const SETTLE_LIMIT_MS = 200;
const idleCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Waits, idle, until the process's background threads have finished the work a forced collection left them
 * (V8 sweeps the old generation's pages concurrently after `gc()` returns): two consecutive 2 ms steps with
 * under 0.2 ms of process CPU each, at most 200 ms. Returns the CPU seconds seen while waiting.
 *
 * Why: process CPU counts every thread, so without the wait that sweep lands in the next timed slice. Both
 * sides of an interleaved row share one heap, so each slice, of either side, paid about the same few ms: on
 * the pod row the wait sees 0.2-7.4 ms of CPU, ~1-2 ms or ~7 ms, as much before a 1,000-pod slice as before a
 * 25,000-pod one (idle the process uses ~0.03 ms per 2 ms). A constant added to both sides pulls a ratio
 * toward 1, so it flattered the pod row (above 1) and the mesh row (below 1) alike. The sweep is the
 * bench's, not the model's: a model's own collections during a slice stay in it.
 *
 * What it moved on the pod row (same tree, 2026-12-06, machine load 3-9): in one process, slice pairs timed the old way
 * and with the wait alternating, 11 runs, the ratio read higher with the wait by a median 0.09 (-0.06 to
 * +0.26), the 1,000-pod side's CPU per request falling in all 11 (0.1-1.5 us), the 25,000-pod side's in 9
 * (-0.1 to 1.6 us); as whole runs, 6 of each alternating, medians 1.24-1.47 (their median 1.36) before,
 * 1.40-1.51 (1.43) with it.
 */
export function settle(): { cpuSeconds: number; settled: boolean } {
  const c0 = cpuSeconds();
  let c = c0;
  let quiet = 0;
  for (let waited = 0; quiet < 2 && waited < SETTLE_LIMIT_MS; waited += SETTLE_STEP_MS) {
    Atomics.wait(idleCell, 0, 0, SETTLE_STEP_MS);
    const now = cpuSeconds();
    quiet = now - c < QUIET_CPU_S ? quiet + 1 : 0;
    c = now;
  }
  return { cpuSeconds: c - c0, settled: quiet >= 2 };
}

export interface InterleavedSides {
  /** Per slice: CPU seconds and requests completed in it, side A then side B. */
  readonly cpuA: readonly number[];
  readonly cpuB: readonly number[];
  readonly requestsA: readonly number[];
  readonly requestsB: readonly number[];
  /** Per slice pair: (B's CPU per request) / (A's CPU per request). */
  readonly ratios: readonly number[];
  /**
   * Live heap plus typed arrays' data (outside the heap) after a full collection at the end of each slice
   * pair, in bytes.
   */
  readonly heapAfter: readonly number[];
  /** Per slice: the CPU seconds `settle` saw before the slice's clock started, and how many waits hit its limit. */
  readonly settleCpu: readonly number[];
  readonly unsettled: number;
}

/**
 * Two simulations advanced in alternating slices of simulated time, each slice timed by CPU time (user +
 * system: a process waiting for a core is not charged), the first of each pair alternating (A then B, B
 * then A) so that neither side always runs right after the other's garbage. Every slice starts after a
 * full collection (outside the timed work, when `--expose-gc` is given) and the idle wait for its
 * background sweep (`settle`), so each side pays for the garbage it makes during its slice, not for the
 * other's, and not for the bench's own collection.
 *
 * Why: on this kind of shared machine the speed of the host moved up to 2x within minutes (the bare M/M/1
 * loop read 6.5-15.4 M events/s in one session). Two long runs one after the other then compare two
 * different machines; slices a fraction of a second long, paired and alternating, see nearly the same
 * machine, and the median of the pairs' ratios drops the pairs a phase change split.
 */
export function interleave(
  a: Advance,
  b: Advance,
  fromMs: number,
  sliceMs: number,
  slices: number,
): InterleavedSides {
  const cpuA: number[] = [];
  const cpuB: number[] = [];
  const requestsA: number[] = [];
  const requestsB: number[] = [];
  const heapAfter: number[] = [];
  const settleCpu: number[] = [];
  let unsettled = 0;
  let doneA = a(fromMs);
  let doneB = b(fromMs);
  const slice = (side: Advance, untilMs: number, before: number, cpu: number[], requests: number[]) => {
    gc();
    const waited = settle();
    settleCpu.push(waited.cpuSeconds);
    if (!waited.settled) unsettled++;
    const c0 = cpuSeconds();
    const done = side(untilMs);
    cpu.push(cpuSeconds() - c0);
    requests.push(done - before);
    return done;
  };
  for (let i = 1; i <= slices; i++) {
    const until = fromMs + i * sliceMs;
    if (i % 2 === 1) {
      doneA = slice(a, until, doneA, cpuA, requestsA);
      doneB = slice(b, until, doneB, cpuB, requestsB);
    } else {
      doneB = slice(b, until, doneB, cpuB, requestsB);
      doneA = slice(a, until, doneA, cpuA, requestsA);
    }
    gc();
    // Typed arrays' data lives outside the heap (ArrayBuffer backing stores): counted with it, so that
    // state kept in typed arrays cannot grow unseen.
    const memory = process.memoryUsage();
    heapAfter.push(memory.heapUsed + memory.arrayBuffers);
  }
  const perRequest = (cpu: readonly number[], requests: readonly number[], i: number) =>
    (cpu[i] as number) / Math.max(1, requests[i] as number);
  const ratios = cpuA.map((_, i) => perRequest(cpuB, requestsB, i) / perRequest(cpuA, requestsA, i));
  return { cpuA, cpuB, requestsA, requestsB, ratios, heapAfter, settleCpu, unsettled };
}

/** `xs`' smallest and largest, as `lo to hi` with `digits` decimals. */
/**
 * A distribution-free interval for the median of what `xs` samples: order statistics k and n + 1 - k of
 * the sorted values, with the largest k whose coverage (1 - 2 P(X < k), X ~ Binomial(n, 1/2): each value
 * falls below the true median with probability 1/2) is still at least `level`; with too few values for
 * that, the smallest and largest, at the coverage they have. Why: this host's speed wanders by 10-20%
 * within seconds (a fixed loop's CPU time spreads that much), so a row's median moves between runs, and a
 * verdict on it needs to say how far.
 */
export function medianInterval(
  xs: readonly number[],
  level = 0.95,
): { readonly low: number; readonly high: number; readonly coverage: number; readonly k: number } {
  const n = xs.length;
  if (n === 0) throw new Error('median interval of no values');
  const sorted = [...xs].sort((a, b) => a - b);
  // below[j] = P(X <= j), accumulated from the binomial's terms C(n, j) / 2^n.
  let term = 2 ** -n;
  let below = 0;
  const cumulative: number[] = [];
  for (let j = 0; j < n; j++) {
    below += term;
    cumulative.push(below);
    term = (term * (n - j)) / (j + 1);
  }
  // Interval k misses the median when fewer than k values fall below it, or fewer than k above.
  const coverageOf = (k: number) => 1 - 2 * (cumulative[k - 1] as number);
  let k = 1;
  while (2 * (k + 1) <= n + 1 && coverageOf(k + 1) >= level) k++;
  return { low: sorted[k - 1] as number, high: sorted[n - k] as number, coverage: coverageOf(k), k };
}

export function spread(xs: readonly number[], digits = 2): string {
  return `${Math.min(...xs).toFixed(digits)} to ${Math.max(...xs).toFixed(digits)}`;
}
