/** The traffic matrix as a report table: client clusters down, serving clusters across, calls in the cells. */
import { formatNumber } from './format.js';
import type { ReportTable } from './report-document.js';

/** The traffic matrix as a table: client clusters down, serving clusters across. */
export function trafficTable(
  id: string,
  title: string,
  traffic: readonly { readonly from: string; readonly to: string; readonly requests: number }[],
  note: string,
): ReportTable {
  const clusters = [...new Set(traffic.flatMap((t) => [t.from, t.to]))];
  const cell = (from: string, to: string) =>
    traffic.filter((t) => t.from === from && t.to === to).reduce((sum, t) => sum + t.requests, 0);
  return {
    id,
    title,
    header: ['client / serving', ...clusters],
    rows: clusters.map((from) => [from, ...clusters.map((to) => formatNumber(Math.round(cell(from, to))))]),
    numeric: [false, ...clusters.map(() => true)],
    note,
  };
}
