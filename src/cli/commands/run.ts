/**
 * `meshsim run FILE`: one scenario, one model, one seed; a summary table and a report folder (summary.json,
 * summary.md, index.html, charts/, csv/), or the summary as JSON on stdout.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Scenario } from '../../scenario/index.js';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../exit-code.js';
import { reportFlags, wholeNumber } from '../flags.js';
import { loadOrThrow } from '../load-or-exit.js';
import { progressBar } from '../progress.js';
import { checkOutput, outputFolder, writeOutput } from '../report-output.js';
import { requireSlo, sloExitCode } from '../slo-output.js';

interface RunArgs {
  file: string | undefined;
  model: string | undefined;
  seed: number | undefined;
  workers: number | undefined;
  out: string | undefined;
  json: boolean;
  checkSlo: boolean;
  allowLarge: boolean;
  force: boolean;
  istioConfig: string[] | undefined;
}

/** Report windows of a run, for the size of its report. */
const windowsOf = (s: Scenario): number => Math.ceil(s.durationMs / s.windowMs);

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [file]',
  describe: 'Run a scenario once (one model, one seed) and report latency, availability and traffic',
  builder: (y: Argv) =>
    reportFlags(
      y
        .positional('file', { type: 'string', describe: 'Scenario file (YAML or JSON)' })
        .option('model', {
          type: 'string',
          describe: "Deployment model to run, by name (default: the file's first)",
        })
        .option('seed', {
          nargs: 1,
          describe: "Seed of every random stream (default: the file's seed, else 1)",
        })
        .coerce('seed', wholeNumber('--seed', 0))
        .option('workers', {
          nargs: 1,
          describe: `Worker threads for the run and its paired baselines (one per fault); results are identical for any number (default: the number of cores, here ${availableParallelism()})`,
        })
        .coerce('workers', wholeNumber('--workers', 1)),
      'run',
      {
        json: 'Print the summary as JSON on stdout, nothing else; writes no folder unless --out is given',
        checkSlo: "Exit 3 if the run misses an objective of the file's slo:, naming it",
      },
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
        '$0 run my.yaml --check-slo',
        "Exit 3 when the file's slo: is missed (for CI)",
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
    const model = args.model ?? scenario.models[0]?.name ?? '';
    const out = outputFolder('run', args, 'run', join('reports', scenario.name, `run-${model}`));
    const report = await import('../../report/index.js');
    await checkOutput(
      out,
      report.estimateReportBytes(1, windowsOf(scenario), scenario.mesh.clusters.length),
      {
        scenarioFile: file,
      },
    );
    report.testStop('simulate');
    const { runScenarioInWorker, checkRunSlo } = await import('../../experiment/index.js');
    const bar = progressBar(`simulating ${scenario.name}`, !args.json, 1 + scenario.mesh.faults.length);
    const summary = await runScenarioInWorker(
      scenario,
      {
        ...(args.seed === undefined ? {} : { seed: args.seed }),
        ...(args.model === undefined ? {} : { model: args.model }),
        ...(bar ? { onProgress: bar.update } : {}),
      },
      args.workers ?? availableParallelism(),
    );
    bar?.stop();
    await writeOutput(out, await report.runReportFiles(summary));
    process.stdout.write(args.json ? report.summaryJson(summary) : report.runText(summary, out?.dir ?? ''));
    process.exitCode = args.checkSlo ? sloExitCode(checkRunSlo(scenario.slo, summary), file) : ExitCode.OK;
  },
};
