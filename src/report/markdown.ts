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

/**
 * Text meshsim wrote itself (sentences, figures, names) made safe to embed: one line, no raw HTML, no
 * autolink, no link or image syntax. Emphasis characters are kept: they cannot smuggle anything in.
 */
export function markdownProse(text: string): string {
  return (
    text
      .replace(/\r\n?|\n/g, ' ')
      // Raw HTML and autolinks start with `<` and a letter, `/`, `!` or `?` (CommonMark 6.5, 6.6): `<->` stays.
      .replace(/<(?=[A-Za-z/!?])/g, '\\<')
      .replace(/!\[/g, '!\\[')
      .replace(/\]\(/g, '\\](')
  );
}

/** Text that came from outside (a file path, a name): every Markdown punctuation character escaped. */
export function markdownText(text: string): string {
  return text.replace(/\r\n?|\n/g, ' ').replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => `\\${c}`);
}

/** `text` as one inline code span, whatever backticks it holds (CommonMark 6.1). */
export function markdownCode(text: string): string {
  const flat = text.replace(/\r\n?|\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A cell's text made safe inside a Markdown table row. */
function cell(text: string): string {
  return markdownProse(text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|'));
}

/** A table as GFM: header, alignment row (numbers right-aligned), rows, and its note in italics. */
export function markdownTable(t: ReportTable): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const align = t.header.map((_, i) => (t.numeric[i] === true ? '---:' : '---'));
  const out = [`## ${t.title}`, '', line(t.header), `|${align.join('|')}|`, ...t.rows.map(line)];
  if (t.rows.length === 0) out.push(line(t.header.map((_, i) => (i === 0 ? '(none)' : ''))));
  if (t.note !== undefined) out.push('', `*${markdownProse(t.note).replace(/\*/g, '\\*')}*`);
  return out.join('\n');
}

/** A report document as Markdown, newline-ended. */
export function documentMarkdown(doc: ReportDocument): string {
  const sections = [
    `# ${markdownProse(doc.title)}`,
    doc.facts.map(([label, value]) => `- **${markdownProse(label)}**: ${markdownProse(value)}`).join('\n'),
    `Rerun: ${markdownCode(doc.rerun)}`,
    ...(doc.scorecard === undefined ? [] : [markdownTable(doc.scorecard)]),
    [
      `## ${markdownProse(doc.highlightsTitle)}`,
      '',
      ...doc.highlights.map((h) => `- ${markdownProse(h)}`),
    ].join('\n'),
    ...doc.leadTables.map(markdownTable),
    [
      '## Charts',
      '',
      ...doc.charts.map(
        (c) => `- [${markdownText(c.title)}](charts/${encodeURI(c.name)}.svg): ${markdownProse(c.caption)}`,
      ),
      ...doc.notes.map((n) => `- ${markdownProse(n)}`),
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
