/**
 * `cost:` and `report.blastRadius:`: the measurement settings a scenario file may set. They resolve to
 * plain data holding only the keys the file sets; their keys are exactly metrics/'s names, each
 * description states metrics/'s default; bad values and misspelt keys are located, with a "did you mean".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BLAST_RADIUS_THRESHOLDS, DEFAULT_COST_CONSTANTS } from '../../src/metrics/index.js';
import { formatPath, loadScenarioText, scenarioJsonSchema, type Scenario } from '../../src/scenario/index.js';
import { lineOf } from './bad-fixtures.js';

const MINIMAL = readFileSync(new URL('./minimal.yaml', import.meta.url), 'utf8');

/** minimal.yaml with `tail` appended (top-level keys, as a file would end). */
const withTail = (tail: string) => `${MINIMAL.trimEnd()}\n${tail}`;

function loaded(text: string): Scenario {
  const r = loadScenarioText(text, 'settings.yaml');
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.scenario;
}

/** Every issue as [code, path, line, suggestion or null], so that a failure shows all of them. */
function issuesOf(text: string): [string, string, number, string | null][] {
  const r = loadScenarioText(text, 'settings.yaml');
  expect(r.ok, 'the file loaded without problems').toBe(false);
  return r.ok ? [] : r.issues.map((i) => [i.code, formatPath(i.path), i.line, i.suggestion ?? null]);
}

function messageOf(text: string): string {
  const r = loadScenarioText(text, 'settings.yaml');
  return r.ok ? '' : r.issues.map((i) => i.message).join('\n');
}

type Json = Record<string, unknown>;
const properties = (s: unknown) => ((s as Json)['properties'] ?? {}) as Record<string, Json>;

