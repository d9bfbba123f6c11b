/**
 * Conformance: defaults the request path and control plane take from Istio and Kubernetes, each from where
 * it is defined.
 *
 * - istio/istio pilot/pkg/networking/core/cluster_traffic_policy.go, commit
 *   86c9f01fd735fb01d8192f5bcaf0d424afb7f14c, `applyOutlierDetection`: `if outlier.MaxEjectionPercent > 0`
 *   sets max_ejection_percent; 0 leaves Envoy's default, 10 %.
 * - istio/istio pilot/pkg/features/tuning.go, same commit: PILOT_PUSH_THROTTLE and
 *   PILOT_MAX_REQUESTS_PER_SECOND default to min(15 + 5·GOMAXPROCS, 100) ("1: 20, 2: 25, 4: 35, 32: 100").
 * - Kubernetes 1.32 raised kube-controller-manager's --node-monitor-grace-period default from 40 s to 50 s
 *   (kubernetes/kubernetes#126287).
 * - istio/istio retry.go (commit above): default retry policy, 2 retries, previous_hosts, 5 host-selection
 *   attempts (checked in retry-predicates.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { NODE_GRACE_MS } from '../../src/mesh/workloads.js';
import { pilotConcurrencyDefault } from '../../src/mesh/index.js';
import { loadInline, record } from '../helpers/mesh-run.js';

const base = (extra: string) => `
name: defaults
duration: 30s
clusters: [{ name: a, region: r1, zones: [a1, a2] }]
services: [{ name: backend, deployments: [{ cluster: a, replicas: 4 }], serviceTime: 1ms }]
traffic: [{ name: web, entry: backend, from: a, rate: 10/s }]
models: [{ name: mp, controlPlane: multi-primary }]
${extra}
`;

describe('conformance: Istio and Kubernetes defaults', () => {
  it.each([
    [0, 0.1], // unset: Envoy's 10 %
    [50, 0.5],
    [100, 1],
  ])('outlierDetection.maxEjectionPercent %i gives max_ejection_percent %f', (percent, fraction) => {
    const s = loadInline(
      base(
        `routing: { destinationRules: [{ host: backend, trafficPolicy: { outlierDetection: { maxEjectionPercent: ${percent} } } }] }`,
      ),
    );
    const od = s.mesh.routing.destinationRules[0]?.trafficPolicy?.outlierDetection;
    expect(od?.maxEjectionPercent).toBe(fraction);
  });

  it.each([
    [1, 20],
    [2, 25],
    [4, 35],
    [32, 100],
  ])('istiod with GOMAXPROCS %i pushes at most %i at once (tuning.go table)', (cores, throttle) => {
    expect(pilotConcurrencyDefault(cores)).toBe(throttle);
    const s = loadInline(base(`mesh: { controlPlane: { istiodCores: ${cores} } }`));
    expect(s.mesh.controlPlane.pushThrottle).toBe(throttle);
    expect(s.mesh.controlPlane.istiodCores).toBe(cores);
  });

  it('an explicit pushThrottle wins over the cores heuristic (PILOT_PUSH_THROTTLE > 0 is used as is)', () => {
    expect(
      loadInline(base('mesh: { controlPlane: { istiodCores: 32, pushThrottle: 7 } }')).mesh.controlPlane
        .pushThrottle,
    ).toBe(7);
  });

  it('a failed zone keeps its pods listed for the node-monitor grace period, 50 s', () => {
    expect(NODE_GRACE_MS).toBe(50_000);
    // Zone a2 fails at 5 s: its pods' requests hang (no timeout: the client's 60 s default ends them) until
    // the node is NotReady at 5 + 50 = 55 s and the endpoints leave every view (push ~100 ms later).
    const r = record(
      base('faults: [{ at: 5s, type: zone-outage, cluster: a, zone: a2 }]').replace('30s', '90s'),
    );
    r.runUntil(200_000);
    const toA2 = r.calls.filter((c) => c.endpointZone === 1 && c.sentMs > 5_000);
    expect(toA2.length).toBeGreaterThan(0);
    const last = Math.max(...toA2.map((c) => c.sentMs));
    expect(last).toBeLessThan(55_000 + 2_000);
    expect(last).toBeGreaterThan(50_000);
  });
});
