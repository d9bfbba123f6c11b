/**
 * Conformance: the route timeout and a departed client, end to end through a scenario.
 *
 * Source: envoyproxy/envoy source/common/router/router.cc, commit 001b1c0cd4cb18d9a3658d5453c1e534b3ff864e:
 * - `Filter::onResponseTimeout`: every upstream request still `awaitingHeaders()` gets
 *   `updateOutlierDetection(LocalOriginTimeout, …)` and `resetStream()`; the request ends through
 *   `onUpstreamTimeoutAbort(UpstreamRequestTimeout)` (504 UT), which never retries.
 * - `Filter::onDestroy` (the downstream went away): `resetAll()`, no outlier report.
 * Envoy's own test of the first: test/common/router/router_test.cc, `RouterTest.UpstreamTimeout` (the
 * timeout resets the upstream request, puts a LocalOriginTimeout into the host's outlier detector and answers
 * 504 with flag UT).
 *
 * The scenario: a client cluster `a` (one zone, so one client proxy) calls `backend`, 2 pods in each of two
 * zones of cluster `b`. Zone b2 goes down at 10 s for 30 s; its pods stay listed (node-monitor grace 50 s),
 * so requests sent to them hang until a timeout ends them.
 */
import { describe, expect, it } from 'vitest';
import { ResponseFlag } from '../../src/mesh/index.js';
import { record } from '../helpers/mesh-run.js';

const scenario = (routing: string, traffic = 'rate: 20/s, timeout: 30s', od = '') => `
name: route-timeout
duration: 80s
clusters:
  - { name: a, region: r1, zones: [a1] }
  - { name: b, region: r1, zones: [b1, b2] }
services:
  - name: backend
    deployments: [{ cluster: b, zone: b1, replicas: 2 }, { cluster: b, zone: b2, replicas: 2 }]
    serviceTime: 1ms
traffic: [{ name: web, entry: backend, from: a, ${traffic} }]
models: [{ name: mp, controlPlane: multi-primary }]
faults: [{ at: 10s, for: 30s, type: zone-outage, cluster: b, zone: b2 }]
routing:
  virtualServices: [{ hosts: [backend], http: [{ route: [{ destination: { host: backend } }], ${routing} }] }]
  destinationRules:
    - host: backend
      trafficPolicy:
        ${od}
        connectionPool: { tcp: { maxConnections: 3 }, http: { http1MaxPendingRequests: 1000 } }
`;

/** The client proxy's circuit-breaker state towards `backend`, and the active counts of its view. */
function clientPool(r: ReturnType<typeof record>) {
  const client = r.mesh.allProxies.find((p) => p.labels['app'] === 'web');
  const view = client?.defaultUpstream(0);
  if (view === undefined) throw new Error('no client view of backend');
  const pool = view.admissionState;
  return {
    active: pool.active,
    pending: pool.pending,
    waiting: view.pendingAttempts.length,
    hostActive: view.hosts.reduce((s, _, h) => s + view.activeRequests(h), 0),
  };
}

