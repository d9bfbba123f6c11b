/**
 * A model comparison as a `ReportDocument`: the verdict first, then per-model availability and latency with
 * 95% intervals; in the details, blast radius of the average fault (`blast-radius`) and per fault with its
 * time to recover (`fault-blast-radius`), availability while a control plane is down and data locality
 * (`spof-locality`), cost, control-plane health, the paired differences with their unit and better model,
 * and the fault timeline. The verdict names the tied leaders when no model wins outright, and lists the
 * criteria the scenario could not measure, so a missing answer is never read as a draw. The tables live
 * in modules of their own: comparison-model-tables.ts, comparison-fault-tables.ts, comparison-scorecard.ts,
 * comparison-differences.ts, comparison-services-table.ts.
 *
 * Contents: `comparisonDocument` (and, re-exported, `headlineCoverage`, `scorecardTable`).
 */
import type { ComparisonResult } from '../experiment/index.js';
import { comparisonCharts } from './charts/report-charts.js';
import { groupedByRegion } from './charts/traffic-matrix-chart.js';
import { differencesTable } from './comparison-differences.js';
import { blastTable, faultBlastTable, faultsTable } from './comparison-fault-tables.js';
import { controlPlaneTable, costTable, modelsTable, spofLocalityTable } from './comparison-model-tables.js';
import { bestText, scorecardTable, verdictTable } from './comparison-scorecard.js';
import { comparisonServicesTables } from './comparison-services-table.js';
import { formatNumber } from './format.js';
import type { ReportDocument } from './report-document.js';
import { trafficTable } from './traffic-table.js';

export { headlineCoverage } from './comparison-fault-tables.js';
export { scorecardTable } from './comparison-scorecard.js';

/** A model comparison as a report document. */
export function comparisonDocument(r: ComparisonResult): ReportDocument {
  const { charts, notes } = comparisonCharts(r);
  const seeds = r.models[0]?.seeds ?? [];
  return {
    title: `${r.scenario}: deployment models compared`,
    facts: [
      ['scenario', r.scenario],
      ['models', r.models.map((m) => m.model).join(', ')],
      ['seed', String(r.seed)],
      ['replications', `${r.replications} per model, seeds ${seeds.join(', ')} (shared by every model)`],
      [
        'simulated',
        `${formatNumber(r.durationMs / 1000)} s per replication, first ${formatNumber(r.warmupMs / 1000)} s warm-up excluded, ${formatNumber(r.windowMs / 1000)} s windows`,
      ],
      ['meshsim', r.meshsimVersion],
    ],
    rerun: r.rerun,
    highlightsTitle: 'Verdict',
    highlights: [
      ...(r.verdict.criteria.length === 0
        ? []
        : [
            'Best per criterion: ' +
              r.verdict.criteria.map((c) => `${c.criterion} ${c.best ?? `(${bestText(c)})`}`).join('; ') +
              '.',
          ]),
      ...r.verdict.fits,
    ],
    scorecard: scorecardTable(r),
    leadTables: [modelsTable(r), verdictTable(r)],
    charts,
    detailTables: [
      blastTable(r),
      faultBlastTable(r),
      spofLocalityTable(r),
      costTable(r),
      controlPlaneTable(r),
      differencesTable(r),
      faultsTable(r),
      ...comparisonServicesTables(r),
      ...r.models.map((m) => {
        const g = groupedByRegion(
          m.traffic,
          (r.clusterRegions ?? []).map((c) => c.cluster),
          r.clusterRegions,
        );
        return trafficTable(
          `traffic-${m.model}`,
          `Traffic matrix: ${m.model} (mean calls per replication)`,
          g.traffic,
          g.grouped
            ? 'Calls by the caller’s region (rows) and the serving replica’s region (columns); every cluster pair is in csv/traffic-matrix.csv.'
            : 'Calls by the caller’s cluster (rows) and the serving replica’s cluster (columns).',
        );
      }),
    ],
    notes,
  };
}
