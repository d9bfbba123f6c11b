/**
 * `index.html`: the whole report as one self-contained page to attach to a review. Charts are inline SVG,
 * styles are inline CSS, and a Content-Security-Policy forbids every fetch, so the page shows the same
 * offline, in a mail client or printed. Nothing on it depends on the time it was made: the same report gives
 * the same bytes.
 *
 * Contents: `documentHtml`, `RenderedChart`, `escapeHtml`.
 */
import type { ReportDocument, ReportTable } from './report-document.js';

/** A chart's SVG markup under its chart name. */
export interface RenderedChart {
  readonly name: string;
  readonly svg: string;
}

/** Text made safe inside HTML elements and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #5a5a5a; --rule: #d9d9d9; --accent: #0072b2; --tint: #f1f6fa; }
* { box-sizing: border-box; }
html { background: #fff; }
body { margin: 0 auto; max-width: 980px; padding: 28px 32px 48px; color: var(--ink);
  font: 14px/1.5 "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif; }
header { border-bottom: 2px solid var(--ink); padding-bottom: 12px; margin-bottom: 20px; }
.kicker { margin: 0; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); }
h1 { margin: 2px 0 12px; font-size: 26px; line-height: 1.2; }
h2 { margin: 32px 0 8px; font-size: 18px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 10px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.rerun { margin: 8px 0 0; }
.rerun span { color: var(--muted); margin-right: 8px; }
code { font: 13px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f4f4f4; padding: 2px 6px;
  border-radius: 3px; overflow-wrap: anywhere; }
section.highlights { background: var(--tint); border-left: 4px solid var(--accent); padding: 10px 16px; margin: 16px 0; }
section.highlights h2 { border: 0; margin: 0 0 4px; padding: 0; }
section.highlights ul { margin: 0; padding-left: 20px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 4px; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: #f7f7f7; font-weight: 600; border-bottom: 1px solid #bdbdbd; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
td.num .ci { display: block; font-size: 11px; color: var(--muted); }
.table-scroll { overflow-x: auto; }
tbody tr:nth-child(even) td { background: #fbfbfb; }
p.note { margin: 4px 0 0; color: var(--muted); font-size: 12px; }
figure { margin: 24px 0; padding: 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
ul.notes { color: var(--muted); }
footer { margin-top: 40px; border-top: 1px solid var(--rule); padding-top: 8px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, section.highlights { break-inside: avoid; page-break-inside: avoid; }
  code { background: none; padding: 0; }
  .table-scroll { overflow: visible; }
  table { font-size: 10px; }
  th, td { padding: 3px 5px; }
}
`;

/**
 * A numeric cell; an estimate `mean [lo, hi]` puts its interval on a second, quieter line, which keeps wide
 * comparison tables within an A4 page and lets the eye run down the means.
 */
function numericCell(text: string): string {
  const m = /^(.+?) (\[.+\])$/.exec(text);
  if (m === null) return escapeHtml(text);
  return `${escapeHtml(m[1] ?? '')}<span class="ci">${escapeHtml(m[2] ?? '')}</span>`;
}

function tableHtml(t: ReportTable): string {
  const num = (i: number) => t.numeric[i] === true;
  const cls = (i: number) => (num(i) ? ' class="num"' : '');
  const head = t.header.map((h, i) => `<th scope="col"${cls(i)}>${escapeHtml(h)}</th>`).join('');
  const td = (c: string, i: number) => `<td${cls(i)}>${num(i) ? numericCell(c) : escapeHtml(c)}</td>`;
  const rows =
    t.rows.length === 0
      ? `<tr><td colspan="${t.header.length}">(none)</td></tr>`
      : t.rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('\n');
  return [
    `<section class="table" id="${escapeHtml(t.id)}">`,
    `<h2>${escapeHtml(t.title)}</h2>`,
    // On a narrow screen a wide table scrolls inside its box rather than widening the page.
    `<div class="table-scroll">`,
    `<table>`,
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>\n${rows}\n</tbody>`,
    `</table>`,
    `</div>`,
    ...(t.note === undefined ? [] : [`<p class="note">${escapeHtml(t.note)}</p>`]),
    `</section>`,
  ].join('\n');
}

/**
 * The document as one HTML page, with each chart's SVG inlined where the document lists it. A chart whose
 * SVG is missing is a programming error: the page must not silently lose a figure.
 */
export function documentHtml(doc: ReportDocument, charts: readonly RenderedChart[]): string {
  const svgs = new Map(charts.map((c) => [c.name, c.svg]));
  const figures = doc.charts.map((c) => {
    const svg = svgs.get(c.name);
    if (svg === undefined) throw new Error(`documentHtml: no SVG for chart "${c.name}"`);
    return [
      `<figure id="chart-${escapeHtml(c.name)}" aria-labelledby="caption-${escapeHtml(c.name)}">`,
      svg,
      `<figcaption id="caption-${escapeHtml(c.name)}"><strong>${escapeHtml(c.title)}.</strong> ${escapeHtml(c.caption)}</figcaption>`,
      `</figure>`,
    ].join('\n');
  });
  const facts = doc.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n');
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Nothing may be fetched: the page is complete as it is, which is what makes it safe to attach.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<p class="kicker">meshsim report</p>',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<dl class="facts">\n${facts}\n</dl>`,
    `<p class="rerun"><span>rerun</span><code>${escapeHtml(doc.rerun)}</code></p>`,
    '</header>',
    '<main>',
    ...(doc.scorecard === undefined ? [] : [tableHtml(doc.scorecard)]),
    `<section class="highlights" id="highlights">`,
    `<h2>${escapeHtml(doc.highlightsTitle)}</h2>`,
    `<ul>\n${doc.highlights.map((h) => `<li>${escapeHtml(h)}</li>`).join('\n')}\n</ul>`,
    '</section>',
    ...doc.leadTables.map(tableHtml),
    ...figures,
    ...(doc.notes.length === 0
      ? []
      : [`<ul class="notes">\n${doc.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('\n')}\n</ul>`]),
    ...doc.detailTables.map(tableHtml),
    '</main>',
    `<footer>Made by meshsim. Every figure follows from the scenario file and the seed(s) above; with the same meshsim version, <code>${escapeHtml(doc.rerun)}</code> reproduces this report exactly.</footer>`,
    '</body>',
    '</html>',
  ];
  return `${parts.join('\n')}\n`;
}
