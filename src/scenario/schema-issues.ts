/**
 * Turns zod's validation issues into located `ScenarioIssue`s with messages a platform engineer can act on:
 * union failures are resolved to the branch the user evidently meant, unknown keys get the allowed keys and
 * a "did you mean", and missing keys name what was expected.
 */
import type { z } from 'zod';
import type { IssueCode, IssuePath, ScenarioIssue } from './issue.js';
import { message } from './messages.js';
import { ScenarioInputSchema } from './schema.js';
import { suggest } from './suggest.js';
import { unitSuggestion } from './unit-suggestion.js';
import type { YamlSource } from './yaml-source.js';

type ZodIssue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

export function schemaIssues(
  issues: readonly ZodIssue[],
  data: unknown,
  source: YamlSource,
  file: string,
  limit = Infinity,
  /** The schema `data` was checked against, for did-you-mean (an Istio resource's, say); default the scenario's. */
  root: AnySchema = ScenarioInputSchema,
): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  const emit = (path: IssuePath, code: IssueCode, text: string, hint?: string, keyAt?: string) => {
    // Past the limit nobody reads on, and locating each of 50,000 unknown keys would take minutes.
    if (out.length >= limit) return;
    const at = keyAt === undefined ? source.locate(path) : source.locateKey(path, keyAt);
    const fieldPath = keyAt === undefined ? path : [...path, keyAt];
    out.push({
      file,
      line: at.line,
      column: at.column,
      path: fieldPath,
      code,
      message: text,
      ...(hint ? { suggestion: hint } : {}),
    });
  };
  /** An invalid value that reads as a unit spoken aloud (`400/sec`) gets the format's spelling. */
  const emitValue = (path: IssuePath, code: IssueCode, text: string, hint?: string, keyAt?: string) =>
    emit(
      path,
      code,
      text,
      hint ?? (code === 'invalid-value' ? unitSuggestion(valueAt(data, path)) : undefined),
      keyAt,
    );
  const visit = (issue: ZodIssue, prefix: IssuePath) => {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    const value = valueAt(data, path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = keysAt(path, data, root);
        for (const key of issue.keys.slice(0, limit))
          emit(path, 'unknown-key', message.unknownKey(key, allowed), suggest(key, allowed), key);
        return;
      }
      case 'invalid_union': {
        if ('discriminator' in issue && issue.discriminator !== undefined) {
          const options = (issue as { options?: unknown[] }).options?.map(String) ?? [];
          const key = String(path[path.length - 1]);
          if (value === undefined) {
            emit(path, 'missing-key', message.missingKey(key, `one of ${options.join(', ')}`));
            return;
          }
          if (typeof value !== 'string') {
            emit(path, 'wrong-type', message.wrongType(`one of ${options.join(', ')}`, describe(value)));
            return;
          }
          const text = key === 'dist' ? message.badDist(value, options) : message.badEnum(value, options);
          emit(path, 'invalid-value', text, suggest(value, options));
          return;
        }
        // A list inside a parallel group: say so, rather than "expected a call or a list".
        const nested =
          Array.isArray(value) && path[path.length - 2] === 'calls' ? value.findIndex(Array.isArray) : -1;
        if (nested >= 0) {
          emit([...path, nested], 'nested-group', message.nestedGroup());
          return;
        }
        const branch = pickBranch(issue.errors, value);
        // A custom message speaks for the whole union; but a mapping that is a call with one bad field
        // (a call's retries, say) is better told which field.
        if (branch !== undefined && (!isCustom(issue) || isPlainObject(value))) {
          for (const inner of branch) visit(inner, path);
          return;
        }
        emit(
          path,
          value === undefined ? 'missing-key' : 'wrong-type',
          unionMessage(issue, value, path),
          undefined,
        );
        return;
      }
      case 'invalid_type': {
        if (value === undefined) {
          const key = String(path[path.length - 1]);
          emit(path, 'missing-key', message.missingKey(key, issue.expected));
        } else if (typeof value === 'number' && !Number.isFinite(value)) {
          // YAML reads 1e400 (or a 400-digit integer) as Infinity, and .nan as NaN.
          emit(path, 'out-of-range', Number.isNaN(value) ? message.notANumber() : message.notFinite());
        } else if (Array.isArray(value) && isInsideGroup(path)) {
          emit(path, 'nested-group', message.nestedGroup());
        } else if (isIntegerIssue(issue) && typeof value === 'number')
          emit(path, 'invalid-value', `${message.notInteger()}, got ${value}`);
        else emit(path, 'wrong-type', message.wrongType(issue.expected, describe(value)));
        return;
      }
      case 'invalid_value': {
        const options = issue.values.map(String);
        if (value !== null && typeof value === 'object') {
          // A list or mapping where one word was expected: say so, rather than quote "[object Object]".
          emit(path, 'wrong-type', message.wrongType(`one of ${options.join(', ')}`, describe(value)));
          return;
        }
        emit(path, 'invalid-value', message.badEnum(String(value), options), suggest(String(value), options));
        return;
      }
      case 'too_small':
        emit(
          path,
          'out-of-range',
          message.tooSmall(sizeWord(issue.origin), issue.minimum, issue.inclusive ?? true),
        );
        return;
      case 'too_big':
        emit(
          path,
          'out-of-range',
          message.tooBig(sizeWord(issue.origin), issue.maximum, issue.inclusive ?? true),
        );
        return;
      default:
        emitValue(
          path,
          // A refinement may name its code (`params: {code: 'out-of-range'}`, e.g. "150%").
          issue.code === 'custom' && issue.params?.['code'] === 'out-of-range'
            ? 'out-of-range'
            : 'invalid-value',
          isIntegerIssue(issue) ? message.notInteger() : issue.message,
        );
    }
  };
  for (const issue of issues) {
    if (out.length >= limit) break;
    visit(issue, []);
  }
  return out;
}

