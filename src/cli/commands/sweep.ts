/**
 * `meshsim sweep FILE --set PATH=V1,V2,...`: the scenario at every point of a grid of field values, each a
 * comparison of its models on the same seeds (common random numbers across the whole grid); every figure
 * per point and model with intervals (sweep.json, csv/sweep.csv), line charts with interval bands, and a
 * scorecard per point. Sharded like compare (--shard, or a Kubernetes Indexed Job), merged by meshsim merge.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { Scenario } from '../../scenario/index.js';
import { UsageError } from '../exit-code.js';
import { figureOption, simulationFlags, type ReplicatedArgs } from '../flags.js';
import { loadOrThrow } from '../load-or-exit.js';
import { progressBar } from '../progress.js';
import { emitJobIfAsked, runShard, shardOf } from '../shard-run.js';
import { refuseIfMemoryTooLarge } from '../memory-guard.js';

interface SweepArgs extends ReplicatedArgs {
  set: string[] | undefined;
  figure: string | undefined;
}

export const sweepCommand: CommandModule<object, SweepArgs> = {
  command: 'sweep [file]',
  describe: 'Sweep scenario fields over a grid: every model at every point, on common random numbers',
  builder: (y: Argv) =>
    simulationFlags(y, 'sweep', (f) =>
      f
        .option('set', {
          type: 'string',
          array: true,
          describe:
            'PATH=V1,V2,...: a field of the file and its values (repeat for a grid; the first varies slowest). Paths: traffic[0].rate, services[name=catalog].concurrency, mesh.controlPlane.pushThrottle',
        })
        .option('figure', figureOption('sweep')),
    )
      .check((a) => {
        const set = a.set as readonly string[] | undefined;
        if (set === undefined || set.length === 0)
          throw new UsageError(
            'meshsim sweep: no --set given: name a field and its values, e.g. --set traffic[0].rate=400/s,800/s,1600/s',
          );
        return true;
      })
      .example("$0 sweep my.yaml --set 'traffic[0].rate=400/s,800/s,1600/s'", 'Every model at three rates')
      .example(
        "$0 sweep my.yaml --set 'services[name=catalog].concurrency=8,16' --set 'faults[0].for=20s,60s'",
        'A 2 x 2 grid',
      )
      .example(
        "$0 sweep my.yaml --set 'traffic[0].rate=400/s,800/s' --figure latency_p99_ms,istiod_vcpu",
        'Chart other figures',
      )
      .example(
        "$0 sweep my.yaml --set 'traffic[0].rate=400/s,800/s' --shard 1/4 --parts results/",
        'One slice of four',
      )
      .example(
        "$0 sweep my.yaml --set 'traffic[0].rate=400/s,800/s' --emit-job > job.yaml",
        'A Kubernetes Indexed Job',
      ) as unknown as Argv<SweepArgs>,
  handler: async (args: ArgumentsCamelCase<SweepArgs>) => {
    const file = args.file ?? '';
    await loadOrThrow(file, { allowLarge: args.allowLarge });
    const ex = await import('../../experiment/index.js');
    const { sweepFigures } = await import('../merged-output.js');
    const figures = await sweepFigures(args.figure);
    let sets;
    try {
      sets = (args.set ?? []).map(ex.parseSet);
    } catch (e) {
      if (e instanceof ex.SweepPathError) throw new UsageError(`meshsim: ${e.message}`);
      throw e;
    }
    const text = await readFile(file, 'utf8');
    const loaded = ex.loadSweepScenarios(text, file, sets, { allowLarge: args.allowLarge });
    if (!loaded.ok)
      throw new UsageError(
        `${loaded.problems.join('\n')}\n${file}: the sweep's points do not pass the file's checks; nothing was run.`,
      );
    const built = ex.sweepExperiment(loaded.scenarios, loaded.settings, {
      sets,
      ...(args.models === undefined ? {} : { models: args.models }),
      ...(args.replications === undefined ? {} : { replications: args.replications }),
      ...(args.seed === undefined ? {} : { seed: args.seed }),
    });
    if (!built.ok) throw new UsageError(`meshsim: ${built.problem.message}`);
    const experiment = built.experiment;
    if (await emitJobIfAsked(experiment, args, 'sweep')) return;
    const shard = await shardOf(args);
    const workers = args.workers ?? availableParallelism();
    if (shard !== undefined) {
      await runShard(experiment, shard, args, workers);
      return;
    }
    const { experimentOutput, writeSweepReport } = await import('../merged-output.js');
    const out = await experimentOutput(
      'sweep',
      args,
      loaded.scenarios[0] as Scenario,
      'sweep',
      loaded.scenarios.length,
    );
    await refuseIfMemoryTooLarge(file, experiment.scenarios, experiment.jobs, workers, args.allowLarge);
    const bar = progressBar(`sweeping ${experiment.scenarios[0]?.name ?? ''}`, !args.json);
    // Every simulation in a worker thread (isolate), none here: one out of memory is then a message and
    // exit 2, not a V8 crash of the whole process.
    const result = await experiment.runAll({
      workers,
      isolate: true,
      ...(bar ? { onProgress: bar.update } : {}),
    });
    bar?.stop();
    await writeSweepReport(result, out, args.json, figures);
  },
};
