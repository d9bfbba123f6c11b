/**
 * Conformance: the retry host predicate (`previous_hosts`) and retry priority (`previous_priorities`), as
 * Istio configures them and Envoy runs them, replayed against meshsim's Upstream (the per-proxy cluster).
 *
 * Sources (read for this suite):
 * - istio/istio pilot/pkg/networking/core/route/retry/retry.go, commit 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c,
 *   `ConvertPolicy`: `HostSelectionRetryMaxAttempts: 5` and the `previous_hosts` predicate by default;
 *   `retryIgnorePreviousHosts: false` sets no predicate; `retryRemoteLocalities: true` adds
 *   `envoy.retry_priorities.previous_priorities` (`buildPreviousPrioritiesConfig`, update frequency 2).
 * - envoyproxy/envoy source/extensions/retry/host/previous_hosts/previous_hosts.h, commit
 *   18a4509c2c3600b39d61f9686d1c8c1c5338e1d0: `shouldSelectAnotherHost` is true for any host in
 *   `attempted_hosts_` (every try's host, `onHostAttempted`).
 * - envoyproxy/envoy test/extensions/retry/host/previous_hosts/config_test.cc, commit
 *   00f309ae67200151780d862ff9a9a15a0a9a2229, `PreviousHostsRetryPredicateConfigTest.PredicateTest`: after
 *   host1 and host2 were attempted, both are rejected.
 * - envoyproxy/envoy source/common/upstream/load_balancer_impl.cc `LoadBalancerBase::chooseHost` /
 *   `ZoneAwareLoadBalancerBase::chooseHost` (excerpt read via the code index): `max_attempts =
 *   hostSelectionRetryCount() + 1` draws, return the first host the predicate accepts, else the last drawn.
 * - envoyproxy/envoy source/extensions/retry/priority/previous_priorities/previous_priorities.cc, commit
 *   01f8613d0f7426e2662a07d769098d5c1d7c1c32, and its test
 *   test/extensions/retry/priority/previous_priorities/config_test.cc, commit
 *   041baaa9a3718016dc4eba668ace7b1b49a48d7f (`RetryPriorityTest.*`, vectors replayed below).
 */
import { describe, expect, it } from 'vitest';
import { Upstream } from '../../src/mesh/upstream.js';
import { PrioritySet, type HostEntry } from '../../src/mesh/priority-set.js';
import type { Proxy } from '../../src/mesh/proxy.js';
import { effectiveTrafficPolicy } from '../../src/mesh/traffic/effective-traffic-policy.js';
import { unlimitedPool } from '../helpers/connection-pool.js';
import { PriorityLoad } from '../../src/mesh/traffic/priority-load.js';
import { DEFAULT_RETRY_POLICY, retryPolicy } from '../../src/mesh/traffic/retry-policy.js';
import { record } from '../helpers/mesh-run.js';
import { drawsOf } from '../helpers/draws.js';
import { testEndpoint } from '../helpers/endpoint.js';

/** A uniform source that returns the scripted values in order, then fails loudly. */
function scripted(values: number[]): () => number {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error(`rng: draw ${i + 1} not scripted`);
    return values[i++] as number;
  };
}

/** The uniform value that makes RANDOM pick candidate `i` of `n` (floor(u·n) = i). */
const draw = (i: number, n: number) => (i + 0.5) / n;

function host(key: number, priority: number): HostEntry {
  // The predicates read keys and priorities only; of the sidecar, only the set reads its latency stream.
  const sidecar = { latency: { sampler: undefined, stream: key } } as unknown as Proxy;
  const endpoint = testEndpoint(key, sidecar);
  return { host: endpoint, weight: 1, priority, locality: -1, localityWeight: 0 };
}

/** An Upstream of `priorities.length` hosts (key = 100 + index) under RANDOM, with scripted draws. */
function upstream(priorities: number[], draws: number[]): Upstream {
  // The constructor draws once: the round-robin cursor's random start.
  const policy = { ...effectiveTrafficPolicy(undefined), lbPolicy: 'RANDOM' as const, panicThreshold: 0 };
  const hosts = priorities.map((p, i) => host(100 + i, p));
  const set = new PrioritySet(
    hosts,
    policy,
    Int32Array.from(hosts, (h) => h.host.key),
  );
  const rng = scripted([0, ...draws]);
  return new Upstream(set, 0, drawsOf(rng), 0, undefined, unlimitedPool());
}

