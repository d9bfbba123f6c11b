import { describe, expect, it } from 'vitest';
import type { ComparisonResult } from '../../src/experiment/index.js';
import { comparisonDocument } from '../../src/report/comparison-document.js';
import { comparisonMarkdown, markdownTable, runMarkdown } from '../../src/report/index.js';
import { OUTAGE_ROW_PRIMARY_REMOTE, comparisonFixture, runFixture } from './fixtures.js';

/** Cells of a GFM table row, honouring `\|` escapes. */
const cells = (line: string) => line.slice(1, -1).split(/(?<!\\)\|/);

/** The body rows of the table titled `title`, as trimmed cells (header and alignment row left out). */
function tableRows(md: string, title: string): string[][] {
  const lines = md.split('\n');
  const start = lines.indexOf(`## ${title}`);
  expect(start, `table "${title}"`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (let i = start + 4; lines[i]?.startsWith('|'); i++)
    rows.push(cells(lines[i] ?? '').map((c) => c.trim()));
  return rows;
}

/** The comparison fixture's Markdown with some of its fields replaced. */
const markdownOf = (change: Partial<ComparisonResult>) =>
  comparisonMarkdown({ ...comparisonFixture, ...change });

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

  it('comparisonDocument(comparison) puts blast radius by fault right after the average fault', () => {
    const ids = comparisonDocument(comparisonFixture).detailTables.map((t) => t.id);
    expect(ids.slice(ids.indexOf('blast-radius'), ids.indexOf('blast-radius') + 3)).toEqual([
      'blast-radius',
      'fault-blast-radius',
      'spof-locality',
    ]);
  });

  it('comparisonMarkdown(comparison) has one blast-radius row per fault and model, faults in scenario order', () => {
    const rows = tableRows(comparisonMarkdown(comparisonFixture), 'Blast radius by fault');
    const cpo = 'control-plane-outage istiod of us-east-1 @ 60 s';
    const partition = 'network-partition us-east <-> eu-west @ 150 s';
    const pod = 'pod-failure catalog in us-east-2 @ 210 s';
    expect(rows.map((r) => [r[0], r[2]])).toEqual(
      [cpo, partition, pod].flatMap((f) =>
        ['multi-primary', 'primary-remote', 'external'].map((m) => [f, m]),
      ),
    );
    // multi-primary, outage: 0.33±0.05, 0.25±0.04, 0.012±0.01, 0.004 (interval clipped at 0), 4200±800 ms.
    expect(rows[0]).toEqual([
      cpo,
      'fault',
      'multi-primary',
      '33.0% [28.0%, 38.0%]',
      '25.0% [21.0%, 29.0%]',
      '1.20% [0.20%, 2.20%]',
      '-',
      '-',
      '0.40% [0.00%, 0.80%]',
      '4.2 s [3.4 s, 5 s]',
      '0',
      '-',
    ]);
    // primary-remote, outage: every cluster and service in every replication; 2 of 5 never recovered.
    expect(rows[1]).toEqual(OUTAGE_ROW_PRIMARY_REMOTE);
    // primary-remote, pod failure: 4 of 5 never recovered, so no time to recover.
    expect(rows[7]).toEqual([
      pod,
      'fault',
      'primary-remote',
      '33.0% [28.0%, 38.0%]',
      '25.0% [21.0%, 29.0%]',
      '3.00% [2.00%, 4.00%]',
      '-',
      '-',
      '1.00% [0.50%, 1.50%]',
      '-',
      '4 of 5',
      '-',
    ]);
    expect(rows[2]?.[10]).toBe('1 of 5');
    expect(rows[8]?.[9]).toBe('3.1 s [same in all 5 replications]');
  });

  it('comparisonMarkdown(comparison without faults) keeps the per-fault table, empty, and says why', () => {
    const models = comparisonFixture.models.map((m) => ({ ...m, faults: [] }));
    const none = markdownOf({ faults: [], models });
    expect(tableRows(none, 'Blast radius by fault')).toEqual([
      ['(none)', '', '', '', '', '', '', '', '', '', '', ''],
    ]);
    expect(none).toContain('## Blast radius by fault\n\n| fault | kind | model |');
    expect(none.split('## Blast radius by fault')[1]).toMatch(/^[^#]*\*No faults in this scenario\.\*/);
    const unmeasured = markdownOf({
      models: comparisonFixture.models.map(({ faults: _faults, ...m }) => m),
    });
    expect(tableRows(unmeasured, 'Blast radius by fault')).toHaveLength(1);
    expect(unmeasured.split('## Blast radius by fault')[1]).toMatch(
      /^[^#]*\*The runs report no blast radius per fault\.\*/,
    );
  });

  it('comparisonMarkdown(comparison) shows availability during control-plane outages and locality, - where absent', () => {
    const md = comparisonMarkdown(comparisonFixture);
    expect(md).toContain(
      '| model | availability in control-plane outage | cross-cluster calls | cross-region calls |',
    );
    expect(tableRows(md, 'Single point of failure and data locality')).toEqual([
      ['multi-primary', '99.890% [99.850%, 99.930%]', '13.46% [13.06%, 13.86%]', '8.97% [8.67%, 9.27%]'],
      ['primary-remote', '97.310% [96.710%, 97.910%]', '14.62% [14.12%, 15.12%]', '9.75% [9.35%, 10.15%]'],
      ['external', '-', '-', '-'],
    ]);
    // The note names the faults it was measured over.
    expect(md).toMatch(/in the windows that overlap control-plane-outage istiod of us-east-1 @ 60 s/);
  });

  it('comparisonMarkdown(comparison) names tied leaders and lists criteria that were not measured', () => {
    const md = comparisonMarkdown(comparisonFixture);
    const rows = tableRows(md, 'Verdict by criterion');
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['availability', 'multi-primary'],
      ['p99Latency', 'no material difference'],
      ['controlPlaneCost', 'primary-remote'],
      ['collateral', 'no material difference: multi-primary, external'],
      ['configConsistency', 'not measured'],
    ]);
    expect(rows[4]?.[2]).toBe('no model measured it');
    expect(md).toContain('collateral (no material difference: multi-primary, external)');
    // One leader and no best is no tie.
    const single = markdownOf({
      verdict: {
        ...comparisonFixture.verdict,
        criteria: [{ criterion: 'availability', best: null, note: 'n', leaders: ['external'] }],
      },
    });
    expect(tableRows(single, 'Verdict by criterion')).toEqual([
      ['availability', 'no material difference', 'n'],
      ['configConsistency', 'not measured', 'no model measured it'],
    ]);
  });

  it('comparisonMarkdown(comparison) gives each paired difference its unit and, when significant, the better model', () => {
    const md = comparisonMarkdown(comparisonFixture);
    expect(md).toContain('| metric | unit | a | b | a − b | 95% CI | significant | material |');
    expect(tableRows(md, 'Paired differences')).toEqual([
      // Higher is better and a − b > 0: a.
      [
        'availability',
        'fraction',
        'multi-primary',
        'primary-remote',
        '0.0029',
        '[0.0021, 0.0037]',
        'yes: multi-primary better',
        '?',
      ],
      ['p99LatencyMs', 'ms', 'multi-primary', 'external', '-3', '[-7.9, 1.9]', 'no (interval spans 0)', '-'],
      // Lower is better and a − b < 0: a.
      [
        'latencyP99Ms',
        'ms',
        'multi-primary',
        'primary-remote',
        '-6',
        '[-9.2, -2.8]',
        'yes: multi-primary better',
        '?',
      ],
      // Lower is better and a − b > 0: b.
      [
        'istiodVcpu',
        'vCPU',
        'multi-primary',
        'primary-remote',
        '1',
        '[0.97, 1.03]',
        'yes: primary-remote better',
        '?',
      ],
      // Higher is better and a − b < 0: b.
      [
        'controlPlaneOutageAvailability',
        'fraction',
        'primary-remote',
        'multi-primary',
        '-0.0258',
        '[-0.0318, -0.0198]',
        'yes: multi-primary better',
        '?',
      ],
    ]);
  });

  it('comparisonMarkdown(comparison) without unit or better direction says plain yes', () => {
    const md = markdownOf({
      differences: [
        { metric: 'requests', a: 'external', b: 'multi-primary', mean: 12, ci95: [4, 20], significant: true },
      ],
    });
    expect(tableRows(md, 'Paired differences')).toEqual([
      ['requests', '-', 'external', 'multi-primary', '12', '[4, 20]', 'yes', '?'],
    ]);
  });

  it("comparisonMarkdown(comparison) says a difference within the histograms' resolution is not one", () => {
    const md = markdownOf({
      differences: [
        {
          metric: 'latencyP50Ms',
          unit: 'ms',
          better: 'lower',
          a: 'multi-primary',
          b: 'external',
          mean: -0.2,
          ci95: [-0.2, -0.2],
          significant: false,
          belowResolution: true,
        },
      ],
    });
    expect(tableRows(md, 'Paired differences')).toEqual([
      [
        'latencyP50Ms',
        'ms',
        'multi-primary',
        'external',
        '-0.2',
        '[identical in every replication]',
        'no (within what the latency histograms resolve)',
        '-',
      ],
    ]);
  });

  it('runMarkdown(run) states seed, rerun, per-fault blast radius, cost and a fault that never recovered', () => {
    const md = runMarkdown(runFixture);
    expect(md).toContain(`Rerun: \`${runFixture.rerun}\``);
    expect(md).toContain('- **seed**: 42');
    expect(md).toMatch(
      /\| control-plane-outage \| fault \| istiod of us-east-1 \| 60 s \| 60 s \| 100\.0% \| 67\.0% \| 1\.20% \| - \| - \| 0\.80% \| 4\.2 s \|/,
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
