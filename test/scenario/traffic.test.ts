import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimateRequests, loadScenarioFile, loadScenarioText } from '../../src/scenario/index.js';
import { MAX_PODS } from '../../src/scenario/check-size.js';
import { MAX_RAMP_STEPS, expectedArrivals, rateSteps } from '../../src/scenario/normalize-traffic.js';
import { REPO_ROOT, fixtureText } from './bad-fixtures.js';

const perS = (ratePerMs: number) => +(ratePerMs * 1000).toFixed(9);
const steps = (r: ReturnType<typeof rateSteps>) => r.steps.map((s) => [s.atMs, perS(s.ratePerMs)]);
const MINIMAL = readFileSync(`${REPO_ROOT}test/scenario/minimal.yaml`, 'utf8');

describe('scenario/normalize-traffic', () => {
  it('rateSteps({rate, steps}) keeps plain steps as jumps, in time order', () => {
    const r = rateSteps(
      {
        rate: '100/s',
        steps: [
          { at: '5m', rate: 300 },
          { at: '1m', rate: '200/s' },
        ],
      },
      600_000,
    );
    expect(perS(r.initialPerMs)).toBe(100);
    expect(steps(r)).toEqual([
      [60_000, 200],
      [300_000, 300],
    ]);
  });

  it('rateSteps() folds a step at 0 into the initial rate', () => {
    const r = rateSteps({ rate: '100/s', steps: [{ at: 0, rate: '50/s' }] }, 60_000);
    expect(perS(r.initialPerMs)).toBe(50);
    expect(r.steps).toEqual([]);
  });

  it('rateSteps({ramp 0 -> 100/s over 10s}) makes ten 1 s steps at the line mean rate, then the target', () => {
    const r = rateSteps({ rate: 0, steps: [{ at: '10s', rate: '100/s', over: '10s' }] }, 60_000);
    expect(steps(r)).toEqual([
      [10_000, 5],
      [11_000, 15],
      [12_000, 25],
      [13_000, 35],
      [14_000, 45],
      [15_000, 55],
      [16_000, 65],
      [17_000, 75],
      [18_000, 85],
      [19_000, 95],
      [20_000, 100],
    ]);
  });

  it('expectedArrivals() over a ramp equals the area under the straight line (exact, not approximated)', () => {
    const t = rateSteps({ rate: '40/s', steps: [{ at: '30s', rate: '160/s', over: '37s' }] }, 120_000);
    const arrivals = expectedArrivals({ ratePerMs: t.initialPerMs, steps: t.steps }, 120_000);
    // 40/s for 30 s, the line's mean (100/s) for 37 s, 160/s for the remaining 53 s.
    expect(arrivals).toBeCloseTo(40 * 30 + 100 * 37 + 160 * 53, 6);
  });

  it(`rateSteps(a one-hour ramp) uses at most ${MAX_RAMP_STEPS} steps (6 s each)`, () => {
    const r = rateSteps({ rate: 0, steps: [{ at: 0, rate: '600/s', over: '1h' }] }, 7_200_000);
    // The first stretch starts at 0, so it is the initial rate; the target rate at 1 h is the last step.
    expect(r.steps.length).toBe(MAX_RAMP_STEPS);
    expect(r.steps[0]?.atMs).toBe(6000);
    expect(perS(r.steps[MAX_RAMP_STEPS - 1]?.ratePerMs ?? 0)).toBe(600);
  });

  it('rateSteps({arrival: bursty}) multiplies the rate for `for` at every multiple of `every`, starting calm', () => {
    const r = rateSteps(
      { rate: '100/s', arrival: 'bursty', burst: { factor: 3, every: '30s', for: '3s' } },
      120_000,
    );
    expect(perS(r.initialPerMs)).toBe(100);
    expect(steps(r)).toEqual([
      [30_000, 300],
      [33_000, 100],
      [60_000, 300],
      [63_000, 100],
      [90_000, 300],
      [93_000, 100],
    ]);
  });

  it('rateSteps(bursts over a rate step) multiplies whatever rate is in effect', () => {
    const r = rateSteps(
      {
        rate: '100/s',
        steps: [{ at: '45s', rate: '200/s' }],
        arrival: 'bursty',
        burst: { factor: 2, every: '30s', for: '20s' },
      },
      70_000,
    );
    expect(steps(r)).toEqual([
      [30_000, 200],
      [45_000, 400],
      [50_000, 200],
      [60_000, 400],
    ]);
  });

  it('rateSteps(bursty) is ignored for constant and poisson arrivals (the checks refuse a stray burst)', () => {
    const r = rateSteps(
      { rate: 10, arrival: 'poisson', burst: { factor: 2, every: '1s', for: '1ms' } },
      5000,
    );
    expect(r.steps).toEqual([]);
  });

  it('loadScenarioText(arrival: bursty) gives the mesh Poisson arrivals with the bursts as steps', () => {
    const text = MINIMAL.replace(
      'rate: 100/s',
      'rate: 100/s\n    arrival: bursty\n    burst: { factor: 4, every: 4s, for: 1s }',
    );
    const r = loadScenarioText(text, 'bursty.yaml');
    expect(r.ok ? [] : r.issues).toEqual([]);
    const t = r.ok ? r.scenario.mesh.traffic[0] : undefined;
    expect(t?.arrival).toBe('poisson');
    expect(t?.steps.map((s) => [s.atMs, perS(s.ratePerMs)])).toEqual([
      [4000, 400],
      [5000, 100],
      [8000, 400],
      [9000, 100],
    ]);
  });
});

