/**
 * Conformance: locality priorities and `distribute` weights as istiod assigns them, against Istio's own
 * test cases.
 *
 * Source: istio/istio pilot/pkg/networking/core/loadbalancer/loadbalancer_test.go, commit
 * 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c, `TestApplyLocalitySetting` subtests "Distribute"
 * ("distribution between subzones"), "Failover: all priorities" and "Failover: priorities with gaps", on the
 * fixtures `buildFakeCluster` / `buildSmallCluster` and the mesh settings of
 * `buildEnvForClustersWithDistribute` / `buildEnvForClustersWithFailover` (failover region1 → region2),
 * client locality region1/zone1/subzone1. Istio's fixtures are one LocalityLbEndpoints per entry; meshsim
 * works per endpoint, so each entry is one endpoint of weight 1 and Istio's per-locality weight is compared
 * with the sum of meshsim's endpoint weights in that locality.
 */
import { describe, expect, it } from 'vitest';
import { localityPriority, type WorkloadLocality } from '../../src/mesh/traffic/locality-priority.js';

const at = (region: string, zone: string, subzone: string): WorkloadLocality => ({
  network: '',
  cluster: '',
  region,
  zone,
  subzone,
  labels: {},
  weight: 1,
});
const client = at('region1', 'zone1', 'subzone1');
/** buildFakeCluster's seven localities. */
const fake = [
  at('region1', 'zone1', 'subzone1'),
  at('region1', 'zone1', 'subzone1'),
  at('region1', 'zone1', 'subzone2'),
  at('region1', 'zone1', 'subzone3'),
  at('region1', 'zone2', ''),
  at('region2', '', ''),
  at('region3', '', ''),
];
const setting = {
  enabled: true,
  distribute: [] as { from: string; to: Record<string, number> }[],
  failover: [] as { from: string; to: string }[],
  failoverPriority: [] as string[],
};

describe('conformance: Istio TestApplyLocalitySetting', () => {
  it('Distribute / distribution between subzones: weights [40, 40, 15, 5, 0, 0, 0]', () => {
    // The two subzone1 entries share one locality: Istio weighs each LocalityLbEndpoints 40, meshsim gives
    // each endpoint 40 (80 over the locality's 2); unlisted localities get nothing (dropped, priority -1).
    const r = localityPriority(
      client,
      fake,
      {
        ...setting,
        distribute: [
          {
            from: 'region1/zone1/subzone1',
            to: { 'region1/zone1/subzone1': 80, 'region1/zone1/subzone2': 15, 'region1/zone1/subzone3': 5 },
          },
        ],
      },
      true,
    );
    expect(Array.from(r.weight)).toEqual([40, 40, 15, 5, 0, 0, 0]);
    expect(Array.from(r.priority).slice(4)).toEqual([-1, -1, -1]);
    expect(r.localityWeighted).toBe(true);
  });

  it('Failover: all priorities: 0 same subzone, 1 same zone, 2 same region, 3 failover region, 4 other', () => {
    const r = localityPriority(
      client,
      fake,
      { ...setting, failover: [{ from: 'region1', to: 'region2' }] },
      true,
    );
    expect(Array.from(r.priority)).toEqual([0, 0, 1, 1, 2, 3, 4]);
  });

  it('Failover: priorities with gaps: compacted to 0 (region1/zone1/subzone2) and 1 (region2)', () => {
    const small = [
      at('region1', 'zone1', 'subzone2'),
      at('region2', 'zone1', 'subzone2'),
      at('region2', 'zone1', 'subzone2'),
    ];
    const r = localityPriority(
      client,
      small,
      { ...setting, failover: [{ from: 'region1', to: 'region2' }] },
      true,
    );
    expect(Array.from(r.priority)).toEqual([0, 1, 1]);
  });

  // loadbalancer.go `ApplyLocalityLoadBalancer` (same commit): failover only `else if enableFailover`, which
  // the caller sets when outlier detection is configured ("Failover needs outlier detection").
  it('without outlier detection (enableFailover false), every endpoint stays at P0', () => {
    const r = localityPriority(
      client,
      fake,
      { ...setting, failover: [{ from: 'region1', to: 'region2' }] },
      false,
    );
    expect(Array.from(r.priority)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
