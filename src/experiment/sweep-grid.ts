/**
 * A sweep's grid: `--set PATH=V1,V2,...` flags, each a field path of the scenario file and its values,
 * crossed into points (the first flag varies slowest). Paths are written as in the scenario file:
 * `traffic[0].rate`, `services[name=catalog].concurrency`, `mesh.controlPlane.pushThrottle`,
 * `routing.destinationRules[0].trafficPolicy.outlierDetection.consecutive5xxErrors`. A value is read as
 * YAML (`800/s` and `5s` stay text, `32` is a number, `true` a boolean), so it means what it would in the
 * file, and each point's document goes through the file's own checks (load.ts `edit`).
 *
 * Contents: `SweepSet`, `parseSet`, `parsePath`, `setAt`, `sweepPoints`, `SweepPathError`, `PathStep`.
 */
import { parse as parseYaml } from 'yaml';

/** One `--set`: a path and the values it takes, as written. */
export interface SweepSet {
  readonly path: string;
  readonly values: readonly string[];
}

/** A step of a path: a key, an index, or the element of a list whose `key` is `value`. */
export type PathStep =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'match'; readonly key: string; readonly value: string };

/** A bad `--set`: said in plain words, for exit 2. */
export class SweepPathError extends Error {
  override name = 'SweepPathError';
}

/** At most this many grid points: a sweep larger than this is a typo, not a plan. */
export const MAX_SWEEP_POINTS = 10_000;

/** Splits on commas outside brackets and braces, so `[a, b]` stays one value. */
function splitValues(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '[' || ch === '{') depth++;
    if (ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  out.push(current.trim());
  return out;
}

/** `PATH=V1,V2,...`. */
export function parseSet(text: string): SweepSet {
  const eq = text.indexOf('=');
  // The first '=' outside brackets separates the path from the values: a match step has its own '='.
  let split = -1;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === '=' && depth === 0) {
      split = i;
      break;
    }
  }
  if (eq < 0 || split < 0)
    throw new SweepPathError(
      `--set: expected PATH=V1,V2,... (e.g. traffic[0].rate=400/s,800/s), got "${text}"`,
    );
  const path = text.slice(0, split).trim();
  parsePath(path);
  const values = splitValues(text.slice(split + 1));
  if (values.some((v) => v === ''))
    throw new SweepPathError(
      `--set ${path}: an empty value in "${text.slice(split + 1)}"; separate values with commas`,
    );
  if (new Set(values).size !== values.length)
    throw new SweepPathError(`--set ${path}: a value is given twice in "${text.slice(split + 1)}"`);
  return { path, values };
}

/** `services[name=catalog].concurrency` to its steps; refuses what is not a path, saying where. */
export function parsePath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  const re = /^(?:\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[([A-Za-z_][A-Za-z0-9_-]*)=([^\]]+)\])/;
  let rest = path;
  if (path === '') throw new SweepPathError('--set: an empty path; e.g. traffic[0].rate=400/s,800/s');
  while (rest !== '') {
    const m = re.exec(rest);
    if (m === null || (steps.length === 0 && rest.startsWith('.')))
      throw new SweepPathError(
        `--set: cannot read the path "${path}" at "${rest}"; write keys with dots and list items as [0] or [name=catalog]`,
      );
    if (m[1] !== undefined) steps.push({ kind: 'key', key: m[1] });
    else if (m[2] !== undefined) steps.push({ kind: 'index', index: Number(m[2]) });
    else steps.push({ kind: 'match', key: m[3] as string, value: (m[4] as string).trim() });
    rest = rest.slice(m[0].length);
  }
  return steps;
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * Sets `value` at `path` in `data`. Lists must have the item (an index in range, or one item whose key
 * matches); a missing last key, or a missing object on the way, is created (the schema then says if it
 * is not a field of the format, with a suggestion).
 */
export function setAt(data: Record<string, unknown>, path: string, value: unknown): void {
  const steps = parsePath(path);
  let node: unknown = data;
  let where = '';
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    if (step.kind === 'key') {
      if (!isObject(node))
        throw new SweepPathError(
          `--set ${path}: ${where || 'the top level'} is not a mapping, so it has no "${step.key}"`,
        );
      if (last) node[step.key] = value;
      else {
        if (node[step.key] === undefined || node[step.key] === null) node[step.key] = {};
        node = node[step.key];
      }
      where = where === '' ? step.key : `${where}.${step.key}`;
      return;
    }
    if (!Array.isArray(node))
      throw new SweepPathError(`--set ${path}: ${where || 'the top level'} is not a list in the file`);
    const list: unknown[] = node;
    let at: number;
    if (step.kind === 'index') {
      if (step.index >= list.length)
        throw new SweepPathError(
          `--set ${path}: ${where} has ${list.length} item${list.length === 1 ? '' : 's'} (0 to ${list.length - 1}), not [${step.index}]`,
        );
      at = step.index;
    } else {
      const found = list.flatMap((x, k) => (isObject(x) && String(x[step.key]) === step.value ? [k] : []));
      if (found.length !== 1) {
        const names = list.flatMap((x) =>
          isObject(x) && x[step.key] !== undefined ? [String(x[step.key])] : [],
        );
        throw new SweepPathError(
          found.length === 0
            ? `--set ${path}: no item of ${where} has ${step.key} "${step.value}"; its ${step.key}s: ${names.join(', ') || '(none)'}`
            : `--set ${path}: ${found.length} items of ${where} have ${step.key} "${step.value}"; use an index`,
        );
      }
      at = found[0] as number;
    }
    where = `${where}[${at}]`;
    if (last) list[at] = value;
    else node = list[at];
  });
}

/** A value as the file would hold it, read as YAML. */
export function sweepValue(text: string): unknown {
  try {
    return parseYaml(text) as unknown;
  } catch {
    return text;
  }
}

/** Every combination of the sets' values, the first set varying slowest: [{path: value text}]. */
export function sweepPoints(sets: readonly SweepSet[]): Record<string, string>[] {
  const paths = sets.map((s) => s.path);
  const dup = paths.find((p, i) => paths.indexOf(p) !== i);
  if (dup !== undefined)
    throw new SweepPathError(`--set ${dup} is given twice; give its values once, comma-separated`);
  const size = sets.reduce((n, s) => n * s.values.length, 1);
  if (size > MAX_SWEEP_POINTS)
    throw new SweepPathError(
      `the grid has ${size} points, more than ${MAX_SWEEP_POINTS}; sweep fewer values`,
    );
  let points: Record<string, string>[] = [{}];
  for (const s of sets) points = points.flatMap((p) => s.values.map((v) => ({ ...p, [s.path]: v })));
  return points;
}
