/**
 * Conformance: VirtualService `fault` as Istio translates it and Envoy's fault filter runs it, end to end.
 *
 * Sources:
 * - istio/istio pilot/pkg/networking/core/route/route.go, commit 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c:
 *   `applyHTTPRouteDestination` sets the route timeout (`setTimeout`) and `RetryPolicy`
 *   (`retry.ConvertPolicy`) for every route; the fault only adds `TypedPerFilterConfig[wellknown.Fault]`
 *   (`TranslateFault`). Nothing turns timeouts or retries off when a fault is set (istio/istio#13705).
 * - envoyproxy/envoy source/extensions/filters/http/fault/fault_filter.cc (`decodeHeaders`,
 *   `postDelayInjection`, read via the code index): the delay is applied first ("Delays can be followed by
 *   aborts"), then the abort is checked; an abort is a local reply (flag FI) that never reaches the router;
 *   a request not aborted continues to the router.
 * - envoyproxy/envoy source/common/router/router.cc, commit 001b1c0cd4cb18d9a3658d5453c1e534b3ff864e:
 *   the route timeout (`response_timeout_`) is armed in `onRequestComplete`, when the router receives the
 *   request, i.e. after the fault filter's delay.
 */
import { describe, expect, it } from 'vitest';
import { ResponseFlag } from '../../src/mesh/index.js';
import { record } from '../helpers/mesh-run.js';

const scenario = (route: string, faults = '[]') => `
name: fault
duration: 40s
clusters: [{ name: a, region: r1, zones: [a1] }]
services: [{ name: backend, deployments: [{ cluster: a, replicas: 2 }], serviceTime: 1ms }]
traffic: [{ name: web, entry: backend, from: a, rate: 50/s, timeout: 30s }]
models: [{ name: mp, controlPlane: multi-primary }]
faults: ${faults}
routing:
  virtualServices: [{ hosts: [backend], http: [{ route: [{ destination: { host: backend } }], ${route} }] }]
`;

/** 4 binomial standard errors of a share p over n trials. */
const tol = (p: number, n: number) => 4 * Math.sqrt((p * (1 - p)) / n);

describe('conformance: fault injection before the router', () => {
  it('the route timeout starts after the fault delay: a 500 ms delay under a 300 ms timeout still succeeds', () => {
    // Derivation: the router arms its 300 ms timer when the delayed request reaches it; the backend answers
    // in ~1 ms plus sub-millisecond hops, so every request ends 200 with flag DI in [500, 520) ms.
    const r = record(
      scenario('timeout: 300ms, fault: { delay: { percentage: { value: 100 }, fixedDelay: 500ms } }'),
    );
    r.runUntil(60_000);
    expect(r.requests.length).toBeGreaterThan(1500);
    for (const q of r.requests) {
      expect(q.code).toBe(200);
      expect(q.flags & ResponseFlag.DI).not.toBe(0);
      expect(q.endMs - q.startMs).toBeGreaterThanOrEqual(500);
      expect(q.endMs - q.startMs).toBeLessThan(520);
    }
  });

  it('a delayed request is retried by the route policy like any other', () => {
    // The backend answers 503 (error-injection); retryOn 5xx, 2 retries: 3 tries, URX, for every request.
    const r = record(
      scenario(
        'retries: { attempts: 2, retryOn: 5xx }, fault: { delay: { percentage: { value: 100 }, fixedDelay: 10ms } }',
        '[{ at: 0s, for: 50s, type: error-injection, service: backend, httpStatus: 503 }]',
      ),
    );
    r.runUntil(60_000);
    const calls = r.calls;
    expect(calls.length).toBeGreaterThan(1500);
    expect(calls.every((c) => c.attempts === 3 && (c.flags & ResponseFlag.URX) !== 0)).toBe(true);
  });

  it('only the aborted share ends FI, untried; the others go through the router with its retries', () => {
    // abort 40 %: FI with the abort status and no try; the other 60 % meet the 503 backend and are retried
    // (3 tries, URX). The FI share is 0.4 within 4 binomial SE.
    const r = record(
      scenario(
        'retries: { attempts: 2, retryOn: 5xx }, fault: { abort: { percentage: { value: 40 }, httpStatus: 418 } }',
        '[{ at: 0s, for: 50s, type: error-injection, service: backend, httpStatus: 503 }]',
      ),
    );
    r.runUntil(60_000);
    const n = r.calls.length;
    const aborted = r.calls.filter((c) => (c.flags & ResponseFlag.FI) !== 0);
    expect(Math.abs(aborted.length / n - 0.4)).toBeLessThan(tol(0.4, n));
    expect(aborted.every((c) => c.code === 418 && c.attempts === 0)).toBe(true);
    const routed = r.calls.filter((c) => (c.flags & ResponseFlag.FI) === 0);
    expect(routed.every((c) => c.code === 503 && c.attempts === 3)).toBe(true);
  });

  it('a delay the percentage does not select leaves the request untouched', () => {
    // delay 25 %: about a quarter carry DI and take ≥ 200 ms; the rest take under 20 ms.
    const r = record(scenario('fault: { delay: { percentage: { value: 25 }, fixedDelay: 200ms } }'));
    r.runUntil(60_000);
    const n = r.requests.length;
    const delayed = r.requests.filter((q) => (q.flags & ResponseFlag.DI) !== 0);
    expect(Math.abs(delayed.length / n - 0.25)).toBeLessThan(tol(0.25, n));
    expect(delayed.every((q) => q.endMs - q.startMs >= 200)).toBe(true);
    const rest = r.requests.filter((q) => (q.flags & ResponseFlag.DI) === 0);
    expect(rest.every((q) => q.code === 200 && q.endMs - q.startMs < 20)).toBe(true);
  });

  it('a delay followed by an abort (both selected) waits, then answers FI', () => {
    const r = record(
      scenario(
        'fault: { delay: { percentage: { value: 100 }, fixedDelay: 100ms }, abort: { percentage: { value: 100 }, httpStatus: 503 } }',
      ),
    );
    r.runUntil(60_000);
    for (const q of r.requests) {
      expect(q.code).toBe(503);
      expect(q.flags & (ResponseFlag.FI | ResponseFlag.DI)).toBe(ResponseFlag.FI | ResponseFlag.DI);
      expect(Math.abs(q.endMs - q.startMs - 100)).toBeLessThan(1e-6);
    }
  });
});
