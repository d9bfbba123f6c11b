/**
 * A sweep as a `ReportDocument`: the grid and its seeds, the best model per criterion at each point, an
 * overview of availability and p99 per point and model with intervals, the line charts, and each point's
 * scorecard (its models table and verdict by criterion, as a comparison's report shows them).
 *
 * Contents: `sweepDocument`.
 */
import type { SweepResult } from '../experiment/index.js';
import { comparisonDocument } from './comparison-document.js';
import { formatEstimate, formatMs, formatPercent } from './format.js';
import type { ReportChartRef, ReportDocument, ReportTable } from './report-document.js';

const settingsText = (s: Readonly<Record<string, string>>) =>
  Object.entries(s)
    .map(([p, v]) => `${p}=${v}`)
    .join(', ');

function overviewTable(r: SweepResult): ReportTable {
  return {
    id: 'sweep-overview',
    title: 'Every point: availability and latency per model',
    header: ['point', ...r.parameters.map((p) => p.path), 'model', 'availability', 'p50 ms', 'p99 ms'],
    rows: r.points.flatMap((p) =>
      p.comparison.models.map((m) => [
        String(p.point),
        ...r.parameters.map((q) => p.settings[q.path] ?? ''),
        m.model,
        formatEstimate(m.availability, (x) => formatPercent(x, 3)),
        formatEstimate(m.latencyMs.p50, formatMs),
        formatEstimate(m.latencyMs.p99, formatMs),
      ]),
    ),
    numeric: [true, ...r.parameters.map(() => false), false, true, true, true],
    note: 'Mean over replications [95% confidence interval, Student t]; every point and model runs on the same seeds (common random numbers).',
  };
}

/** Each point's scorecard: the tables a comparison's report leads with, titled with the point. */
function scorecards(r: SweepResult): ReportTable[] {
  return r.points.flatMap((p) =>
    comparisonDocument(p.comparison).leadTables.map((t) => ({
      ...t,
      id: `point-${p.point}-${t.id}`,
      title: `Point ${p.point} (${settingsText(p.settings)}): ${t.title}`,
    })),
  );
}

export function sweepDocument(r: SweepResult, charts: readonly ReportChartRef[]): ReportDocument {
  return {
    title: `${r.scenario}: sweep of ${r.parameters.map((p) => p.path).join(' x ')}`,
    facts: [
      ['scenario', r.scenario],
      ...r.parameters.map((p): [string, string] => [`swept ${p.path}`, p.values.join(', ')]),
      ['points', String(r.points.length)],
      ['models', r.models.join(', ')],
      ['seed', String(r.seed)],
      [
        'replications',
        `${r.replications} per model and point, seeds ${(r.points[0]?.comparison.models[0]?.seeds ?? []).join(', ')} (shared by every model and point)`,
      ],
      ['meshsim', r.meshsimVersion],
    ],
    rerun: r.rerun,
    highlightsTitle: 'Best model per criterion, point by point',
    highlights: r.points.map(
      (p) =>
        `Point ${p.point} (${settingsText(p.settings)}): ` +
        (p.comparison.verdict.criteria.length === 0
          ? 'no criterion measured.'
          : `${p.comparison.verdict.criteria.map((c) => `${c.criterion} ${c.best ?? `(${(c.leaders ?? []).length > 1 ? `tie: ${(c.leaders ?? []).join(', ')}` : 'no material difference'})`}`).join('; ')}.`),
    ),
    leadTables: [overviewTable(r)],
    charts,
    detailTables: scorecards(r),
    notes: [],
  };
}