describe('conformance: previous_hosts retry host predicate', () => {
  const policy = DEFAULT_RETRY_POLICY; // Istio's default: predicate on, host_selection_retry_max_attempts 5.

  it('Istio sets the predicate with 5 host-selection retries; retryIgnorePreviousHosts: false removes it', () => {
    expect(policy.previousHosts).toBe(true);
    expect(policy.hostSelectionMaxAttempts).toBe(5);
    expect(
      retryPolicy({
        attempts: 3,
        retryOn: [],
        perTryTimeoutMs: 0,
        retryRemoteLocalities: false,
        retryIgnorePreviousHosts: false,
      }).previousHosts,
    ).toBe(false);
  });

  it('rejects every host already tried, not only the last (PredicateTest: host1 and host2 both rejected)', () => {
    // 4 hosts; tries went to hosts 0 then 1. Draws 0, 1, 2: 0 and 1 are rejected, 2 accepted.
    // Remembering only the last host would accept the first draw, host 0.
    const u = upstream([0, 0, 0, 0], [draw(0, 4), draw(1, 4), draw(2, 4)]);
    expect(u.pick(policy, [100, 101], 0)).toBe(2);
  });

  it('draws host_selection_retry_max_attempts + 1 = 6 times, then keeps the last draw', () => {
    // Derivation: chooseHost's loop runs max_attempts = hostSelectionRetryCount() + 1 = 6 times.
    // Five rejected draws then an accepted sixth: host 3.
    const sixth = upstream([0, 0, 0, 0], [...Array<number>(5).fill(draw(0, 4)), draw(3, 4)]);
    expect(sixth.pick(policy, [100], 0)).toBe(3);
    // Six rejected draws: "If we didn't find anything, return the last host" (the tried host 0).
    const none = upstream([0, 0, 0, 0], Array<number>(6).fill(draw(0, 4)));
    expect(none.pick(policy, [100], 0)).toBe(0);
  });

  it('without the predicate each try is one independent draw, tried or not', () => {
    const noPredicate = { ...policy, previousHosts: false };
    const u = upstream([0, 0, 0, 0], [draw(0, 4)]);
    expect(u.pick(noPredicate, [100], 0)).toBe(0);
  });

  it('a first try draws once (nothing attempted yet)', () => {
    const u = upstream([0, 0, 0, 0], [draw(1, 4)]);
    expect(u.pick(policy, undefined, 0)).toBe(1);
  });

  describe('end to end: 3 hosts under RANDOM, 2 of them answer 503, retryOn 5xx with 2 retries', () => {
    // A request fails only if all 3 tries hit the failing hosts B1, B2. Derivation with RANDOM (uniform
    // draws), q = (1/3)^6 (six draws all on the one tried host), p6 = (2/3)^6 (six draws all on the two):
    //   previous_hosts (all tries): P(fail) = 2/3 · [(1-q)/2 · p6 + q · ((1-q)/2 + q)] = 0.02968
    //   no predicate: P(fail) = (2/3)^3 = 0.2963;  remembering only the last host: 2/3 · 1/2 · 1/2 = 0.1667.
    // Tolerance: 4 binomial standard errors at the run's request count.
    const yaml = (ignore: string) => `
name: hosts
duration: 40s
clusters:
  - { name: a, region: r1, zones: [a1] }
  - { name: b, region: r1, zones: [b1] }
services: [{ name: backend, deployments: [{ cluster: a, replicas: 1 }, { cluster: b, replicas: 2 }], serviceTime: 1ms }]
traffic: [{ name: web, entry: backend, from: a, rate: 50/s, timeout: 30s }]
models: [{ name: mp, controlPlane: multi-primary }]
faults: [{ at: 0s, for: 50s, type: error-injection, service: backend, cluster: b, httpStatus: 503 }]
routing:
  virtualServices: [{ hosts: [backend], http: [{ route: [{ destination: { host: backend } }], retries: { attempts: 2, retryOn: 5xx${ignore} } }] }]
  destinationRules: [{ host: backend, trafficPolicy: { loadBalancer: { simple: RANDOM } } }]
`;
    const failRate = (ignore: string) => {
      const r = record(yaml(ignore));
      r.runUntil(60_000);
      const n = r.requests.length;
      const k = r.requests.filter((q) => q.code === 503).length;
      return { n, p: k / n };
    };
    it('previous_hosts: P(all three tries fail) = 0.0297', () => {
      const q = (1 / 3) ** 6;
      const p6 = (2 / 3) ** 6;
      const expected = (2 / 3) * (((1 - q) / 2) * p6 + q * ((1 - q) / 2 + q));
      const { n, p } = failRate('');
      expect(n).toBeGreaterThan(1500);
      expect(Math.abs(p - expected)).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / n));
    });
    it('retryIgnorePreviousHosts: false: P = (2/3)^3', () => {
      const expected = (2 / 3) ** 3;
      const { n, p } = failRate(', retryIgnorePreviousHosts: false');
      expect(Math.abs(p - expected)).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / n));
    });
  });
});

