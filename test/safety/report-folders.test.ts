/**
 * Report folders are meshsim's own (issue 11, points 1 and 4): a folder meshsim did not write survives
 * `run --out`, `compare --out` and `report` aimed at it (exit 2, every file intact by checksum), and so do a
 * plain file, `.`, the repository root and the scenario's folder. A symbolic link is refused, never
 * followed. `--force` replaces a meshsim report of another kind only. `--json` alone writes nothing.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scratch } from '../cli/spawn-meshsim.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { checksums, meshsimEnv, traceless } from './cli-spawn.js';

const tmp = scratch('folders');
afterAll(tmp.cleanup);
const SCENARIO = 'test/scenario/minimal.yaml';
/** Every command that writes a folder, aimed at `dir`. */
const writers = (dir: string): [string, string[]][] => [
  ['run --out', ['run', SCENARIO, '--out', dir]],
  ['compare --out', ['compare', SCENARIO, '--replications', '2', '--workers', '1', '--out', dir]],
  ['report', ['report', dir]],
];

describe.concurrent('a folder meshsim did not write is never replaced', { timeout: 120_000 }, () => {
  it.each(writers('USER'))('%s a folder holding a user file: exit 2, the file intact', async (_, args) => {
    const dir = join(tmp.dir, `user-${args[0]}`);
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'notes.md'), '# my notes\n');
    writeFileSync(join(dir, 'sub', 'data.bin'), Buffer.from([1, 2, 3]));
    // `report` needs results to re-render: give it a summary.json beside the user's files.
    if (args[0] === 'report') writeFileSync(join(dir, 'summary.json'), '{"requests":{},"timeline":[]}');
    const before = checksums(dir);
    const r = await meshsimEnv(args.map((a) => (a === 'USER' ? dir : a)));
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/meshsim did not write \(.*notes\.md/);
    expect(traceless(r.stderr)).toBe(true);
    expect(checksums(dir)).toEqual(before);
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith('.meshsim-tmp'))).toEqual([]);
  });

  const protectedPaths: [string, string, RegExp][] = [
    ['a plain file', 'FILE', /is a file, not a folder/],
    ['"."', '.', /is the working folder/],
    ['the repository root, from a subfolder', '..', /a folder above the working folder/],
    ['the scenario folder', 'test/scenario', /the folder of the scenario file/],
    ['the home folder', '~', /your home folder/],
    ['/', '/', /the root of the file system/],
    ['an empty path', '', /an empty path/],
  ];
  for (const [command, extra] of [
    ['run', []],
    ['compare', ['--replications', '2', '--workers', '1']],
  ] as const) {
    it.each(protectedPaths)(`${command} --out %s: exit 2, nothing changed`, async (_, given, says) => {
      const file = join(tmp.dir, `plain-${command}.txt`);
      writeFileSync(file, 'keep me\n');
      const out = given === 'FILE' ? file : given === '~' ? (process.env['HOME'] ?? '/root') : given;
      // Run from the scenario folder for '..' (the repository root); everywhere else from the root.
      const cwd = given === '..' ? join(REPO_ROOT, 'test') : REPO_ROOT;
      const scenario = given === '..' ? 'scenario/minimal.yaml' : SCENARIO;
      const before = checksums(join(REPO_ROOT, 'test', 'scenario'));
      const r = await meshsimEnv([command, scenario, ...extra, '--out', out], { cwd });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(says);
      expect(traceless(r.stderr)).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe('keep me\n');
      expect(checksums(join(REPO_ROOT, 'test', 'scenario'))).toEqual(before);
      expect(existsSync(join(REPO_ROOT, '.git'))).toBe(true);
    });
  }

  it('report aimed at the repository root, ".", or a plain file: exit 2', async () => {
    for (const dir of [REPO_ROOT, '.', join(REPO_ROOT, 'package.json')]) {
      const r = await meshsimEnv(['report', dir]);
      expect(r.status, r.stderr).toBe(2);
      expect(traceless(r.stderr)).toBe(true);
    }
    expect(existsSync(join(REPO_ROOT, '.git'))).toBe(true);
  });
});

