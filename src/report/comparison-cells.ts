/**
 * What the comparison report's tables share: the number formats of their cells and the note on intervals.
 *
 * Contents: `pct`, `ms`, `num`, `CI_NOTE`.
 */
import { formatMs, formatNumber, formatPercent } from './format.js';

export const pct = (digits: number) => (x: number) => formatPercent(x, digits);
export const ms = (x: number) => formatMs(x);
export const num = (x: number) => formatNumber(x);

export const CI_NOTE =
  'Mean over replications [95% confidence interval, Student t]; replications are paired by seed.';
