/**
 * Every file of a sweep's report folder:
 *
 * ```
 * sweep.json               the SweepResult (what `sweep --json` prints): every point's full comparison
 * summary.md, index.html   the sweep document (sweep-document.ts): overview, charts, a scorecard per point
 * charts/sweep-<figure>.*  each chosen figure against the first swept parameter, a line and band per model
 * csv/sweep.csv            one row per point and model, every figure with its interval (sweep-csv.ts)
 * ```
 *
 * Contents: `sweepReportFiles`, `sweepJson`, `DEFAULT_SWEEP_FIGURES`.
 */
import type { ModelFigure, SweepResult } from '../experiment/index.js';
import type { ReportFile } from './atomic-write.js';
import { sweepChart } from './charts/sweep-chart.js';
import { documentHtml, type RenderedChart } from './html.js';
import { documentMarkdown } from './markdown.js';
import { sweepCsv } from './sweep-csv.js';
import { sweepDocument } from './sweep-document.js';
import { sweepFigure, type SweepFigure } from './sweep-figures.js';
import { renderSvg } from './svg.js';

export const DEFAULT_SWEEP_FIGURES = ['availability_ratio', 'latency_p99_ms'] as const;

/** The sweep as JSON text, two-space indented, newline-ended. */
export function sweepJson(r: SweepResult): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

/**
 * The report of `r`: `figures` (experiment's `MODEL_FIGURES`) in the CSV, the ones named `figureNames`
 * (as the CSV names them) charted.
 */
export async function sweepReportFiles(
  r: SweepResult,
  figures: readonly ModelFigure[],
  figureNames: readonly string[] = DEFAULT_SWEEP_FIGURES,
): Promise<ReportFile[]> {
  const written = figures.map(sweepFigure);
  const charted = figureNames.map((n) => {
    const f = written.find((w) => w.name === n);
    if (f === undefined) throw new Error(`sweepReportFiles: no figure "${n}"`);
    return f;
  });
  const charts = charted.map((f: SweepFigure) => ({
    name: `sweep-${f.name}`,
    spec: sweepChart(r, f),
    figure: f,
  }));
  const rendered: RenderedChart[] = [];
  for (const c of charts) rendered.push({ name: c.name, svg: await renderSvg(c.spec, { idPrefix: c.name }) });
  const doc = sweepDocument(
    r,
    charts.map((c) => ({
      name: c.name,
      title: `${c.figure.title} against ${r.parameters[0]?.path ?? ''}`,
      caption:
        'Where two models\u2019 bands part, their difference at that point is beyond the noise; where the lines cross, the better model changes.',
    })),
  );
  return [
    { name: 'sweep.json', content: sweepJson(r) },
    { name: 'summary.md', content: documentMarkdown(doc) },
    { name: 'index.html', content: documentHtml(doc, rendered) },
    ...charts.flatMap((c, i) => [
      { name: `charts/${c.name}.vl.json`, content: `${JSON.stringify(c.spec, null, 2)}\n` },
      { name: `charts/${c.name}.svg`, content: rendered[i]?.svg ?? '' },
    ]),
    { name: 'csv/sweep.csv', content: await sweepCsv(r, figures) },
  ];
}
