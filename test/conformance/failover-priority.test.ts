/**
 * Conformance: `failoverPriority` label ranking against Istio's own test cases.
 *
 * Source: istio/istio pilot/pkg/networking/core/loadbalancer/loadbalancer_test.go, commit
 * 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c, `TestApplyLocalitySetting` subtests "FailoverPriority" (match
 * none label, match network label, not match the first n label, match all labels, priority assignment as
 * per the overridden value, no endpoints with overridden value) on `buildSmallClusterForFailOverPriority` /
 * `buildWrappedLocalityLbEndpoints`, and "FailoverPriority with Failover" (match all labels) on
 * `buildSmallClusterForFailOverPriorityWithFailover` / `buildWrappedLocalityLbEndpointsForFailoverPriorityWithFailover`
 * with failover region1 → region2; client locality region1/zone1/subzone1.
 *
 * Istio's test compares, per output LocalityLbEndpoints, its priority and weight (not the endpoint
 * addresses, which in "not match the first n label" are listed loosely); meshsim works per endpoint, so
 * each endpoint's expected priority below is the priority of the LocalityLbEndpoints Istio's algorithm
 * (loadbalancer.go `applyFailoverPriorityPerLocality`, same commit) puts it in, which reproduces the
 * priorities and weights the test asserts. The "including locality" subtest is not replayed: it ranks on
 * plain `region`/`zone` labels that its endpoint fixture does not visibly carry.
 *
 * Endpoints (labels from the wrapped fixtures; locality from the cluster fixtures):
 * 1.1.1.1 n1/c1 (no `key`), 2.2.2.2 key n2/c2, 3.3.3.3 key n1/c3, 4.4.4.4 key n2/c4, then
 * buildWrappedLocalityLbEndpoints: 1.2.3.4 key n1/c1, 2.3.4.5 key n2/c2 (region3), or the "with failover"
 * fixture: 5.5.5.5 n2/c2 (region2/zone2), 6.6.6.6 key n1/c6 (region3/zone3).
 */
import { describe, expect, it } from 'vitest';
import { localityPriority, type WorkloadLocality } from '../../src/mesh/traffic/locality-priority.js';

const ep = (
  network: string,
  cluster: string,
  loc: string,
  labels: Record<string, string> = { key: 'value' },
): WorkloadLocality => {
  const [region = '', zone = '', subzone = ''] = loc.split('/');
  return { network, cluster, region, zone, subzone, labels, weight: 1 };
};
/** buildSmallClusterForFailOverPriority + buildWrappedLocalityLbEndpoints, in fixture order. */
const small = [
  ep('n1', 'c1', 'region1/zone1/subzone1', {}),
  ep('n2', 'c2', 'region1/zone1/subzone1'),
  ep('n1', 'c3', 'region2/zone2/subzone2'),
  ep('n2', 'c4', 'region2/zone2/subzone2'),
  ep('n1', 'c1', 'region3/zone3/subzone3'),
  ep('n2', 'c2', 'region3/zone3/subzone3'),
];
const client = (network: string, cluster: string, labels: Record<string, string> = {}): WorkloadLocality => ({
  network,
  cluster,
  region: 'region1',
  zone: 'zone1',
  subzone: 'subzone1',
  labels,
  weight: 1,
});
const setting = (failoverPriority: string[], failover: { from: string; to: string }[] = []) => ({
  enabled: true,
  distribute: [],
  failover,
  failoverPriority,
});
const NET_CLUSTER = ['topology.istio.io/network', 'topology.istio.io/cluster'];
const priorities = (c: WorkloadLocality, eps: WorkloadLocality[], s: ReturnType<typeof setting>) =>
  Array.from(localityPriority(c, eps, s, true).priority);

describe('conformance: Istio TestApplyLocalitySetting / FailoverPriority', () => {
  it('match none label: proxy on network "test", cluster "test": every endpoint at P0', () => {
    expect(priorities(client('test', 'test'), small, setting(NET_CLUSTER))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('match network label: proxy n1 → the n1 endpoints P0, the n2 endpoints P1', () => {
    expect(priorities(client('n1', 'test'), small, setting(NET_CLUSTER))).toEqual([0, 1, 0, 1, 0, 1]);
  });

  it('not match the first n label: network ignored when it differs, cluster c1 still ranks first', () => {
    // No endpoint is on network "test" (adjust +2); cluster c1 → 2, other clusters → 3; compacted to 0/1.
    expect(priorities(client('test', 'c1'), small, setting(NET_CLUSTER))).toEqual([0, 1, 1, 1, 0, 1]);
  });

  it('match all labels [key, network, cluster], proxy key=value n2 c2: 0 3 2 1 2 0', () => {
    const p = priorities(client('n2', 'c2', { key: 'value' }), small, setting(['key', ...NET_CLUSTER]));
    // 1.1.1.1 lacks key (3); 3.3.3.3 and 1.2.3.4 match key only (2); 4.4.4.4 key+network (1); the rest all (0).
    expect(p).toEqual([3, 0, 2, 1, 2, 0]);
  });

  it('priority assignment as per the overridden value: network=n1 ranks n1 endpoints first for an n2 proxy', () => {
    expect(priorities(client('n2', 'test'), small, setting(['topology.istio.io/network=n1']))).toEqual([
      0, 1, 0, 1, 0, 1,
    ]);
  });

  it('no endpoints with overridden value (network=n3): one level', () => {
    expect(priorities(client('n1', 'test'), small, setting(['topology.istio.io/network=n3']))).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
  });

  it('an overridden network label is an ordinary label (Istio tests the raw entry for "network first")', () => {
    // loadbalancer.go: includesNetwork = failoverPriorities[0] == "topology.istio.io/network", so with
    // "…/network=n1" an n2 endpoint gets priority len - 0 = 2 whatever its cluster, and n1 endpoints rank
    // by cluster: none is on the proxy's c2, so each gets len - 1 = 1. Compacted: n1 → 0, every n2 → 1.
    // (Treating it as "network first" would split the n2 endpoints by cluster: 2.2.2.2 and 2.3.4.5 on c2
    // ahead of 4.4.4.4.)
    const p = priorities(
      client('n2', 'c2'),
      small,
      setting(['topology.istio.io/network=n1', 'topology.istio.io/cluster']),
    );
    expect(p).toEqual([0, 1, 0, 1, 0, 1]);
  });
});

describe('conformance: Istio TestApplyLocalitySetting / FailoverPriority with Failover', () => {
  const withFailover = [
    ep('n1', 'c1', 'region1/zone1/subzone1', {}),
    ep('n2', 'c2', 'region1/zone2/subzone2'),
    ep('n1', 'c3', 'region2/zone2/subzone2'),
    ep('n2', 'c4', 'region3/zone3/subzone3'),
    ep('n2', 'c2', 'region2/zone2/subzone2', {}),
    ep('n1', 'c6', 'region3/zone3/subzone3'),
  ];
  it('match all labels [network, cluster] + failover region1 → region2: 3 0 4 2 1 5', () => {
    const p = priorities(
      client('n2', 'c2'),
      withFailover,
      setting(NET_CLUSTER, [{ from: 'region1', to: 'region2' }]),
    );
    expect(p).toEqual([3, 0, 4, 2, 1, 5]);
  });
});
