/**
 * What `sweep` and `merge` write and print: the report folder and stdout of each kind of experiment,
 * through the report module's functions, so a merged result is written exactly as a one-machine one.
 *
 * Contents: `writeMergedReport`, `writeSweepReport`, `sweepFigures`.
 */
import { join } from 'node:path';
import type { CapacityResult, Merged, SweepResult } from '../experiment/index.js';
import { UsageError } from './exit-code.js';

/** `--figure a,b` checked against the sweep figures; the default pair without it. */
export async function sweepFigures(flag: string | undefined): Promise<string[]> {
  const { SWEEP_FIGURES, DEFAULT_SWEEP_FIGURES } = await import('../report/index.js');
  const names = SWEEP_FIGURES.map((f) => f.name);
  const figures = flag === undefined ? [...DEFAULT_SWEEP_FIGURES] : flag.split(',').map((s) => s.trim());
  const unknown = figures.filter((f) => !names.includes(f));
  if (unknown.length > 0)
    throw new UsageError(
      `meshsim: --figure: no figure ${unknown.map((f) => `"${f}"`).join(', ')}; figures: ${names.join(', ')}`,
    );
  return figures;
}

/** A sweep's report folder (default `reports/<scenario>-sweep`) and its stdout. */
export async function writeSweepReport(
  result: SweepResult,
  out: string | undefined,
  json: boolean,
  figures: readonly string[],
): Promise<void> {
  const report = await import('../report/index.js');
  const dir = out ?? join('reports', `${result.scenario}-sweep`);
  await report.writeReportFolder(dir, await report.sweepReportFiles(result, figures));
  if (json) {
    process.stdout.write(report.sweepJson(result));
    return;
  }
  process.stdout.write(
    `meshsim: sweep of ${result.scenario}: ${result.points.length} points x ${result.models.length} models x ${result.replications} replications (seeds shared by every point)\n` +
      `report: ${dir}/index.html (csv/sweep.csv, sweep.json)\nrerun: ${result.rerun}\n`,
  );
}

/** A capacity search's report folder (default `reports/<scenario>-capacity`) and its stdout. */
export async function writeCapacityReport(
  result: CapacityResult,
  out: string | undefined,
  json: boolean,
): Promise<void> {
  const report = await import('../report/index.js');
  const dir = out ?? join('reports', `${result.scenario}-capacity`);
  await report.writeReportFolder(dir, await report.capacityReportFiles(result));
  process.stdout.write(json ? report.capacityJson(result) : report.capacityText(result, dir));
}

export async function writeMergedReport(
  merged: Merged,
  out: string | undefined,
  json: boolean,
  figures: readonly string[],
): Promise<void> {
  const report = await import('../report/index.js');
  switch (merged.kind) {
    case 'compare': {
      const result = merged.result;
      const dir = out ?? join('reports', merged.scenario.name);
      await report.writeReportFolder(dir, await report.comparisonReportFiles(result));
      process.stdout.write(json ? report.comparisonJson(result) : report.comparisonText(result, dir));
      return;
    }
    case 'sweep':
      await writeSweepReport(merged.result, out, json, figures);
      return;
    case 'capacity':
      await writeCapacityReport(merged.result, out, json);
      return;
  }
}
