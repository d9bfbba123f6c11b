/**
 * How numbers read in the Markdown and HTML reports: fixed decimals per kind of figure so columns line up,
 * and `-` where a figure is undefined (null), never a made-up zero.
 *
 * Contents: `formatPercent`, `formatMs`, `formatNumber`, `formatSeconds`, `formatEstimate`, `formatInterval`.
 */
import type { Estimate } from '../experiment/index.js';

/** A fraction as a percentage, `0.99882` → `99.882%`. */
export function formatPercent(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined ? '-' : `${(x * 100).toFixed(digits)}%`;
}

/** Milliseconds with two decimals, `20.294` → `20.29`. */
export function formatMs(x: number | null | undefined): string {
  return x === null || x === undefined ? '-' : x.toFixed(2);
}

/** A plain number: integers with thousands separators, others with up to `digits` significant digits. */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined) return '-';
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return String(Number(x.toPrecision(digits)));
}

/** Milliseconds as seconds, `4200` → `4.2 s`. */
export function formatSeconds(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : `${formatNumber(ms / 1000)} s`;
}

/**
 * A mean with its 95% interval, formatted by `f`: `99.910% [99.870%, 99.950%]`. An interval of zero width
 * means every replication gave the same value, which is no certainty about the truth: it says so
 * (`504.10 [same in all 6 replications]`) rather than print `[504.10, 504.10]`.
 */
export function formatEstimate(e: Estimate | null | undefined, f: (x: number) => string): string {
  if (e === null || e === undefined) return '-';
  const [lo, hi] = e.ci95;
  return lo === hi ? `${f(e.mean)} [${identical(e.n)}]` : `${f(e.mean)} [${f(lo)}, ${f(hi)}]`;
}

/** Why an interval has no width. */
export function identical(n: number): string {
  return `same in all ${n} replications`;
}

/** An interval alone, `[0.21, 0.37]`; one of zero width says the replications were identical. */
export function formatInterval(ci: readonly [number, number], f: (x: number) => string): string {
  return ci[0] === ci[1] ? '[identical in every replication]' : `[${f(ci[0])}, ${f(ci[1])}]`;
}
