/**
 * Which folders meshsim may replace with a report, decided before anything is simulated. A report folder
 * is meshsim's own when it carries the marker `.meshsim-report.json` (version, kind, command and the list
 * of files written); meshsim writes only to a path that does not exist, an empty folder, or a folder with
 * the marker holding nothing but the files it lists. Everything else is refused with the reason: a folder
 * with other files, a plain file, a symbolic link (refused, never followed: replacing it would replace the
 * link, and writing through it would replace a folder the user never named), `/`, the home folder, the
 * working folder or any folder above it, and the scenario file's folder or any folder above it.
 *
 * Contents: `checkOutputFolder`, `withMarker`, `estimateReportBytes`, `OutputRequest`, `ReportMarker`,
 * `ReportFolderError`, `MARKER`.
 */
import { lstat, readFile, readdir, realpath, stat, statfs } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import {
  type ReportFile,
  ReportWriteError,
  plainCause,
  probeWritable,
  removeStaleTemporaries,
} from './atomic-write.js';

export const MARKER = '.meshsim-report.json';

export type ReportKind = 'run' | 'comparison';

/** What meshsim wrote in a report folder before markers, now or in earlier layouts (CSV files at the top). */
export const LEGACY_REPORT_ENTRIES: ReadonlySet<string> = new Set([
  'summary.json',
  'comparison.json',
  'summary.md',
  'index.html',
  'charts',
  'csv',
  'timeline.csv',
  'services.csv',
  'clusters.csv',
  'traffic-matrix.csv',
  'faults.csv',
  'comparison.csv',
  'differences.csv',
]);

/** The marker's content. No timestamp: two reports of the same input stay byte-identical. */
export interface ReportMarker {
  readonly meshsim: string;
  readonly kind: ReportKind;
  /** The command that wrote the folder, without `--out`. */
  readonly command: string;
  /** Every file written, by path inside the folder (the marker itself excluded). */
  readonly files: readonly string[];
}

/** A folder that may not be written, and why, in plain words (exit 2). */
export class ReportFolderError extends Error {
  override name = 'ReportFolderError';
}

export interface OutputRequest {
  /** The folder as the user gave it (or the default). */
  readonly dir: string;
  /** How to name it in messages, e.g. `--out docs` or `reports/x`. */
  readonly label: string;
  readonly kind: ReportKind;
  /** `--force`: replace a meshsim report of another kind. */
  readonly force: boolean;
  /** A folder the user named: its parent must exist. A default folder's parents are created. */
  readonly explicit: boolean;
  /** The scenario file: its folder, and every folder above it, are never replaced. */
  readonly scenarioFile?: string;
  /** Accept a folder of an older meshsim (no marker, only meshsim's file names): `meshsim report`. */
  readonly legacyEntries?: ReadonlySet<string>;
  /** About how many bytes the report will take (`estimateReportBytes`). */
  readonly bytes: number;
}

/**
 * A generous size of a report folder, from measured ones: a quickstart run 180 KB, a twenty-cluster run
 * 700 KB; per model about half a megabyte plus the time series and the cluster-by-cluster matrix. With
 * `--openmetrics`, `telemetrySeries` label sets per model (metrics/telemetry-series-estimate.ts): each
 * sample of one is 23 lines (the counter, the histogram's 20 buckets, sum and count) of about 1 KB (Istio's
 * full label set: 900-980 bytes a line measured on the quickstart and the bench mesh), one sample per
 * window plus the first in openmetrics.txt, one more in metrics.prom.
 */
export function estimateReportBytes(
  models: number,
  windows: number,
  clusters: number,
  telemetrySeries = 0,
): number {
  const openMetrics = telemetrySeries * (windows + 2) * 23 * 1024;
  return 1024 * 1024 + models * (512 * 1024 + windows * 2048 + clusters * clusters * 256 + openMetrics);
}

/** Adds the marker to `files`. */
export function withMarker(files: readonly ReportFile[], marker: Omit<ReportMarker, 'files'>): ReportFile[] {
  const full: ReportMarker = { ...marker, files: files.map((f) => f.name) };
  return [...files, { name: MARKER, content: `${JSON.stringify(full, null, 2)}\n` }];
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Whether folder `a` is `b` or holds it (both absolute and real). */
const isAncestorOrSelf = (a: string, b: string): boolean => {
  const r = relative(a, b);
  return r === '' || (!isAbsolute(r) && r.split(sep)[0] !== '..');
};

/** Every file and folder under `dir`, by path inside it (folders end with `/`). */
async function tree(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const name = `${prefix}${e.name}`;
    if (e.isDirectory()) {
      out.push(`${name}/`);
      out.push(...(await tree(join(dir, e.name), `${name}/`)));
    } else out.push(name);
  }
  return out;
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

/** What `dir`'s marker says, or undefined when it has none; throws when the marker is unreadable. */
async function readMarker(dir: string, label: string): Promise<ReportMarker | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MARKER), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ReportFolderError(`${label}: cannot read its ${MARKER}: ${plainCause(e)}`);
  }
  try {
    const m = JSON.parse(text) as ReportMarker;
    if (
      typeof m.meshsim === 'string' &&
      Array.isArray(m.files) &&
      (m.kind === 'run' || m.kind === 'comparison')
    )
      return m;
  } catch {
    // fall through
  }
  throw new ReportFolderError(
    `${label}: its ${MARKER} is not one meshsim wrote, so the folder is not replaced. Choose another folder.`,
  );
}

