/**
 * k6's executor vocabulary and Fortio's closed loop in `traffic:`: what each executor resolves to, and the
 * other executors' keys refused with their path rather than ignored.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/index.js';
import { expectedArrivals } from '../../src/scenario/normalize-traffic.js';

const base = (traffic: string) => `
name: t
duration: 100s
clusters: [{ name: c1, region: r1 }]
services: [{ name: api, deployments: [{ cluster: c1 }], serviceTime: 1ms }]
traffic:
  - name: web
    entry: api
    from: c1
${traffic}`;

async function load(traffic: string) {
  return loadScenarioText(base(traffic), 't.yaml');
}
async function problems(traffic: string): Promise<string[]> {
  const r = await load(traffic);
  return r.ok ? [] : r.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('traffic executors', () => {
  it('ramping-arrival-rate: rate 10/s then stages to 30/s over 20s and 0 over 20s make k6’s straight lines', async () => {
    const r = await load(`    executor: ramping-arrival-rate
    rate: 10/s
    stages: [{ duration: 20s, target: 30/s }, { duration: 20s, target: 0 }]`);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const t = r.scenario.mesh.traffic[0];
    if (t === undefined) throw new Error('no traffic');
    // Area under the lines: (10+30)/2*20 + 30/2*20 = 400 + 300 requests, then 0.
    expect(expectedArrivals(t, 100_000)).toBeCloseTo(700, 6);
    expect(t.closedLoop).toBeUndefined();
  });

  it('constant-vus with connections (Fortio -c), think time and max rate resolves to closed-loop clients', async () => {
    const r = await load(`    executor: constant-vus
    connections: 8
    thinkTime: 100ms
    maxRate: 40/s`);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const t = r.scenario.mesh.traffic[0];
    expect([
      t?.ratePerMs,
      t?.closedLoop?.vus,
      t?.closedLoop?.minIntervalMs,
      t?.closedLoop?.thinkTime,
    ]).toEqual([0, 8, 200, { dist: 'constant', value: 100 }]);
  });

  it('ramping-vus 0 -> 4 over 40s changes clients at 10, 20, 30, 40 s', async () => {
    const r = await load(`    executor: ramping-vus
    vus: 0
    stages: [{ duration: 40s, target: 4 }]`);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.scenario.mesh.traffic[0]?.closedLoop?.vuSteps).toEqual([
      { atMs: 10_000, vus: 1 },
      { atMs: 20_000, vus: 2 },
      { atMs: 30_000, vus: 3 },
      { atMs: 40_000, vus: 4 },
    ]);
  });

  it('refuses keys of the other kind of loop, a missing rate or client count, and stages past the run', async () => {
    expect(await problems(`    executor: constant-vus\n    vus: 2\n    rate: 10/s`)).toEqual([
      expect.stringContaining('traffic.0.rate: rate: constant-vus is a closed loop'),
    ]);
    expect(await problems(`    rate: 10/s\n    vus: 2`)).toEqual([
      expect.stringContaining('traffic.0.vus: vus: constant-arrival-rate is an open loop'),
    ]);
    expect(await problems(`    executor: constant-vus`)).toEqual([
      expect.stringContaining('traffic.0.vus: constant-vus needs vus'),
    ]);
    expect(
      await problems(
        `    executor: ramping-arrival-rate\n    rate: 1/s\n    stages: [{ duration: 200s, target: 5/s }]`,
      ),
    ).toEqual([expect.stringContaining('traffic.0.stages: stages last 200s, longer than the run')]);
    expect(await problems(`    executor: constant-arrival-rate`)).toEqual([
      expect.stringContaining('traffic.0.rate: missing required key "rate" (expected a rate such as'),
    ]);
  });
});
