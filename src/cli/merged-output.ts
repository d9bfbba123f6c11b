/**
 * What `sweep`, `capacity` and `merge` write and print: the report folder (through report-output.ts, so
 * the folder checks, the marker and "--json writes no folder" apply as for compare) and stdout of each
 * kind of experiment, through the report module's functions, so a merged result is written exactly as a
 * one-machine one (the marker names the command that wrote the folder: merge, for a merged one).
 *
 * Contents: `writeMergedReport`, `writeSweepReport`, `writeCapacityReport`, `sweepFigures`, `experimentOutput`.
 */
import { join } from 'node:path';
import type { CapacityResult, ComparisonResult, Merged, SweepResult } from '../experiment/index.js';
import type { Scenario } from '../scenario/index.js';
import { UsageError } from './exit-code.js';
import { checkOutput, outputFolder, writeOutput, type OutputFolder } from './report-output.js';
import { asInvoked } from './invoked-as.js';

interface OutArgs {
  readonly out: string | undefined;
  readonly json: boolean;
  readonly force?: boolean;
}

/** The folder a command writes for `scenario` (default reports/<name>/<what>), checked before running. */
export async function experimentOutput(
  command: string,
  args: OutArgs,
  scenario: Scenario,
  what: 'compare' | 'sweep' | 'capacity',
  reports = 1,
): Promise<OutputFolder | undefined> {
  const out = outputFolder(command, args, 'comparison', join('reports', scenario.name, what));
  const report = await import('../report/index.js');
  await checkOutput(
    out,
    reports *
      report.estimateReportBytes(
        scenario.models.length,
        Math.ceil(scenario.durationMs / scenario.windowMs),
        scenario.mesh.clusters.length,
      ),
    { scenarioFile: scenario.file },
  );
  return out;
}

/** `--figure a,b` checked against the sweep figures; the default pair without it. */
export async function sweepFigures(flag: string | undefined): Promise<string[]> {
  const { sweepFigureName, DEFAULT_SWEEP_FIGURES } = await import('../report/index.js');
  const { MODEL_FIGURES } = await import('../experiment/index.js');
  const names = MODEL_FIGURES.map(sweepFigureName);
  const figures = flag === undefined ? [...DEFAULT_SWEEP_FIGURES] : flag.split(',').map((s) => s.trim());
  const unknown = figures.filter((f) => !names.includes(f));
  if (unknown.length > 0)
    throw new UsageError(
      `meshsim: --figure: no figure ${unknown.map((f) => `"${f}"`).join(', ')}; figures: ${names.join(', ')}`,
    );
  return figures;
}

/** A sweep's report folder and its stdout. */
export async function writeSweepReport(
  result: SweepResult,
  out: OutputFolder | undefined,
  json: boolean,
  figures: readonly string[],
): Promise<void> {
  const report = await import('../report/index.js');
  const { MODEL_FIGURES } = await import('../experiment/index.js');
  await writeOutput(out, await report.sweepReportFiles(result, MODEL_FIGURES, figures));
  if (json) {
    process.stdout.write(report.sweepJson(result));
    return;
  }
  process.stdout.write(
    `meshsim: sweep of ${result.scenario}: ${result.points.length} points x ${result.models.length} models x ${result.replications} replications (seeds shared by every point)\n` +
      (out === undefined ? '' : `report: ${out.dir}/index.html (csv/sweep.csv, sweep.json)\n`) +
      asInvoked(`rerun: ${result.rerun}\n`),
  );
}

/** A capacity search's report folder and its stdout. */
export async function writeCapacityReport(
  result: CapacityResult,
  out: OutputFolder | undefined,
  json: boolean,
): Promise<void> {
  const report = await import('../report/index.js');
  await writeOutput(out, await report.capacityReportFiles(result));
  process.stdout.write(
    json ? report.capacityJson(result) : asInvoked(report.capacityText(result, out?.dir ?? '')),
  );
}

async function writeComparison(
  result: ComparisonResult,
  out: OutputFolder | undefined,
  json: boolean,
): Promise<void> {
  const report = await import('../report/index.js');
  await writeOutput(out, await report.comparisonReportFiles(result));
  process.stdout.write(
    json ? report.comparisonJson(result) : asInvoked(report.comparisonText(result, out?.dir ?? '')),
  );
}

export async function writeMergedReport(
  merged: Merged,
  args: OutArgs,
  figures: readonly string[],
): Promise<void> {
  const what = merged.kind;
  const points = merged.kind === 'sweep' ? merged.result.points.length : 1;
  const out = await experimentOutput('merge', args, merged.scenario, what, points);
  switch (merged.kind) {
    case 'compare':
      return writeComparison(merged.result, out, args.json);
    case 'sweep':
      return writeSweepReport(merged.result, out, args.json, figures);
    case 'capacity':
      return writeCapacityReport(merged.result, out, args.json);
  }
}
