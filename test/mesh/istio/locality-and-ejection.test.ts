/**
 * Locality load balancing, priority spill-over and outlier ejection, end to end through the mesh, against
 * istio-behaviour.md sections 2.2, 4.3, 4.4 and 8 (items 1, 3, 4).
 */
import { describe, expect, it } from 'vitest';
import { record, share } from '../../helpers/mesh-run.js';

/**
 * One region, two zones in one cluster, 2 backends per zone, clients in both zones. Cross-zone latency equals
 * same-zone latency here, so that least-request's (real) preference for faster hosts cannot mimic locality.
 */
function zonal(destinationRule: string): string {
  return `
name: zonal
duration: 60s
clusters: [{ name: c1, region: r1, zones: [z1, z2] }]
network: { sameZone: 0.1ms, crossZone: 0.1ms }
services:
  - { name: backend, deployments: [{ cluster: c1, replicas: 4 }], serviceTime: 1ms }
traffic: [{ name: web, entry: backend, from: c1, rate: 500/s }]
models: [{ name: mp, controlPlane: multi-primary }]
${destinationRule}
`;
}

describe('mesh/istio: locality (istio-behaviour.md 2.2, 4.3)', () => {
  it('without outlierDetection, localityLbSetting keeps nothing local: calls spread over zones by endpoint count', () => {
    const r = record(
      zonal(
        `routing: { destinationRules: [{ host: backend, trafficPolicy: { loadBalancer: { localityLbSetting: { enabled: true } } } }] }`,
      ),
    );
    r.runUntil(70_000);
    const local = share(r.calls, (c) => c.sourceZone === c.endpointZone);
    // Two of four endpoints are in the client's zone: 50% local, within 4 binomial SE.
    expect(Math.abs(local.p - 0.5), JSON.stringify(local)).toBeLessThan(4 * local.se);
  });

  it('with outlierDetection, traffic stays in the client zone (P0) while it is healthy', () => {
    const r = record(
      zonal(
        `routing: { destinationRules: [{ host: backend, trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5 } } }] }`,
      ),
    );
    r.runUntil(70_000);
    const local = share(r.calls, (c) => c.sourceZone === c.endpointZone);
    expect(local.n).toBeGreaterThan(20_000);
    expect(local.p).toBe(1);
  });
});

/**
 * Two clusters in one region: cluster a (zone a1) holds the clients and 4 backends, cluster b (zone b1)
 * 4 more. With outlierDetection, a's backends are the client's P0, b's its P1 (same region). At 20 s `dead`
 * of a's backends die while a's istiod is down, so the client's view keeps them; connect failures eject them.
 */
function spillover(dead: number, maxEjectionPercent: number | undefined): string {
  const max = maxEjectionPercent === undefined ? '' : `, maxEjectionPercent: ${maxEjectionPercent}`;
  return `
name: spillover
duration: 120s
clusters:
  - { name: a, region: r1, zones: [a1] }
  - { name: b, region: r1, zones: [b1] }
services:
  - { name: backend, deployments: [{ cluster: a, replicas: 4 }, { cluster: b, replicas: 4 }], serviceTime: 1ms }
traffic: [{ name: web, entry: backend, from: a, rate: 400/s }]
models: [{ name: mp, controlPlane: multi-primary }]
routing:
  destinationRules:
    - host: backend
      trafficPolicy:
        connectionPool: { tcp: { connectTimeout: 50ms } }
        outlierDetection: { consecutive5xxErrors: 5, interval: 1s, baseEjectionTime: 10m${max} }
faults:
  - { at: 20s, type: control-plane-outage, cluster: a }
  - { at: 20s, type: pod-failure, service: backend, cluster: a, count: ${dead} }
`;
}

describe('mesh/istio: priority spill-over (istio-behaviour.md 4.3; Envoy priority load with overprovisioning 1.4)', () => {
  // Envoy: health(P0) = min(100, floor(1.4 x 100 x healthy / total)); P0 takes that share, P1 the rest.
  const cases = [
    { dead: 1, p0: 1.0 }, // 3/4 healthy: 105 -> 100 / 0
    { dead: 2, p0: 0.7 }, // 2/4 healthy: 70 / 30
    { dead: 3, p0: 0.35 }, // 1/4 healthy: 35 / 65
  ];
  for (const { dead, p0 } of cases) {
    it(`${4 - dead} of 4 local hosts healthy sends ${p0 * 100}% of calls to the local priority`, () => {
      const r = record(spillover(dead, 100));
      r.runUntil(130_000);
      // After every dead host has been ejected (5 connect failures of 50 ms each, well within 20 s).
      const late = r.calls.filter((c) => c.sentMs > 60_000);
      const local = share(late, (c) => c.endpointCluster === 0);
      expect(late.length).toBeGreaterThan(10_000);
      if (p0 === 1) expect(local.p).toBe(1);
      else expect(Math.abs(local.p - p0), JSON.stringify(local)).toBeLessThan(4 * local.se + 0.01);
      expect(late.every((c) => c.attempts === 1)).toBe(true);
    });
  }
});

describe('mesh/istio: outlier ejection limits (istio-behaviour.md 4.4)', () => {
  it('the default maxEjectionPercent (10%) ejects nothing among 8 hosts: the dead host keeps costing retries', () => {
    const r = record(spillover(1, undefined));
    r.runUntil(130_000);
    const late = r.calls.filter((c) => c.sentMs > 60_000);
    const retried = share(late, (c) => c.attempts > 1);
    // Never ejected: a dead P0 host stays in rotation, so calls keep hitting it and retrying.
    expect(retried.p).toBeGreaterThan(0.05);
    // Retries succeed on another host: Istio retries connect failures by default.
    expect(late.every((c) => c.code === 200)).toBe(true);
  });

  it('maxEjectionPercent 100 ejects the dead host: no retries once it is out', () => {
    const r = record(spillover(1, 100));
    r.runUntil(130_000);
    const late = r.calls.filter((c) => c.sentMs > 60_000);
    expect(late.every((c) => c.attempts === 1)).toBe(true);
  });
});
