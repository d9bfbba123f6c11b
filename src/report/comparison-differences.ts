/**
 * The comparison's paired differences: per metric and pair of models, the mean of a − b replication by
 * replication with its 95% interval, whether it is significant (and which model is better) and material.
 *
 * Contents: `differencesTable`.
 */
import type { ComparisonResult, PairwiseDifference } from '../experiment/index.js';
import { num } from './comparison-cells.js';
import { formatInterval, formatNumber } from './format.js';
import type { ReportTable } from './report-document.js';

/** `yes: <model> better`; mean is a − b, so its sign and the metric's better direction name the winner. */
function significanceText(d: PairwiseDifference): string {
  if (d.ci95[0] === 0 && d.ci95[1] === 0 && d.mean === 0) return 'no (identical in every replication)';
  if (d.belowResolution === true) return 'no (within what the latency histograms resolve)';
  if (!d.significant) return 'no (interval spans 0)';
  if (d.better === undefined) return 'yes';
  const aBetter = d.better === 'higher' ? d.mean > 0 : d.mean < 0;
  return `yes: ${aBetter ? d.a : d.b} better`;
}

/** Whether a significant difference reaches the `report.material` threshold. */
function materialText(d: PairwiseDifference): string {
  if (!d.significant) return '-';
  if (d.material === undefined) return '?';
  return d.material ? 'yes' : 'no (below report.material)';
}

export function differencesTable(r: ComparisonResult): ReportTable {
  return {
    id: 'differences',
    title: 'Paired differences',
    header: ['metric', 'unit', 'a', 'b', 'a − b', '95% CI', 'significant', 'material'],
    rows: r.differences.map((d) => [
      d.metric,
      d.unit ?? '-',
      d.a,
      d.b,
      formatNumber(d.mean),
      formatInterval(d.ci95, num),
      significanceText(d),
      materialText(d),
    ]),
    numeric: [false, false, false, false, true, true, false, false],
    note: 'Each difference is taken replication by replication (common random numbers), so its interval is narrower than the two models’ intervals suggest.',
  };
}
