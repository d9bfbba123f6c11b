/**
 * `meshsim run FILE`: one scenario, one model, one seed; a summary table and a report folder (summary.json,
 * summary.md, index.html, charts/, csv/), or the summary as JSON on stdout.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Scenario } from '../../scenario/index.js';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../exit-code.js';
import { exportFiles } from '../export-files.js';
import { checkExportFlags } from '../export-flags.js';
import { simulationFlags, type ReportFolderArgs, type SimulationArgs } from '../flags.js';
import { loadOrThrow } from '../load-or-exit.js';
import { progressBar } from '../progress.js';
import { checkOutput, outputFolder, writeOutput } from '../report-output.js';
import { requireSlo, sloExitCode, thresholdsExitCode } from '../slo-output.js';
import { refuseIfMemoryTooLarge } from '../memory-guard.js';
import { asInvoked } from '../invoked-as.js';

interface RunArgs extends SimulationArgs, ReportFolderArgs {
  model: string | undefined;
  fortio: boolean;
}

/** Report windows of a run, for the size of its report. */
const windowsOf = (s: Scenario): number => Math.ceil(s.durationMs / s.windowMs);

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [file]',
  describe: 'Run a scenario once (one model, one seed) and report latency, availability and traffic',
  builder: (y: Argv) =>
    simulationFlags(y, 'run', (f) =>
      f.option('model', {
        type: 'string',
        describe: "Deployment model to run, by name (default: the file's first)",
      }),
    )
      .example(
        '$0 run scenarios/quickstart.yaml',
        'Run the quickstart, print a table, write reports/quickstart/run-multi-primary/',
      )
      .example(
        '$0 run my.yaml --model primary-remote --seed 7 --out /tmp/r',
        'Another model, seed and folder',
      )
      .example(
        '$0 run my.yaml --json | jq .availability',
        'Pipe the summary to another tool (no folder written)',
      )
      .example(
        '$0 run my.yaml --openmetrics --fortio',
        'Also write openmetrics.txt, metrics.prom and fortio/<traffic>.json into the folder',
      )
      .example(
        '$0 run my.yaml --check-slo',
        "Exit 3 when the file's slo: or a thresholds: expression is missed (for CI)",
      ) as unknown as Argv<RunArgs>,
  handler: async (args: ArgumentsCamelCase<RunArgs>) => {
    const file = args.file ?? '';
    // A run is one model once (with its per-fault baselines), not compare's models x replications.
    const scenario = await loadOrThrow(file, {
      allowLarge: args.allowLarge,
      runs: { models: 1, replications: 1 },
      istioConfig: args.istioConfig,
    });
    if (args.model !== undefined && !scenario.models.some((m) => m.name === args.model)) {
      throw new UsageError(
        `meshsim: --model: no model "${args.model}" in ${file}; its models: ${scenario.models.map((m) => m.name).join(', ')}`,
      );
    }
    if (args.checkSlo) requireSlo(scenario);
    checkExportFlags('run', args);
    const model = args.model ?? scenario.models[0]?.name ?? '';
    const out = outputFolder('run', args, 'run', join('reports', scenario.name, `run-${model}`));
    const report = await import('../../report/index.js');
    await checkOutput(
      out,
      report.estimateReportBytes(
        1,
        windowsOf(scenario),
        scenario.mesh.clusters.length,
        args.openmetrics
          ? (await import('../../metrics/index.js')).estimateTelemetrySeries(scenario.mesh)
          : 0,
      ),
      {
        scenarioFile: file,
      },
    );
    const workers = args.workers ?? availableParallelism();
    // Start the worker threads now, so that their start overlaps the checks below (unused, they never
    // keep the process alive).
    (await import('../../experiment/index.js')).prestartWorkers(
      Math.min(workers, 1 + scenario.mesh.faults.length),
    );
    await refuseIfMemoryTooLarge(file, [scenario], 1 + scenario.mesh.faults.length, workers, args.allowLarge);
    report.testStop('simulate');
    const experiment = await import('../../experiment/index.js');
    const bar = progressBar(`simulating ${scenario.name}`, !args.json, 1 + scenario.mesh.faults.length);
    const options = {
      ...(args.seed === undefined ? {} : { seed: args.seed }),
      ...(args.model === undefined ? {} : { model: args.model }),
    };
    const exporting = args.openmetrics || args.fortio;
    const thresholds = scenario.thresholds.length > 0;
    // Every simulation in a worker thread (isolate), the run with its paired baselines side by side; with
    // exports or thresholds the run itself also keeps those records (plain data, like its summary).
    const pool = { workers, isolate: true, ...(bar ? { onProgress: bar.update } : {}) };
    const records =
      exporting || thresholds
        ? await experiment.runScenarioWithRecordsParallel(
            scenario,
            { ...options, telemetry: args.openmetrics, fortio: args.fortio === true, thresholds },
            pool,
          )
        : undefined;
    const summary = records?.summary ?? (await experiment.runScenarioParallel(scenario, options, pool));
    bar?.stop();
    const extra =
      records === undefined || !exporting
        ? []
        : await exportFiles(scenario, records, {
            openMetrics: args.openmetrics,
            fortio: args.fortio,
            baseTimeMs: args.metricsBaseTime ?? report.DEFAULT_METRICS_BASE_TIME_MS,
          });
    const outcomes =
      records?.thresholds === undefined
        ? []
        : experiment.evaluateThresholds(scenario.thresholds, records.thresholds, summary);
    if (outcomes.length > 0)
      extra.push({
        name: 'k6-summary.json',
        content: report.k6SummaryJson(outcomes, {
          scenario: summary.scenario,
          model: summary.model,
          seed: summary.seed,
          rerun: summary.rerun,
        }),
      });
    await writeOutput(out, [...(await report.runReportFiles(summary)), ...extra]);
    process.stdout.write(
      args.json ? report.summaryJson(summary) : asInvoked(report.runText(summary, out?.dir ?? '')),
    );
    // k6 prints its thresholds with the summary; with --json, stdout holds the JSON alone.
    if (outcomes.length > 0)
      (args.json ? process.stderr : process.stdout).write(`\n${report.thresholdsText(outcomes)}`);
    const sloCode = args.checkSlo
      ? sloExitCode(experiment.checkRunSlo(scenario.slo, summary), file)
      : ExitCode.OK;
    const thresholdCode =
      args.checkSlo && experiment.thresholdsMissed(outcomes)
        ? thresholdsExitCode(outcomes, file)
        : ExitCode.OK;
    process.exitCode = sloCode !== ExitCode.OK ? sloCode : thresholdCode;
  },
};