describe('scenario cost: and report.blastRadius:', () => {
  it('loadScenarioText(without them) resolves both to empty settings (every default is metrics/)', () => {
    const s = loaded(MINIMAL);
    expect(s.cost).toEqual({});
    expect(s.blastRadius).toEqual({});
  });

  it('loadScenarioText(with them) keeps just the keys set, fractions and percentages as fractions', () => {
    const s = loaded(
      withTail(
        [
          'report:',
          '  blastRadius: { errorRateRise: 2%, p99Rise: 250%, deadlineFactor: 2, minRequests: 5, minLatencySamples: 40 }',
          'cost:',
          '  crossZonePricePerGbEachSide: 0.02',
          '  requestBytes: 0',
          '  istiodReferenceServices: 500',
        ].join('\n'),
      ),
    );
    expect(s.cost).toEqual({
      crossZonePricePerGbEachSide: 0.02,
      requestBytes: 0,
      istiodReferenceServices: 500,
    });
    expect(s.blastRadius).toEqual({
      errorRateRise: 0.02,
      p99Rise: 2.5,
      deadlineFactor: 2,
      minRequests: 5,
      minLatencySamples: 40,
    });
    expect(loaded(withTail('report: { blastRadius: { p99Rise: 0.75 } }')).blastRadius).toEqual({
      p99Rise: 0.75,
    });
  });

  it("the schema's cost keys are exactly CostConstants', and each description states its default", () => {
    const schema = scenarioJsonSchema();
    const cost = properties(properties(schema)['cost']);
    expect(Object.keys(cost).sort()).toEqual(Object.keys(DEFAULT_COST_CONSTANTS).sort());
    for (const [key, value] of Object.entries(DEFAULT_COST_CONSTANTS))
      expect(String(cost[key]?.['description']), key).toContain(`Default ${value}`);
  });

  it("the schema's report.blastRadius keys are exactly BlastRadiusThresholds', each with its default", () => {
    const schema = scenarioJsonSchema();
    const blast = properties(properties(properties(schema)['report'])['blastRadius']);
    expect(Object.keys(blast).sort()).toEqual(Object.keys(DEFAULT_BLAST_RADIUS_THRESHOLDS).sort());
    const d = DEFAULT_BLAST_RADIUS_THRESHOLDS;
    const stated: Record<string, string> = {
      errorRateRise: `Default ${d.errorRateRise * 100}%`,
      p99Rise: `Default ${d.p99Rise * 100}%`,
      deadlineFactor: `Default ${d.deadlineFactor}`,
      minRequests: `Default ${d.minRequests}`,
      minLatencySamples: `Default ${d.minLatencySamples}`,
    };
    for (const [key, text] of Object.entries(stated))
      expect(String(blast[key]?.['description']), key).toContain(text);
  });

  it('loadScenarioText(a negative price) is out-of-range at cost.crossZonePricePerGbEachSide, on its line', () => {
    const text = withTail('cost:\n  crossZonePricePerGbEachSide: -0.01');
    expect(issuesOf(text)).toEqual([
      [
        'out-of-range',
        'cost.crossZonePricePerGbEachSide',
        lineOf(text, 'crossZonePricePerGbEachSide: -0.01'),
        null,
      ],
    ]);
    expect(messageOf(text)).toMatch(/at least 0/);
  });

  it('loadScenarioText(istiodReferenceServices: 0, requestBytes: .nan) refuses both: a divisor above 0, a number', () => {
    const text = withTail('cost:\n  istiodReferenceServices: 0\n  requestBytes: .nan');
    expect(issuesOf(text)).toEqual([
      ['out-of-range', 'cost.istiodReferenceServices', lineOf(text, 'istiodReferenceServices: 0'), null],
      ['out-of-range', 'cost.requestBytes', lineOf(text, 'requestBytes: .nan'), null],
    ]);
    expect(messageOf(text)).toMatch(/more than 0[\s\S]*not a number/);
  });

  it('loadScenarioText(cost.crossZonePrice) is an unknown key, with the key it is cut short of', () => {
    const text = withTail('cost:\n  crossZonePrice: 0.02');
    expect(issuesOf(text)).toEqual([
      ['unknown-key', 'cost.crossZonePrice', lineOf(text, 'crossZonePrice:'), 'crossZonePricePerGbEachSide'],
    ]);
  });

  it('loadScenarioText(p99Rise: -5%) names the form expected, on its line', () => {
    const text = withTail('report:\n  blastRadius:\n    p99Rise: -5%');
    expect(issuesOf(text)).toEqual([
      ['invalid-value', 'report.blastRadius.p99Rise', lineOf(text, 'p99Rise: -5%'), null],
    ]);
    expect(messageOf(text)).toMatch(/expected a ratio of at least 0 .*; got "-5%"/);
  });

  it('loadScenarioText(minRequests: 0, deadlineFactor: 1, errorRateRise: 150%) refuses each, on its line', () => {
    const text = withTail(
      'report:\n  blastRadius:\n    minRequests: 0\n    deadlineFactor: 1\n    errorRateRise: 150%',
    );
    expect(issuesOf(text)).toEqual([
      ['out-of-range', 'report.blastRadius.minRequests', lineOf(text, 'minRequests: 0'), null],
      ['out-of-range', 'report.blastRadius.deadlineFactor', lineOf(text, 'deadlineFactor: 1'), null],
      ['out-of-range', 'report.blastRadius.errorRateRise', lineOf(text, 'errorRateRise: 150%'), null],
    ]);
    expect(messageOf(text)).toMatch(/at least 1[\s\S]*more than 1[\s\S]*0% to 100%/);
  });

  it('loadScenarioText(report.blastRadius.p99Raise, report.blastRaduis) suggests p99Rise and blastRadius', () => {
    const typo = withTail('report:\n  blastRadius:\n    p99Raise: 50%');
    expect(issuesOf(typo)).toEqual([
      ['unknown-key', 'report.blastRadius.p99Raise', lineOf(typo, 'p99Raise:'), 'p99Rise'],
    ]);
    const block = withTail('report:\n  blastRaduis: { p99Rise: 50% }');
    expect(issuesOf(block)).toEqual([
      ['unknown-key', 'report.blastRaduis', lineOf(block, 'blastRaduis:'), 'blastRadius'],
    ]);
  });
});
