/**
 * Istio's default retry policy and Envoy's failure modes on the request path (istio-behaviour.md 3.1,
 * 4.1, 8 item 5).
 */
import { describe, expect, it } from 'vitest';
import { ResponseFlag } from '../../../src/mesh/index.js';
import { record } from '../../helpers/mesh-run.js';

const stale = (faults: string, routing = '') => `
name: retries
duration: 90s
clusters: [{ name: a, region: r1, zones: [a1] }]
services:
  - { name: backend, deployments: [{ cluster: a, replicas: 2 }], serviceTime: 1ms }
traffic: [{ name: web, entry: backend, from: a, rate: 20/s }]
models: [{ name: mp, controlPlane: multi-primary }]
faults: ${faults}
${routing}
`;

describe('mesh/istio: retries and failure modes', () => {
  it('a pod gone from reality but in a stale view costs the 10 s connect timeout, then a retry on the other host', () => {
    // istiod is down first, so the dead pod stays in every view; its IP no longer answers (no RST).
    const r = record(
      stale(`
  - { at: 10s, type: control-plane-outage, cluster: a }
  - { at: 20s, type: pod-failure, service: backend, cluster: a, count: 1 }`),
    );
    r.runUntil(200_000);
    const late = r.calls.filter((c) => c.sentMs > 25_000 && c.sentMs < 80_000);
    const retried = late.filter((c) => c.attempts > 1);
    expect(retried.length).toBeGreaterThan(50);
    // meshConfig.connectTimeout 10 s, then a retry (Istio default: connect-failure, other host) that succeeds.
    for (const c of retried) {
      expect(c.code).toBe(200);
      expect(c.attempts).toBe(2);
      expect(c.endMs - c.sentMs).toBeGreaterThanOrEqual(10_000);
      expect(c.endMs - c.sentMs).toBeLessThan(10_000 + 25 + 50);
    }
    expect(late.filter((c) => c.attempts === 1).every((c) => c.endMs - c.sentMs < 100)).toBe(true);
  });

  it('an application 503 is not retried by default (Istio 1.24 dropped 503 from the default retry)', () => {
    const r = record(
      stale(`[{ at: 10s, for: 20s, type: error-injection, service: backend, httpStatus: 503 }]`),
    );
    r.runUntil(100_000);
    const during = r.calls.filter((c) => c.sentMs > 11_000 && c.sentMs < 29_000);
    expect(during.length).toBeGreaterThan(200);
    expect(during.every((c) => c.code === 503 && c.attempts === 1)).toBe(true);
  });

  it('a VirtualService retryOn 5xx retries it, up to its attempts, and reports URX when they run out', () => {
    const routing = `routing: { virtualServices: [{ hosts: [backend], http: [{ route: [{ destination: { host: backend } }], retries: { attempts: 3, retryOn: 5xx } }] }] }`;
    const r = record(
      stale(`[{ at: 10s, for: 20s, type: error-injection, service: backend, httpStatus: 503 }]`, routing),
    );
    r.runUntil(100_000);
    const during = r.calls.filter((c) => c.sentMs > 11_000 && c.sentMs < 29_000);
    expect(during.length).toBeGreaterThan(200);
    expect(
      during.every((c) => c.code === 503 && c.attempts === 4 && (c.flags & ResponseFlag.URX) !== 0),
    ).toBe(true);
  });

  it('a route timeout ends a hanging request with 504 UT; without one the client gives up (DC)', () => {
    // A partition between the client's cluster and the backend's: established connections hang silently.
    const twoClusters = (routing: string) => `
name: hang
duration: 60s
clusters:
  - { name: a, region: r1, zones: [a1] }
  - { name: b, region: r2, zones: [b1] }
services:
  - { name: backend, deployments: [{ cluster: b, replicas: 1 }], serviceTime: 1ms }
traffic: [{ name: web, entry: backend, from: a, rate: 10/s, timeout: 20s }]
models: [{ name: mp, controlPlane: multi-primary }]
faults: [{ at: 10s, for: 30s, type: network-partition, between: [r1, r2] }]
${routing}
`;
    const withTimeout = record(
      twoClusters(
        `routing: { virtualServices: [{ hosts: [backend], http: [{ route: [{ destination: { host: backend } }], timeout: 2s }] }] }`,
      ),
    );
    withTimeout.runUntil(120_000);
    const a = withTimeout.requests.filter((q) => q.startMs > 11_000 && q.startMs < 30_000);
    expect(
      a.every(
        (q) =>
          q.code === 504 && (q.flags & ResponseFlag.UT) !== 0 && Math.abs(q.endMs - q.startMs - 2000) < 1,
      ),
    ).toBe(true);
    const without = record(twoClusters(''));
    without.runUntil(120_000);
    const b = without.requests.filter((q) => q.startMs > 11_000 && q.startMs < 20_000);
    expect(
      b.every(
        (q) =>
          q.code === 0 && (q.flags & ResponseFlag.DC) !== 0 && Math.abs(q.endMs - q.startMs - 20_000) < 1,
      ),
    ).toBe(true);
  });
});
