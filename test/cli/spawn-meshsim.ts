/**
 * The built CLI (`node dist/cli/main.js`, so run `npm run build` first) spawned the way a user runs it,
 * asynchronously so that suites run their commands concurrently; stdout is a pipe, so no progress bar.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The signal that ended the process, if one did. */
  readonly signal?: NodeJS.Signals | null;
}

export function meshsim(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; onSpawn?: (kill: () => void) => void } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/cli/main.js'), ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    options.onSpawn?.(() => child.kill('SIGKILL'));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, stdout, stderr, signal }));
  });
}

/** No stack trace and no "internal error": what bad input must never print. */
export function expectsNoTrace(r: CliRun): string | undefined {
  if (/^\s+at /m.test(r.stderr)) return 'stack trace on stderr';
  if (r.stderr.includes('internal error')) return '"internal error" on stderr';
  return undefined;
}

/** Every file under `dir`, by path relative to it, with its bytes as text. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/**
 * A report folder's files without its marker (`.meshsim-report.json`), which names the command that wrote
 * the folder: `meshsim merge` for a merged one, so it is the one file that differs by design. A folder
 * without a marker is not a meshsim report: that throws.
 */
export function reportTree(dir: string): Map<string, string> {
  const tree = readTree(dir);
  if (!tree.delete('.meshsim-report.json')) throw new Error(`${dir} has no marker (.meshsim-report.json)`);
  return tree;
}

/** A scratch directory per suite, removed by `cleanup`. */
export function scratch(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `meshsim-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
