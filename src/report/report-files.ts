/**
 * The report folder, file by file. Hand the result to `writeReportFolder`. The layout is the same for every
 * run and every comparison, so scripts and reviewers always find a thing in the same place:
 *
 * ```
 * summary.json          run: the RunSummary (output contract of scenario-format.md)
 * comparison.json       comparison: the ComparisonResult (same contract, `compare --json`)
 * summary.md            Markdown tables to paste into a design document; seed(s) and rerun command
 * index.html            one self-contained page (inline SVG and CSS, fetches nothing): every chart and
 *                       table, the verdict, the seed(s) and the rerun command; prints on A4
 * charts/<name>.vl.json the Vega-Lite spec, data inline (open it in any Vega-Lite editor to restyle)
 * charts/<name>.svg     the same chart rendered, as inlined in index.html
 *   availability        availability per window and model, faults shaded
 *   latency             p50 and p99 per model with 95% intervals (a run: p50, p90, p99, p99.9)
 *   blast-radius        blast radius per model (a run: per fault); only when faults were measured
 *   traffic-matrix      calls by client cluster and serving cluster, one panel per model
 *   cost                comparison only: istiod + sidecar vCPU against availability; only with cost figures
 * csv/faults.csv        per fault (run), or per model and fault plus the average fault (comparison)
 * csv/timeline.csv      per window (and model): availability, latency
 * csv/traffic-matrix.csv  calls by client and serving cluster (and model)
 * csv/services.csv      run: per service
 * csv/clusters.csv      run: per client cluster
 * csv/service-graph.csv per edge (and model), then per response code and flag: rate, errors, latency
 * csv/comparison.csv    comparison: per model and metric: mean, 95% interval, unit
 * csv/differences.csv   comparison: paired differences a − b with intervals
 * ```
 *
 * Files come in this order, and the same input always gives the same bytes (no timestamps, chart ids
 * renumbered), so two report folders can be compared with `diff -r`.
 */
import type { ComparisonResult } from '../experiment/index.js';
import type { RunSummary } from '../metrics/index.js';
import type { ReportFile } from './atomic-write.js';
import { type ReportChart, comparisonCharts, runCharts } from './charts/report-charts.js';
import { comparisonCsvFiles } from './comparison-csv.js';
import { comparisonDocument } from './comparison-document.js';
import { comparisonJson } from './comparison-json.js';
import { runFaultsCsv } from './faults-csv.js';
import { type RenderedChart, documentHtml } from './html.js';
import { documentMarkdown } from './markdown.js';
import { runCsvFiles } from './run-csv.js';
import { runDocument } from './run-document.js';
import { summaryJson } from './summary-json.js';
import { renderSvg } from './svg.js';

/** Renders each chart in turn (one Vega view at a time keeps memory flat) with ids unique per chart. */
async function renderCharts(charts: readonly ReportChart[]): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const c of charts) out.push({ name: c.name, svg: await renderSvg(c.spec, { idPrefix: c.name }) });
  return out;
}

function chartFiles(charts: readonly ReportChart[], rendered: readonly RenderedChart[]): ReportFile[] {
  return charts.flatMap((c, i) => [
    { name: `charts/${c.name}.vl.json`, content: `${JSON.stringify(c.spec, null, 2)}\n` },
    { name: `charts/${c.name}.svg`, content: rendered[i]?.svg ?? '' },
  ]);
}

const inCsvFolder = (files: readonly ReportFile[]): ReportFile[] =>
  files.map((f) => ({ name: `csv/${f.name}`, content: f.content }));

/** Every file of a run's report folder, in the documented layout. */
export async function runReportFiles(summary: RunSummary): Promise<ReportFile[]> {
  const doc = runDocument(summary);
  const { charts } = runCharts(summary);
  const rendered = await renderCharts(charts);
  return [
    { name: 'summary.json', content: summaryJson(summary) },
    { name: 'summary.md', content: documentMarkdown(doc) },
    { name: 'index.html', content: documentHtml(doc, rendered) },
    ...chartFiles(charts, rendered),
    { name: 'csv/faults.csv', content: await runFaultsCsv(summary) },
    ...inCsvFolder(await runCsvFiles(summary)),
  ];
}

/** Every file of a comparison's report folder, in the documented layout. */
export async function comparisonReportFiles(result: ComparisonResult): Promise<ReportFile[]> {
  const doc = comparisonDocument(result);
  const { charts } = comparisonCharts(result);
  const rendered = await renderCharts(charts);
  return [
    { name: 'comparison.json', content: comparisonJson(result) },
    { name: 'summary.md', content: documentMarkdown(doc) },
    { name: 'index.html', content: documentHtml(doc, rendered) },
    ...chartFiles(charts, rendered),
    ...inCsvFolder(await comparisonCsvFiles(result)),
  ];
}
