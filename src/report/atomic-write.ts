/**
 * The one place report files reach the disk. A report folder is written whole, every file fsynced, into a
 * temporary folder beside its destination, then swapped into place in one step (`exchange.ts`), so the
 * destination always holds either the previous report or the new one, complete, whatever moment the
 * process is killed at. Where the system cannot swap in one step, two renames are used and a kill between
 * them is repaired by the next meshsim that writes beside it (the previous report is put back).
 *
 * A temporary folder is `.meshsim-tmp-<name>-<pid>-<random>/` holding `owner.json` (pid, process start
 * time, host, destination) and `report/` (the new report), then `previous/` (the old one, being
 * removed). The next writer in the same parent removes one only when `owner.json` says its process is gone
 * (pid and start time, never the name alone), restoring `previous/` first if the destination is missing.
 * Folders and files are created with the default modes, so they follow the umask.
 *
 * Contents: `writeReportFolder`, `writeFileAtomic`, `removeStaleTemporaries`, `ReportFile`,
 * `ReportWriteError`, `plainCause`, `STOP_AT_ENV`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { lstat, mkdir, open, readFile, readdir, rename, rm, statfs } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { exchangeFolders } from './exchange.js';

/** One file of a report folder: its path inside the folder and its bytes. */
export interface ReportFile {
  /** Path inside the report folder, e.g. `summary.json` or `charts/latency.svg`. */
  readonly name: string;
  /**
   * Text (written as UTF-8), bytes, or bytes in chunks (a large text never built as one string, e.g.
   * OpenMetrics: see text-chunks.ts), written chunk by chunk.
   */
  readonly content: string | Uint8Array | SizedChunks;
}

/**
 * Bytes in chunks, made while they are written; `maxBytes`, when known, bounds their total (the
 * free-space check before writing counts it: otherwise their size is known only when the disk is full).
 */
export type SizedChunks = Iterable<Uint8Array> & { readonly maxBytes?: number };

/** About how many bytes `files` take: exact for text and bytes, the stated bound for chunks. */
export function reportFilesBytes(files: readonly ReportFile[]): number {
  let bytes = 0;
  for (const f of files)
    bytes +=
      typeof f.content === 'string'
        ? Buffer.byteLength(f.content)
        : f.content instanceof Uint8Array
          ? f.content.length
          : (f.content.maxBytes ?? 0);
  return bytes;
}

