/**
 * Real read-only and full file systems for tests, as root: a small tmpfs (ENOSPC once full) and a
 * read-only bind mount (EROFS, which root cannot chmod its way past). Both are unmounted by `cleanup`.
 * `canMount` says whether this machine lets the test mount at all (CI runs as root and does).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function tryMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-canmount-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const canMount = tryMount();

export interface Mounted {
  readonly dir: string;
  cleanup(): void;
}

/** A tmpfs of `size` (e.g. `256k`) at a new folder. */
export function smallTmpfs(size: string): Mounted {
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  return {
    dir,
    cleanup: () => {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A read-only bind mount of a new, empty folder. */
export function readOnlyFolder(): Mounted {
  const source = mkdtempSync(join(tmpdir(), 'meshsim-rosrc-'));
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-ro-'));
  mkdirSync(join(source, 'existing'));
  execFileSync('mount', ['--bind', source, dir]);
  execFileSync('mount', ['-o', 'remount,bind,ro', dir]);
  return {
    dir,
    cleanup: () => {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
      rmSync(source, { recursive: true, force: true });
    },
  };
}
