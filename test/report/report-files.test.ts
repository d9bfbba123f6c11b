import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  comparisonJson,
  comparisonReportFiles,
  runReportFiles,
  summaryJson,
  writeReportFolder,
  type ReportFile,
} from '../../src/report/index.js';
import { comparisonFixture, quickstartSummary, runFixture } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'meshsim-report-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const names = (files: readonly ReportFile[]) => files.map((f) => f.name);

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p, base) : [relative(base, p)];
  });
}

const chartFiles = (...charts: string[]) => charts.flatMap((c) => [`charts/${c}.vl.json`, `charts/${c}.svg`]);

describe('report/report-files', () => {
  it('comparisonReportFiles(comparison) lays out the documented files in order', async () => {
    const files = await comparisonReportFiles(comparisonFixture);
    expect(names(files)).toEqual([
      'comparison.json',
      'summary.md',
      'index.html',
      ...chartFiles('availability', 'latency', 'blast-radius', 'traffic-matrix', 'service-graph', 'cost'),
      'csv/comparison.csv',
      'csv/differences.csv',
      'csv/timeline.csv',
      'csv/traffic-matrix.csv',
      'csv/faults.csv',
      'csv/service-graph.csv',
      'csv/services.csv',
    ]);
    expect(files[0]?.content).toBe(comparisonJson(comparisonFixture));
    expect(JSON.parse(String(files[0]?.content))).toEqual(JSON.parse(JSON.stringify(comparisonFixture)));
  });

  it('runReportFiles(run) lays out the documented files in order', async () => {
    const files = await runReportFiles(runFixture);
    expect(names(files)).toEqual([
      'summary.json',
      'summary.md',
      'index.html',
      ...chartFiles('availability', 'latency', 'blast-radius', 'traffic-matrix', 'service-graph'),
      'csv/faults.csv',
      'csv/timeline.csv',
      'csv/services.csv',
      'csv/clusters.csv',
      'csv/traffic-matrix.csv',
      'csv/service-graph.csv',
    ]);
    expect(files[0]?.content).toBe(summaryJson(runFixture));
  });

  it('runReportFiles(quickstart run) gives the same layout less the blast-radius chart', async () => {
    const summary = await quickstartSummary();
    const files = await runReportFiles(summary);
    expect(names(files)).toEqual([
      'summary.json',
      'summary.md',
      'index.html',
      ...chartFiles('availability', 'latency', 'traffic-matrix', 'service-graph'),
      'csv/faults.csv',
      'csv/timeline.csv',
      'csv/services.csv',
      'csv/clusters.csv',
      'csv/traffic-matrix.csv',
      'csv/service-graph.csv',
    ]);
    const md = String(files[1]?.content);
    expect(summary.rerun).toMatch(/^meshsim run scenarios\/quickstart\.yaml .*--seed 42/);
    expect(md).toContain(`Rerun: \`${summary.rerun}\``);
    expect(md).toContain('No faults in this scenario');
  });

  it('comparisonReportFiles(comparison) twice gives identical bytes, whatever was rendered between', async () => {
    const a = await comparisonReportFiles(comparisonFixture);
    await runReportFiles(runFixture);
    const b = await comparisonReportFiles(comparisonFixture);
    expect(b).toEqual(a);
  });

  it('runReportFiles(run) twice gives identical bytes', async () => {
    expect(await runReportFiles(runFixture)).toEqual(await runReportFiles(runFixture));
  });

  it('writeReportFolder(dir, comparisonReportFiles(comparison)) writes exactly those files', async () => {
    const files = await comparisonReportFiles(comparisonFixture);
    const dir = join(root, 'cmp');
    await writeReportFolder(dir, files);
    expect(walk(dir).sort()).toEqual(names(files).sort());
  });

  it('the chart .vl.json files are the specs the SVGs were drawn from', async () => {
    const files = await runReportFiles(runFixture);
    const spec = JSON.parse(String(files.find((f) => f.name === 'charts/availability.vl.json')?.content)) as {
      title: { text: string };
    };
    expect(spec.title.text).toBe('Availability over time');
    const svg = String(files.find((f) => f.name === 'charts/availability.svg')?.content);
    expect(svg).toContain('Availability over time');
  });
});