describe('scenario/check-size', () => {
  it('estimateRequests(quickstart) is rate x duration with steps, x models x replications', async () => {
    const r = await loadScenarioFile(`${REPO_ROOT}scenarios/quickstart.yaml`);
    if (!r.ok) throw new Error('quickstart must load');
    const e = estimateRequests(r.scenario);
    // 400/s for the first minute, 800/s for the second.
    expect(e.perRun).toBeCloseTo(400 * 60 + 800 * 60, 6);
    // Three default models (two clusters in one region), report.replications: 6.
    expect([e.models, e.replications]).toEqual([3, 6]);
    expect(e.total).toBeCloseTo(72_000 * 18, 3);
    expect(estimateRequests(r.scenario, { models: 1, replications: 1 }).total).toBeCloseTo(72_000, 6);
  });

  it('loadScenarioText(too many requests, {allowLarge: true}) loads what the default refuses', () => {
    const text = fixtureText('too-many-requests.yaml');
    const refused = loadScenarioText(text, 'big.yaml');
    // The request limit, and (issue 11) the two services this rate overloads, each too-large.
    const issues = refused.ok ? [] : refused.issues;
    expect(issues.map((i) => i.code)).toEqual(['too-large', 'too-large', 'too-large']);
    expect(issues.filter((i) => i.message.includes('1 billion client requests'))).toHaveLength(1);
    const allowed = loadScenarioText(text, 'big.yaml', { allowLarge: true });
    expect(allowed.ok).toBe(true);
    expect(allowed.ok ? estimateRequests(allowed.scenario).total : 0).toBeCloseTo(1e9, 0);
  });

  it(`loadScenarioText(more than ${MAX_PODS.toLocaleString('en-US')} pods) is too-large unless allowLarge`, () => {
    const text = MINIMAL.replace('replicas: 2', `replicas: ${MAX_PODS}`);
    const refused = loadScenarioText(text, 'pods.yaml');
    expect(refused.ok ? [] : refused.issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['too-large', 'services.0.deployments.0.replicas'],
    ]);
    expect(loadScenarioText(text, 'pods.yaml', { allowLarge: true }).ok).toBe(true);
  });

  it('loadScenarioText(report.maxRequests above the estimate) loads', () => {
    const text = `${MINIMAL}report:\n  replications: 3\n  maxRequests: 3000\n`;
    const r = loadScenarioText(text, 'limit.yaml');
    expect(r.ok ? [] : r.issues).toEqual([]);
    expect(r.ok ? r.scenario.maxRequests : 0).toBe(3000);
  });
});
