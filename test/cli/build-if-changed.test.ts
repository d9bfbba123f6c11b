/**
 * `npm start`'s build step (.config/build-if-changed.mjs) on a copy of the repository's sources: a fresh tree
 * builds, an unchanged one does not, and any change to a source rebuilds, including one that restores an
 * older file with its older mtime (the check is equality of a fingerprint, not "newer than dist/").
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const root = mkdtempSync(join(tmpdir(), 'meshsim-build-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function build(): { status: number | null; said: string } {
  const r = spawnSync(process.execPath, [join(repo, '.config/build-if-changed.mjs'), root], {
    encoding: 'utf8',
    env: { ...process.env, MESHSIM_BUILD_VERBOSE: '1' },
  });
  return { status: r.status, said: `${r.stdout}${r.stderr}` };
}

describe('npm start builds only when the sources changed', { timeout: 300_000 }, () => {
  it('builds a fresh tree, skips an unchanged one, rebuilds after an edit and after an older copy', () => {
    cpSync(join(repo, 'src'), join(root, 'src'), { recursive: true, preserveTimestamps: true });
    mkdirSync(join(root, '.config'));
    for (const f of ['tsconfig.json', 'package.json', 'package-lock.json', '.config/tsconfig.build.json'])
      cpSync(join(repo, f), join(root, f), { preserveTimestamps: true });
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
    const source = join(root, 'src/des/sim-time.ts');
    const output = join(root, 'dist/des/sim-time.js');

    const fresh = build();
    expect(fresh.status).toBe(0);
    expect(fresh.said).toContain('rebuilt');
    const builtAt = statSync(join(root, 'dist/cli/main.js')).mtimeMs;

    const again = build();
    expect(again.status).toBe(0);
    expect(again.said).toContain('up to date');
    expect(statSync(join(root, 'dist/cli/main.js')).mtimeMs).toBe(builtAt);

    const original = readFileSync(source, 'utf8');
    const { atime, mtime } = statSync(source);
    cpSync(source, `${source}.orig`, { preserveTimestamps: true });
    spawnSync('sh', ['-c', `printf 'export const EDITED_FOR_TEST = 17;\\n' >> "${source}"`]);
    const edited = build();
    expect(edited.said).toContain('rebuilt');
    expect(readFileSync(output, 'utf8')).toContain('EDITED_FOR_TEST');

    // The old file back with its old mtime, now older than dist/: a "newer than" check would skip this.
    cpSync(`${source}.orig`, source, { preserveTimestamps: true });
    rmSync(`${source}.orig`);
    utimesSync(source, atime, mtime);
    expect(readFileSync(source, 'utf8')).toBe(original);
    const restored = build();
    expect(restored.said).toContain('rebuilt');
    expect(readFileSync(output, 'utf8')).not.toContain('EDITED_FOR_TEST');
    expect(build().said).toContain('up to date');
  });
});
