/**
 * `summary.md`: the report as GitHub-flavoured Markdown, made to be pasted into a design document. It
 * states the seed(s) and the rerun command, gives the verdict or headline first, then one table per topic,
 * and links the chart SVGs by their path inside the report folder.
 *
 * Contents: `documentMarkdown`, `markdownTable`, `runMarkdown`, `comparisonMarkdown`.
 */
import type { ComparisonResult } from '../experiment/index.js';
import type { RunSummary } from '../metrics/index.js';
import { comparisonDocument } from './comparison-document.js';
import type { ReportDocument, ReportTable } from './report-document.js';
import { runDocument } from './run-document.js';

/** A cell's text made safe inside a Markdown table row. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A table as GFM: header, alignment row (numbers right-aligned), rows, and its note in italics. */
export function markdownTable(t: ReportTable): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const align = t.header.map((_, i) => (t.numeric[i] === true ? '---:' : '---'));
  const out = [`## ${t.title}`, '', line(t.header), `|${align.join('|')}|`, ...t.rows.map(line)];
  if (t.rows.length === 0) out.push(line(t.header.map((_, i) => (i === 0 ? '(none)' : ''))));
  if (t.note !== undefined) out.push('', `*${t.note.replace(/\*/g, '\\*')}*`);
  return out.join('\n');
}

/** A report document as Markdown, newline-ended. */
export function documentMarkdown(doc: ReportDocument): string {
  const sections = [
    `# ${doc.title}`,
    doc.facts.map(([label, value]) => `- **${label}**: ${value}`).join('\n'),
    `Rerun: \`${doc.rerun}\``,
    ...(doc.scorecard === undefined ? [] : [markdownTable(doc.scorecard)]),
    [`## ${doc.highlightsTitle}`, '', ...doc.highlights.map((h) => `- ${h}`)].join('\n'),
    ...doc.leadTables.map(markdownTable),
    [
      '## Charts',
      '',
      ...doc.charts.map((c) => `- [${c.title}](charts/${c.name}.svg): ${c.caption}`),
      ...doc.notes.map((n) => `- ${n}`),
    ].join('\n'),
    ...doc.detailTables.map(markdownTable),
  ];
  return `${sections.join('\n\n')}\n`;
}

/** `summary.md` of one run. */
export function runMarkdown(summary: RunSummary): string {
  return documentMarkdown(runDocument(summary));
}

/** `summary.md` of a model comparison. */
export function comparisonMarkdown(result: ComparisonResult): string {
  return documentMarkdown(comparisonDocument(result));
}
