/**
 * `meshsim merge DIR...`: the shards' parts of one compare, sweep or capacity search put back together
 * into the result and report folder a one-machine run gives, byte for byte; missing, duplicated or
 * mismatched parts are refused, naming the files and the shard to rerun.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../exit-code.js';
import { figureOption } from '../flags.js';
import { requireSlo, sloExitCode } from '../slo-output.js';

interface MergeArgs {
  dirs: string[] | undefined;
  out: string | undefined;
  json: boolean;
  checkSlo: boolean;
  figure: string | undefined;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge [dirs..]',
  describe: "Merge the shards' parts (--shard, or a Kubernetes Indexed Job) into one result and report",
  builder: (y: Argv) =>
    y
      .positional('dirs', {
        type: 'string',
        array: true,
        describe: 'Folders of parts files (*.meshsim-part.json), or the files themselves',
      })
      .option('out', {
        type: 'string',
        describe: 'Report folder (default: reports/<scenario name>, as the one-machine command)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print the result as JSON on stdout (what the one-machine command prints with --json)',
      })
      .option('figure', figureOption('merge'))
      .option('check-slo', {
        type: 'boolean',
        default: false,
        describe: "Exit 3 if a model's mean misses an objective of the scenario's slo: (compare parts)",
      })
      .check((a) => {
        if (a.dirs === undefined || a.dirs.length === 0)
          throw new UsageError(
            'meshsim merge: no parts given. Name the folder(s) the shards wrote, e.g. meshsim merge parts/quickstart\nRun "meshsim --help" for usage.',
          );
        return true;
      })
      .example('$0 merge parts/quickstart', 'Every shard wrote to one folder (a shared volume)')
      .example('$0 merge pod-0/ pod-1/ pod-2/ pod-3/', 'Each shard wrote to its own folder')
      .example(
        '$0 merge results/ --json > comparison.json',
        'The result as JSON',
      ) as unknown as Argv<MergeArgs>,
  handler: async (args: ArgumentsCamelCase<MergeArgs>) => {
    const { readParts, mergeParts, PartsProblem, checkComparisonSlo } =
      await import('../../experiment/index.js');
    let merged;
    try {
      const parts = await readParts(args.dirs ?? []);
      merged = mergeParts(parts);
      if (args.checkSlo) {
        if (merged.kind !== 'compare')
          throw new UsageError(`meshsim: --check-slo: checks a comparison's parts, not a ${merged.kind}'s`);
        requireSlo(merged.scenario, 'merge');
      }
    } catch (e) {
      if (e instanceof PartsProblem)
        throw new UsageError(`meshsim merge: ${e.message}\nNothing was written.`);
      throw e;
    }
    const { writeMergedReport, sweepFigures } = await import('../merged-output.js');
    process.exitCode = ExitCode.OK;
    await writeMergedReport(merged, args, await sweepFigures(args.figure));
    if (args.checkSlo && merged.kind === 'compare')
      process.exitCode = sloExitCode(
        checkComparisonSlo(merged.scenario.slo, merged.result),
        merged.scenario.file,
      );
  },
};
