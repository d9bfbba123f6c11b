/**
 * The shared flags of run, compare, sweep and capacity (src/cli/flags.ts), parsed in-process by yargs with
 * each command's own builder and a handler that records the arguments instead of simulating: one flag,
 * one check, one description, whatever the command.
 */
import yargs, { type CommandModule } from 'yargs';
import { describe, expect, it } from 'vitest';
import { capacityCommand } from '../../src/cli/commands/capacity.js';
import { compareCommand } from '../../src/cli/commands/compare.js';
import { runCommand } from '../../src/cli/commands/run.js';
import { sweepCommand } from '../../src/cli/commands/sweep.js';

const COMMANDS = { run: runCommand, compare: compareCommand, sweep: sweepCommand, capacity: capacityCommand };
type Name = keyof typeof COMMANDS;

/** What a command line parses to, or the message it is refused with. */
async function parse(args: readonly string[]): Promise<{ args?: Record<string, unknown>; error?: string }> {
  let seen: Record<string, unknown> | undefined;
  let error: string | undefined;
  const y = yargs([...args])
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      // As main.ts's fail handler, which exits: nothing runs after a refusal.
      throw new Error(err?.message ?? msg);
    });
  for (const c of Object.values(COMMANDS))
    y.command({
      ...(c as CommandModule),
      handler: (a) => {
        seen = a;
      },
    });
  try {
    await y.parseAsync();
  } catch (e) {
    error = (e as Error).message;
  }
  return { ...(seen === undefined ? {} : { args: seen }), ...(error === undefined ? {} : { error }) };
}

/** A command line that names a file (and sweep's --set) and the flags given. */
const line = (c: Name, ...flags: string[]) => [
  c,
  'my.yaml',
  ...(c === 'sweep' ? ['--set', 'traffic[0].rate=400/s'] : []),
  ...flags,
];

/** The description yargs prints for `--flag` in `meshsim <command> --help`. */
async function described(c: Name, flag: string): Promise<string> {
  const y = yargs([]).command({ ...(COMMANDS[c] as CommandModule), handler: () => undefined });
  let help = '';
  await y.parseAsync([c, '--help'], {}, (_e, _a, output) => {
    help = output;
  });
  const row = help.split('\n').findIndex((l) => l.trimStart().startsWith(`--${flag} `));
  expect(row, `${c} --help lists --${flag}`).toBeGreaterThanOrEqual(0);
  return help.split('\n')[row] ?? '';
}

describe('the flags every simulating command shares', { timeout: 60_000 }, () => {
  it.each(['run', 'compare', 'sweep', 'capacity'] as const)(
    'meshsim %s refuses --seed abc, --workers 0 and --seed twice with the same messages',
    async (c) => {
      expect((await parse(line(c, '--seed', 'abc'))).error).toBe(
        '--seed: expected a whole number >= 0, got "abc"',
      );
      expect((await parse(line(c, '--workers', '0'))).error).toBe(
        '--workers: expected a whole number >= 1, got "0"',
      );
      expect((await parse(line(c, '--seed', '1', '--seed', '2'))).error).toBe(
        '--seed was given 2 times; give it once',
      );
      const ok = await parse(line(c, '--seed', '7', '--workers', '3'));
      expect(ok.error).toBeUndefined();
      expect([ok.args?.seed, ok.args?.workers]).toEqual([7, 3]);
    },
  );

  it.each(['compare', 'sweep', 'capacity'] as const)(
    'meshsim %s refuses --replications 1 and --models a,,b, and parses --models a,b to a list',
    async (c) => {
      expect((await parse(line(c, '--replications', '1'))).error).toBe(
        '--replications: expected a whole number >= 2 (an interval needs two replications), got "1"',
      );
      expect((await parse(line(c, '--models', 'a,,b'))).error).toMatch(
        /^--models: expected model names separated by commas/,
      );
      expect((await parse(line(c, '--models', 'a, b'))).args?.models).toEqual(['a', 'b']);
    },
  );

  it.each(['run', 'compare', 'sweep', 'capacity'] as const)(
    'meshsim %s with no file says so in plain words, naming the command',
    async (c) => {
      const error = (await parse([c])).error ?? '';
      expect(error).toMatch(
        new RegExp(
          `^meshsim ${c}: no scenario file given\\. Name one, e\\.g\\. meshsim ${c} \\S+\\.yaml.*, or write a starter with meshsim init\\.`,
        ),
      );
      // The library scenarios state no slo:, which capacity needs: its example is not one of them.
      if (c === 'capacity') expect(error).not.toContain('scenarios/');
    },
  );

  it.each(['sweep', 'capacity'] as const)(
    'meshsim %s --check-slo is refused, saying why, rather than accepted and ignored',
    async (c) => {
      const r = await parse(line(c, '--check-slo'));
      expect(r.args).toBeUndefined();
      expect(r.error).toMatch(new RegExp(`^meshsim ${c}: --check-slo: .*meshsim compare --check-slo$`));
    },
  );

  it('--out, --json and --allow-large are described alike by every command, but for its folder and noun', async () => {
    for (const c of Object.keys(COMMANDS) as Name[]) {
      expect(await described(c, 'out')).toContain('Report folder: a new path, an empty folder');
      expect(await described(c, 'json')).toContain('as JSON on stdout, nothing else');
      expect(await described(c, 'allow-large')).toContain('over its size limits');
    }
  });
});
