/**
 * Conformance: a graceful rollout as Kubernetes and Istio run it, beside the abrupt pod-churn.
 *
 * Sources:
 * - kubernetes/kubernetes pkg/controller/deployment/util/deployment_util.go `ResolveFenceposts` (read via
 *   the code index): maxSurge rounds up, maxUnavailable down, both 0 → maxUnavailable 1; the rolling
 *   update keeps (old + new) ≤ desired + maxSurge and ready ≥ desired − maxUnavailable.
 * - Kubernetes Deployment defaults maxSurge = maxUnavailable = 25 %.
 * - istio/istio pkg/config/mesh/mesh.go, commit 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c,
 *   `DefaultProxyConfig`: TerminationDrainDuration 5 s (the sidecar keeps serving while the endpoint's
 *   removal is pushed).
 */
import { describe, expect, it } from 'vitest';
import { EndpointState } from '../../src/mesh/endpoint-registry.js';
import { loadInline, record } from '../helpers/mesh-run.js';

const scenario = (fault: string) => `
name: rollout
duration: 120s
clusters: [{ name: a, region: r1, zones: [a1] }]
services: [{ name: backend, deployments: [{ cluster: a, replicas: 4 }], serviceTime: 1ms }]
traffic: [{ name: web, entry: backend, from: a, rate: 50/s, timeout: 30s }]
models: [{ name: mp, controlPlane: multi-primary }]
faults: [${fault}]
`;

describe('conformance: rolling update (maxSurge, maxUnavailable, drain)', () => {
  it('defaults 25 %/25 % of 4: at most 5 pods, at least 3 ready at every moment; all 4 replaced', () => {
    // Derivation: surge ⌈0.25·4⌉ = 1, unavailable ⌊0.25·4⌋ = 1.
    const r = record(scenario('{ at: 10s, type: rollout, service: backend, cluster: a }'));
    const reg = r.mesh.registry;
    const original = new Set(reg.all.map((e) => e.id));
    let minReady = Infinity;
    let maxPods = 0;
    for (let t = 9_000; t <= 119_000; t += 100) {
      r.runUntil(t);
      const states = reg.all.map((e) => reg.stateOf(e.id));
      minReady = Math.min(minReady, states.filter((s) => s === EndpointState.ready).length);
      maxPods = Math.max(
        maxPods,
        states.filter((s) => s === EndpointState.ready || s === EndpointState.starting).length,
      );
    }
    expect(minReady).toBe(3);
    expect(maxPods).toBe(5);
    const ready = reg.all.filter((e) => reg.stateOf(e.id) === EndpointState.ready);
    expect(ready.length).toBe(4);
    expect(ready.every((e) => !original.has(e.id))).toBe(true);
  });

  it('graceful: an old pod keeps serving while its removal is pushed, so no request fails', () => {
    const r = record(scenario('{ at: 10s, type: rollout, service: backend, cluster: a }'));
    r.runUntil(200_000);
    expect(r.requests.length).toBeGreaterThan(5000);
    expect(r.requests.filter((q) => q.code !== 200)).toEqual([]);
  });

  it('with no drain (terminationDrainDuration 0) the deleted pod resets what is in flight or still routed to it', () => {
    // The push that removes the endpoint takes ~100 ms debounce plus the push time; requests sent to the pod
    // meanwhile meet a dead pod: some fail (or are retried at the cost of a connect timeout).
    const r = record(
      scenario('{ at: 10s, type: rollout, service: backend, cluster: a, terminationDrainDuration: 0s }'),
    );
    r.runUntil(200_000);
    const hurt = r.requests.filter((q) => q.code !== 200 || q.endMs - q.startMs > 1000);
    expect(hurt.length).toBeGreaterThan(0);
  });

  it('maxSurge 0 and maxUnavailable 0 together are refused, with the field located', () => {
    expect(() =>
      loadInline(
        scenario('{ at: 10s, type: rollout, service: backend, cluster: a, maxSurge: 0, maxUnavailable: 0% }'),
      ),
    ).toThrow(/cannot both be 0/);
    expect(() =>
      loadInline(scenario('{ at: 10s, for: 5s, type: rollout, service: backend, cluster: a }')),
    ).toThrow(/remove `for`/);
  });
});
