/**
 * The parts of a scenario that passed the schema, so that the meaning checks (names, references, cycles,
 * shares) run on them even when other parts have form errors: `validate` reports every problem in one
 * pass instead of hiding an unknown cluster behind an unknown key.
 *
 * Each top-level key is checked on its own; a list keeps its items that pass (an item that fails is
 * left out, and the paths of problems found in the rest are mapped back to the file's indices). A
 * required key that fails gets a stand-in, and the problems that could only come from the stand-in are
 * dropped, as are references to names of items left out (those items exist; their form is what is wrong).
 *
 * Contents: `partialInput`, `PartialInput`.
 */
import type { z } from 'zod';
import type { Problem } from './check.js';
import type { IssuePath, ScenarioIssue } from './issue.js';
import { ScenarioInputSchema, type ScenarioInput } from './schema.js';
import { valueAt } from './schema-issues.js';

export interface PartialInput {
  readonly input: ScenarioInput;
  /** Problems found on `input`, back on the file's paths, less those the left-out parts would explain. */
  readonly keep: (problems: readonly Problem[]) => Problem[];
  /**
   * The same for issues already located (the Istio resources' checks, istio/routing-sources.ts), in the
   * scenario `file` or in the files it includes: those in `file` are put back on the file's indices and
   * located again; a reference to a name of a left-out item is dropped wherever it is written.
   */
  readonly keepIssues: (
    issues: readonly ScenarioIssue[],
    file: string,
    locate: (path: IssuePath) => { line: number; column: number },
  ) => ScenarioIssue[];
}

type Shape = Record<string, z.ZodType>;
const STAND_INS: Record<string, unknown> = {
  name: 'scenario',
  duration: '1h',
  clusters: [],
  services: [],
  traffic: [],
};

/**
 * `failed`: the paths of the schema's issues (zod's), so that parts known to fail are not parsed again:
 * a second pass over a part with thousands of unknown keys would double the time of a bad file.
 */
export function partialInput(
  data: unknown,
  failed: readonly (readonly PropertyKey[])[],
): PartialInput | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const raw = data as Record<string, unknown>;
  const shape = ScenarioInputSchema.shape as unknown as Shape;
  const out: Record<string, unknown> = {};
  const indexMaps = new Map<string, number[]>();
  const failedNames = new Set<string>();
  const failedKeys = new Set<string>();
  const failedTop = new Set(failed.map((p) => String(p[0])));
  const failedItems = new Set(
    failed.filter((p) => typeof p[1] === 'number').map((p) => `${String(p[0])}/${String(p[1])}`),
  );
  for (const [key, schema] of Object.entries(shape)) {
    const value = raw[key];
    if (!failedTop.has(key)) {
      const whole = schema.safeParse(value);
      if (whole.success) {
        if (whole.data !== undefined) out[key] = whole.data;
        continue;
      }
    }
    const element = arrayElement(schema);
    if (element !== undefined && Array.isArray(value)) {
      const kept: unknown[] = [];
      const map: number[] = [];
      value.forEach((item, i) => {
        const r = failedItems.has(`${key}/${i}`) ? { success: false as const } : element.safeParse(item);
        if (r.success) {
          kept.push(r.data);
          map.push(i);
        } else {
          const name = (item as Record<string, unknown> | null)?.['name'];
          if (typeof name === 'string') failedNames.add(name);
        }
      });
      out[key] = kept;
      indexMaps.set(key, map);
      if (kept.length < value.length) failedKeys.add(key);
      continue;
    }
    failedKeys.add(key);
    if (key in STAND_INS) out[key] = STAND_INS[key];
  }
  // Every key holds what its own schema accepted (or a stand-in); lists may be shorter than their
  // minimum, which the meaning checks do not rely on.
  const input = out as ScenarioInput;
  const keep = (problems: readonly Problem[]): Problem[] =>
    problems.flatMap((p) => {
      const top = String(p.path[0]);
      if (
        failedKeys.has('duration') &&
        (p.code === 'time-out-of-run' || ['duration', 'warmup', 'report'].includes(top))
      )
        return [];
      if (p.code === 'unknown-reference' && failedKeys.size > 0) {
        const v = valueAt(data, mapPath(p.path, indexMaps));
        if (typeof v === 'string' && failedNames.has(v)) return [];
        // Every name of a list that failed as a whole is unknown: nothing to say about references to it.
        if (['clusters', 'services'].some((k) => failedKeys.has(k) && !indexMaps.has(k))) return [];
      }
      return [{ ...p, path: mapPath(p.path, indexMaps) }];
    });
  const keepIssues = (
    issues: readonly ScenarioIssue[],
    file: string,
    locate: (path: IssuePath) => { line: number; column: number },
  ): ScenarioIssue[] =>
    issues.flatMap((i) => {
      if (i.file === file) return keep([i]).map((p) => ({ ...i, ...locate(p.path), path: p.path }));
      if (i.code === 'unknown-reference' && failedKeys.size > 0) {
        if ([...failedNames].some((n) => i.message.includes(`"${n}"`))) return [];
        if (['clusters', 'services'].some((k) => failedKeys.has(k) && !indexMaps.has(k))) return [];
      }
      return [i];
    });
  return { input, keep, keepIssues };
}

function mapPath(path: IssuePath, maps: ReadonlyMap<string, number[]>): IssuePath {
  const map = maps.get(String(path[0]));
  if (map === undefined || typeof path[1] !== 'number') return path;
  return [path[0] as string, map[path[1]] ?? path[1], ...path.slice(2)];
}

function arrayElement(schema: z.ZodType): z.ZodType | undefined {
  let s = schema as unknown as { _zod: { def: { type: string; innerType?: unknown; element?: unknown } } };
  while (s._zod.def.type === 'optional' || s._zod.def.type === 'default')
    s = s._zod.def.innerType as typeof s;
  return s._zod.def.type === 'array' ? (s._zod.def.element as z.ZodType) : undefined;
}
