/**
 * Parts files on disk: a shard writes its own into a results folder, `merge` reads every one of the
 * folders it is given and refuses, naming the files, parts that are missing, duplicated or of another
 * plan (another scenario, seed, options or meshsim version).
 *
 * A shard replaces only its own earlier part (a rerun of the same shard of the same plan): it never
 * writes over a file meshsim did not write, nor into a folder that holds another plan's parts.
 *
 * Contents: `writeShardParts`, `readParts`, `checkParts`, `LoadedPart`, `PartsProblem`.
 */
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobResult } from './experiment.js';
import type { Experiment } from './experiment.js';
import {
  PARTS_FILE_SUFFIX,
  PartsFormatError,
  decodePartsFile,
  encodePartsFile,
  partsFileName,
  partsPlanDigest,
  type PartsFile,
} from './parts-file.js';
import { shardJobIds, shardLabel, type Shard } from './shard.js';

/** Bad input about parts: a message naming the files, for exit 2. */
export class PartsProblem extends Error {
  override name = 'PartsProblem';
}

export interface LoadedPart {
  readonly path: string;
  readonly part: PartsFile;
}

/** Reads the header fields of a parts file without decoding its results (cheap, for the folder check). */
async function headerOf(path: string): Promise<{ plan: string; shard: string } | undefined> {
  try {
    const part = decodePartsFile(await readFile(path, 'utf8'));
    return { plan: part.plan, shard: `${part.shard.index}/${part.shard.count}` };
  } catch {
    return undefined;
  }
}

/** Writes a shard's parts file into `dir` atomically; returns its path. */
export async function writeShardParts<R>(
  dir: string,
  experiment: Experiment<R>,
  shard: Shard,
  results: readonly JobResult[],
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const plan = partsPlanDigest(experiment.kind, experiment.request, experiment.scenarios, experiment.jobs);
  for (const name of (await readdir(dir)).filter((n) => n.endsWith(PARTS_FILE_SUFFIX)).sort()) {
    const h = await headerOf(join(dir, name));
    if (h !== undefined && h.plan !== plan)
      throw new PartsProblem(
        `${dir} holds parts of another plan (${name}: another scenario, options, seed or meshsim version); give this shard another folder, or remove that folder's parts first`,
      );
  }
  const path = join(dir, partsFileName(shard));
  const existing = await stat(path).catch(() => undefined);
  if (existing !== undefined && (await headerOf(path)) === undefined)
    throw new PartsProblem(`${path} exists and is not a meshsim parts file; meshsim will not write over it`);
  const text = encodePartsFile(experiment, shard, results);
  const tmp = join(dir, `.meshsim-tmp-${partsFileName(shard)}-${process.pid}`);
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return path;
}

/** Every parts file in the folders (or named directly), sorted by path; unreadable ones refused by name. */
export async function readParts(paths: readonly string[]): Promise<LoadedPart[]> {
  const files: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => undefined);
    if (s === undefined) throw new PartsProblem(`${p}: no such file or folder`);
    if (s.isDirectory()) {
      const names = (await readdir(p)).filter((n) => n.endsWith(PARTS_FILE_SUFFIX));
      if (names.length === 0)
        throw new PartsProblem(`${p}: no parts files (*${PARTS_FILE_SUFFIX}) in this folder`);
      files.push(...names.map((n) => join(p, n)));
    } else files.push(p);
  }
  const unique = [...new Set(files)].sort();
  const out: LoadedPart[] = [];
  const problems: string[] = [];
  for (const path of unique) {
    try {
      out.push({ path, part: decodePartsFile(await readFile(path, 'utf8')) });
    } catch (e) {
      if (!(e instanceof PartsFormatError)) throw e;
      problems.push(`${path}: ${e.message}`);
    }
  }
  if (problems.length > 0) throw new PartsProblem(problems.join('\n'));
  return out;
}

const FIELDS = [
  ['kind', 'another kind of experiment'],
  ['scenario', 'another scenario'],
  ['file', 'another scenario file'],
  ['seed', 'another seed'],
  ['meshsimVersion', 'another meshsim version'],
] as const;

/**
 * Checks that the parts are exactly one plan's shards, each once, all present and whole; returns every
 * job's result in job order. Every problem is listed, each naming its files.
 */
export function checkParts(parts: readonly LoadedPart[]): { first: LoadedPart; results: unknown[] } {
  const first = parts[0];
  if (first === undefined) throw new PartsProblem('no parts files given');
  const problems: string[] = [];
  const ref = first.part;
  for (const { path, part } of parts.slice(1)) {
    const differs = FIELDS.filter(([k]) => part[k] !== ref[k]).map(
      ([k, what]) => `${what} (${k} ${JSON.stringify(part[k])}, not ${JSON.stringify(ref[k])})`,
    );
    if (part.shard.count !== ref.shard.count)
      differs.push(`another split (${part.shard.count} shards, not ${ref.shard.count})`);
    if (differs.length === 0 && part.plan !== ref.plan)
      differs.push('another plan: the scenario or the options differ (plan digest)');
    if (differs.length > 0) problems.push(`${path} is of ${differs.join(', ')} than ${first.path}`);
  }
  if (problems.length > 0) throw new PartsProblem(problems.join('\n'));

  const count = ref.shard.count;
  const byShard = new Map<number, string[]>();
  for (const { path, part } of parts)
    byShard.set(part.shard.index, [...(byShard.get(part.shard.index) ?? []), path]);
  for (const [index, paths] of [...byShard].sort((a, b) => a[0] - b[0]))
    if (paths.length > 1)
      problems.push(`shard ${index}/${count} is there ${paths.length} times: ${paths.join(', ')}`);
  for (let i = 1; i <= count; i++) {
    if (!byShard.has(i))
      problems.push(
        `shard ${i}/${count} is missing (JOB_COMPLETION_INDEX=${i - 1}); rerun it alone with --shard ${i}/${count}`,
      );
  }
  const results = new Array<unknown>(ref.jobs);
  const seen = new Array<boolean>(ref.jobs).fill(false);
  for (const { path, part } of parts) {
    const shard = { index: part.shard.index - 1, count };
    const expected = shardJobIds(ref.jobs, shard);
    const got = part.results.map((r) => r.job);
    if (got.length !== expected.length || got.some((id, i) => id !== expected[i])) {
      problems.push(
        `${path} holds jobs ${summarize(got)} but shard ${shardLabel(shard)} of ${ref.jobs} jobs is jobs ${summarize(expected)}; rerun that shard`,
      );
      continue;
    }
    for (const r of part.results) {
      if (seen[r.job] === true) continue;
      seen[r.job] = true;
      results[r.job] = r.result;
    }
  }
  if (problems.length > 0) throw new PartsProblem(problems.join('\n'));
  return { first, results };
}

function summarize(ids: readonly number[]): string {
  if (ids.length <= 6) return `[${ids.join(', ')}]`;
  return `[${ids.slice(0, 3).join(', ')}, ..., ${ids.slice(-2).join(', ')}] (${ids.length})`;
}
