/**
 * Application-level call behaviour (calls[].timeout, calls[].retries, with onError): the application's own
 * HTTP client, outside Envoy. Its timeout closes the connection as a client that gives up does: Envoy's
 * router is destroyed with the stream and resets the upstream request without an outlier-detection report
 * (envoyproxy/envoy source/common/router/router.cc `Filter::onDestroy` → `resetAll()`, commit 001b1c0c), the
 * access log says DC with no response code; then the application tries again or applies onError.
 * Expected times are sums of the configured durations; the slack (SLACK_MS) covers the sidecar and network
 * latencies the default mesh samples per hop (well under a millisecond each, a handful of hops).
 */
import { describe, expect, it } from 'vitest';
import { ResponseFlag } from '../../src/mesh/response-flag.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import { formatIssue } from '../../src/scenario/issue.js';
import { record } from '../helpers/mesh-run.js';

const SLACK_MS = 20;

function scenario(call: string, backend = 'serviceTime: 500ms', routing = ''): string {
  return `
name: app-call
duration: 10s
clusters: [ { name: east, region: r1, zones: [r1-a] } ]
services:
  - name: frontend
    deployments: [ { cluster: east, replicas: 2 } ]
    serviceTime: 1ms
    calls:
      - ${call}
  - name: backend
    deployments: [ { cluster: east, replicas: 2 } ]
    ${backend}
traffic: [ { name: web, entry: frontend, from: east, rate: 20/s } ]
${routing}
`;
}

describe('calls[].timeout: the application gives up on the call', () => {
  it('ends the call at the timeout as a downstream disconnect (code 0, DC) and applies onError', () => {
    const rec = record(scenario('{ service: backend, timeout: 100ms, onError: { respond: 206 } }'));
    rec.runUntil(10_000);
    const backend = rec.calls.filter((c) => c.service === 'backend');
    expect(backend.length).toBeGreaterThan(150);
    for (const c of backend) {
      expect(c.code).toBe(0);
      expect(c.flags & ResponseFlag.DC).toBe(ResponseFlag.DC);
      expect(c.endMs - c.sentMs).toBeCloseTo(100, 6);
    }
    const done = rec.requests.filter((q) => q.endMs > 0);
    expect(done.length).toBeGreaterThan(150);
    for (const q of done) {
      expect(q.code).toBe(206);
      expect(q.endMs - q.startMs).toBeGreaterThanOrEqual(100);
      expect(q.endMs - q.startMs).toBeLessThan(100 + SLACK_MS);
    }
  });

  it('a call answered before its timeout is untouched', () => {
    const rec = record(scenario('{ service: backend, timeout: 100ms }', 'serviceTime: 10ms'));
    rec.runUntil(10_000);
    const backend = rec.calls.filter((c) => c.service === 'backend');
    expect(backend.length).toBeGreaterThan(150);
    expect(backend.every((c) => c.code === 200 && c.flags === 0)).toBe(true);
    expect(rec.requests.every((q) => q.code === 200)).toBe(true);
  });

  it('is no outlier report: hosts are never ejected for it, where the same wait as an Envoy route timeout ejects', () => {
    const rule = (vs: string) => `
routing:
  destinationRules:
    - host: backend
      trafficPolicy:
        outlierDetection: { consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 60s, maxEjectionPercent: 100 }
${vs}`;
    const served = (yaml: string) => {
      const rec = record(yaml);
      rec.runUntil(10_000);
      const late = rec.calls.filter((c) => c.service === 'backend' && c.sentMs > 5_000);
      return { late: late.length, reached: late.filter((c) => c.endpointId >= 0).length };
    };
    const app = served(
      scenario('{ service: backend, timeout: 100ms, onError: continue }', undefined, rule('')),
    );
    expect(app.late).toBeGreaterThan(50);
    expect(app.reached).toBe(app.late);
    const envoy = served(
      scenario(
        '{ service: backend, onError: continue }',
        undefined,
        rule(`  virtualServices:
    - hosts: [backend]
      http: [ { timeout: 100ms, route: [ { destination: { host: backend } } ] } ]`),
      ),
    );
    expect(envoy.late).toBeGreaterThan(50);
    expect(envoy.reached).toBeLessThan(envoy.late);
  });
});