describe("meshsim's own folders", { timeout: 180_000 }, () => {
  it('run writes a marker; a second run replaces its folder; compare needs --force to replace a run report', async () => {
    const out = join(tmp.dir, 'own');
    expect((await meshsimEnv(['run', SCENARIO, '--out', out])).status).toBe(0);
    const marker = JSON.parse(readFileSync(join(out, '.meshsim-report.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(marker).toMatchObject({ kind: 'run', command: `meshsim run ${SCENARIO}` });
    expect(marker['files']).toContain('summary.json');
    const again = await meshsimEnv(['run', SCENARIO, '--seed', '2', '--out', out]);
    expect(again.status, again.stderr).toBe(0);
    const refused = await meshsimEnv(['compare', SCENARIO, '--replications', '2', '--out', out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/holds a meshsim run report .* Give --force/);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    const forced = await meshsimEnv([
      'compare',
      SCENARIO,
      '--replications',
      '2',
      '--workers',
      '1',
      '--force',
      '--out',
      out,
    ]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(existsSync(join(out, 'comparison.json'))).toBe(true);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    // A file added by hand to a meshsim folder makes it the user's again: refused, even with --force.
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const withNotes = await meshsimEnv(['compare', SCENARIO, '--replications', '2', '--force', '--out', out]);
    expect(withNotes.status).toBe(2);
    expect(withNotes.stderr).toContain('notes.txt');
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    const report = await meshsimEnv(['report', out]);
    expect(report.status).toBe(2);
    rmSync(join(out, 'notes.txt'));
    const rerender = await meshsimEnv(['report', out]);
    expect(rerender.status, rerender.stderr).toBe(0);
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith('.meshsim-tmp'))).toEqual([]);
  });

  it('a symbolic link as --out is refused, and the folder it points to is untouched', async () => {
    const target = join(tmp.dir, 'link-target');
    mkdirSync(target);
    writeFileSync(join(target, 'a.txt'), 'a');
    symlinkSync(target, join(tmp.dir, 'link'));
    const r = await meshsimEnv(['run', SCENARIO, '--out', join(tmp.dir, 'link')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is a symbolic link; meshsim neither follows nor replaces links/);
    expect(readdirSync(target)).toEqual(['a.txt']);
  });

  it('report re-renders a folder of an older meshsim (no marker, only its file names) and marks it', async () => {
    const out = join(tmp.dir, 'legacy');
    expect((await meshsimEnv(['run', SCENARIO, '--out', out])).status).toBe(0);
    rmSync(join(out, '.meshsim-report.json'));
    const r = await meshsimEnv(['report', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, '.meshsim-report.json'))).toBe(true);
  });

  it('--json without --out writes nothing; run and compare default to different folders', async () => {
    const cwd = join(tmp.dir, 'cwd');
    mkdirSync(cwd);
    cpSync(join(REPO_ROOT, SCENARIO), join(cwd, 'tiny.yaml'));
    const json = await meshsimEnv(['run', 'tiny.yaml', '--json'], { cwd });
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toHaveProperty('requests');
    expect(readdirSync(cwd)).toEqual(['tiny.yaml']);
    const run = await meshsimEnv(['run', 'tiny.yaml'], { cwd });
    const cmp = await meshsimEnv(['compare', 'tiny.yaml', '--replications', '2', '--workers', '1'], { cwd });
    expect(run.status, run.stderr).toBe(0);
    expect(cmp.status, cmp.stderr).toBe(0);
    expect(readdirSync(join(cwd, 'reports', 'tiny')).sort()).toEqual(['compare', 'run-multi-primary']);
    expect(existsSync(join(cwd, 'reports', 'tiny', 'run-multi-primary', 'summary.json'))).toBe(true);
    expect(existsSync(join(cwd, 'reports', 'tiny', 'compare', 'comparison.json'))).toBe(true);
  });
});
