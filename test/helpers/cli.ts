/** Runs the built CLI (`dist/cli/main.js`) the way a user does, and returns what it printed. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function meshsim(args: readonly string[], options: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [`${REPO_ROOT}dist/cli/main.js`, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `meshsim run FILE --json --out DIR` and the parsed summary; fails loudly with stderr if it did not exit 0. */
export function runJson(
  file: string,
  outDir: string,
  extra: readonly string[] = [],
): Record<string, unknown> {
  const r = meshsim(['run', file, '--json', '--out', outDir, ...extra]);
  if (r.status !== 0) throw new Error(`meshsim run ${file} exited ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}