describe('calls[].retries: the application tries again', () => {
  it('retries a timed-out try after its backoff: 1 + attempts tries, then onError', () => {
    const rec = record(
      scenario(
        '{ service: backend, timeout: 100ms, retries: { attempts: 2, backoff: 50ms }, onError: continue }',
      ),
    );
    rec.runUntil(20_000); // traffic stops at 10 s: every request has ended by 20 s
    const done = rec.requests;
    expect(done.length).toBeGreaterThan(150);
    expect(rec.calls.filter((c) => c.service === 'backend').length).toBe(3 * done.length);
    // 3 tries of 100 ms and 2 backoffs of 50 ms.
    for (const q of done) {
      expect(q.code).toBe(200);
      expect(q.endMs - q.startMs).toBeGreaterThanOrEqual(400);
      expect(q.endMs - q.startMs).toBeLessThan(400 + SLACK_MS);
    }
  });

  it('retries a 5xx answer; the last failure goes to onError (fail: 500)', () => {
    const rec = record(
      scenario('{ service: backend, retries: { attempts: 3 } }', 'serviceTime: 1ms\n    errorRate: 1'),
    );
    // Traffic stops at 10 s; by 20 s every request has ended, so every try is counted.
    rec.runUntil(20_000);
    const done = rec.requests;
    const tries = rec.calls.filter((c) => c.service === 'backend');
    expect(done.length).toBeGreaterThan(150);
    expect(tries.length).toBe(4 * done.length);
    expect(tries.every((c) => c.code === 500)).toBe(true);
    expect(done.every((q) => q.code === 500)).toBe(true);
  });

  it('a success is never retried, and without retries a failure is tried once', () => {
    const ok = record(scenario('{ service: backend, retries: { attempts: 3 } }', 'serviceTime: 1ms'));
    ok.runUntil(10_000);
    expect(ok.calls.filter((c) => c.service === 'backend').length).toBe(ok.requests.length);
    const once = record(scenario('{ service: backend }', 'serviceTime: 1ms\n    errorRate: 1'));
    once.runUntil(10_000);
    expect(once.calls.filter((c) => c.service === 'backend').length).toBe(once.requests.length);
  });
});

describe('calls[].timeout and calls[].retries are validated', () => {
  const problems = (call: string) => {
    const text = scenario(call);
    const r = loadScenarioText(text, 'app.yaml');
    expect(r.ok).toBe(false);
    return r.ok ? [] : r.issues.map(formatIssue);
  };
  const line = scenario('X').split('\n').indexOf('      - X') + 1;
  it.each([
    ['{ service: backend, timeout: -1s }', 'timeout'],
    ['{ service: backend, timeout: 0s }', 'timeout'],
    ['{ service: backend, retries: { attempts: 11 } }', 'retries.attempts'],
    ['{ service: backend, retries: { attempts: -1 } }', 'retries.attempts'],
    ['{ service: backend, retries: { attempts: 1.5 } }', 'retries.attempts'],
    ['{ service: backend, retries: { attempts: 1, backoff: soon } }', 'retries.backoff'],
    ['{ service: backend, retries: { attempts: 1, perTryTimeout: 1s } }', 'retries'],
    ['{ service: backend, retries: {} }', 'retries'],
  ])('refuses %s at its line, naming the field', (call, field) => {
    const p = problems(call);
    expect(p.length).toBeGreaterThan(0);
    expect(p[0]).toContain(`app.yaml:${line}`);
    expect(p[0]).toContain(`services[0].calls[0].${field}`);
  });
});
