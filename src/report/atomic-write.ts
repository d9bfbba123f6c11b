/**
 * The one place report files reach the disk. A report folder is written whole into a temporary sibling and
 * renamed into place, so an interrupted run never leaves a half-written report and never destroys the
 * previous one (the old folder is moved aside first and removed only after the new one is in place).
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** One file of a report folder: its path inside the folder and its bytes. */
export interface ReportFile {
  /** Path inside the report folder, e.g. `summary.json` or `charts/latency.svg`. */
  readonly name: string;
  /** Text (written as UTF-8) or bytes. */
  readonly content: string | Uint8Array;
}

/** Writes `files` as the folder `dir`, replacing any previous report there whole, or not at all. */
export async function writeReportFolder(dir: string, files: readonly ReportFile[]): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, `.meshsim-tmp-${basename(dir)}-`));
  try {
    for (const f of files) {
      const path = join(tmp, f.name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, f.content);
    }
    const old = `${tmp}-previous`;
    let moved = false;
    try {
      await rename(dir, old);
      moved = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    await rename(tmp, dir);
    if (moved) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Writes one file atomically (temporary name, then rename). */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.meshsim-tmp-${basename(path)}-${process.pid}`);
  try {
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
