/**
 * The data plane as a whole (data-plane.ts and its three roles): every attempt it opens ends, whatever
 * way the path fails, and a state that cannot happen throws instead of leaving a try open.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine, RngStreams } from '../../src/des/index.js';
import {
  ResponseFlag,
  Upstream,
  type Call,
  type MeshObserver,
  type MeshRequest,
} from '../../src/mesh/index.js';
import { ClientSide } from '../../src/mesh/client-side.js';
import { AttemptEnd } from '../../src/mesh/traffic/attempt-outcome.js';
import { buildMesh, pickModel } from '../../src/scenario/index.js';
import { loadInline, record } from '../helpers/mesh-run.js';

/**
 * Two networks (east-west gateways), retries with per-try and route timeouts, a tight connection pool
 * (pending line and overflow), application timeouts and retries, and a fault of every kind that ends
 * attempts differently: lost pods (resets, connect timeouts), a lost cluster and a partition (hangs), a
 * lost gateway (refused), injected errors. The client waits an hour: only the data plane can end a request
 * before the run is over.
 */
const EVERY_END = `
name: every-end
duration: 60s
clusters:
  - { name: a, region: r1, zones: [a1, a2], network: n1 }
  - { name: b, region: r1, zones: [b1], network: n2 }
  - { name: c, region: r2, zones: [c1], network: n1 }
services:
  - name: front
    deployments: [{ cluster: a, replicas: 2 }, { cluster: c, replicas: 1 }]
    serviceTime: 2ms
    calls: [{ service: back, timeout: 300ms, retries: { attempts: 1, backoff: 20ms } }]
  - name: back
    deployments: [{ cluster: a, replicas: 2 }, { cluster: b, replicas: 2 }, { cluster: c, replicas: 1 }]
    concurrency: 2
    serviceTime: { dist: exponential, mean: 5ms }
traffic:
  - { name: web, entry: front, from: { a: 60%, c: 40% }, rate: 200/s, timeout: 1h }
models: [{ name: mp, controlPlane: multi-primary, network: multi }]
routing:
  virtualServices:
    - hosts: [back]
      http: [{ route: [{ destination: { host: back } }], timeout: 800ms, retries: { attempts: 3, perTryTimeout: 150ms, retryOn: "5xx,reset,connect-failure" } }]
  destinationRules:
    - host: back
      # connectTimeout below perTryTimeout, so a dead pod's connect timeout ends the try (UF) before the
      # per-try timer does: connect failures happen by construction, not by a lucky draw near a refused gateway.
      trafficPolicy:
        connectionPool: { tcp: { maxConnections: 3, connectTimeout: 100ms }, http: { http1MaxPendingRequests: 4, maxRetries: 5 } }
faults:
  - { at: 5s, type: pod-failure, service: back, cluster: a, count: 1 }
  - { at: 10s, for: 8s, type: cluster-outage, cluster: b }
  - { at: 20s, for: 6s, type: network-partition, between: [a, c] }
  - { at: 30s, for: 5s, type: gateway-outage, cluster: b, gateway: east-west }
  - { at: 40s, for: 5s, type: error-injection, service: back, httpStatus: 503 }
  - { at: 50s, for: 3s, type: zone-outage, cluster: a, zone: a2 }
`;

describe('mesh/data-plane', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('every request started ends before the run is over, however its attempts end (no attempt left open)', () => {
    const scenario = loadInline(EVERY_END);
    const model = pickModel(scenario, undefined);
    if (model === undefined) throw new Error('no model');
    const engine = new Engine();
    const open = new Set<number>();
    let started = 0;
    let flags = 0;
    const ends = new Map<AttemptEnd, number>();
    const attemptEnded = ClientSide.prototype.attemptEnded;
    vi.spyOn(ClientSide.prototype, 'attemptEnded').mockImplementation(function (
      this: ClientSide,
      a,
      code,
      end,
    ) {
      ends.set(end, (ends.get(end) ?? 0) + 1);
      attemptEnded.call(this, a, code, end);
    });
    const observer: MeshObserver = {
      requestStarted: (r: Readonly<MeshRequest>) => {
        started++;
        open.add(r.id);
      },
      requestCompleted: (r: Readonly<MeshRequest>) => {
        expect(open.delete(r.id), `request ${r.id} completed twice`).toBe(true);
      },
      callCompleted: (c: Readonly<Call>) => {
        flags |= c.responseFlags;
      },
      converged: () => {},
      staleProxies: () => {},
      pushed: () => {},
      xdsClients: () => {},
      podCreationRejected: () => {},
      certExpired: () => {},
    };
    const mesh = buildMesh(scenario, model, engine, new RngStreams(7), observer);
    mesh.start(scenario.durationMs);
    // Ten minutes after the last arrival, far inside the client's hour: every try has met its timeout.
    engine.run(scenario.durationMs + 600_000);
    expect(started).toBeGreaterThan(10_000);
    expect([...open].slice(0, 5), `${open.size} requests never ended`).toEqual([]);
    // The run went down the ways an attempt ends (else the check above proves less than it says), and
    // callers gave up on tries too (route and application timeouts reset them).
    for (const e of ['response', 'connectFailure', 'connectionReset', 'perTryTimeout', 'overflow'] as const)
      expect(ends.get(AttemptEnd[e]) ?? 0, `no attempt ended ${e}`).toBeGreaterThan(0);
    for (const f of ['UT', 'DC', 'URX'] as const)
      expect(flags & ResponseFlag[f], `no call ended with ${f}`).not.toBe(0);
  });

  it('a host pick outside the view throws instead of leaving the attempt open', () => {
    vi.spyOn(Upstream.prototype, 'pick').mockImplementation(function (this: Upstream) {
      return this.hosts.length;
    });
    const r = record(
      EVERY_END.replace(/faults:[\s\S]*$/, 'faults: []').replace('timeout: 1h', 'timeout: 10s'),
    );
    expect(() => r.runUntil(1_000)).toThrow(/upstream pick returned host \d+ of a view of \d+/);
  });

  // "A host with neither an endpoint nor a gateway" is no longer a state: UpstreamHost is a pod-or-gateway
  // union (priority-set.ts), so the type checker refuses it where the data plane used to return silently.
});
