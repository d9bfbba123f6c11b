/**
 * Control-plane behaviour end to end, against istio-behaviour.md sections 1.2, 1.3, 3.2, 6 and 8 (item 6).
 */
import { describe, expect, it } from 'vitest';
import { EndpointState } from '../../../src/mesh/endpoint-registry.js';
import type { Proxy } from '../../../src/mesh/index.js';
import { ResponseFlag } from '../../../src/mesh/index.js';
import { record, type Recording } from '../../helpers/mesh-run.js';

const twoClusters = (models: string, faults: string, extra = '') => `
name: cp
duration: 5m
clusters:
  - { name: a, region: r1, zones: [a1] }
  - { name: b, region: r1, zones: [b1] }
services:
  - { name: backend, deployments: [{ cluster: a, replicas: 3 }, { cluster: b, replicas: 3 }], serviceTime: 1ms }
traffic:
  - { name: from-a, entry: backend, from: a, rate: 50/s }
  - { name: from-b, entry: backend, from: b, rate: 50/s }
models: ${models}
faults: ${faults}
${extra}
`;

const terminated = (r: Recording) =>
  r.mesh.registry.all.filter((e) => r.mesh.registry.stateOf(e.id) === EndpointState.terminated);
const readyNow = (r: Recording) => r.mesh.registry.all.filter((e) => r.mesh.registry.isReady(e.id));
const liveProxies = (r: Recording, cluster: number) =>
  r.mesh.allProxies.filter((p) => p.alive && p.cluster === cluster && p.snapshot !== undefined);
/** Does this proxy's view agree with reality about every endpoint? */
const current = (r: Recording, p: Proxy) =>
  r.mesh.registry.all.every((e) => (p.snapshot?.knows(e.id) ?? false) === r.mesh.registry.isReady(e.id));

describe('mesh/istio: control plane (istio-behaviour.md 3.2)', () => {
  it("multi-primary: a's istiod down while b's pods churn: b's proxies stay current, a's go stale", () => {
    const r = record(
      twoClusters(
        '[{ name: mp, controlPlane: multi-primary }]',
        `
  - { at: 30s, for: 3m, type: control-plane-outage, cluster: a }
  - { at: 40s, for: 1m, type: pod-churn, service: backend, cluster: b, every: 15s }`,
      ),
    );
    r.runUntil(150_000);
    expect(terminated(r).length).toBeGreaterThanOrEqual(3);
    const a = liveProxies(r, 0);
    const b = liveProxies(r, 1);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(b.every((p) => current(r, p))).toBe(true);
    expect(a.every((p) => !current(r, p))).toBe(true);
    // a's proxies still list b's original pods that died (static stability: last config kept); the
    // replacements created after a's istiod went down are unknown to them.
    const original = terminated(r).filter((e) => e.id < 6);
    expect(original.length).toBeGreaterThan(0);
    for (const e of original) expect(a.every((p) => p.snapshot?.knows(e.id))).toBe(true);
    // After a's istiod returns (210 s), a's proxies reconnect (backoff <= 30 s) and catch up.
    r.runUntil(260_000);
    expect(liveProxies(r, 0).every((p) => current(r, p))).toBe(true);
  });

  it("primary-remote: the primary's istiod down freezes every proxy's view, and pod creation in the remote fails", () => {
    const r = record(
      twoClusters(
        '[{ name: pr, controlPlane: primary-remote, primary: a }]',
        `
  - { at: 30s, for: 3m, type: control-plane-outage, cluster: b }
  - { at: 40s, for: 1m, type: pod-churn, service: backend, cluster: b, every: 15s }`,
      ),
    );
    r.runUntil(150_000);
    // The fault names cluster b, a remote: the istiod serving it is the primary's, so both clusters lose it.
    expect(liveProxies(r, 0).every((p) => !current(r, p))).toBe(true);
    expect(liveProxies(r, 1).every((p) => !current(r, p))).toBe(true);
    // The webhook (failurePolicy Fail) is unreachable: the ReplicaSet cannot replace the churned pods.
    expect(r.rejectedPods).toBeGreaterThan(0);
    expect(readyNow(r).filter((e) => e.cluster === 1)).toHaveLength(0);
    r.runUntil(290_000);
    expect(readyNow(r).filter((e) => e.cluster === 1)).toHaveLength(3);
  });

  it('multi-network: cross-cluster calls go through the east-west gateway and fail with it', () => {
    const r = record(`
name: mn
duration: 3m
clusters:
  - { name: a, region: r1, zones: [a1], network: na }
  - { name: b, region: r1, zones: [b1], network: nb }
services:
  - { name: backend, deployments: [{ cluster: b, replicas: 3 }], serviceTime: 1ms }
traffic:
  - { name: from-a, entry: backend, from: a, rate: 50/s }
  - { name: from-b, entry: backend, from: b, rate: 50/s }
models: [{ name: mp, controlPlane: multi-primary, network: multi }]
faults: [{ at: 60s, for: 60s, type: gateway-outage, cluster: b, gateway: east-west }]
`);
    r.runUntil(50_000);
    // a's proxies see b's three pods as one gateway host of weight 3 (split horizon, ep_filters.go).
    const client = liveProxies(r, 0).find((p) => p.nodeType === 'sidecar') as Proxy;
    const view = client.defaultUpstreams[0];
    expect(view?.hosts.map((h, i) => [h.kind, h.cluster, view.set.weightOf(i)])).toEqual([['gateway', 1, 3]]);
    r.runUntil(240_000);
    const during = (x: { startMs: number }) => x.startMs > 61_000 && x.startMs < 119_000;
    const fromA = r.requests.filter((q) => q.traffic === 0);
    const fromB = r.requests.filter((q) => q.traffic === 1);
    expect(fromA.filter(during).every((q) => q.code === 503 && (q.flags & ResponseFlag.UF) !== 0)).toBe(true);
    expect(fromB.filter(during).every((q) => q.code === 200)).toBe(true);
    expect(fromA.filter((q) => !during(q) && q.startMs > 125_000).every((q) => q.code === 200)).toBe(true);
  });
});

