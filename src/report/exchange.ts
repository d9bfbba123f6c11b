/**
 * Swapping two folders in one step, so that a report path never holds nothing. Linux has the system call
 * (renameat2 with RENAME_EXCHANGE, since 3.15) but Node does not expose it; perl is on every Linux that
 * has a package manager (Debian's perl-base is Essential), and its `syscall` reaches the call directly.
 * Where neither works (another OS, a file system without exchange), the caller falls back to two renames
 * and the recovery that `atomic-write.ts` keeps for that window.
 *
 * Contents: `exchangeFolders`.
 */
import { spawnSync } from 'node:child_process';

/** renameat2's number per architecture (Linux's syscall tables). */
const RENAMEAT2: Partial<Record<NodeJS.Architecture, number>> = {
  x64: 316,
  arm64: 276,
  riscv64: 276,
  loong64: 276,
  arm: 382,
  ia32: 353,
  ppc64: 357,
  s390x: 347,
};

/** AT_FDCWD is -100; RENAME_EXCHANGE is 2 (linux/fs.h). Prints errno on failure. */
const SCRIPT =
  'my ($a, $b, $n) = @ARGV; my $r = syscall($n, -100, $a, -100, $b, 2); print $r == 0 ? "ok" : ($!+0);';

/** Environment variable that turns the exchange off, to test the fallback path. */
export const NO_EXCHANGE_ENV = 'MESHSIM_NO_RENAME_EXCHANGE';

/**
 * Swaps folders `a` and `b` (both must exist) atomically; true when done, false when the system offers no
 * way to (the caller then falls back). Absolute paths only: the helper runs in this process's directory.
 */
export function exchangeFolders(a: string, b: string): boolean {
  const nr = RENAMEAT2[process.arch];
  if (process.platform !== 'linux' || nr === undefined || process.env[NO_EXCHANGE_ENV] === '1') return false;
  const r = spawnSync('perl', ['-e', SCRIPT, a, b, String(nr)], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 && r.stdout === 'ok';
}
