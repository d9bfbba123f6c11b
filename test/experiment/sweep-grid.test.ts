/**
 * A sweep's grid: `--set` parsing, field paths as the scenario file writes them, setting values in the
 * parsed document, and each point checked by the file's own pipeline (a refused value names its point,
 * its line and the field).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  SweepPathError,
  loadSweepScenarios,
  parsePath,
  parseSet,
  setAt,
  sweepAxis,
  sweepPoints,
} from '../../src/experiment/index.js';

const FILE = 'test/fixtures/experiment/two-regions.yaml';
const TEXT = readFileSync(FILE, 'utf8');

describe('experiment/sweep-grid', () => {
  it('parseSet: PATH=V1,V2 with match steps and bracketed values kept whole', () => {
    expect(parseSet('traffic[0].rate=400/s,800/s')).toEqual({
      path: 'traffic[0].rate',
      values: ['400/s', '800/s'],
    });
    expect(parseSet('services[name=catalog].concurrency=8,16')).toEqual({
      path: 'services[name=catalog].concurrency',
      values: ['8', '16'],
    });
    expect(parseSet('clusters[0].zones=[a, b],[c]').values).toEqual(['[a, b]', '[c]']);
    expect(() => parseSet('traffic[0].rate')).toThrow(/expected PATH=V1,V2/);
    expect(() => parseSet('traffic[0].rate=1,,2')).toThrow(/an empty value/);
    expect(() => parseSet('traffic[0].rate=1,1')).toThrow(/given twice/);
    expect(() => parseSet('traffic[x.rate=1')).toThrow(SweepPathError);
  });

  it('parsePath: keys, indexes and [key=value] matches', () => {
    expect(parsePath('mesh.controlPlane.pushThrottle')).toEqual([
      { kind: 'key', key: 'mesh' },
      { kind: 'key', key: 'controlPlane' },
      { kind: 'key', key: 'pushThrottle' },
    ]);
    expect(parsePath('services[name=catalog].deployments[1].replicas')).toEqual([
      { kind: 'key', key: 'services' },
      { kind: 'match', key: 'name', value: 'catalog' },
      { kind: 'key', key: 'deployments' },
      { kind: 'index', index: 1 },
      { kind: 'key', key: 'replicas' },
    ]);
  });

  it('setAt: sets through lists and creates a missing mapping; refuses a missing item with the names there are', () => {
    const d: Record<string, unknown> = {
      services: [{ name: 'a', x: 1 }, { name: 'b' }],
      traffic: [{ rate: 1 }],
    };
    setAt(d, 'services[name=b].x', 5);
    setAt(d, 'traffic[0].rate', '9/s');
    setAt(d, 'mesh.controlPlane.pushThrottle', 100);
    expect(d).toEqual({
      services: [
        { name: 'a', x: 1 },
        { name: 'b', x: 5 },
      ],
      traffic: [{ rate: '9/s' }],
      mesh: { controlPlane: { pushThrottle: 100 } },
    });
    expect(() => setAt(d, 'services[name=c].x', 1)).toThrow(
      /no item of services has name "c"; its names: a, b/,
    );
    expect(() => setAt(d, 'traffic[2].rate', 1)).toThrow(/traffic has 1 item \(0 to 0\), not \[2\]/);
    expect(() => setAt(d, 'traffic.rate', 1)).toThrow(/traffic is not a mapping/);
  });

  it('sweepPoints: the first --set varies slowest', () => {
    expect(sweepPoints([parseSet('a=1,2'), parseSet('b=x,y')])).toEqual([
      { a: '1', b: 'x' },
      { a: '1', b: 'y' },
      { a: '2', b: 'x' },
      { a: '2', b: 'y' },
    ]);
  });

  it('every point goes through the file checks: the value is set, and a bad one is refused with its point and line', () => {
    const ok = loadSweepScenarios(TEXT, FILE, [parseSet('traffic[0].rate=100/s,250/s')]);
    if (!ok.ok) throw new Error(ok.problems.join('\n'));
    expect(ok.scenarios.map((s) => s.mesh.traffic[0]?.ratePerMs)).toEqual([0.1, 0.25]);
    const bad = loadSweepScenarios(TEXT, FILE, [parseSet('traffic[0].rate=100/s,fast')]);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0]).toMatch(
      /^with traffic\[0\]\.rate=fast: test\/fixtures\/experiment\/two-regions\.yaml:\d+:\d+: error \[invalid-value\] traffic\[0\]\.rate/,
    );
    // A typo in a key is the schema's to refuse, with a suggestion, as in a file.
    const typo = loadSweepScenarios(TEXT, FILE, [parseSet('traffic[0].rat=100/s')]);
    expect(typo.ok ? '' : typo.problems.join('\n')).toMatch(/unknown key "rat".*Did you mean "rate"/);
  });

  it('sweepAxis: rates in req/s, durations in ms, plain numbers, else labels', () => {
    expect(sweepAxis(parseSet('x=400/s,1/ms'))).toEqual({ path: 'x', unit: 'req/s', values: [400, 1000] });
    expect(sweepAxis(parseSet('x=5s,500ms'))).toEqual({ path: 'x', unit: 'ms', values: [5000, 500] });
    expect(sweepAxis(parseSet('x=8,16'))).toEqual({ path: 'x', unit: 'number', values: [8, 16] });
    expect(sweepAxis(parseSet('x=ROUND_ROBIN,LEAST_REQUEST')).unit).toBeNull();
  });
});