/** `services[i].calls[j][k]`: an item of a parallel group. */
function isInsideGroup(path: IssuePath): boolean {
  const n = path.length;
  return (
    n >= 3 && path[n - 3] === 'calls' && typeof path[n - 2] === 'number' && typeof path[n - 1] === 'number'
  );
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCustom(issue: ZodIssue): boolean {
  return issue.message !== 'Invalid input';
}

function isIntegerIssue(issue: ZodIssue): boolean {
  return issue.code === 'invalid_type' && issue.expected === 'int';
}

/** The branch the user meant: for an object, the branch that wanted an object; for a list, a list. */
function pickBranch(
  branches: readonly (readonly ZodIssue[])[],
  value: unknown,
): readonly ZodIssue[] | undefined {
  const rootMismatch = (b: readonly ZodIssue[]) =>
    b.length > 0 &&
    b.every(
      (i) =>
        i.path.length === 0 &&
        (i.code === 'invalid_type' || (i.code === 'invalid_union' && !('discriminator' in i))),
    );
  if (typeof value !== 'object' || value === null) return undefined;
  return branches.find((b) => !rootMismatch(b));
}

function unionMessage(
  issue: Extract<ZodIssue, { code: 'invalid_union' }>,
  value: unknown,
  path: IssuePath,
): string {
  const missing = (expected: string) => message.missingKey(String(path[path.length - 1]), expected);
  if (isCustom(issue))
    return value === undefined
      ? missing(issue.message.replace(/^expected /, ''))
      : `${issue.message}, got ${describe(value)}`;
  const expected = issue.errors.map((b) => {
    const first = b[0];
    if (first === undefined) return 'something else';
    if (first.code === 'invalid_union' && isCustom(first)) return first.message.replace(/^expected /, '');
    if (first.code === 'invalid_type')
      return first.expected === 'object' ? 'an object' : `a ${first.expected}`;
    return first.message;
  });
  const alternatives = [...new Set(expected)].join(', or ');
  return value === undefined ? missing(alternatives) : `expected ${alternatives}; got ${describe(value)}`;
}

function sizeWord(origin: string): string {
  switch (origin) {
    case 'array':
      return 'the number of items';
    case 'string':
      return 'the length';
    default:
      return 'the value';
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the text "${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  return `${typeof value} ${String(value)}`;
}

export function valueAt(data: unknown, path: IssuePath): unknown {
  let v = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** The keys the schema allows at `path` (object keys; for unions, those of every object branch). */
export function keysAt(path: IssuePath, data: unknown, root: AnySchema = ScenarioInputSchema): string[] {
  let schemas: AnySchema[] = [root];
  for (const p of path) schemas = schemas.flatMap((s) => children(s, p));
  const objectSchemas = schemas.flatMap(objects);
  // In a discriminated union (faults by `type`, distributions by `dist`), the branch the data names.
  const value = valueAt(data, path);
  const named = objectSchemas.filter((s) =>
    Object.entries(shapeOf(s)).every(([k, field]) => {
      const d = defOf(field);
      return (
        d.type !== 'literal' ||
        (value !== null &&
          typeof value === 'object' &&
          (d.values ?? []).includes((value as Record<string, unknown>)[k]))
      );
    }),
  );
  const keys = new Set<string>();
  for (const s of named.length > 0 ? named : objectSchemas)
    for (const k of Object.keys(shapeOf(s))) keys.add(k);
  return [...keys].filter((k) => k !== '$schema');
}

type Def = {
  type: string;
  shape?: Record<string, AnySchema>;
  innerType?: AnySchema;
  element?: AnySchema;
  options?: AnySchema[];
  valueType?: AnySchema;
  values?: unknown[];
};
const defOf = (s: AnySchema) => s._zod.def as unknown as Def;
const shapeOf = (s: AnySchema) => defOf(s).shape ?? {};

function objects(s: AnySchema): AnySchema[] {
  const d = defOf(s);
  if (d.type === 'object') return [s];
  if (d.type === 'optional' && d.innerType) return objects(d.innerType);
  if (d.type === 'union') return (d.options ?? []).flatMap(objects);
  return [];
}

function children(s: AnySchema, key: string | number): AnySchema[] {
  const d = defOf(s);
  switch (d.type) {
    case 'optional':
      return d.innerType ? children(d.innerType, key) : [];
    case 'union':
      return (d.options ?? []).flatMap((o) => children(o, key));
    case 'array':
      return typeof key === 'number' && d.element ? [d.element] : [];
    case 'object': {
      const child = typeof key === 'string' ? d.shape?.[key] : undefined;
      return child ? [child] : [];
    }
    case 'record':
      return d.valueType ? [d.valueType] : [];
    default:
      return [];
  }
}
