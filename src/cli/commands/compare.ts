/**
 * `meshsim compare FILE`: every deployment model of the scenario (or `--models`), R replications each on
 * shared seeds, means with 95% intervals, paired differences and a verdict; a table and a report folder,
 * or the comparison as JSON on stdout.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../exit-code.js';
import { compareExtras } from '../compare-extras.js';
import { checkExportFlags } from '../export-flags.js';
import { simulationFlags, type ReplicatedArgs, type ReportFolderArgs } from '../flags.js';
import { loadOrThrow } from '../load-or-exit.js';
import { progressBar } from '../progress.js';
import { emitJobIfAsked, runShard, shardOf } from '../shard-run.js';
import { checkOutput, outputFolder, writeOutput } from '../report-output.js';
import { requireSlo, sloExitCode, thresholdsExitCode } from '../slo-output.js';
import { refuseIfMemoryTooLarge } from '../memory-guard.js';
import { asInvoked } from '../invoked-as.js';

type CompareArgs = ReplicatedArgs & ReportFolderArgs;

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare [file]',
  describe: 'Compare deployment models: replications, 95% intervals, paired differences and a verdict',
  builder: (y: Argv) =>
    simulationFlags(y, 'compare')
      .example(
        '$0 compare scenarios/quickstart.yaml',
        'Every model of the quickstart; table, reports/quickstart/compare/',
      )
      .example('$0 compare my.yaml --models multi-primary,primary-remote', 'Two models only')
      .example(
        '$0 compare my.yaml --replications 20 --seed 7 --workers 2',
        'More replications, another seed, 2 threads',
      )
      .example('$0 compare my.yaml --json | jq .verdict', 'The verdict, for a pipeline (no folder written)')
      .example(
        '$0 compare my.yaml --openmetrics',
        'Also openmetrics.txt: every model side by side for one Prometheus (sum by (meshsim_model) ...)',
      )
      .example(
        '$0 compare my.yaml --shard 2/4 --parts results/',
        'Slice 2 of 4 to results/; then meshsim merge results/',
      )
      .example(
        '$0 compare my.yaml --check-slo',
        "Exit 3 when a model misses the file's slo:",
      ) as unknown as Argv<CompareArgs>,
  handler: async (args: ArgumentsCamelCase<CompareArgs>) => {
    const file = args.file ?? '';
    const scenario = await loadOrThrow(file, { allowLarge: args.allowLarge, istioConfig: args.istioConfig });
    if (args.checkSlo) requireSlo(scenario, 'compare');
    checkExportFlags('compare', args);
    if (!args.allowLarge && (args.replications !== undefined || args.models !== undefined)) {
      // The file passed its size check with its own replications and models; the flags may multiply them.
      const { requestLimitExceeded } = await import('../../scenario/index.js');
      const tooLarge = requestLimitExceeded(scenario, {
        ...(args.models === undefined ? {} : { models: args.models.length }),
        ...(args.replications === undefined ? {} : { replications: args.replications }),
      });
      if (tooLarge !== undefined)
        throw new UsageError(
          `meshsim: ${args.replications === undefined ? '--models' : '--replications'}: ${tooLarge}`,
        );
    }
    const shard = await shardOf(args);
    const { compareExperiment } = await import('../../experiment/index.js');
    if (shard !== undefined || args.emitJob) {
      const built = compareExperiment(scenario, {
        ...(args.models === undefined ? {} : { models: args.models }),
        ...(args.replications === undefined ? {} : { replications: args.replications }),
        ...(args.seed === undefined ? {} : { seed: args.seed }),
      });
      if (!built.ok) throw new UsageError(`meshsim: ${built.problem.message}`);
      if (await emitJobIfAsked(built.experiment, args, 'compare')) return;
      if (shard !== undefined)
        await runShard(built.experiment, shard, args, args.workers ?? availableParallelism());
      return;
    }
    const out = outputFolder('compare', args, 'comparison', join('reports', scenario.name, 'compare'));
    const report = await import('../../report/index.js');
    await checkOutput(
      out,
      report.estimateReportBytes(
        args.models?.length ?? scenario.models.length,
        Math.ceil(scenario.durationMs / scenario.windowMs),
        scenario.mesh.clusters.length,
        args.openmetrics
          ? (await import('../../metrics/index.js')).estimateTelemetrySeries(scenario.mesh)
          : 0,
      ),
      { scenarioFile: file },
    );
    // Every model x replication is a run and each fault's paired baseline a simulation of its own.
    const modelCount = args.models === undefined ? scenario.models.length : new Set(args.models).size;
    // Exports and thresholds run each model's replication 0 once more (on the pool, in worker threads).
    const extraRuns =
      args.openmetrics || scenario.thresholds.length > 0 ? modelCount * (1 + scenario.mesh.faults.length) : 0;
    const simulations =
      modelCount * (args.replications ?? scenario.replications) * (1 + scenario.mesh.faults.length);
    // Start the worker threads now, so that their start overlaps the checks below.
    (await import('../../experiment/index.js')).prestartWorkers(
      Math.min(args.workers ?? availableParallelism(), simulations),
    );
    await refuseIfMemoryTooLarge(
      file,
      [scenario],
      simulations,
      args.workers ?? availableParallelism(),
      args.allowLarge,
    );
    report.testStop('simulate');
    const { compare, checkComparisonSlo } = await import('../../experiment/index.js');
    const bar = progressBar(`comparing ${scenario.name}`, !args.json, simulations + extraRuns);
    const outcome = await compare(scenario, {
      ...(args.models === undefined ? {} : { models: args.models }),
      ...(args.replications === undefined ? {} : { replications: args.replications }),
      ...(args.seed === undefined ? {} : { seed: args.seed }),
      workers: args.workers ?? availableParallelism(),
      // Worker threads even for --workers 1: running out of memory is then a message, not a V8 crash dump.
      isolate: true,
      ...(bar
        ? { onProgress: (f: number) => bar.update((f * simulations) / (simulations + extraRuns)) }
        : {}),
    });
    bar?.stop();
    if (!outcome.ok) {
      // Name where the bad value came from: a flag, or the file when no flag was given.
      const p = outcome.problem;
      const source = {
        'unknown-model': '--models',
        'too-few-replications':
          args.replications === undefined ? `${file}: report.replications` : '--replications',
        'bad-seed': args.seed === undefined ? `${file}: seed` : '--seed',
        'bad-workers': '--workers',
      }[p.code];
      throw new UsageError(`meshsim: ${source}: ${p.message}`);
    }
    const result = outcome.result;
    const extras =
      extraRuns === 0
        ? { files: [], thresholds: [] }
        : await compareExtras(
            scenario,
            result.models.map((m) => m.model),
            result.seed,
            { openMetrics: args.openmetrics, baseTimeMs: args.metricsBaseTime },
            {
              workers: args.workers ?? availableParallelism(),
              isolate: true,
              ...(bar
                ? {
                    onProgress: (f: number) =>
                      bar.update((simulations + f * extraRuns) / (simulations + extraRuns)),
                  }
                : {}),
            },
          );
    await writeOutput(out, [...(await report.comparisonReportFiles(result)), ...extras.files]);
    if (args.json) process.stdout.write(report.comparisonJson(result));
    // Wrapped to the terminal's width (at least 60 columns, at most 160); 110 when piped.
    else {
      const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
      const width = columns === undefined ? 110 : Math.max(60, Math.min(160, columns - 1));
      process.stdout.write(asInvoked(report.comparisonText(result, out?.dir ?? '', width)));
    }
    // k6's block per model, after the comparison (stderr with --json, whose stdout is the JSON alone).
    for (const t of extras.thresholds)
      (args.json ? process.stderr : process.stdout).write(
        `\n  ${t.model} (replication 0, seed ${result.seed})\n${report.thresholdsText(t.outcomes)}`,
      );
    const sloCode = args.checkSlo ? sloExitCode(checkComparisonSlo(scenario.slo, result), file) : ExitCode.OK;
    const missed = extras.thresholds.flatMap((t) =>
      t.outcomes.map((o) => ({ ...o, key: `${t.model}: ${o.key}` })),
    );
    const thresholdCode = args.checkSlo ? thresholdsExitCode(missed, file) : ExitCode.OK;
    process.exitCode = sloCode !== ExitCode.OK ? sloCode : thresholdCode;
  },
};
