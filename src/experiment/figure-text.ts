/**
 * Figures in the plain words of verdict notes: a value in its unit (`99.882%`, `79.05 ms`, `0.50 vCPU`),
 * a difference (`0.040 points`: percentage points, so that a difference of two percentages is never
 * mistaken for a relative change) and an interval (`95% CI 0.010 to 0.070`).
 *
 * Contents: `valueText`, `amountText`, `intervalText`, `listText`.
 */
import type { ComparisonMetric } from './comparison-metric.js';

type Unit = ComparisonMetric['unit'];

/** A value in its unit. */
export function valueText(x: number, unit: Unit): string {
  switch (unit) {
    case 'fraction':
      return `${(x * 100).toFixed(3)}%`;
    case 'ms':
      return `${x.toFixed(2)} ms`;
    case 'vCPU':
      return `${x.toFixed(2)} vCPU`;
    case 'GB':
      return `${x.toFixed(2)} GB`;
    case 'count':
      return String(Math.round(x));
  }
}

/** An amount of difference in its unit: fractions in percentage points. */
export function amountText(x: number, unit: Unit): string {
  return unit === 'fraction' ? `${(x * 100).toFixed(3)} points` : valueText(x, unit);
}

/** A 95% interval of a difference, in the difference's unit, without the unit. */
export function intervalText(lo: number, hi: number, unit: Unit): string {
  const f = (x: number) =>
    unit === 'fraction' ? (x * 100).toFixed(3) : unit === 'count' ? String(x) : x.toFixed(2);
  return `95% CI ${f(lo)} to ${f(hi)}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The one wording of a tie, wherever the verdict states one. */
export const TIE = 'no material difference';
