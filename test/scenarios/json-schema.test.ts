/**
 * The shipped JSON Schema (scenarios/meshsim.schema.json) is the generated one, every scenario of the
 * library validates against it with a standard validator (Ajv, draft 2020-12, strict mode), the README's
 * key reference is current and states a default for every optional key, and every scenario file opens as
 * the library promises (schema comment, question, what to look at).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import { keyRows, withKeyReference } from './key-reference.js';
import { REPO_ROOT, SCHEMA_PATH, schemaFileText } from './schema-file.js';

const SCENARIOS = `${REPO_ROOT}scenarios`;
const files = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const text = (file: string) => readFileSync(`${SCENARIOS}/${file}`, 'utf8');
const shipped = () => JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;

let compiled: ValidateFunction | undefined;
/** Ajv's compiled validator of the shipped schema (compiled once: it takes a few hundred ms). */
function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, strict: true }).compile(shipped());
  return compiled;
}

describe('scenarios/meshsim.schema.json', () => {
  it('the shipped file is exactly what scenarioJsonSchema() generates (else: npm run schema)', async () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(await schemaFileText());
  });

  it('is a draft 2020-12 schema that Ajv compiles in strict mode', () => {
    expect(shipped()['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(() => new Ajv2020({ allErrors: true, strict: true }).compile(shipped())).not.toThrow();
  });

  it.each(files)('validate(%s) against the shipped schema passes', (file) => {
    const validate = validator();
    const ok = validate(parse(text(file)));
    expect(validate.errors ?? [], file).toEqual([]);
    expect(ok).toBe(true);
  });

  it('validate() rejects an unknown key, a malformed duration and a wrong type (it is not vacuous)', () => {
    const validate = validator();
    const base = parse(text('quickstart.yaml')) as Record<string, unknown>;
    expect(validate({ ...base, servics: [] })).toBe(false);
    expect(validate({ ...base, duration: '10 minutes' })).toBe(false);
    expect(validate({ ...base, seed: 'seven' })).toBe(false);
    // A missing rate is the loader's to refuse (closed-loop traffic has none); a malformed one the schema's.
    expect(
      validate({ ...base, traffic: [{ name: 'x', entry: 'frontend', from: 'us-east-1', rate: 'fast' }] }),
    ).toBe(false);
  });

  it('accepts a top-level $schema key, and so does loadScenarioText()', () => {
    const withKey = `$schema: ./meshsim.schema.json\n${text('quickstart.yaml')}`;
    expect(validator()(parse(withKey))).toBe(true);
    const loaded = loadScenarioText(withKey, 'scenarios/quickstart.yaml');
    expect(loaded.ok ? [] : loaded.issues.map((i) => i.message)).toEqual([]);
  });

  it('states a default for every optional key, in the description editors show on hover', () => {
    const undocumented = keyRows(scenarioJsonSchema())
      .filter((r) => !r.required && !/default|omitted|unset|none/i.test(r.description))
      .map((r) => r.key);
    expect(undocumented).toEqual([]);
  });
});

describe('scenarios/README.md', () => {
  it('holds the current key reference (else: npm run schema)', () => {
    const readme = readFileSync(`${SCENARIOS}/README.md`, 'utf8');
    expect(readme).toBe(withKeyReference(readme, scenarioJsonSchema()));
  });

  it('lists every scenario file of the library', () => {
    const readme = readFileSync(`${SCENARIOS}/README.md`, 'utf8');
    for (const file of files) expect(readme, file).toContain(`[\`${file}\`](${file})`);
  });
});

describe('scenarios/*.yaml, the library', () => {
  it('has at least 8 real cases besides the quickstart', () => {
    expect(files.filter((f) => f !== 'quickstart.yaml').length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)(
    '%s starts with the schema comment, then the question it answers and what to look at',
    (file) => {
      const lines = text(file).split('\n');
      expect(lines[0]).toBe('# yaml-language-server: $schema=./meshsim.schema.json');
      const header = lines
        .slice(
          0,
          lines.findIndex((l) => !l.startsWith('#')),
        )
        .join('\n');
      expect(header).toMatch(/The question:/);
      expect(header).toMatch(/What to look at/);
    },
  );

  it('covers the cases the library promises', () => {
    const all = files.map((f) => ({ f, t: text(f) }));
    const has = (re: RegExp) => all.filter(({ t }) => re.test(t)).map(({ f }) => f);
    // Multi-primary, primary-remote and hybrid side by side on a two-region mesh.
    expect(
      all.some(
        ({ t }) =>
          /controlPlane: multi-primary/.test(t) &&
          /controlPlane: primary-remote/.test(t) &&
          /controlPlane: hybrid/.test(t) &&
          new Set([...t.matchAll(/region: ([a-z0-9-]+)/g)].map((m) => m[1])).size === 2,
      ),
    ).toBe(true);
    expect(has(/outlierDetection/).length).toBeGreaterThan(0);
    expect(has(/type: control-plane-outage/).some((f) => /type: pod-churn/.test(text(f)))).toBe(true);
    expect(has(/type: gateway-outage/).some((f) => /gateway: east-west/.test(text(f)))).toBe(true);
    expect(has(/type: network-partition/).length).toBeGreaterThan(0);
    expect(has(/type: config-push/).some((f) => /subset: v3/.test(text(f)))).toBe(true);
    expect(has(/type: ca-outage/).some((f) => /certTtl:/.test(text(f)))).toBe(true);
    expect(has(/type: cluster-outage/).some((f) => /controlPlane: primary-remote/.test(text(f)))).toBe(true);
    expect(all.some(({ t }) => [...t.matchAll(/^ {2}- \{ name: [a-z0-9-]+, region:/gm)].length === 20)).toBe(
      true,
    );
  });
});
