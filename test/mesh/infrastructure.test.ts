import { describe, expect, it } from 'vitest';
import { Topology } from '../../src/mesh/index.js';
import { Infrastructure } from '../../src/mesh/infrastructure.js';

const clusters = [
  { name: 'a', region: 'r1', zones: ['a1', 'a2'], network: 'n' },
  { name: 'b', region: 'r2', zones: ['b1'], network: 'n' },
];

/** `allReachable` must say true only when every place answers true, for the request path skips them. */
function everyPlaceReachable(infra: Infrastructure, topology: Topology): boolean {
  const zonesUp = topology.zones.every((z) => infra.isZoneUp(z.id));
  const pairs = [0, 1].every((x) => [0, 1].every((y) => infra.clustersConnected(x, y)));
  return zonesUp && pairs;
}

describe('mesh/infrastructure: allReachable', () => {
  it('follows zone, cluster and partition faults, overlapping ones included, and their healing', () => {
    const topology = new Topology(clusters);
    const infra = new Infrastructure(topology);
    const seen: boolean[] = [];
    const check = () => {
      expect(infra.allReachable).toBe(everyPlaceReachable(infra, topology));
      seen.push(infra.allReachable);
    };
    check();
    infra.setZoneUp(1, false);
    check();
    infra.setZoneUp(1, true);
    check();
    infra.setClusterUp(1, false);
    check();
    infra.setClusterUp(1, true);
    check();
    infra.partition('r1', 'r2');
    infra.partition('a', 'b');
    check();
    infra.partition('r1', 'r2', true);
    check();
    infra.partition('a', 'b', true);
    check();
    // API server and gateway faults leave every zone and cluster pair reachable.
    infra.setApiServerUp(0, false);
    infra.setGatewayUp(0, 'east-west', false);
    check();
    expect(seen).toEqual([true, false, true, false, true, false, false, true, true]);
  });
});