describe('conformance: Envoy route timeout (router.cc onResponseTimeout)', () => {
  it('a route timeout releases the attempt: no connection slot, pending place or active count is left', () => {
    // Derivation: onResponseTimeout resets every upstream request, so once traffic stops and the last
    // request has ended, every counter is back to 0. Before the fix the hung attempts kept their slots:
    // with maxConnections 3 the pool filled within the outage and never drained.
    const r = record(scenario('timeout: 1s, retries: { attempts: 0 }'));
    r.runUntil(200_000);
    expect(clientPool(r)).toEqual({ active: 0, pending: 0, waiting: 0, hostActive: 0 });
    // After the outage every request succeeds again: no slot was lost (a leak would starve the pool).
    const after = r.requests.filter((q) => q.startMs > 45_000);
    expect(after.length).toBeGreaterThan(500);
    expect(after.every((q) => q.code === 200)).toBe(true);
  });

  it('a request waiting in the pending line when the route timeout fires ends 504 UT and is never sent', () => {
    // Slow backend (2 s) behind maxConnections 3: requests queue as pending; a 1 s route timeout removes
    // them from the line (Envoy cancels the pending pool request). Derivation: every request ends 504 UT at
    // exactly 1 s after it was sent (no retry, attempts 0); once the last has ended, the pool is empty. A
    // pending attempt left in the line would be dispatched by a later release and, its caller gone, would
    // hold its slot and active count for ever: the final counters would not be 0.
    const slow = `
name: pending
duration: 60s
clusters: [{ name: a, region: r1, zones: [a1] }]
services: [{ name: backend, deployments: [{ cluster: a, replicas: 2 }], serviceTime: 2s, concurrency: 100 }]
traffic: [{ name: web, entry: backend, from: a, rate: 20/s, timeout: 30s }]
models: [{ name: mp, controlPlane: multi-primary }]
routing:
  virtualServices: [{ hosts: [backend], http: [{ route: [{ destination: { host: backend } }], timeout: 1s, retries: { attempts: 0 } }] }]
  destinationRules: [{ host: backend, trafficPolicy: { connectionPool: { tcp: { maxConnections: 3 } } } }]
`;
    const r = record(slow);
    r.runUntil(200_000);
    expect(r.requests.length).toBeGreaterThan(1000);
    for (const q of r.requests) {
      expect(q.code).toBe(504);
      expect(q.flags & ResponseFlag.UT).not.toBe(0);
      expect(Math.abs(q.endMs - q.startMs - 1000)).toBeLessThan(1e-6);
    }
    expect(clientPool(r)).toEqual({ active: 0, pending: 0, waiting: 0, hostActive: 0 });
  });

  it('each route timeout is a local-origin failure for outlier detection: a hung host is ejected after 5', () => {
    // Derivation: consecutive5xxErrors 5; without split_external_local_origin_errors (Istio leaves it off)
    // a LocalOriginTimeout counts as a 5xx (outlier_detection_impl.cc putResult). maxEjectionPercent 50
    // allows both hung pods out of 4. So each b2 pod is ejected when its 5th timeout fires (for
    // baseEjectionTime 60 s, past the outage's end): it gets at least 5 requests, those sent during the last
    // timeout's second also time out, and none is sent to it after its ejection.
    const od = `outlierDetection: { consecutive5xxErrors: 5, interval: 1s, baseEjectionTime: 60s, maxEjectionPercent: 50 }`;
    const r = record(scenario('timeout: 1s, retries: { attempts: 0 }', undefined, od));
    r.runUntil(200_000);
    const timedOut = r.calls.filter((c) => (c.flags & ResponseFlag.UT) !== 0);
    const hosts = new Set(timedOut.map((c) => c.endpointId));
    expect(hosts.size).toBe(2);
    for (const h of hosts) {
      const mine = timedOut.filter((c) => c.endpointId === h).sort((x, y) => x.endMs - y.endMs);
      expect(mine.length).toBeGreaterThanOrEqual(5);
      const ejectedAt = (mine[4] as { endMs: number }).endMs;
      const toHost = r.calls.filter((c) => c.endpointId === h && c.sentMs >= ejectedAt && c.sentMs < 40_000);
      expect(toHost).toEqual([]);
      expect(mine.every((c) => c.sentMs < ejectedAt)).toBe(true);
    }
    // Without the report the pods would take about half of the ~600 requests of the outage.
    expect(timedOut.length).toBeLessThan(40);
  });

  it('a client that gives up (DC) resets its attempt without telling outlier detection', () => {
    // Derivation: onDestroy → resetAll() makes no outlier report. With no route timeout and a 2 s client
    // timeout, requests to the hung b2 pods end DC; the pods are never ejected, so about half of the
    // requests sent during the outage keep going to them (2 of 4 hosts; least request cannot see a hung
    // host: its active count returns to 0 at each reset). Counters return to 0 as with the route timeout.
    const od = `outlierDetection: { consecutive5xxErrors: 5, interval: 1s, baseEjectionTime: 60s, maxEjectionPercent: 50 }`;
    const r = record(scenario('retries: { attempts: 0 }', 'rate: 20/s, timeout: 2s', od));
    r.runUntil(200_000);
    const during = r.requests.filter((q) => q.startMs > 12_000 && q.startMs < 37_000);
    const dc = during.filter((q) => (q.flags & ResponseFlag.DC) !== 0);
    // Far more than the 10 an ejection would allow: nothing was ejected.
    expect(dc.length).toBeGreaterThan(100);
    expect(clientPool(r)).toEqual({ active: 0, pending: 0, waiting: 0, hostActive: 0 });
  });
});
