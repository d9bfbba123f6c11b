/**
 * Atomic in every instant (issue 11, point 3): `run` and `compare --workers 2` are killed with SIGKILL at
 * each step of the write phase, the moment chosen by the test hook MESHSIM_TEST_STOP_AT (atomic-write.ts),
 * not by timing. Before the swap the previous report is at `--out` whole (every file, same bytes); after
 * it the new one is; never a mix, never nothing. The next run removes what the killed one left (its
 * temporary folder, found by pid and start time) and leaves no temporary folder behind.
 *
 * Without a one-step swap (MESHSIM_NO_RENAME_EXCHANGE=1, as on a system where renameat2 is missing) a
 * kill between the two renames leaves no report at `--out` for a moment; the test shows the next meshsim
 * writing beside it puts the previous report back before anything else.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { removeStaleTemporaries } from '../../src/report/index.js';
import { scratch } from '../cli/spawn-meshsim.js';
import { checksums, meshsimEnv } from './cli-spawn.js';

const tmp = scratch('kill');
const SCENARIO = 'test/scenario/minimal.yaml';
const COMMANDS = {
  run: (seed: number) => ['run', SCENARIO, '--seed', String(seed)],
  compare: (seed: number) => [
    'compare',
    SCENARIO,
    '--replications',
    '2',
    '--workers',
    '2',
    '--seed',
    String(seed),
  ],
} as const;
type Command = keyof typeof COMMANDS;

/** Per command: the previous report (seed 1) and the new one (seed 2), each written uninterrupted. */
const reference: Record<Command, { previous: string; next: string; files: number }> = {
  run: { previous: '', next: '', files: 0 },
  compare: { previous: '', next: '', files: 0 },
};

beforeAll(async () => {
  for (const c of ['run', 'compare'] as const) {
    const previous = join(tmp.dir, `${c}-previous`);
    const next = join(tmp.dir, `${c}-next`);
    const [a, b] = await Promise.all([
      meshsimEnv([...COMMANDS[c](1), '--out', previous]),
      meshsimEnv([...COMMANDS[c](2), '--out', next]),
    ]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const marker = JSON.parse(readFileSync(join(next, '.meshsim-report.json'), 'utf8')) as {
      files: string[];
    };
    reference[c] = { previous, next, files: marker.files.length };
  }
  expect(checksums(reference.run.previous)).not.toEqual(checksums(reference.run.next));
}, 240_000);

/** Steps at which to die, and whether the new report is in place by then. */
function steps(c: Command): [string, 'previous' | 'next'][] {
  const n = reference[c].files;
  const early: [string, 'previous'][] = [
    ['tmp-created', 'previous'],
    ['file-0', 'previous'],
    [`file-${Math.floor(n / 2)}`, 'previous'],
    [`file-${n}`, 'previous'], // the marker, the last file written
    ['files-synced', 'previous'],
  ];
  return c === 'run'
    ? [...early, ['swapped', 'next'], ['done', 'next']]
    : [...early.filter((_, i) => i % 2 === 0), ['swapped', 'next']];
}

describe.concurrent('SIGKILL during the write phase', { timeout: 240_000 }, () => {
  for (const c of ['run', 'compare'] as const) {
    it(`${c}: killed at every step, --out holds the previous or the new report whole; the next run leaves no temporary folder`, async () => {
      for (const [stepName, expected] of steps(c)) {
        const parent = join(tmp.dir, `${c}-at-${stepName}`);
        mkdirSync(parent);
        const out = join(parent, 'report');
        cpSync(reference[c].previous, out, { recursive: true });
        const killed = await meshsimEnv([...COMMANDS[c](2), '--out', out], {
          env: { MESHSIM_TEST_STOP_AT: stepName },
        });
        expect(killed.signal, `${stepName}: ${killed.stderr}`).toBe('SIGKILL');
        expect(checksums(out), `after a kill at ${stepName}`).toEqual(checksums(reference[c][expected]));
        // What the killed run left behind (its temporary folder), so that the next run has something to clean.
        const left = readdirSync(parent).some((n) => n.startsWith('.meshsim-tmp-'));
        expect(left, `a temporary folder after a kill at ${stepName}`).toBe(stepName !== 'done');
        const next = await meshsimEnv([...COMMANDS[c](2), '--out', out]);
        expect(next.status, next.stderr).toBe(0);
        expect(readdirSync(parent), `after the run that followed a kill at ${stepName}`).toEqual(['report']);
        expect(checksums(out)).toEqual(checksums(reference[c].next));
      }
    });
  }

  it('without a one-step swap: a kill between the two renames is repaired by the next writer', async () => {
    const parent = join(tmp.dir, 'fallback');
    mkdirSync(parent);
    const out = join(parent, 'report');
    cpSync(reference.run.previous, out, { recursive: true });
    const env = { MESHSIM_NO_RENAME_EXCHANGE: '1' };
    const killed = await meshsimEnv([...COMMANDS.run(2), '--out', out], {
      env: { ...env, MESHSIM_TEST_STOP_AT: 'moved-aside' },
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(out)).toBe(false); // the window this fallback cannot close
    expect(await removeStaleTemporaries(parent)).toEqual([out]);
    expect(checksums(out)).toEqual(checksums(reference.run.previous));
    expect(readdirSync(parent)).toEqual(['report']);
    const killedLater = await meshsimEnv([...COMMANDS.run(2), '--out', out], {
      env: { ...env, MESHSIM_TEST_STOP_AT: 'swapped' },
    });
    expect(killedLater.signal).toBe('SIGKILL');
    expect(checksums(out)).toEqual(checksums(reference.run.next));
    const next = await meshsimEnv([...COMMANDS.run(2), '--out', out], { env });
    expect(next.status, next.stderr).toBe(0);
    expect(readdirSync(parent)).toEqual(['report']);
  });
});
