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
