/**
 * Closed-loop clients against the closed queueing network they form: N clients with exponential think
 * time Z in front of one FCFS station with exponential service S (a product-form network, so mean value
 * analysis is exact for its means; think time is an infinite-server station and may have any distribution):
 *   R(n) = S (1 + Q(n-1)),  X(n) = n / (R(n) + Z),  Q(n) = X(n) R(n),  Q(0) = 0.
 * Tolerances: the mean response time within 4 batch-means standard errors of the run's own estimate
 * (summary.latencyMs.meanStdErr); throughput through the cycle X = N / (R + Z), so its error follows R's
 * and the think-time sample mean's, plus N / T for clients in flight at the ends of the measured time T.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/experiment/index.js';
import { loadScenarioText } from '../../src/scenario/index.js';

function mva(n: number, s: number, z: number): { x: number; r: number } {
  let q = 0;
  let x = 0;
  let r = 0;
  for (let k = 1; k <= n; k++) {
    r = s * (1 + q);
    x = k / (r + z);
    q = x * r;
  }
  return { x, r };
}

const yaml = (n: number, extra = '') => `
name: closed-mva
seed: 3
duration: 205s
warmup: 5s
clusters: [{ name: c1, region: r1 }]
network: { sameZone: 0, crossZone: 0, crossRegion: 0 }
mesh: { sidecar: { latency: 0 } }
services:
  - { name: station, deployments: [{ cluster: c1, replicas: 1 }], concurrency: 1, serviceTime: { dist: exponential, mean: 10ms } }
traffic:
  - name: users
    entry: station
    from: c1
    executor: constant-vus
    vus: ${n}
    thinkTime: { dist: exponential, mean: 50ms }
${extra}
`;

async function run(n: number, extra = '') {
  const loaded = await loadScenarioText(yaml(n, extra), 'closed.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return runScenario(loaded.scenario);
}

describe('closed-loop clients (constant-vus) against mean value analysis', { timeout: 120_000 }, () => {
  it.each([3, 10])(
    '%i clients, Z = 50 ms, S = 10 ms: throughput and response time as MVA says',
    async (n) => {
      const s = await run(n);
      const { x, r } = mva(n, 10, 50);
      const latency = s.latencyMs;
      if (latency === null || latency.meanStdErr === null) throw new Error('no latency');
      const seconds = 200;
      const measuredX = s.requests.total / seconds;
      expect(Math.abs(latency.mean - r), `R ${latency.mean} vs MVA ${r}`).toBeLessThan(
        4 * latency.meanStdErr,
      );
      const thinkStdErr = 50 / Math.sqrt(s.requests.total);
      const tolX = (4 * x * (latency.meanStdErr + thinkStdErr)) / (r + 50) + n / seconds;
      expect(Math.abs(measuredX - x * 1000), `X ${measuredX}/s vs MVA ${x * 1000}/s`).toBeLessThan(
        tolX * 1000,
      );
    },
  );

  it('maxRate paces the clients as Fortio -qps does: 10 clients capped at 50/s send 50/s', async () => {
    const s = await run(10, '    maxRate: 50/s');
    // Uncapped they would send about 100/s (MVA); capped, each sends every 200 ms at most.
    expect(s.requests.total / 200).toBeGreaterThan(49);
    expect(s.requests.total / 200).toBeLessThanOrEqual(50.05);
  });

  it('ramping-vus from 0 to 10 over the first half, then 10: requests follow the clients', async () => {
    const loaded = await loadScenarioText(
      yaml(0)
        .replace('executor: constant-vus', 'executor: ramping-vus')
        .replace('vus: 0', 'vus: 0\n    stages: [{ duration: 100s, target: 10 }]'),
      'ramp.yaml',
    );
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const s = runScenario(loaded.scenario);
    // Windows of 10 s from 5 s: the first has about one client (MVA: 16/s), the last ten (MVA: 98/s).
    const first = s.timeline[0]?.requests ?? 0;
    const last = s.timeline[s.timeline.length - 1]?.requests ?? 0;
    const one = mva(1, 10, 50).x * 10_000;
    const ten = mva(10, 10, 50).x * 10_000;
    expect(first).toBeGreaterThan(one * 0.5);
    expect(first).toBeLessThan(one * 2);
    expect(Math.abs(last - ten)).toBeLessThan(0.1 * ten);
  });
});
