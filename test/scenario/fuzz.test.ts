/**
 * Random mutations of valid scenarios (the library and test/scenario/minimal.yaml) never crash the
 * loader: every result is either a clean `{ok: false, issues}` (each issue located, with a known code and
 * a message without stack traces) or a scenario whose mesh builds, under every model, and runs for a
 * moment of simulated time. Mutations: delete a key or item, change a value's type, duplicate (which the
 * YAML writer turns into anchors and aliases), rename a key, set a number to an extreme (0, -1, 1e308,
 * infinity, NaN, 2^53 + 2...), set a text to an extreme (empty, 10,000 characters, "1e400s", "200%"...),
 * shuffle a list, and graft a subtree from elsewhere in the file.
 *
 * The seed is fixed so CI is repeatable; FUZZ_SEED=<n> explores others (fast-check prints the seed and
 * the shrunk counterexample of any failure).
 */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { stringify, parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Engine, RngStreams } from '../../src/des/index.js';
import type { MeshObserver } from '../../src/mesh/index.js';
import { isIssueCode } from '../../src/scenario/issue.js';
import { buildMesh, loadScenarioText, type LoadResult } from '../../src/scenario/index.js';
import { expectedArrivals } from '../../src/scenario/normalize-traffic.js';
import { REPO_ROOT } from './bad-fixtures.js';

const CASES = 2000;
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_251_126);
/** Simulated time of the brief run, and the most it may cost: bigger meshes are only built. */
const BRIEF_MS = 200;
const BRIEF_MAX_ARRIVALS = 2000;
const BRIEF_MAX_PODS = 2000;

type Json = unknown;
type Path = (string | number)[];

const BASES: readonly Json[] = [
  readFileSync(`${REPO_ROOT}test/scenario/minimal.yaml`, 'utf8'),
  ...readdirSync(`${REPO_ROOT}scenarios`)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readFileSync(`${REPO_ROOT}scenarios/${f}`, 'utf8')),
].map((text) => parse(text) as Json);

const EXTREME_NUMBERS = [
  0,
  -1,
  0.5,
  1e-300,
  1e308,
  -1e308,
  Infinity,
  -Infinity,
  NaN,
  2 ** 31,
  Number.MAX_SAFE_INTEGER + 2,
  100_000,
  1e9,
];
const EXTREME_TEXTS = [
  '',
  ' ',
  '0ms',
  '0s',
  '1e400s',
  '99999999999999999999999h',
  '-5s',
  '1h30m',
  '0/s',
  '1000000000/s',
  '200%',
  '-1%',
  'x'.repeat(10_000),
  'ünïcödé',
  '\u0000',
  '*alias',
  '{',
  'pod-failur',
];

/** Every path in the document, parents before children. */
function pathsOf(doc: Json): Path[] {
  const out: Path[] = [];
  const walk = (node: Json, path: Path) => {
    out.push(path);
    if (Array.isArray(node)) node.forEach((x, i) => walk(x, [...path, i]));
    else if (node !== null && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
  };
  walk(doc, []);
  return out;
}

function get(doc: Json, path: Path): Json {
  let v = doc;
  for (const p of path) v = (v as Record<string | number, Json>)[p];
  return v;
}

type Op =
  | { kind: 'delete' | 'duplicate' | 'rename' | 'shuffle' | 'graft'; at: number; n: number }
  | { kind: 'set'; at: number; value: Json };

const anyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 2 }),
  fc.constantFrom(...EXTREME_NUMBERS),
  fc.constantFrom(...EXTREME_TEXTS),
);

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('delete', 'duplicate', 'rename', 'shuffle', 'graft') as fc.Arbitrary<
      'delete' | 'duplicate' | 'rename' | 'shuffle' | 'graft'
    >,
    at: fc.nat(),
    n: fc.nat(),
  }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: anyValue }),
);