describe('mesh/istio: cluster outage and recovery (istio-behaviour.md 3.2)', () => {
  it("a cluster outage: others' calls to it hang or time out; when it returns, its pods serve and its istiod pushes again", () => {
    const r = record(
      twoClusters(
        '[{ name: mp, controlPlane: multi-primary }]',
        `[{ at: 60s, for: 60s, type: cluster-outage, cluster: b }]`,
        '',
      ),
    );
    r.runUntil(300_000);
    const fromA = r.requests.filter((q) => q.traffic === 0);
    const during = fromA.filter((q) => q.startMs > 61_000 && q.startMs < 119_000);
    const after = fromA.filter((q) => q.startMs > 160_000 && q.startMs < 240_000);
    // During: requests to b's endpoints (still listed: b's API server is down, istio#35082) fail or hang.
    expect(during.some((q) => q.code !== 200)).toBe(true);
    // After: b serves again and everything succeeds; b's istiod is back and its proxies reconnected.
    expect(after.length).toBeGreaterThan(3000);
    expect(after.every((q) => q.code === 200)).toBe(true);
    expect(after.filter((q) => q.clientCluster === 0).length).toBe(after.length);
    expect(r.mesh.controlPlane.istiodOf(1).up).toBe(true);
    expect(liveProxies(r, 1).every((p) => p.connectedTo !== undefined)).toBe(true);
  });
});

describe('mesh/istio: config scope (istio-behaviour.md 1.2)', () => {
  const push = (cluster: string) => `
  - at: 60s
    type: config-push
    cluster: ${cluster}
    virtualServices: [{ hosts: [backend], http: [{ route: [{ destination: { host: backend } }], fault: { abort: { httpStatus: 503, percentage: { value: 100 } } } }] }]`;
  const abortedShare = (r: Recording, traffic: number) => {
    const late = r.requests.filter((q) => q.traffic === traffic && q.startMs > 90_000);
    return late.filter((q) => (q.flags & ResponseFlag.FI) !== 0).length / late.length;
  };

  it("multi-primary: a rule pushed to a reaches a's proxies only", () => {
    const r = record(twoClusters('[{ name: mp, controlPlane: multi-primary }]', push('a')));
    r.runUntil(300_000);
    expect(abortedShare(r, 0)).toBe(1);
    expect(abortedShare(r, 1)).toBe(0);
  });

  it('primary-remote: a rule pushed to the primary reaches every proxy; pushed to the remote, none', () => {
    const toPrimary = record(
      twoClusters('[{ name: pr, controlPlane: primary-remote, primary: a }]', push('a')),
    );
    toPrimary.runUntil(300_000);
    expect([abortedShare(toPrimary, 0), abortedShare(toPrimary, 1)]).toEqual([1, 1]);
    const toRemote = record(
      twoClusters('[{ name: pr, controlPlane: primary-remote, primary: a }]', push('b')),
    );
    toRemote.runUntil(300_000);
    expect([abortedShare(toRemote, 0), abortedShare(toRemote, 1)]).toEqual([0, 0]);
  });
});

