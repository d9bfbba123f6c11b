/** `meshsim validate FILE...`: check scenario files without running them. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../exit-code.js';

interface ValidateArgs {
  files: string[] | undefined;
  allowLarge: boolean;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate [files..]',
  describe: 'Check scenario files: every problem, with file:line:column and field path',
  builder: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'Scenario files' })
      .option('allow-large', {
        type: 'boolean',
        default: false,
        describe: 'Accept files over their size limits (report.maxRequests)',
      })
      .check((a) => {
        if (a.files === undefined || a.files.length === 0) {
          throw new UsageError(
            'meshsim validate: no scenario file given. Name one or more, e.g. meshsim validate scenarios/*.yaml.\nRun "meshsim --help" for usage.',
          );
        }
        return true;
      })
      .example('$0 validate scenarios/*.yaml', 'Check every scenario; exit 0 if all are valid, 2 otherwise')
      .example(
        '$0 validate my-mesh.yaml 2>&1 | head',
        'The first problems, as file:line:column',
      ) as unknown as Argv<ValidateArgs>,
  handler: async (args: ArgumentsCamelCase<ValidateArgs>) => {
    // Each file is read (bounded) before the parser is loaded: a device or FIFO is refused at once.
    const { readScenarioFileText } = await import('../../scenario/read-text-file.js');
    const { formatIssue } = await import('../../scenario/issue.js');
    let bad = 0;
    for (const file of args.files ?? []) {
      const read = await readScenarioFileText(file);
      const result = read.ok
        ? (await import('../../scenario/index.js')).loadScenarioText(read.text, file, {
            allowLarge: args.allowLarge,
          })
        : { ok: false as const, issues: [read.issue], warnings: [] };
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
