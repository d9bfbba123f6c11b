#!/usr/bin/env node
/**
 * The `meshsim` command: the only place that touches argv, stdout and exit codes. Bad input (flags or
 * scenario files) prints a clear message and exits 2, never a stack trace; anything else unexpected is a
 * bug and exits 1 with the trace.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { MESHSIM_VERSION } from '../experiment/index.js';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { ExitCode, UsageError } from './exit-code.js';

export async function main(argv: readonly string[]): Promise<void> {
  await yargs(argv as string[])
    .scriptName('meshsim')
    .usage('$0 <command> [options]\n\nSimulate Istio multi-cluster deployment models and measure them.')
    .command(runCommand)
    .command(validateCommand)
    .demandCommand(1, 'Name a command: run or validate (see --help).')
    .strict()
    .recommendCommands()
    .version(MESHSIM_VERSION)
    .help()
    .alias('h', 'help')
    .example('$0 run scenarios/quickstart.yaml', 'Run the built-in quickstart scenario')
    .example('$0 validate scenarios/*.yaml', 'Check scenario files')
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((msg, err) => {
      // yargs reports its own usage problems as `msg`; our commands throw UsageError; anything else is a bug.
      if (err && !(err instanceof UsageError) && msg === undefined) throw err;
      const text =
        err instanceof UsageError
          ? err.message
          : `meshsim: ${msg ?? err?.message}\nRun "meshsim --help" for usage.`;
      process.stderr.write(`${text}\n`);
      process.exit(ExitCode.BAD_INPUT);
    })
    .parseAsync();
}

main(hideBin(process.argv)).catch((e: unknown) => {
  if (e instanceof UsageError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(ExitCode.BAD_INPUT);
  }
  process.stderr.write(
    `meshsim: internal error (a bug; please report it with the scenario and seed):\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(ExitCode.RUN_FAILED);
});
