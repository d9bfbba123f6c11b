/**
 * Units as scenario files write them: Istio duration strings, rates, fractions. Each parser returns the
 * value in the model's unit (ms, per ms, 0..1) or `undefined` when the text is not of its form; the schema
 * has already checked the form, so `undefined` only reaches callers that parse unchecked text.
 */

/**
 * `"250ms"`, `"1.5s"`, `"10m"`, `"24h"`, `"2d"`, `"500us"`, Go's compound form `"1h30m"` or `"2m15s"` (as
 * Istio's flags and annotations take them), or a plain number of milliseconds.
 */
export const DURATION_PATTERN = '^\\s*((\\d+(\\.\\d+)?|\\.\\d+)\\s*(us|µs|ms|s|m|h|d)\\s*)+$';
const DURATION_RE = new RegExp(DURATION_PATTERN);
const DURATION_PART_RE = /(\d+(?:\.\d+)?|\.\d+)\s*(us|µs|ms|s|m|h|d)/g;
const DURATION_UNIT_MS: Record<string, number> = {
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1e3,
  m: 60e3,
  h: 3600e3,
  d: 86400e3,
};

export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (!DURATION_RE.test(value)) return undefined;
  let total = 0;
  for (const m of value.matchAll(DURATION_PART_RE))
    total += Number(m[1]) * (DURATION_UNIT_MS[m[2] as string] as number);
  return total;
}

/** `"500/s"`, `"30000/m"`, `"2/ms"`, `"100rps"`, or a plain number per second. Returns per millisecond. */
export const RATE_PATTERN = '^\\s*(\\d+(\\.\\d+)?|\\.\\d+)\\s*(/ms|/s|/m|/h|rps)\\s*$';
const RATE_RE = new RegExp(RATE_PATTERN);
const RATE_PER_MS: Record<string, number> = {
  '/ms': 1,
  '/s': 1e-3,
  rps: 1e-3,
  '/m': 1 / 60e3,
  '/h': 1 / 3600e3,
};

export function parseRate(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value / 1000 : undefined;
  const m = RATE_RE.exec(value);
  if (m === null) return undefined;
  return Number(m[1]) * (RATE_PER_MS[m[3] as string] as number);
}

/** `0.25` or `"25%"`; in [0, 1]. */
export const PERCENT_PATTERN = '^\\s*(\\d+(\\.\\d+)?|\\.\\d+)\\s*%\\s*$';
const PERCENT_RE = new RegExp(PERCENT_PATTERN);

export function parseFraction(value: number | string): number | undefined {
  const x = typeof value === 'number' ? value : percentValue(value);
  return x !== undefined && x >= 0 && x <= 1 ? x : undefined;
}

/**
 * `0.5` or `"50%"`, like a fraction but not capped at 1: a rise of a p99 may be 250%. Undefined below 0
 * or past what a double holds (a 400-digit percentage).
 */
export function parseRatio(value: number | string): number | undefined {
  const x = typeof value === 'number' ? value : percentValue(value);
  return x !== undefined && Number.isFinite(x) && x >= 0 ? x : undefined;
}

function percentValue(text: string): number | undefined {
  const m = PERCENT_RE.exec(text);
  return m === null ? undefined : Number(m[1]) / 100;
}

/** A duration in ms written back in the largest unit that keeps it whole, for messages and reports. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['h', 3600e3],
    ['m', 60e3],
    ['s', 1e3],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
