/**
 * The built CLI spawned with extra environment (test hooks), reporting the signal that ended it and its
 * peak resident memory (read by a preload at exit, so no external `time` tool is needed).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

export interface Spawned {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit, ms. */
  readonly ms: number;
  /** Peak resident set of the process, MB (undefined when killed before it could say). */
  readonly maxRssMb: number | undefined;
  /** User plus system CPU time of the process, ms (undefined when killed before it could say). */
  readonly cpuMs: number | undefined;
}

const RSS_PRELOAD = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\n@@maxrss='+u.maxRSS+' cpu='+(u.userCPUTime+u.systemCPUTime)+'\\n')})`;

export function meshsimEnv(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['--import', RSS_PRELOAD, join(REPO_ROOT, 'dist/cli/main.js'), ...args],
      {
        cwd: options.cwd ?? REPO_ROOT,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
        timeout: options.timeoutMs ?? 90_000,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status, signal) => {
      const m = /\n@@maxrss=(\d+) cpu=(\d+)\n/.exec(stderr);
      resolve({
        status,
        signal,
        stdout,
        stderr: stderr.replace(/\n@@maxrss=\d+ cpu=\d+\n/, ''),
        ms: performance.now() - started,
        maxRssMb: m === null ? undefined : Number(m[1]) / 1024,
        cpuMs: m === null ? undefined : Number(m[2]) / 1000,
      });
    });
  });
}

/** Every file under `dir` by relative path, with a SHA-256 of its bytes (folders end with `/`). */
export function checksums(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        out.set(`${relative(dir, p)}/`, '');
        walk(p);
      } else out.set(relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** No stack trace and no "internal error": what bad input must never print. */
export function traceless(stderr: string): boolean {
  return !/^\s+at /m.test(stderr) && !stderr.includes('internal error');
}
