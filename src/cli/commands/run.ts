/** `meshsim run FILE`: one scenario, one seed; a summary table, a report folder, or JSON on stdout. */
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { runScenario } from '../../experiment/index.js';
import { runCsvFiles, runText, summaryJson, writeReportFolder } from '../../report/index.js';
import { ExitCode, UsageError } from '../exit-code.js';
import { loadOrThrow } from '../load-or-exit.js';
import { progressBar } from '../progress.js';

interface RunArgs {
  file: string;
  model: string | undefined;
  seed: number | undefined;
  out: string | undefined;
  json: boolean;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <file>',
  describe: 'Run a scenario once and report latency, availability and traffic',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'Scenario file (YAML or JSON)' })
      .option('model', {
        type: 'string',
        describe: "Deployment model to run, by name (default: the file's first)",
      })
      .option('seed', {
        type: 'number',
        describe: "Seed of every random stream (default: the file's seed, else 1)",
      })
      .option('out', { type: 'string', describe: 'Report folder (default: reports/<scenario name>)' })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print the summary as JSON on stdout, nothing else',
      })
      .check((a) => {
        if (a.seed !== undefined && !(Number.isSafeInteger(a.seed) && a.seed >= 0)) {
          throw new UsageError(`meshsim: --seed: expected a whole number >= 0, got ${String(a.seed)}`);
        }
        return true;
      })
      .example(
        '$0 run scenarios/quickstart.yaml',
        'Run the quickstart, print a table, write reports/quickstart/',
      )
      .example('$0 run my.yaml --seed 7 --out /tmp/r', 'Another seed, another folder')
      .example(
        '$0 run my.yaml --json | jq .availability',
        'Pipe the summary to another tool',
      ) as Argv<RunArgs>,
  handler: async (args: ArgumentsCamelCase<RunArgs>) => {
    const scenario = await loadOrThrow(args.file);
    const bar = progressBar(`simulating ${scenario.name}`, !args.json);
    if (args.model !== undefined && !scenario.models.some((m) => m.name === args.model)) {
      throw new UsageError(
        `meshsim: --model: no model "${args.model}" in ${args.file}; its models: ${scenario.models.map((m) => m.name).join(', ')}`,
      );
    }
    const summary = runScenario(scenario, {
      ...(args.seed === undefined ? {} : { seed: args.seed }),
      ...(args.model === undefined ? {} : { model: args.model }),
      ...(bar ? { onProgress: bar.update } : {}),
    });
    bar?.stop();
    const dir = args.out ?? join('reports', scenario.name);
    await writeReportFolder(dir, [
      { name: 'summary.json', content: summaryJson(summary) },
      ...(await runCsvFiles(summary)),
    ]);
    process.stdout.write(args.json ? summaryJson(summary) : runText(summary, dir));
    process.exitCode = ExitCode.OK;
  },
};