describe('mesh/istio: certificates (istio-behaviour.md 6)', () => {
  it('rotation retried every minute through a CA outage: certificates expire once each, and the first retry after the CA returns renews them', () => {
    // 20 min certificates; the CA is down from 1 min to 26 min, so every certificate expires (by 20 min) and
    // each proxy's rotation is retried every minute. The timers carry only the proxy (control-plane.ts):
    // a retry must still count as the current one, or no certificate would be renewed after 26 min and
    // the client appearing at 30 min would fail its new connections.
    const yaml = (caFor: string) => `
name: ca-retry
duration: 40m
clusters: [{ name: a, region: r1, zones: [a1] }]
mesh: { controlPlane: { certTtl: 20m } }
services:
  - { name: backend, deployments: [{ cluster: a, replicas: 2 }], serviceTime: 1ms }
traffic:
  - { name: new, entry: backend, from: a, rate: 0, steps: [{ at: 30m, rate: 20/s }] }
models: [{ name: mp, controlPlane: multi-primary }]
faults: [{ at: 1m, for: ${caFor}, type: ca-outage, cluster: a }]
`;
    const back = record(yaml('25m'));
    back.runUntil(40 * 60_000);
    const never = record(yaml('60m'));
    never.runUntil(40 * 60_000);
    // Every certificate expired once in both runs (an expiry is reported once, not on every retry).
    expect(back.expiredCerts).toBeGreaterThan(0);
    expect(back.expiredCerts).toBe(never.expiredCerts);
    const fresh = (r: typeof back) => r.requests.filter((q) => q.traffic === 0);
    expect(fresh(back).length).toBeGreaterThan(1000);
    expect(fresh(back).every((q) => q.code === 200)).toBe(true);
    expect(fresh(never).every((q) => q.code === 503)).toBe(true);
  });

  it('a CA outage longer than the certificate lifetime breaks new connections only', () => {
    // 20 min certificates rotated at half life; the CA is down from 1 min for 60 min, so every certificate
    // expires during the outage. A second client appears at 40 min: its connections are new.
    const r = record(`
name: ca
duration: 50m
clusters: [{ name: a, region: r1, zones: [a1] }]
mesh: { controlPlane: { certTtl: 20m } }
services:
  - { name: backend, deployments: [{ cluster: a, replicas: 2 }], serviceTime: 1ms }
traffic:
  - { name: old, entry: backend, from: a, rate: 20/s }
  - { name: new, entry: backend, from: a, rate: 0, steps: [{ at: 40m, rate: 20/s }] }
models: [{ name: mp, controlPlane: multi-primary }]
faults: [{ at: 1m, for: 60m, type: ca-outage, cluster: a }]
`);
    r.runUntil(50 * 60_000);
    expect(r.expiredCerts).toBeGreaterThan(0);
    const afterExpiry = (q: { startMs: number }) => q.startMs > 31 * 60_000;
    const old = r.requests.filter((q) => q.traffic === 0 && afterExpiry(q));
    const fresh = r.requests.filter((q) => q.traffic === 1);
    expect(old.length).toBeGreaterThan(10_000);
    expect(old.every((q) => q.code === 200)).toBe(true);
    expect(fresh.length).toBeGreaterThan(1000);
    const codes = new Map<string, number>();
    for (const q of fresh) codes.set(`${q.code}/${q.flags}`, (codes.get(`${q.code}/${q.flags}`) ?? 0) + 1);
    expect(
      fresh.every((q) => q.code === 503 && (q.flags & ResponseFlag.UF) !== 0),
      JSON.stringify([...codes]),
    ).toBe(true);
  });
});
