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

export interface InterleavedSides {
  /** Per slice: CPU seconds and requests completed in it, side A then side B. */
  readonly cpuA: readonly number[];
  readonly cpuB: readonly number[];
  readonly requestsA: readonly number[];
  readonly requestsB: readonly number[];
  /** Per slice pair: (B's CPU per request) / (A's CPU per request). */
  readonly ratios: readonly number[];
  /** Live heap after a full collection at the end of each slice pair, in bytes. */
  readonly heapAfter: readonly number[];
}

/**
 * Two simulations advanced in alternating slices of simulated time, each slice timed by CPU time (user +
 * system: a process waiting for a core is not charged), the first of each pair alternating (A then B, B
 * then A) so that neither side always runs right after the other's garbage. Every slice starts after a
 * full collection (outside the timed work, when `--expose-gc` is given), so each side pays for the
 * garbage it makes during its slice, not for the other's.
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
  let doneA = a(fromMs);
  let doneB = b(fromMs);
  const slice = (side: Advance, untilMs: number, before: number, cpu: number[], requests: number[]) => {
    gc();
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
    heapAfter.push(process.memoryUsage().heapUsed);
  }
  const perRequest = (cpu: readonly number[], requests: readonly number[], i: number) =>
    (cpu[i] as number) / Math.max(1, requests[i] as number);
  const ratios = cpuA.map((_, i) => perRequest(cpuB, requestsB, i) / perRequest(cpuA, requestsA, i));
  return { cpuA, cpuB, requestsA, requestsB, ratios, heapAfter };
}

/** `xs`' smallest and largest, as `lo to hi` with `digits` decimals. */
export function spread(xs: readonly number[], digits = 2): string {
  return `${Math.min(...xs).toFixed(digits)} to ${Math.max(...xs).toFixed(digits)}`;
}
