#!/usr/bin/env node
/**
 * The `meshsim` command: the only place that touches argv, stdout and exit codes. Bad input (flags or
 * scenario files) prints a clear message and exits 2, never a stack trace; anything else unexpected is a
 * bug and exits 1 with the trace. Commands import the simulator and the report renderer (Vega) when they
 * run, so `validate`, `models`, `init` and `--help` start without loading them.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { MESHSIM_VERSION } from '../experiment/version.js';
import { calibrateCommand } from './commands/calibrate.js';
import { capacityCommand } from './commands/capacity.js';
import { compareCommand } from './commands/compare.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { mergeCommand } from './commands/merge.js';
import { modelsCommand } from './commands/models.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { sweepCommand } from './commands/sweep.js';
import { validateCommand } from './commands/validate.js';
import { suggest } from '../scenario/suggest.js';
import { ExitCode, UsageError } from './exit-code.js';
import { asInvoked } from './invoked-as.js';

const COMMANDS = [
  runCommand,
  compareCommand,
  validateCommand,
  reportCommand,
  modelsCommand,
  initCommand,
  calibrateCommand,
];

/**
 * "Did you mean" for mistyped flags: yargs names unknown arguments but suggests only commands. The known
 * flags are the named command's, read by running its builder on a fresh parser.
 */
function flagSuggestions(msg: string | null | undefined, argv: readonly string[]): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(msg ?? '')?.[1];
  if (unknown === undefined) return '';
  const name = argv.find((a) => !a.startsWith('-'));
  const command = COMMANDS.find((c) => String(c.command).split(' ')[0] === name);
  const parser = yargs([]);
  if (typeof command?.builder === 'function') (command.builder as (y: Argv) => unknown)(parser);
  // getOptions is yargs' own (not in its type declarations): the options the builder declared.
  const declared = (parser as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions();
  const known = Object.keys(declared.key).filter((k) => k.length > 1);
  const hints = unknown.split(', ').flatMap((arg) => {
    const hit = suggest(arg, known);
    return hit === undefined ? [] : [`--${arg}: did you mean --${hit}?`];
  });
  return hints.length === 0 ? '' : `\n${hints.join('\n')}`;
}

export async function main(argv: readonly string[]): Promise<void> {
  await yargs(argv as string[])
    .scriptName('meshsim')
    .usage(
      '$0 <command> [options]\n\nMeasure Istio multi-cluster deployment models (multi-primary, primary-remote, hybrid, external)\nbefore you build them: latency, availability, blast radius, with confidence intervals.',
    )
    .command(runCommand)
    .command(compareCommand)
    .command(sweepCommand)
    .command(capacityCommand)
    .command(mergeCommand)
    .command(validateCommand)
    .command(reportCommand)
    .command(modelsCommand)
    .command(initCommand)
    .command(importCommand)
    .command(calibrateCommand)
    .demandCommand(
      1,
      'Name a command: run, compare, sweep, capacity, merge, validate, report, models, init, import or calibrate (see meshsim --help).',
    )
    .strict()
    .recommendCommands()
    .version(MESHSIM_VERSION)
    .help()
    .alias('h', 'help')
    .example('$0 init my-mesh.yaml', 'Write a starter scenario to edit')
    .example(
      '$0 compare scenarios/quickstart.yaml',
      'Compare every model of the quickstart (what npm start runs)',
    )
    .example('$0 run scenarios/quickstart.yaml --model primary-remote', 'One run of one model')
    .example('$0 validate scenarios/*.yaml', 'Check scenario files')
    .example('$0 models', 'What each deployment model is, and when to choose it')
    .example('$0 report reports/quickstart/compare', 'Re-render a report folder from its JSON')
    .epilogue(
      'Exit codes: 0 ok; 1 the run failed (a bug); 2 bad input (flags, scenario file, report folder refused or not writable) or a run out of memory; 3 an SLO missed (--check-slo).',
    )
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((msg, err) => {
      // yargs reports its own usage problems as `msg` (and wraps errors thrown by our flag parsers in it);
      // our commands throw UsageError; anything else is a bug.
      if (err && !(err instanceof UsageError) && (msg === undefined || msg === null)) throw err;
      const text =
        err instanceof UsageError
          ? err.message
          : `meshsim: ${msg ?? err?.message}${flagSuggestions(msg, argv)}\nRun "meshsim --help" for usage.`;
      process.stderr.write(`${asInvoked(text)}\n`);
      process.exit(ExitCode.BAD_INPUT);
    })
    .parseAsync();
}

main(hideBin(process.argv)).catch((e: unknown) => {
  // Bad input, and a run too large for this machine's memory (its message names the run and the way out).
  if (e instanceof UsageError || (e instanceof Error && e.name === 'WorkerOutOfMemoryError')) {
    process.stderr.write(`${asInvoked(e.message)}\n`);
    process.exit(ExitCode.BAD_INPUT);
  }
  // A run that failed in a worker thread carries that thread's stack: the one that shows the bug.
  const stack =
    e instanceof Error
      ? 'workerStack' in e && typeof e.workerStack === 'string'
        ? `${e.message}\n${e.workerStack}`
        : (e.stack ?? e.message)
      : String(e);
  process.stderr.write(
    asInvoked(`meshsim: internal error (a bug; please report it with the scenario and seed):\n${stack}\n`),
  );
  process.exit(ExitCode.RUN_FAILED);
});
