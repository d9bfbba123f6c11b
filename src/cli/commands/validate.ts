/** `meshsim validate FILE...`: check scenario files without running them. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { formatIssue, loadScenarioFile } from '../../scenario/index.js';
import { ExitCode } from '../exit-code.js';

interface ValidateArgs {
  files: string[];
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <files..>',
  describe: 'Check scenario files: every problem, with file:line:column and field path',
  builder: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'Scenario files' })
      .example(
        '$0 validate scenarios/*.yaml',
        'Check every scenario; exit 0 if all are valid, 2 otherwise',
      ) as Argv<ValidateArgs>,
  handler: async (args: ArgumentsCamelCase<ValidateArgs>) => {
    let bad = 0;
    for (const file of args.files) {
      const result = await loadScenarioFile(file);
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
