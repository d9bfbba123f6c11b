/**
 * The Istio resource files a scenario names (`routing.include`, relative to the scenario) or the command
 * line adds (`--istio-config [CLUSTER=]PATH`): a file, or a folder's .yaml, .yml and .json files in name
 * order (as `kubectl apply -f DIR`, not recursive). Each is read with the scenario file's bounds: regular
 * files only, at most MAX_FILE_BYTES.
 *
 * Contents: `readConfigSources`, `ConfigSource`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { ScenarioIssue } from '../issue.js';
import { readIstioResources, type RoutingObject } from './resources.js';

/** Same bound as load.ts MAX_FILE_BYTES (kept equal by a test; load.ts imports this module). */
const MAX_BYTES = 1024 * 1024;
/** Files per folder: a config folder with more is a mistake (a home directory?), not a mesh. */
const MAX_FOLDER_FILES = 1000;

export interface ConfigSource {
  /** As written; relative paths are taken from `relativeTo`. */
  readonly path: string;
  readonly relativeTo: string;
  readonly cluster?: string | undefined;
  /** Where the path itself was written, for a path that cannot be read. */
  readonly at: Omit<ScenarioIssue, 'code' | 'message'>;
}

export function readConfigSources(
  sources: readonly ConfigSource[],
  firstSeq: number,
): { objects: RoutingObject[]; issues: ScenarioIssue[] } {
  const objects: RoutingObject[] = [];
  const issues: ScenarioIssue[] = [];
  let seq = firstSeq;
  for (const s of sources) {
    const full = resolve(s.relativeTo, s.path);
    const fail = (why: string) =>
      issues.push({
        ...s.at,
        code: 'file-unreadable',
        message: `cannot read Istio config ${s.path}: ${why}`,
      });
    let files: string[];
    try {
      const st = statSync(full);
      if (st.isDirectory()) {
        files = readdirSync(full)
          .filter((f) => ['.yaml', '.yml', '.json'].includes(extname(f).toLowerCase()))
          .sort()
          .map((f) => join(full, f))
          .filter((f) => statSync(f).isFile());
        if (files.length > MAX_FOLDER_FILES) {
          fail(`more than ${MAX_FOLDER_FILES} files in the folder`);
          continue;
        }
        if (files.length === 0) {
          fail('the folder has no .yaml, .yml or .json file');
          continue;
        }
      } else if (st.isFile()) files = [full];
      else {
        fail('not a regular file or folder');
        continue;
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      fail(code === 'ENOENT' ? 'no such file or folder' : String(e));
      continue;
    }
    for (const f of files) {
      const shown = f === full ? s.path : join(s.path, basename(f));
      const text = readBounded(f);
      if (typeof text !== 'string') {
        fail(text.error);
        continue;
      }
      const read = readIstioResources(text, shown, seq, s.cluster);
      seq += read.objects.length;
      objects.push(...read.objects);
      issues.push(...read.issues);
    }
  }
  return { objects, issues };
}

function readBounded(file: string): string | { error: string } {
  try {
    const st = statSync(file);
    if (!st.isFile()) return { error: `${file} is not a regular file` };
    if (st.size > MAX_BYTES) return { error: `${file} is larger than ${MAX_BYTES / 1024 / 1024} MiB` };
    const buffer = readFileSync(file);
    if (buffer.length > MAX_BYTES) return { error: `${file} is larger than ${MAX_BYTES / 1024 / 1024} MiB` };
    return buffer.toString('utf8');
  } catch (e) {
    return { error: String(e) };
  }
}

/** The folder relative `routing.include` paths are taken from. */
export function scenarioFolder(file: string): string {
  return dirname(resolve(file));
}

/** The manifest files of a path (a file, or a folder's .yaml/.yml/.json files in name order), read with the same bounds. */
export function readManifestFiles(
  path: string,
): { ok: true; files: { name: string; text: string }[] } | { ok: false; error: string } {
  const full = resolve(path);
  let names: string[];
  try {
    const st = statSync(full);
    if (st.isDirectory())
      names = readdirSync(full)
        .filter((f) => ['.yaml', '.yml', '.json'].includes(extname(f).toLowerCase()))
        .sort()
        .map((f) => join(full, f));
    else if (st.isFile()) names = [full];
    else return { ok: false, error: `${path}: not a regular file or folder` };
  } catch (e) {
    return {
      ok: false,
      error: `${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : String(e)}`,
    };
  }
  if (names.length === 0) return { ok: false, error: `${path}: the folder has no .yaml, .yml or .json file` };
  if (names.length > MAX_FOLDER_FILES)
    return { ok: false, error: `${path}: more than ${MAX_FOLDER_FILES} files` };
  const files: { name: string; text: string }[] = [];
  for (const f of names) {
    const text = readBounded(f);
    if (typeof text !== 'string') return { ok: false, error: text.error };
    files.push({ name: f === full ? path : join(path, basename(f)), text });
  }
  return { ok: true, files };
}