describe('conformance: previous_priorities retry priority (RetryPriorityTest vectors)', () => {
  /** Healthy and degraded percents after excluding `excluded` levels, as determinePriorityLoad returns. */
  function excluded(healthy: number[], degraded: number[], total: number[], mask: number[]) {
    const base = new PriorityLoad(total.length).compute(healthy, total, total.length, 0, degraded);
    const copy = new PriorityLoad(total.length).copyFrom(base);
    const changed = copy.excludeLevels(mask);
    const s = changed ? copy : base;
    return {
      healthy: Array.from(s.healthyPercent.subarray(0, total.length)),
      degraded: Array.from(s.degradedPercent.subarray(0, total.length)),
    };
  }

  it('DefaultFrequency: after a P0 host, P1 takes all; after P0 and P1, back to the original load', () => {
    // addHosts(0, 2, 2); addHosts(1, 2, 2); original {100, 0}.
    expect(excluded([2, 2], [0, 0], [2, 2], [1, 0])).toEqual({ healthy: [0, 100], degraded: [0, 0] });
    expect(excluded([2, 2], [0, 0], [2, 2], [1, 1])).toEqual({ healthy: [100, 0], degraded: [0, 0] });
  });

  it('DefaultFrequencyUnhealthyPriorities: {42, 28, 30} → {0, 28, 72} → {0, 0, 100} → original', () => {
    const h = [3, 2, 10];
    const t = [10, 10, 10];
    expect(excluded(h, [0, 0, 0], t, [0, 0, 0]).healthy).toEqual([42, 28, 30]);
    expect(excluded(h, [0, 0, 0], t, [1, 0, 0]).healthy).toEqual([0, 28, 72]);
    expect(excluded(h, [0, 0, 0], t, [1, 1, 0]).healthy).toEqual([0, 0, 100]);
    expect(excluded(h, [0, 0, 0], t, [1, 1, 1]).healthy).toEqual([42, 28, 30]);
  });

  it('DefaultFrequencyUnhealthyPrioritiesDegradedLoad: the same over degraded hosts', () => {
    const d = [3, 2, 10];
    const t = [10, 10, 10];
    expect(excluded([0, 0, 0], d, t, [1, 0, 0]).degraded).toEqual([0, 28, 72]);
    expect(excluded([0, 0, 0], d, t, [1, 1, 0]).degraded).toEqual([0, 0, 100]);
  });

  it('DefaultFrequencyUnhealthyPrioritiesDegradedLoadSpillover: P1 tried → healthy {0,0,40}, degraded {60,0,0}', () => {
    expect(excluded([0, 9, 2], [3, 1, 0], [10, 10, 10], [0, 1, 0])).toEqual({
      healthy: [0, 0, 40],
      degraded: [60, 0, 0],
    });
    expect(excluded([0, 9, 2], [3, 1, 0], [10, 10, 10], [0, 1, 1])).toEqual({
      healthy: [0, 0, 0],
      degraded: [100, 0, 0],
    });
  });

  it('OverridenFrequency (2, as Istio sets it): one try leaves the load; the second excludes P0', () => {
    // Upstream with P0 = hosts 0,1 and P1 = hosts 2,3; previous_priorities on, previous_hosts on.
    const policy = { ...DEFAULT_RETRY_POLICY, retryRemoteLocalities: true };
    // One try (host 0): the original load, 100 % P0: the level draw 0.99 still lands in P0 (hash 100),
    // then previous_hosts rejects host 0 and accepts host 1.
    const one = upstream([0, 0, 1, 1], [0.99, draw(0, 2), 0.5, draw(1, 2)]);
    expect(one.pick(policy, [100], 0)).toBe(1);
    // Two tries in P0 (hosts 0 and 1): P0 excluded, P1 takes 100 %: even a draw of 0 lands in P1.
    const two = upstream([0, 0, 1, 1], [0, draw(0, 2)]);
    expect(two.pick(policy, [100, 101], 0)).toBe(2);
    // Three tries (0, 1, then 2 in P1): the exclusions are those of the first two (updated every second
    // try), so P1 keeps all the load and previous_hosts skips host 2.
    const three = upstream([0, 0, 1, 1], [0, draw(0, 2), 0, draw(1, 2)]);
    expect(three.pick(policy, [100, 101, 102], 0)).toBe(3);
    // Four tries covering both levels: nothing left, the original load (P0) returns.
    const four = upstream([0, 0, 1, 1], [0.5, draw(0, 2)]);
    expect(four.pick({ ...policy, previousHosts: false }, [100, 102, 101, 103], 0)).toBe(0);
  });

  it('without retryRemoteLocalities the tried level keeps its load', () => {
    const u = upstream([0, 0, 1, 1], [0, draw(0, 2)]);
    expect(u.pick({ ...DEFAULT_RETRY_POLICY, previousHosts: false }, [100, 101], 0)).toBe(0);
  });
});
