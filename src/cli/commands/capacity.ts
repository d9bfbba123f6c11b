/**
 * `meshsim capacity FILE`: per model, the largest entry rate (or the field named by --vary) at which the
 * scenario's slo: still holds, by bisection on common random numbers to a stated precision, with each
 * step's confidence. Sharded by model like compare (--shard, Kubernetes Indexed Job), merged by merge.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UsageError } from '../exit-code.js';
import { simulationFlags, type ReplicatedArgs } from '../flags.js';
import { loadOrThrow } from '../load-or-exit.js';
import { progressBar } from '../progress.js';
import { emitJobIfAsked, runShard, shardOf } from '../shard-run.js';

interface CapacityArgs extends ReplicatedArgs {
  vary: string | undefined;
  range: string | undefined;
  precision: string | undefined;
}

function parseRange(text: string | undefined): [number, number] | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*([0-9.eE+]+)\s*,\s*([0-9.eE+]+)\s*$/.exec(text);
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2]);
  if (m === null || !(lo > 0 && hi > lo))
    throw new UsageError(
      `meshsim: --range: expected LOW,HIGH with 0 < LOW < HIGH (e.g. 500,8000), got "${text}"`,
    );
  return [lo, hi];
}

function parsePrecision(text: string | undefined): { absolute: number } | { relative: number } | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  const rel = /^([0-9.]+)%$/.exec(t);
  if (rel !== null && Number(rel[1]) > 0 && Number(rel[1]) < 100) return { relative: Number(rel[1]) / 100 };
  if (/^[0-9.]+$/.test(t) && Number(t) > 0) return { absolute: Number(t) };
  throw new UsageError(
    `meshsim: --precision: expected an amount in the parameter's unit (e.g. 25) or a share of the answer (e.g. 1%), got "${text}"`,
  );
}

export const capacityCommand: CommandModule<object, CapacityArgs> = {
  command: 'capacity [file]',
  describe: "Find each model's capacity: the largest rate (or --vary field) at which the file's slo: holds",
  builder: (y: Argv) =>
    simulationFlags(y, 'capacity', (f) =>
      f
        .option('vary', {
          type: 'string',
          describe:
            "A numeric field to search instead of the total entry rate (every source's rate scaled together), e.g. faults[0].for",
        })
        .option('range', {
          type: 'string',
          describe: "LOW,HIGH to search (default: bracket from the file's value by doubling or halving)",
        })
        .option('precision', {
          type: 'string',
          describe:
            'Stop when the answer is bracketed this tightly: an amount (25) or a share of it (1%; default)',
        }),
    )
      .example('$0 capacity my.yaml', "Each model's largest total entry rate meeting the file's slo:")
      .example(
        '$0 capacity my.yaml --range 500,8000 --precision 25',
        'Search 500 to 8,000 req/s to within 25 req/s',
      )
      .example(
        "$0 capacity my.yaml --vary 'faults[0].for' --models primary-remote",
        'The longest outage that still meets the SLO',
      )
      .example(
        '$0 capacity my.yaml --shard 1/2 --parts results/',
        'Half the models here; merge later',
      ) as unknown as Argv<CapacityArgs>,
  handler: async (args: ArgumentsCamelCase<CapacityArgs>) => {
    const file = args.file ?? '';
    const scenario = await loadOrThrow(file, { allowLarge: args.allowLarge });
    const range = parseRange(args.range);
    const precision = parsePrecision(args.precision);
    const ex = await import('../../experiment/index.js');
    let experiment;
    try {
      experiment = ex.capacityExperiment(scenario, await readFile(file, 'utf8'), {
        ...(args.vary === undefined ? {} : { vary: args.vary }),
        ...(range === undefined ? {} : { range }),
        ...(precision === undefined ? {} : { precision }),
        ...(args.models === undefined ? {} : { models: args.models }),
        ...(args.replications === undefined ? {} : { replications: args.replications }),
        ...(args.seed === undefined ? {} : { seed: args.seed }),
        allowLarge: args.allowLarge,
      });
    } catch (e) {
      if (e instanceof ex.CapacityProblem) throw new UsageError(`meshsim: ${e.message}`);
      throw e;
    }
    if (await emitJobIfAsked(experiment, args, 'capacity')) return;
    const shard = await shardOf(args);
    const workers = args.workers ?? availableParallelism();
    try {
      if (shard !== undefined) {
        await runShard(experiment, shard, args, workers);
        return;
      }
      const { experimentOutput, writeCapacityReport } = await import('../merged-output.js');
      const out = await experimentOutput('capacity', args, scenario, 'capacity');
      const bar = progressBar(`capacity of ${scenario.name}`, !args.json);
      // Every simulation in a worker thread (isolate), none here: one out of memory is then a message
      // and exit 2, not a V8 crash of the whole process.
      const result = await experiment.runAll({
        workers,
        isolate: true,
        ...(bar ? { onProgress: bar.update } : {}),
      });
      bar?.stop();
      await writeCapacityReport(result, out, args.json);
    } catch (e) {
      if (e instanceof ex.CapacityProblem) throw new UsageError(`meshsim: ${e.message}`);
      throw e;
    }
  },
};
