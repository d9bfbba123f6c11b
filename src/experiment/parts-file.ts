/**
 * A parts file: what one shard of an experiment writes, and `meshsim merge` reads back (format
 * `meshsim-parts`, version 1, documented in scenarios/parts-format.md). One JSON object:
 *
 * ```
 * format, version      "meshsim-parts", 1: a reader refuses any other
 * meshsimVersion       the meshsim that wrote it: parts of two versions are never merged
 * kind                 "compare" | "sweep" | "capacity"
 * scenario, file, seed the scenario's name, its file as given, the seed of replication 0
 * plan                 SHA-256 of (format version, meshsim version, kind, request, scenarios, job count):
 *                      two parts merge only if they belong to the same plan
 * jobs                 how many jobs the whole plan has
 * shard                { index, count }, index 1-based as `--shard I/N`
 * request              the experiment's options (kind-specific), enough to rebuild its job list
 * scenarios            the checked scenario(s): one per sweep point, one otherwise
 * results              [{ job, result }] for each job of the shard, ascending
 * ```
 *
 * Values inside `request`, `scenarios` and each `result` go through `encodePartValue`, so typed arrays,
 * infinities, NaN, -0 and undefined fields come back exactly (parts-codec.ts).
 *
 * Contents: `PARTS_FORMAT`, `PARTS_VERSION`, `PartsFile`, `PartsHeader`, `partsPlanDigest`,
 * `encodePartsFile`, `decodePartsFile`, `partsFileName`.
 */
import { createHash } from 'node:crypto';
import type { Scenario } from '../scenario/index.js';
import { decodePartValue, encodePartValue } from './parts-codec.js';
import type { Shard } from './shard.js';
import { MESHSIM_VERSION } from './version.js';

export const PARTS_FORMAT = 'meshsim-parts';
export const PARTS_VERSION = 1;

export type ExperimentKind = 'compare' | 'sweep' | 'capacity';

/** Everything of a parts file but its results. */
export interface PartsHeader {
  readonly format: typeof PARTS_FORMAT;
  readonly version: typeof PARTS_VERSION;
  readonly meshsimVersion: string;
  readonly kind: ExperimentKind;
  readonly scenario: string;
  readonly file: string;
  readonly seed: number;
  readonly plan: string;
  readonly jobs: number;
  /** 1-based index, as users write shards. */
  readonly shard: { readonly index: number; readonly count: number };
  readonly request: unknown;
  readonly scenarios: readonly Scenario[];
}

export interface PartsFile extends PartsHeader {
  readonly results: readonly { readonly job: number; readonly result: unknown }[];
}

/** The digest two parts of one plan share; any difference in scenario, options or version changes it. */
export function partsPlanDigest(
  kind: ExperimentKind,
  request: unknown,
  scenarios: readonly Scenario[],
  jobs: number,
): string {
  const plan = { version: PARTS_VERSION, meshsimVersion: MESHSIM_VERSION, kind, request, scenarios, jobs };
  return createHash('sha256')
    .update(JSON.stringify(encodePartValue(plan)))
    .digest('hex');
}

/** A shard's parts file, as text. */
export function encodePartsFile(
  experiment: {
    kind: ExperimentKind;
    request: unknown;
    scenarios: readonly Scenario[];
    seed: number;
    jobs: number;
  },
  shard: Shard,
  results: readonly { job: number; result: unknown }[],
): string {
  const first = experiment.scenarios[0];
  if (first === undefined) throw new Error('encodePartsFile: an experiment without a scenario');
  const file: PartsFile = {
    format: PARTS_FORMAT,
    version: PARTS_VERSION,
    meshsimVersion: MESHSIM_VERSION,
    kind: experiment.kind,
    scenario: first.name,
    file: first.file,
    seed: experiment.seed,
    plan: partsPlanDigest(experiment.kind, experiment.request, experiment.scenarios, experiment.jobs),
    jobs: experiment.jobs,
    shard: { index: shard.index + 1, count: shard.count },
    request: experiment.request,
    scenarios: experiment.scenarios,
    results,
  };
  return `${JSON.stringify(encodePartValue(file))}\n`;
}

/** Why a file is not a parts file meshsim can read; the message names what was expected. */
export class PartsFormatError extends Error {
  override name = 'PartsFormatError';
}

/** Reads a parts file's text back; throws `PartsFormatError` for anything but format 1 of a parts file. */
export function decodePartsFile(text: string): PartsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PartsFormatError(`not JSON (${(e as Error).message}); a parts file is cut short or damaged`);
  }
  const o = raw as Partial<Record<keyof PartsFile, unknown>> | null;
  if (o === null || typeof o !== 'object' || o.format !== PARTS_FORMAT)
    throw new PartsFormatError(`not a meshsim parts file (no "format": "${PARTS_FORMAT}")`);
  if (o.version !== PARTS_VERSION)
    throw new PartsFormatError(
      `parts format version ${String(o.version)}; this meshsim (${MESHSIM_VERSION}) reads version ${PARTS_VERSION}`,
    );
  let decoded: PartsFile;
  try {
    decoded = decodePartValue(raw) as PartsFile;
  } catch (e) {
    throw new PartsFormatError((e as Error).message);
  }
  const shard = decoded.shard as { index?: unknown; count?: unknown } | undefined;
  if (
    typeof decoded.plan !== 'string' ||
    !Number.isSafeInteger(decoded.jobs) ||
    !Number.isSafeInteger(shard?.index) ||
    !Number.isSafeInteger(shard?.count) ||
    !Array.isArray(decoded.results) ||
    !Array.isArray(decoded.scenarios)
  )
    throw new PartsFormatError('a field of format 1 is missing (plan, jobs, shard, scenarios or results)');
  return decoded;
}

/** `shard-02-of-16.meshsim-part.json`: sorted by name, shards come in order. */
export function partsFileName(shard: Shard): string {
  const width = String(shard.count).length;
  const pad = (n: number) => String(n).padStart(width, '0');
  return `shard-${pad(shard.index + 1)}-of-${pad(shard.count)}.meshsim-part.json`;
}

export const PARTS_FILE_SUFFIX = '.meshsim-part.json';
