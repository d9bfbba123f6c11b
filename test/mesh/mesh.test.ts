import { describe, expect, it } from 'vitest';
import { Engine, RngStreams } from '../../src/des/index.js';
import {
  Mesh,
  type Call,
  type MeshConfig,
  type MeshObserver,
  type MeshRequest,
} from '../../src/mesh/index.js';
import { call, meshConfig, service, traffic } from '../helpers/mesh-config.js';

interface Recorded {
  requests: { start: number; end: number; code: number }[];
  calls: { service: string; sent: number; end: number; code: number; from: number; to: number | undefined }[];
}

function simulate(config: MeshConfig, untilMs: number, seed = 1): Recorded {
  const engine = new Engine();
  const rec: Recorded = { requests: [], calls: [] };
  const observer: MeshObserver = {
    requestStarted: () => {},
    converged: () => {},
    staleProxies: () => {},
    pushed: () => {},
    xdsClients: () => {},
    podCreationRejected: () => {},
    certExpired: () => {},
    requestCompleted: (r: Readonly<MeshRequest>) =>
      rec.requests.push({ start: r.startMs, end: r.endMs, code: r.responseCode }),
    callCompleted: (c: Readonly<Call>) =>
      rec.calls.push({
        service: c.service.name,
        sent: c.sentMs,
        end: c.endMs,
        code: c.responseCode,
        from: c.source.cluster,
        to: c.endpoint?.cluster,
      }),
  };
  const mesh = new Mesh(engine, new RngStreams(seed), config, observer);
  mesh.start(untilMs);
  // Certificates rotate for ever: run to a bound, not until the queue is empty.
  engine.run(untilMs + 120_000);
  return rec;
}

const constant = (value: number) => ({ dist: 'constant' as const, value });

describe('mesh/mesh', () => {
  it('a parallel group waits for its slowest call; steps run in order', () => {
    // front (1 ms) -> [a (5 ms), b (9 ms)] -> c (2 ms): 1 + 9 + 2 = 12 ms with zero network and sidecars.
    const config = meshConfig(
      [
        service('front', {
          serviceTime: constant(1),
          calls: [[call('a'), call('b')], [call('c')]],
        }),
        service('a', { serviceTime: constant(5) }),
        service('b', { serviceTime: constant(9) }),
        service('c', { serviceTime: constant(2) }),
      ],
      [traffic('front', 1, { arrival: 'constant' })],
    );
    const rec = simulate(config, 10_000);
    expect(rec.requests.length).toBeGreaterThan(5);
    for (const r of rec.requests) expect(r.end - r.start).toBeCloseTo(12, 9);
    const firstRequestCalls = rec.calls.filter(
      (c) => c.sent < rec.requests[0]!.end && c.sent >= rec.requests[0]!.start,
    );
    expect(firstRequestCalls.map((c) => [c.service, c.sent - rec.requests[0]!.start])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 10],
      ['front', 0],
    ]);
  });

  it('a failing downstream call fails its caller with 500 and stops the remaining steps', () => {
    const config = meshConfig(
      [
        service('front', {
          calls: [[call('bad')], [call('never')]],
        }),
        service('bad', { errorRate: 1 }),
        service('never'),
      ],
      [traffic('front', 100)],
    );
    const rec = simulate(config, 1000);
    expect(rec.requests.length).toBeGreaterThan(50);
    expect(rec.requests.every((r) => r.code === 500)).toBe(true);
    expect(rec.calls.some((c) => c.service === 'never')).toBe(false);
  });

  it('a call with probability p is made in about p of requests (within 4 binomial SE)', () => {
    const config = meshConfig(
      [service('front', { calls: [[call('maybe', 0.3)]] }), service('maybe')],
      [traffic('front', 1000)],
    );
    const rec = simulate(config, 20_000);
    const n = rec.requests.length;
    const made = rec.calls.filter((c) => c.service === 'maybe').length;
    expect(Math.abs(made / n - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / n));
  });

  it('a rate step changes the arrival rate at its time (counts within 4 Poisson SE)', () => {
    const config = meshConfig(
      [service('front')],
      [traffic('front', 100, { steps: [{ atMs: 100_000, ratePerMs: 0.5 }] })],
    );
    const rec = simulate(config, 200_000);
    const before = rec.requests.filter((r) => r.start < 100_000).length;
    const after = rec.requests.length - before;
    expect(Math.abs(before - 10_000)).toBeLessThan(4 * Math.sqrt(10_000));
    expect(Math.abs(after - 50_000)).toBeLessThan(4 * Math.sqrt(50_000));
  });

  it('with no locality preference, a client spreads calls over replicas in every cluster by count', () => {
    // 3 replicas in c1, 1 in c2: Istio without outlierDetection balances over one pool, so about 1/4 go to c2.
    const config = meshConfig(
      [
        service('front', {
          deployments: [
            { cluster: 'c1', zone: undefined, replicas: 3, labels: {} },
            { cluster: 'c2', zone: undefined, replicas: 1, labels: {} },
          ],
        }),
      ],
      [traffic('front', 500)],
    );
    const rec = simulate(config, 40_000);
    const share = rec.calls.filter((c) => c.to === 1).length / rec.calls.length;
    expect(Math.abs(share - 0.25)).toBeLessThan(0.02);
  });

  it('least request sends a slow replica only the draws where both choices land on it (1/4 of 2 hosts)', () => {
    // Replica 0 in zone z1 and replica 1 in z2; the network makes z2 slow, so z2 accumulates active requests.
    const config = meshConfig(
      [
        service('front', {
          serviceTime: constant(1),
          deployments: [{ cluster: 'c1', zone: undefined, replicas: 2, labels: {} }],
        }),
      ],
      [traffic('front', 2000)],
      {
        network: {
          sameZone: constant(0),
          crossZone: constant(20),
          crossRegion: constant(0),
          pairs: [],
          jitter: 0,
        },
      },
    );
    const rec = simulate(config, 20_000);
    expect(rec.requests.length).toBeGreaterThan(30_000);
    // Each client (one per zone) sees the other zone's replica as slow, with ~20 requests active on it
    // against ~0 on the fast one. P2C draws two hosts with replacement: both draws are the slow host with
    // probability 1/4, and otherwise the fast one wins (ties at 0 active are rare and go to the first draw).
    // Random balancing would send 1/2.
    const n = rec.calls.length;
    const slow = rec.calls.filter((c) => c.end - c.sent > 20).length / n;
    const se = Math.sqrt((0.25 * 0.75) / n);
    expect(slow).toBeGreaterThan(0.25 - 4 * se);
    expect(slow).toBeLessThan(0.25 + 0.01 + 4 * se);
  });
});