/** Refuses `abs` if it is `/`, the home folder, the working folder or above it, or above the scenario. */
async function refuseProtected(abs: string, req: OutputRequest): Promise<void> {
  const real = await realpath(abs);
  const why = (reason: string) =>
    new ReportFolderError(
      `${req.label}: refused: ${real} is ${reason}; meshsim replaces its report folder whole. Give a new folder, e.g. --out reports/my-review.`,
    );
  if (real === parse(real).root) throw why('the root of the file system');
  if (real === (await realpath(homedir()).catch(() => homedir()))) throw why('your home folder');
  const cwd = await realpath(process.cwd());
  if (isAncestorOrSelf(real, cwd))
    throw why(real === cwd ? 'the working folder' : `a folder above the working folder (${cwd})`);
  if (req.scenarioFile !== undefined) {
    const scenarioDir = await realpath(dirname(resolve(req.scenarioFile))).catch(() => undefined);
    if (scenarioDir !== undefined && isAncestorOrSelf(real, scenarioDir))
      throw why(`the folder of the scenario file ${req.scenarioFile}, or a folder above it`);
  }
}

/** Refuses a folder that is not empty and not one of meshsim's reports holding only what it wrote. */
async function refuseForeign(abs: string, req: OutputRequest): Promise<void> {
  const entries = await tree(abs);
  if (entries.length === 0) return;
  const marker = await readMarker(abs, req.label);
  if (marker === undefined) {
    const top = entries.filter((e) => !e.slice(0, -1).includes('/'));
    const legacy = req.legacyEntries;
    if (legacy !== undefined && top.every((e) => legacy.has(e.replace(/\/$/, '')))) return;
    throw new ReportFolderError(
      `${req.label}: refused: the folder holds files meshsim did not write (${listed(top.sort())}) and no ${MARKER}; meshsim writes only to a new path, an empty folder, or a report folder of its own. Choose another folder, e.g. --out reports/my-review (nothing was changed).`,
    );
  }
  const own = new Set([MARKER, ...marker.files]);
  for (const f of marker.files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) own.add(`${parts.slice(0, i).join('/')}/`);
  }
  const foreign = entries.filter((e) => !own.has(e)).sort();
  if (foreign.length > 0)
    throw new ReportFolderError(
      `${req.label}: refused: this meshsim report folder also holds files meshsim did not write (${listed(foreign)}); the folder is replaced whole, so move them out first, or choose another folder.`,
    );
  if (marker.kind !== req.kind && !req.force)
    throw new ReportFolderError(
      `${req.label}: holds a meshsim ${marker.kind} report (by "${marker.command}"); this ${req.kind} would replace it. Give --force to replace it, or choose another folder.`,
    );
}

/**
 * Checks, before anything is simulated, that a report may be written at `req.dir`: what is there now, the
 * parent (exists, writable, not read-only: a folder is created there and removed again) and the free space.
 * Removes temporary folders a killed meshsim left beside it. Throws ReportFolderError.
 */
export async function checkOutputFolder(req: OutputRequest): Promise<void> {
  if (req.dir.trim() === '')
    throw new ReportFolderError(`${req.label}: an empty path; name a folder, e.g. --out reports/my-review.`);
  const abs = resolve(req.dir);
  let parent = dirname(abs);
  if (!req.explicit) {
    // A default folder's missing parents are created at write time; check the nearest existing one.
    while ((await lstatOrUndefined(parent)) === undefined && dirname(parent) !== parent)
      parent = dirname(parent);
  }
  const parentStat = await stat(parent).catch((e: unknown) => {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ReportFolderError(`${req.label}: cannot look at ${parent}: ${plainCause(e)}`);
  });
  if (parentStat === undefined)
    throw new ReportFolderError(
      `${req.label}: the parent folder ${parent} does not exist; create it first (mkdir -p ${parent}) or choose another folder.`,
    );
  if (!parentStat.isDirectory()) throw new ReportFolderError(`${req.label}: ${parent} is not a folder.`);
  if (parent === dirname(abs)) await removeStaleTemporaries(parent);
  const st = await lstatOrUndefined(abs).catch((e: unknown) => {
    throw new ReportFolderError(`${req.label}: cannot look at ${abs}: ${plainCause(e)}`);
  });
  if (st !== undefined) {
    if (st.isSymbolicLink())
      throw new ReportFolderError(
        `${req.label}: refused: ${abs} is a symbolic link; meshsim neither follows nor replaces links. Give the folder it points to, or another folder.`,
      );
    if (!st.isDirectory())
      throw new ReportFolderError(
        `${req.label}: refused: ${abs} is a file, not a folder; meshsim writes a folder there and never replaces a file. Choose another path.`,
      );
    await refuseProtected(abs, req);
    await refuseForeign(abs, req).catch((e: unknown) => {
      if (e instanceof ReportFolderError) throw e;
      throw new ReportFolderError(`${req.label}: cannot read ${abs}: ${plainCause(e)}`);
    });
  }
  try {
    await probeWritable(join(parent, 'probe'));
  } catch (e) {
    if (e instanceof ReportWriteError) throw new ReportFolderError(`${req.label}: ${e.message}`);
    throw e;
  }
  const fs = await statfs(parent).catch(() => undefined);
  if (fs !== undefined) {
    const free = fs.bavail * fs.bsize;
    if (free < req.bytes)
      throw new ReportFolderError(
        `${req.label}: ${parent} has ${mib(free)} free; a report of this size needs about ${mib(req.bytes)}. Free some space or choose another folder.`,
      );
  }
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
