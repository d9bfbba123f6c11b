/** `meshsim validate FILE...`: check scenario files without running them. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../exit-code.js';
import { ISTIO_CONFIG_OPTION } from '../flags.js';
import { istioConfigPaths } from '../load-or-exit.js';

interface ValidateArgs {
  files: string[] | undefined;
  allowLarge: boolean;
  output: 'text' | 'json';
  istioConfig: string[] | undefined;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate [files..]',
  describe: 'Check scenario files: every problem, with file:line:column and field path',
  builder: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'Scenario files' })
      .option('output', {
        alias: 'o',
        choices: ['text', 'json'] as const,
        default: 'text' as const,
        describe:
          'text: problems on stderr as file:line:column; json: one JSON document on stdout, {files: [{file, ok, problems, warnings}]}, each problem with file, line, column, path, code, message, suggestion, severity',
      })
      .option('allow-large', {
        type: 'boolean',
        default: false,
        describe: 'Accept files over their size limits (report.maxRequests)',
      })
      .option('istio-config', ISTIO_CONFIG_OPTION)
      .check((a) => {
        if (a.files === undefined || a.files.length === 0) {
          throw new UsageError(
            'meshsim validate: no scenario file given. Name one or more, e.g. meshsim validate scenarios/*.yaml.\nRun "meshsim --help" for usage.',
          );
        }
        return true;
      })
      .example('$0 validate scenarios/*.yaml', 'Check every scenario; exit 0 if all are valid, 2 otherwise')
      .example('$0 validate my-mesh.yaml 2>&1 | head', 'The first problems, as file:line:column')
      .example(
        '$0 validate my-mesh.yaml -o json | jq ".files[].problems[].message"',
        'Problems as JSON, for an editor or CI',
      )
      .example(
        '$0 validate bookinfo.yaml --istio-config samples/bookinfo/networking/',
        'Check a scenario with a folder of Istio resources applied after its routing',
      ) as unknown as Argv<ValidateArgs>,
  handler: async (args: ArgumentsCamelCase<ValidateArgs>) => {
    // Each file is read (bounded) before the parser is loaded: a device or FIFO is refused at once.
    const { readScenarioFileText } = await import('../../scenario/read-text-file.js');
    const { formatIssue } = await import('../../scenario/issue.js');
    const istioConfig = istioConfigPaths(args.istioConfig);
    let bad = 0;
    // One loading path for both outputs: the bounded read, then the parser.
    const load = async (file: string) => {
      const read = await readScenarioFileText(file);
      return read.ok
        ? (await import('../../scenario/index.js')).loadScenarioText(read.text, file, {
            allowLarge: args.allowLarge,
            istioConfig,
          })
        : { ok: false as const, issues: [read.issue], warnings: [] };
    };
    if (args.output === 'json') {
      const files = [];
      for (const file of args.files ?? []) {
        const result = await load(file);
        if (!result.ok) bad++;
        files.push({
          file,
          ok: result.ok,
          problems: result.ok ? [] : result.issues,
          warnings: result.warnings,
        });
      }
      process.stdout.write(`${JSON.stringify({ files }, null, 2)}\n`);
      process.exitCode = bad > 0 ? ExitCode.BAD_INPUT : ExitCode.OK;
      return;
    }
    for (const file of args.files ?? []) {
      const result = await load(file);
      for (const w of result.warnings) process.stderr.write(`${formatIssue(w)}\n`);
      if (result.ok) {
        process.stdout.write(`${file}: ok\n`);
        continue;
      }
      bad++;
      for (const issue of result.issues) process.stderr.write(`${formatIssue(issue)}\n`);
      process.stderr.write(
        `${file}: ${result.issues.length} problem${result.issues.length === 1 ? '' : 's'}\n`,
      );
    }
    process.exitCode = bad > 0 ? ExitCode.BAD_INPUT : ExitCode.OK;
  },
};
