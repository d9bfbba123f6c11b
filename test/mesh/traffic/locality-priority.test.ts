import { describe, expect, it } from 'vitest';
import type { LocalityLbSetting } from '../../../src/mesh/routing-config.js';
import { localityPriority, type WorkloadLocality } from '../../../src/mesh/traffic/locality-priority.js';

function at(locality: string, extra: Partial<WorkloadLocality> = {}): WorkloadLocality {
  const [region = '', zone = '', subzone = ''] = locality.split('/');
  return { network: 'net1', region, zone, subzone, cluster: `c-${region}`, labels: {}, weight: 1, ...extra };
}

function setting(overrides: Partial<LocalityLbSetting> = {}): LocalityLbSetting {
  return { enabled: true, distribute: [], failover: [], failoverPriority: [], ...overrides };
}

const priorities = (r: { priority: Int32Array }) => Array.from(r.priority);

describe('mesh/traffic/locality-priority', () => {
  it('localityPriority() follows the failover task: region1.zone1 client, rule region1→region2', () => {
    // istio-behaviour.md 4.3 / istio.io failover task: raw P0 region1.zone1, P2 region1.zone2,
    // P3 region2.zone3 (the rule's target), P4 region3.zone4; P1 is empty and compacted away.
    const client = at('region1/zone1');
    const endpoints = [at('region1/zone1'), at('region1/zone2'), at('region2/zone3'), at('region3/zone4')];
    const r = localityPriority(
      client,
      endpoints,
      setting({ failover: [{ from: 'region1', to: 'region2' }] }),
      true,
    );
    expect(priorities(r)).toEqual([0, 1, 2, 3]);
    expect(r.levels).toBe(4);
  });

  it('localityPriority() without outlier detection keeps every endpoint at P0 (no locality preference)', () => {
    // loadbalancer.go: enableFailover = Force || OutlierDetection != nil.
    const r = localityPriority(at('r1/z1'), [at('r1/z1'), at('r2/z1')], setting(), false);
    expect(priorities(r)).toEqual([0, 0]);
    expect(r.levels).toBe(1);
  });

  it('localityPriority() with enabled: false keeps every endpoint at P0', () => {
    const r = localityPriority(at('r1/z1'), [at('r1/z1'), at('r2/z1')], setting({ enabled: false }), true);
    expect(priorities(r)).toEqual([0, 0]);
  });

  it('localityPriority() with no setting keeps every endpoint at P0', () => {
    expect(priorities(localityPriority(at('r1/z1'), [at('r2/z2')], undefined, true))).toEqual([0]);
  });

  it('localityPriority() ranks region+zone+subzone, region+zone, region, other region as P0..P3 by default', () => {
    const client = at('r1/z1/s1');
    const endpoints = [at('r2/z9'), at('r1/z2/s1'), at('r1/z1/s2'), at('r1/z1/s1')];
    // raw 3, 2, 1, 0: all four levels present, so nothing to compact.
    expect(priorities(localityPriority(client, endpoints, setting(), true))).toEqual([3, 2, 1, 0]);
  });

  it('localityPriority() compacts empty levels: same zone and other region only give P0 and P1', () => {
    // raw 0 and 3 → 0 and 1.
    const r = localityPriority(at('r1/z1'), [at('r2/z1'), at('r1/z1')], setting(), true);
    expect(priorities(r)).toEqual([1, 0]);
    expect(r.levels).toBe(2);
  });

  it('localityPriority() treats a missing subzone on both sides as a match (Go empty strings)', () => {
    expect(priorities(localityPriority(at('r1/z1'), [at('r1/z1'), at('r1/z1/s')], setting(), true))).toEqual([
      0, 1,
    ]);
  });

  it('localityPriority() keeps a pod label topology.istio.io/subzone when the locality has none (AugmentLabels sets it only if non-empty)', () => {
    const own = { labels: { 'topology.istio.io/subzone': 's1' } };
    const r = localityPriority(
      at('r1/z1', own),
      // The client's pod label stays 's1': the endpoint labelled 's1' matches; one without the label does
      // not, nor one whose locality's subzone s2 overwrites its label.
      [at('r1/z1', own), at('r1/z1'), at('r1/z1/s2', own)],
      setting({ failoverPriority: ['topology.istio.io/subzone'] }),
      true,
    );
    expect(priorities(r)).toEqual([0, 1, 1]);
  });

  it('localityPriority() with a failover rule whose from is another region ignores it', () => {
    // The rule applies only to clients in its `from` region: r3 endpoints stay at raw 3 with r2's.
    const r = localityPriority(
      at('r1/z1'),
      [at('r2/z1'), at('r3/z1')],
      setting({ failover: [{ from: 'r9', to: 'r2' }] }),
      true,
    );
    expect(priorities(r)).toEqual([0, 0]);
  });

  it('localityPriority() uses the first failover rule for the client region', () => {
    // Rules r1→r3 then r1→r2: only the first counts (the loop breaks), so r2 drops to raw 4.
    const r = localityPriority(
      at('r1/z1'),
      [at('r2/z1'), at('r3/z1')],
      setting({
        failover: [
          { from: 'r1', to: 'r3' },
          { from: 'r1', to: 'r2' },
        ],
      }),
      true,
    );
    expect(priorities(r)).toEqual([1, 0]);
  });

  it('localityPriority() with failoverPriority ranks by the number of leading labels matched', () => {
    // N = 2 labels: both match → 0, first only → 2 - 1 = 1, none → 2.
    const labels = ['topology.kubernetes.io/region', 'version'];
    const client = at('r1/z1', { labels: { version: 'v1' } });
    const endpoints = [
      at('r2/z1', { labels: { version: 'v1' } }), // region differs first → 2
      at('r1/z2', { labels: { version: 'v2' } }), // region matches, version not → 1
      at('r1/z3', { labels: { version: 'v1' } }), // both → 0
    ];
    expect(
      priorities(localityPriority(client, endpoints, setting({ failoverPriority: labels }), true)),
    ).toEqual([2, 1, 0]);
  });

  it('localityPriority() with failoverPriority ignores zones (no locality ranking unless failover is set)', () => {
    const r = localityPriority(
      at('r1/z1'),
      [at('r1/z1'), at('r1/z2')],
      setting({ failoverPriority: ['topology.kubernetes.io/region'] }),
      true,
    );
    expect(priorities(r)).toEqual([0, 0]);
  });

  it('localityPriority() reads topology.istio.io/cluster from the topology, and label=value overrides the client value', () => {
    const client = at('r1/z1', { cluster: 'east' });
    const endpoints = [at('r1/z1', { cluster: 'west' }), at('r1/z1', { cluster: 'east' })];
    expect(
      priorities(
        localityPriority(
          client,
          endpoints,
          setting({ failoverPriority: ['topology.istio.io/cluster'] }),
          true,
        ),
      ),
    ).toEqual([1, 0]);
    // "=west": endpoints are compared with "west", not with the client's own cluster.
    expect(
      priorities(
        localityPriority(
          client,
          endpoints,
          setting({ failoverPriority: ['topology.istio.io/cluster=west'] }),
          true,
        ),
      ),
    ).toEqual([0, 1]);
  });

  it('localityPriority() with network first keeps ranking other-network endpoints, after all same-network ones', () => {
    // Labels [network, region]: N = 2. Same network: 0 (same region) or 1. Other network: shifted by 2 →
    // 2 (same region) or 3. Compacted: 0, 1, 2, 3.
    const client = at('r1/z1', { network: 'n1' });
    const endpoints = [
      at('r2/z1', { network: 'n2' }),
      at('r1/z1', { network: 'n2' }),
      at('r2/z1', { network: 'n1' }),
      at('r1/z1', { network: 'n1' }),
    ];
    const r = localityPriority(
      client,
      endpoints,
      setting({ failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/region'] }),
      true,
    );
    expect(priorities(r)).toEqual([3, 2, 1, 0]);
  });

  it('localityPriority() combines failoverPriority and failover as label priority × 5 + locality priority', () => {
    // Label "tier": match → 0, else 1. Locality (client r1/z1, rule r1→r2): r1/z1 0, r2 3, r3 4.
    // Raw: a (tier ok, r3) 4, b (tier ok, r1/z1) 0, c (tier no, r1/z1) 5, d (tier ok, r2) 3 → 2, 0, 3, 1.
    const client = at('r1/z1', { labels: { tier: 'gold' } });
    const gold = { labels: { tier: 'gold' } };
    const endpoints = [at('r3/z1', gold), at('r1/z1', gold), at('r1/z1'), at('r2/z1', gold)];
    const r = localityPriority(
      client,
      endpoints,
      setting({ failoverPriority: ['tier'], failover: [{ from: 'r1', to: 'r2' }] }),
      true,
    );
    expect(priorities(r)).toEqual([2, 0, 3, 1]);
  });

  it('localityPriority() with distribute weights localities and drops unlisted ones, without outlier detection', () => {
    // from r1/z1/* to {r1/z1/*: 80, r1/z2/*: 20}: r2 is unlisted → removed. Group z1 has 2 endpoints (weight
    // 2): ⌈2·80/2⌉ = 80 → multiplier 40 each; z2 has 1: ⌈1·20/1⌉ = 20 → 20.
    const r = localityPriority(
      at('r1/z1'),
      [at('r1/z1'), at('r1/z1'), at('r1/z2'), at('r2/z1')],
      setting({ distribute: [{ from: 'r1/z1/*', to: { 'r1/z1/*': 80, 'r1/z2/*': 20 } }] }),
      false,
    );
    expect(priorities(r)).toEqual([0, 0, 0, -1]);
    expect(Array.from(r.weight)).toEqual([40, 40, 20, 0]);
    expect(r.localityWeighted).toBe(true);
    // Shares: z1 endpoints 40+40 = 80 of 100, z2 20 of 100, as configured.
  });

  it('localityPriority() with distribute splits a wildcard target by group weight, rounding up', () => {
    // to {r2/*: 100} matches zones a (3 endpoints) and b (1): ⌈3·100/4⌉ = 75, ⌈1·100/4⌉ = 25.
    const r = localityPriority(
      at('r1/z1'),
      [at('r2/a'), at('r2/a'), at('r2/a'), at('r2/b')],
      setting({ distribute: [{ from: 'r1/*', to: { 'r2/*': 100 } }] }),
      true,
    );
    expect(Array.from(r.weight)).toEqual([25, 25, 25, 25]);
  });

  it('localityPriority() with distribute not matching the client changes nothing', () => {
    const r = localityPriority(
      at('r1/z1'),
      [at('r1/z1'), at('r2/z1')],
      setting({ distribute: [{ from: 'r9/*', to: { 'r2/*': 100 } }] }),
      true,
    );
    expect(priorities(r)).toEqual([0, 0]);
    expect(Array.from(r.weight)).toEqual([1, 1]);
    expect(r.localityWeighted).toBe(false);
  });

  it('localityPriority() with distribute never fails over, even with outlier detection', () => {
    const r = localityPriority(
      at('r1/z1'),
      [at('r1/z1'), at('r2/z1')],
      setting({ distribute: [{ from: '*', to: { 'r1/*': 50, 'r2/*': 50 } }] }),
      true,
    );
    expect(priorities(r)).toEqual([0, 0]);
  });

  it('localityPriority() with a distribute weight of 0 leaves the locality at its own weight (Istio sets only positive weights)', () => {
    // r2/z1 listed with 0: kept, weight stays its endpoint count (1) → multiplier 1.
    const r = localityPriority(
      at('r1/z1'),
      [at('r1/z1'), at('r2/z1')],
      setting({ distribute: [{ from: '*', to: { 'r1/*': 100, 'r2/*': 0 } }] }),
      false,
    );
    expect(Array.from(r.weight)).toEqual([100, 1]);
  });

  it('localityPriority() with no endpoints has no levels', () => {
    expect(localityPriority(at('r1/z1'), [], setting(), true).levels).toBe(0);
  });
});
