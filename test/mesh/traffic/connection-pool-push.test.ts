/**
 * A DestinationRule's connection pool pushed mid-run reaches the proxies that already called the service.
 *
 * Envoy: a CDS update whose cluster config changed builds a new cluster (envoyproxy/envoy
 * source/common/upstream/cluster_manager_impl.cc at 008ca2de6a8e6b24f595f38d07921597e26da107,
 * ClusterManagerImpl::addOrUpdateCluster: `blockUpdate(MessageUtil::hash(cluster))` skips an update with an
 * unchanged hash; otherwise `loadCluster` makes a new cluster by `clusterFromProto` and
 * `createOrUpdateThreadLocalCluster` replaces each thread's ClusterEntry with one over the new ClusterInfo),
 * and a ClusterInfoImpl owns its ResourceManagers (source/common/upstream/upstream_impl.cc): new thresholds,
 * counters from zero, while requests already sent finish on the old cluster's counters. Before this test, a proxy that had called the service kept the pool (limits and
 * counters) of the first rule it saw for the rest of the run: a pushed circuit breaker was silently ignored.
 */
import { describe, expect, it } from 'vitest';
import { ResponseFlag } from '../../../src/mesh/index.js';
import { record, type Recording } from '../../helpers/mesh-run.js';

const scenario = (push: string) => `
name: pool-push
duration: 3m
clusters:
  - { name: a, region: r1, zones: [a1] }
services:
  - { name: backend, deployments: [{ cluster: a, replicas: 4 }], concurrency: 64, serviceTime: 100ms }
traffic:
  - { name: t, entry: backend, from: a, rate: 50/s }
models: [{ name: mp, controlPlane: multi-primary }]
faults:
  - at: 60s
    type: config-push
    cluster: a
    destinationRules: [{ host: backend, trafficPolicy: { connectionPool: ${push} } }]
`;

/** Share of the requests started in [from, to) ms answered 503 UO (circuit breaker overflow). */
const overflowShare = (r: Recording, from: number, to: number) => {
  const q = r.requests.filter((x) => x.startMs >= from && x.startMs < to);
  if (q.length === 0) throw new Error('no requests in the window');
  return q.filter((x) => (x.flags & ResponseFlag.UO) !== 0).length / q.length;
};

describe('mesh/traffic: a connection pool pushed mid-run', () => {
  it('limits applied by a push take effect for proxies that already called the service', () => {
    // ~5 requests in flight per client proxy (50/s x 100 ms): one connection and one pending slot overflow
    // most of them once the push has reached the proxies (well before 90 s).
    const r = record(scenario('{ tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } }'));
    r.runUntil(180_000);
    expect(overflowShare(r, 10_000, 60_000)).toBe(0);
    expect(overflowShare(r, 90_000, 170_000)).toBeGreaterThan(0.3);
  });

  it('a push that leaves the pool as it was keeps it (counters and line); one that changes it makes a new one', () => {
    // The same limits as the rule in force, with another field changed (the load balancer): the proxy's
    // view is rebuilt, but it is the same Envoy cluster as far as circuit breakers go, so the pool object
    // (its counters and waiting line) must carry over; changed limits must not.
    const pool = '{ tcp: { maxConnections: 64 } }';
    const withRule = (pushed: string) =>
      scenario(pushed).replace(
        'models:',
        `routing: { destinationRules: [{ host: backend, trafficPolicy: { connectionPool: ${pool} } }] }\nmodels:`,
      );
    const poolsAround = (pushed: string) => {
      const r = record(withRule(pushed));
      r.runUntil(50_000);
      const callers = r.mesh.allProxies.filter((p) => p.defaultUpstream(0) !== undefined);
      if (callers.length === 0) throw new Error('no proxy called backend before the push');
      const before = callers.map((p) => p.defaultUpstream(0)!);
      r.runUntil(120_000);
      const after = callers.map((p) => p.defaultUpstream(0)!);
      // The push did rebuild every caller's view (else the identity below would prove nothing).
      expect(after.every((u, i) => u !== before[i])).toBe(true);
      return after.map((u, i) => u.admissionState === before[i]!.admissionState);
    };
    expect(poolsAround(`${pool}, loadBalancer: { simple: ROUND_ROBIN }`).every(Boolean)).toBe(true);
    expect(poolsAround('{ tcp: { maxConnections: 32 } }').some(Boolean)).toBe(false);
  });
});
