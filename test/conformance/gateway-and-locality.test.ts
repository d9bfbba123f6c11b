/**
 * Conformance: east-west gateway balancing per connection, and `distribute` as Envoy's locality-weighted
 * load balancing, end to end.
 *
 * Sources:
 * - istio/istio pilot/pkg/networking/core/cluster_traffic_policy.go, commit
 *   86c9f01fd735fb01d8192f5bcaf0d424afb7f14c, `shouldH2Upgrade`: a DestinationRule's `h2UpgradePolicy`
 *   UPGRADE / DO_NOT_UPGRADE wins, else the mesh's (default DO_NOT_UPGRADE): HTTP/1.1 between sidecars,
 *   one connection per concurrent request.
 * - The east-west gateway's AUTO_PASSTHROUGH listener forwards the mTLS connection as TCP (sni-dnat), so it
 *   chooses a backend once per connection (istio/istio#31549). TCP proxying does not count requests on
 *   hosts (`rq_active`), so the gateway's least-request choice is among equals: uniform.
 * - Envoy's HTTP/1 connection pool reuses a ready connection before opening one
 *   (source/common/conn_pool/conn_pool_base.cc, `ready_clients_`).
 * - istio/istio pilot/pkg/networking/core/loadbalancer/loadbalancer.go (`applyLocalityWeights`, commit
 *   86c9f01f): `distribute` sets per-locality `load_balancing_weight` and `locality_weighted_lb_config`.
 * - envoyproxy/envoy source/common/upstream/upstream_impl.cc `HostSetImpl::effectiveLocalityWeight` (read via
 *   the code index): a locality's effective weight is weight × min(1, 1.4 × eligible/hosts); the locality
 *   is chosen first (`chooseHealthyLocality`), then the host inside it by the cluster's policy.
 */
import { describe, expect, it } from 'vitest';
import { record } from '../helpers/mesh-run.js';

describe('conformance: east-west gateway balancing per connection', () => {
  const scenario = (pool: string) => `
name: gateway
duration: 40s
clusters:
  - { name: a, region: r1, zones: [a1], network: net-a }
  - { name: b, region: r1, zones: [b1], network: net-b }
services:
  - { name: backend, deployments: [{ cluster: b, replicas: 4 }], serviceTime: 100ms, concurrency: 1000 }
traffic: [{ name: web, entry: backend, from: a, rate: 400/s, timeout: 30s }]
models: [{ name: mp, controlPlane: multi-primary, network: multi }]
routing:
  destinationRules: [{ host: backend, trafficPolicy: { connectionPool: ${pool} } }]
`;
  /** Share of calls served by each backend pod, largest first. */
  function shares(pool: string): number[] {
    const r = record(scenario(pool));
    r.runUntil(60_000);
    const by = new Map<number, number>();
    for (const c of r.calls) if (c.code === 200) by.set(c.endpointId, (by.get(c.endpointId) ?? 0) + 1);
    const n = [...by.values()].reduce((s, x) => s + x, 0);
    expect(n).toBeGreaterThan(10_000);
    return [...by.values()].map((k) => k / n).sort((x, y) => y - x);
  }

  it('HTTP/1.1 (the default): each concurrent request has its own connection, so load spreads over every backend', () => {
    // Derivation: ~400/s × 100 ms = 40 requests in flight need ~40 connections from the one client proxy;
    // each is bound to a backend drawn uniformly by the gateway, so a backend's share is about
    // Binomial(40, 1/4)/40 = 25 % ± 7 %; all four get traffic and none more than half.
    const s = shares('{ http: { h2UpgradePolicy: DO_NOT_UPGRADE } }');
    expect(s.length).toBe(4);
    expect(s[0]).toBeLessThan(0.5);
    expect(s[3]).toBeGreaterThan(0.05);
    // Omitting the field is the mesh default, the same thing.
    expect(shares('{ tcp: { connectTimeout: 10s } }')).toEqual(s);
  });

  it('HTTP/2 (UPGRADE): the proxy multiplexes on one connection, which the gateway pins to one backend', () => {
    expect(shares('{ http: { h2UpgradePolicy: UPGRADE } }')).toEqual([1]);
  });
});

describe('conformance: distribute is locality-weighted load balancing', () => {
  it('locality shares follow the distribute weights even when one locality is slow', () => {
    // distribute from r1/z1 to {z1: 80, z2: 20}; Istio gives each locality ⌈groupWeight·w/Σ⌉ = 80 and 20.
    // All hosts healthy: effective weights 80 and 20, so P(z1) = 0.8 whatever the active counts. z1's pods
    // (cluster a) are 100× slower, so their active counts are high: folding the locality weight into host weights under
    // least request (weight/(active+1)) would move traffic to z2. Tolerance: 4 binomial SE.
    const r = record(`
name: distribute
duration: 40s
clusters:
  - { name: a, region: r1, zones: [z1] }
  - { name: b, region: r1, zones: [z2] }
services:
  - name: backend
    deployments: [{ cluster: a, replicas: 2 }, { cluster: b, replicas: 2 }]
    serviceTime: 1ms
    concurrency: 1000
traffic: [{ name: web, entry: backend, from: a, rate: 200/s, timeout: 30s }]
models: [{ name: mp, controlPlane: multi-primary }]
faults: [{ at: 0s, for: 60s, type: latency-injection, service: backend, cluster: a, delay: 100ms }]
routing:
  destinationRules:
    - host: backend
      trafficPolicy:
        loadBalancer:
          localityLbSetting: { enabled: true, distribute: [{ from: 'r1/z1/*', to: { 'r1/z1/*': 80, 'r1/z2/*': 20 } }] }
`);
    r.runUntil(60_000);
    const fromZ1 = r.calls.filter((c) => c.sourceZone === 0);
    const n = fromZ1.length;
    expect(n).toBeGreaterThan(3000);
    const share = fromZ1.filter((c) => c.endpointZone === 0).length / n;
    expect(Math.abs(share - 0.8)).toBeLessThan(4 * Math.sqrt((0.8 * 0.2) / n));
  });
});
