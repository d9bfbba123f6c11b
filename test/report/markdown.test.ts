import { describe, expect, it } from 'vitest';
import { comparisonMarkdown, markdownTable, runMarkdown } from '../../src/report/index.js';
import { comparisonFixture, runFixture } from './fixtures.js';

/** Cells of a GFM table row, honouring `\|` escapes. */
const cells = (line: string) => line.slice(1, -1).split(/(?<!\\)\|/);

/** Every table in a Markdown text is well formed: each row has as many cells as its header. */
function expectWellFormedTables(md: string): number {
  const lines = md.split('\n');
  let tables = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]?.startsWith('|') || lines[i - 1]?.startsWith('|')) continue;
    tables++;
    const width = cells(lines[i] ?? '').length;
    expect(lines[i + 1]).toMatch(/^\|(-{3}:?\|)+$/);
    for (let j = i; lines[j]?.startsWith('|'); j++) expect(cells(lines[j] ?? '')).toHaveLength(width);
  }
  return tables;
}

describe('report/markdown', () => {
  it('comparisonMarkdown(comparison) states the verdict, the seeds and the rerun command', () => {
    const md = comparisonMarkdown(comparisonFixture);
    expect(md).toContain('## Verdict');
    for (const c of comparisonFixture.verdict.criteria) expect(md).toContain(c.note);
    for (const f of comparisonFixture.verdict.fits) expect(md).toContain(f);
    expect(md).toContain(`Rerun: \`${comparisonFixture.rerun}\``);
    expect(md).toContain('- **seed**: 7');
    expect(md).toContain('seeds 1001, 1002, 1003, 1004, 1005');
    expect(md).toContain('| multi-primary | multi-primary | multi | 99.910% [99.870%, 99.950%] |');
    expect(md).toContain('[Blast radius](charts/blast-radius.svg)');
  });

  it('comparisonMarkdown(comparison) tables are well formed GFM', () => {
    expect(expectWellFormedTables(comparisonMarkdown(comparisonFixture))).toBeGreaterThanOrEqual(8);
  });

  it('runMarkdown(run) states seed, rerun, per-fault blast radius, cost and a fault that never recovered', () => {
    const md = runMarkdown(runFixture);
    expect(md).toContain(`Rerun: \`${runFixture.rerun}\``);
    expect(md).toContain('- **seed**: 42');
    expect(md).toMatch(
      /\| control-plane-outage \| istiod of us-east-1 \| 60 s \| 60 s \| 100\.0% \| 67\.0% \| 1\.20% \| 0\.80% \| 4\.2 s \|/,
    );
    expect(md).toMatch(/\| pod-failure \| .* \| until the end \| .* \| never \|/);
    expect(md).toContain(runFixture.cost?.method);
    expect(expectWellFormedTables(md)).toBeGreaterThanOrEqual(6);
  });

  it('runMarkdown(run without faults) says so instead of drawing an empty chart', () => {
    const md = runMarkdown({ ...runFixture, faults: [] });
    expect(md).toContain('No faults in this scenario');
    expect(md).not.toContain('charts/blast-radius.svg');
  });

  it('markdownTable(table) escapes pipes in cells', () => {
    const md = markdownTable({
      id: 't',
      title: 'T',
      header: ['a', 'b'],
      rows: [['x|y', '1']],
      numeric: [false, true],
    });
    expect(md).toBe('## T\n\n| a | b |\n|---|---:|\n| x\\|y | 1 |');
  });
});