/** Applies `o` to a copy of `doc`. */
function mutate(doc: Json, o: Op): Json {
  const copy = structuredClone(doc) as Json;
  const paths = pathsOf(copy).slice(1);
  if (paths.length === 0) return copy;
  const path = paths[o.at % paths.length] as Path;
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, Json>;
  const key = path[path.length - 1] as string | number;
  const value = get(copy, path);
  switch (o.kind) {
    case 'delete':
      if (Array.isArray(parent)) (parent as Json[]).splice(key as number, 1);
      else delete parent[key];
      break;
    case 'duplicate':
      // The same object twice: the YAML writer emits an anchor and an alias.
      if (Array.isArray(parent)) (parent as Json[]).splice(key as number, 0, value);
      else parent[`${String(key)}${o.n % 2 === 0 ? '' : '2'}`] = value;
      break;
    case 'rename':
      if (!Array.isArray(parent)) {
        const name = String(key);
        const i = o.n % (name.length + 1);
        parent[`${name.slice(0, i)}${'xz_'[o.n % 3]}${name.slice(i + 1)}`] = value;
        delete parent[key];
      }
      break;
    case 'shuffle':
      if (Array.isArray(value)) {
        const rotate = o.n % Math.max(1, value.length);
        value.push(...value.splice(0, rotate));
        value.reverse();
      }
      break;
    case 'graft':
      parent[key] = structuredClone(get(copy, paths[o.n % paths.length] as Path));
      break;
    case 'set':
      parent[key] = o.value;
      break;
  }
  return copy;
}

const noopObserver = new Proxy({}, { get: () => () => undefined }) as MeshObserver;

/** A loaded scenario's mesh builds under every model and runs briefly, when it is small enough. */
function buildAndRunBriefly(result: Extract<LoadResult, { ok: true }>): void {
  const s = result.scenario;
  const pods = s.mesh.services.reduce((n, svc) => n + svc.deployments.reduce((m, d) => m + d.replicas, 0), 0);
  if (pods > BRIEF_MAX_PODS) return;
  const until = Math.min(s.durationMs, BRIEF_MS);
  const arrivals = s.mesh.traffic.reduce((n, t) => n + expectedArrivals(t, until), 0);
  for (const model of s.models) {
    const engine = new Engine(1024);
    const mesh = buildMesh(s, model, engine, new RngStreams(s.seed), noopObserver);
    if (arrivals > BRIEF_MAX_ARRIVALS) continue;
    mesh.start(s.durationMs);
    engine.run(until);
  }
}

function checkIssues(result: Extract<LoadResult, { ok: false }>): void {
  expect(result.issues.length).toBeGreaterThan(0);
  for (const issue of [...result.issues, ...result.warnings]) {
    expect(issue.file).toBe('fuzz.yaml');
    expect(Number.isInteger(issue.line) && issue.line >= 0).toBe(true);
    expect(Number.isInteger(issue.column) && issue.column >= 0).toBe(true);
    expect(isIssueCode(issue.code), issue.code).toBe(true);
    expect(issue.path.every((p) => typeof p === 'string' || typeof p === 'number')).toBe(true);
    expect(typeof issue.message).toBe('string');
    expect(issue.message.trim()).not.toBe('');
    expect(issue.message).not.toMatch(/\n\s+at |Error:|\[object Object\]/);
    // Messages quote what the user wrote shortened: a 10,000-character text must not come back whole.
    expect(issue.message.length).toBeLessThan(2000);
  }
}

describe('scenario/fuzz', () => {
  it(`loadScenarioText(mutated valid scenario) never throws, over ${CASES.toLocaleString('en-US')} cases: clean issues, or a mesh that builds and runs`, () => {
    const outcomes = { ok: 0, issues: 0 };
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(op, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (base, ops, asJson) => {
          const doc = ops.reduce(mutate, BASES[base % BASES.length]);
          // JSON is YAML too; the JSON writer turns NaN and infinities into null, YAML keeps them (.nan, .inf).
          const text = asJson ? JSON.stringify(doc) : stringify(doc);
          const result = loadScenarioText(text, 'fuzz.yaml');
          if (result.ok) {
            outcomes.ok++;
            buildAndRunBriefly(result);
          } else {
            outcomes.issues++;
            checkIssues(result);
          }
        },
      ),
      { numRuns: CASES, seed: SEED },
    );
    // Both outcomes occur, so the property is not vacuous either way.
    expect(outcomes.ok).toBeGreaterThan(CASES / 20);
    expect(outcomes.issues).toBeGreaterThan(CASES / 4);
  }, 600_000);
});