/** A file-system error while writing a report: the path and the cause in plain words (exit 2). */
export class ReportWriteError extends Error {
  override name = 'ReportWriteError';
  constructor(
    message: string,
    readonly path: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** What an errno means to someone who did not read errno.h. */
export function plainCause(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (this user may not write there)';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'the disk quota is exhausted';
    case 'EBUSY':
      return 'the path is busy (in use, or a mount point)';
    case 'ENOENT':
      return 'a folder on the way does not exist (or was removed meanwhile)';
    case 'EEXIST':
    case 'ENOTEMPTY':
      return 'something else was created there meanwhile';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EISDIR':
      return 'a folder is in the way of a file';
    case 'EIO':
      return 'an input/output error of the device';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Test hook: the name of a step at which the process kills itself with SIGKILL (kill tests drive the
 * moment of death with it rather than by timing). Steps: `simulate` (the CLI, once the output folder
 * passed its checks), `tmp-created`, `file-<i>`, `files-synced`,
 * `moved-aside` (fallback only), `swapped`, `done`.
 */
export const STOP_AT_ENV = 'MESHSIM_TEST_STOP_AT';

/** Stops the process here when a test named this step (`STOP_AT_ENV`); nothing otherwise. */
export function testStop(name: string): void {
  step(name);
}

function step(name: string): void {
  if (process.env[STOP_AT_ENV] === name) process.kill(process.pid, 'SIGKILL');
}

const TMP_PREFIX = '.meshsim-tmp-';
const OWNER_FILE = 'owner.json';

interface Owner {
  readonly pid: number;
  /** Linux: the process start time in clock ticks since boot (/proc/PID/stat field 22); else null. */
  readonly start: string | null;
  readonly host: string;
  /** The destination's name in the same parent. */
  readonly out: string;
}

/** A process's start time from /proc, or null where there is no /proc (or no such process). */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the process that wrote `owner` still runs (same pid and, where known, same start time). */
function ownerAlive(owner: Owner): boolean {
  if (owner.start !== null) return startTime(owner.pid) === owner.start;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Removes the temporary folders in `parent` that a killed meshsim left (owner gone, same host), putting a
 * previous report back first where the kill fell between the fallback's two renames. Returns the
 * destinations it restored. Anything without a readable `owner.json` is left alone.
 */
export async function removeStaleTemporaries(parent: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const restored: string[] = [];
  for (const name of names.filter((n) => n.startsWith(TMP_PREFIX))) {
    const tmp = join(parent, name);
    let owner: Owner;
    try {
      owner = JSON.parse(await readFile(join(tmp, OWNER_FILE), 'utf8')) as Owner;
    } catch {
      continue;
    }
    if (typeof owner.pid !== 'number' || typeof owner.out !== 'string' || owner.out.includes('/')) continue;
    if (owner.host !== hostname() || ownerAlive(owner)) continue;
    const out = join(parent, owner.out);
    if ((await exists(join(tmp, 'previous'))) && !(await exists(out))) {
      await rename(join(tmp, 'previous'), out);
      restored.push(out);
    }
    await rm(tmp, { recursive: true, force: true });
  }
  return restored;
}

/** Writes `content` to a new file at `path` and fsyncs it before closing. */
async function writeSynced(path: string, content: ReportFile['content']): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    if (typeof content === 'string' || content instanceof Uint8Array) await fh.writeFile(content);
    else
      for (const chunk of content) {
        // write() may write less than asked (a signal, a full pipe): go on from where it stopped.
        for (let at = 0; at < chunk.length;) at += (await fh.write(chunk, at)).bytesWritten;
      }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync a folder, so the names in it (a rename) are on disk too; a no-op where folders cannot be opened. */
async function syncFolder(path: string): Promise<void> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return;
  }
  try {
    await fh.sync();
  } catch {
    // Some file systems refuse fsync on a folder (EINVAL); the data files were synced already.
  } finally {
    await fh.close();
  }
}

/** Creates the temporary folder beside `out` with its owner file; the caller removes it. */
async function createTemporary(out: string): Promise<string> {
  const parent = dirname(out);
  const tmp = join(parent, `${TMP_PREFIX}${basename(out)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  const owner: Owner = {
    pid: process.pid,
    start: startTime(process.pid),
    host: hostname(),
    out: basename(out),
  };
  await writeSynced(join(tmp, OWNER_FILE), `${JSON.stringify(owner)}\n`);
  return tmp;
}

/**
 * Checks that a folder can be created and written in `parent` (read-only, permissions, no space for a
 * small file), by doing it: the temporary folder is created and removed again. Throws ReportWriteError.
 */
export async function probeWritable(out: string): Promise<void> {
  let tmp: string | undefined;
  try {
    tmp = await createTemporary(out);
  } catch (e) {
    throw new ReportWriteError(
      `cannot write in ${dirname(out)}: ${plainCause(e)}`,
      dirname(out),
      (e as NodeJS.ErrnoException).code,
    );
  } finally {
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Writes `files` as the folder `dir`, replacing the report there (if any) in one step, or not at all.
 * The caller checked that `dir` may be replaced (`checkOutputFolder`). Throws ReportWriteError.
 */
export async function writeReportFolder(dir: string, files: readonly ReportFile[]): Promise<void> {
  const out = resolve(dir);
  const parent = dirname(out);
  let tmp: string | undefined;
  let where = parent;
  try {
    await mkdir(parent, { recursive: true });
    await removeStaleTemporaries(parent);
    // The check before the run could not count what the run wrote (an OpenMetrics export runs to tens of
    // MB): refuse now, before a byte is written, rather than fail part-way with ENOSPC.
    const needed = reportFilesBytes(files);
    const fs = await statfs(parent).catch(() => undefined);
    if (fs !== undefined && fs.bavail * fs.bsize < needed)
      throw new ReportWriteError(
        `cannot write the report ${out}: ${parent} has ${mib(fs.bavail * fs.bsize)} free; this report needs up to ${mib(needed)}. Free some space or choose another folder with --out.`,
        parent,
        'ENOSPC',
      );
    tmp = await createTemporary(out);
    step('tmp-created');
    const next = join(tmp, 'report');
    await mkdir(next);
    const folders = new Set([next]);
    for (const [i, f] of files.entries()) {
      where = join(out, f.name);
      const path = join(next, f.name);
      if (!folders.has(dirname(path))) {
        await mkdir(dirname(path), { recursive: true });
        folders.add(dirname(path));
      }
      await writeSynced(path, f.content);
      step(`file-${i}`);
    }
    for (const folder of folders) await syncFolder(folder);
    step('files-synced');
    where = out;
    if (!(await exists(out))) {
      await rename(next, out);
    } else if (exchangeFolders(out, next)) {
      step('swapped');
    } else {
      // No one-step swap here: a kill between these renames is repaired by removeStaleTemporaries.
      await rename(out, join(tmp, 'previous'));
      step('moved-aside');
      try {
        await rename(next, out);
      } catch (e) {
        await rename(join(tmp, 'previous'), out);
        throw e;
      }
      step('swapped');
    }
    await syncFolder(parent);
  } catch (e) {
    // Never remove a temporary folder that holds the only copy of the previous report.
    const keep = tmp !== undefined && (await exists(join(tmp, 'previous')).catch(() => true));
    if (tmp !== undefined && !keep) await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (e instanceof ReportWriteError) throw e;
    throw new ReportWriteError(
      `cannot write the report ${out}: ${plainCause(e)} (at ${where})`,
      where,
      (e as NodeJS.ErrnoException).code,
    );
  }
  await rm(tmp, { recursive: true, force: true });
  step('done');
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Writes one file atomically (temporary name, fsync, then rename). */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(
    dirname(path),
    `${TMP_PREFIX}${basename(path)}-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    await writeSynced(tmp, content);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
