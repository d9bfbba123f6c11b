/**
 * A capacity search's report: `capacity.json` (the CapacityResult, what `capacity --json` prints),
 * `summary.md` and `index.html` (the answer per model, then every step with its confidence),
 * `csv/capacity-steps.csv` (one row per model and step), and the terminal text.
 *
 * Contents: `capacityReportFiles`, `capacityJson`, `capacityText`, `capacityDocument`.
 */
import type { CapacityModelResult, CapacityResult } from '../experiment/index.js';
import type { ReportFile } from './atomic-write.js';
import { type CsvRow, csvText } from './csv-text.js';
import { documentHtml } from './html.js';
import { documentMarkdown } from './markdown.js';
import type { ReportDocument, ReportTable } from './report-document.js';
import { textTable } from './text-table.js';

const num = (x: number) =>
  Number.isInteger(x) ? x.toLocaleString('en') : x.toLocaleString('en', { maximumSignificantDigits: 5 });
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** `availability >= 99.9%`, `latencyP90 <= 80 ms`. */
function objectiveText(o: { objective: string; target: number }): string {
  return o.objective === 'availability'
    ? `availability >= ${(o.target * 100).toPrecision(4)}%`
    : `${o.objective} <= ${num(o.target)} ms`;
}

function precisionText(r: CapacityResult): string {
  return 'absolute' in r.precision
    ? `${num(r.precision.absolute)} ${r.unit}`
    : `${r.precision.relative * 100}%`;
}

/** The sentence a team quotes in a review. */
function answer(r: CapacityResult, m: CapacityModelResult): string {
  const u = r.unit === '' ? '' : ` ${r.unit}`;
  switch (m.status) {
    case 'found':
      return `${m.model} holds the SLO up to ${num(m.holds as number)}${u} of ${r.parameter} (misses at ${num(m.misses as number)}${u}; precision ${precisionText(r)})`;
    case 'holds-at-top':
      return `${m.model} still holds the SLO at ${num(m.holds as number)}${u}, the top of the search: its capacity is higher`;
    case 'misses-at-bottom':
      return `${m.model} misses the SLO already at ${num(m.misses as number)}${u}, the bottom of the search`;
  }
}

function stepsTable(r: CapacityResult): ReportTable {
  return {
    id: 'steps',
    title: 'Every step of the search',
    header: [
      'model',
      'step',
      r.parameter + (r.unit === '' ? '' : ` (${r.unit})`),
      'SLO',
      'binding objective',
      'mean [95% CI]',
      'confidence',
    ],
    rows: r.models.flatMap((m) =>
      m.steps.map((s, i) => {
        const binding = s.holds
          ? [...s.objectives].sort((a, b) => a.confidence - b.confidence)[0]
          : [...s.objectives].filter((o) => !o.met).sort((a, b) => b.confidence - a.confidence)[0];
        return [
          m.model,
          String(i + 1),
          num(s.value),
          s.holds ? 'holds' : 'misses',
          binding === undefined ? '' : objectiveText(binding),
          binding?.mean === null || binding === undefined
            ? 'not measured'
            : `${num(binding.mean)} [${num(binding.ci95?.[0] ?? binding.mean)}, ${num(binding.ci95?.[1] ?? binding.mean)}]`,
          pct(s.confidence),
        ];
      }),
    ),
    numeric: [false, true, true, false, false, true, true],
    note: 'Each step is judged on the mean over replications (the same seeds at every step). Confidence: the one-sided Student-t probability that the true mean is on the side the step decided, for its least sure objective; below 95%, the step sits within the noise of the SLO and the answer near it is that uncertain.',
  };
}

export function capacityDocument(r: CapacityResult): ReportDocument {
  return {
    title: `${r.scenario}: capacity under the SLO`,
    facts: [
      ['scenario', r.scenario],
      ['varied', `${r.parameter}${r.unit === '' ? '' : ` (${r.unit})`}`],
      ['SLO', r.slo.map(objectiveText).join(', ')],
      ['precision', precisionText(r)],
      ['seed', String(r.seed)],
      ['replications', `${r.replications} per step, the same seeds at every step and for every model`],
      ['meshsim', r.meshsimVersion],
    ],
    rerun: r.rerun,
    highlightsTitle: 'Capacity',
    highlights: r.models.map((m) => `${answer(r, m)}.`),
    leadTables: [
      {
        id: 'capacity',
        title: 'Capacity per model',
        header: ['model', 'holds at', 'misses at', 'steps', 'least confidence'],
        rows: r.models.map((m) => [
          m.model,
          m.holds === null ? '-' : num(m.holds),
          m.misses === null ? '-' : num(m.misses),
          String(m.steps.length),
          m.steps.length === 0 ? '-' : pct(Math.min(...m.steps.map((s) => s.confidence))),
        ]),
        numeric: [false, true, true, true, true],
      },
    ],
    charts: [],
    detailTables: [stepsTable(r)],
    notes: [],
  };
}

export function capacityJson(r: CapacityResult): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

export function capacityText(r: CapacityResult, dir: string): string {
  const doc = capacityDocument(r);
  const lead = doc.leadTables[0] as ReportTable;
  return [
    `meshsim: capacity of ${r.scenario} in ${r.parameter}, ${r.replications} replications per step`,
    '',
    ...r.models.map((m) => `  ${answer(r, m)}`),
    '',
    textTable(lead.header, lead.rows),
    '',
    `report: ${dir}/index.html (every step with its confidence)`,
    `rerun: ${r.rerun}`,
    '',
  ].join('\n');
}

export async function capacityReportFiles(r: CapacityResult): Promise<ReportFile[]> {
  const doc = capacityDocument(r);
  const rows = r.models.flatMap((m) =>
    m.steps.flatMap((s, i) =>
      s.objectives.map((o): CsvRow => ({
        model: m.model,
        step: i + 1,
        value: s.value,
        slo_holds: s.holds,
        step_confidence_ratio: s.confidence,
        objective: o.objective,
        target: o.target,
        mean: o.mean,
        mean_ci_low: o.ci95?.[0] ?? null,
        mean_ci_high: o.ci95?.[1] ?? null,
        objective_met: o.met,
        objective_confidence_ratio: o.confidence,
      })),
    ),
  );
  return [
    { name: 'capacity.json', content: capacityJson(r) },
    { name: 'summary.md', content: documentMarkdown(doc) },
    { name: 'index.html', content: documentHtml(doc, []) },
    {
      name: 'csv/capacity-steps.csv',
      content: await csvText(rows, [
        'model',
        'step',
        'value',
        'slo_holds',
        'step_confidence_ratio',
        'objective',
        'target',
        'mean',
        'mean_ci_low',
        'mean_ci_high',
        'objective_met',
        'objective_confidence_ratio',
      ]),
    },
  ];
}
