import { describe, expect, it } from 'vitest';
import type { StreamDraws } from '../../../src/des/index.js';
import type { TrafficOrigin } from '../../../src/mesh/data-plane-roles.js';
import { Topology } from '../../../src/mesh/index.js';
import { Infrastructure } from '../../../src/mesh/infrastructure.js';
import { ClientPlacement, type PlacementParts } from '../../../src/mesh/load/client-placement.js';
import type { Proxy } from '../../../src/mesh/proxy.js';

const clusters = [
  { name: 'a', region: 'r1', zones: ['a1', 'a2'], network: 'n' },
  { name: 'b', region: 'r2', zones: ['b1', 'b2', 'b3'], network: 'n' },
];

/** Uniforms scripted per stream, so a test says which draw picks what; any other stream throws. */
class Scripted implements StreamDraws {
  constructor(
    private readonly stream: number,
    private readonly values: number[],
  ) {}
  next(stream: number): number {
    if (stream !== this.stream) throw new Error(`draw from stream ${stream}`);
    const u = this.values.shift();
    if (u === undefined) throw new Error('no draw left');
    return u;
  }
}

const origin = { index: 0 } as TrafficOrigin;
const proxy = (name: string) => ({ name }) as unknown as Proxy;

function placement(viaIngress: boolean, uniforms: number[]) {
  const topology = new Topology(clusters);
  const infra = new Infrastructure(topology);
  const sent: { cluster: number; client: string; down: boolean }[] = [];
  const made: string[] = [];
  const clusterIds = [topology.cluster('a'), topology.cluster('b')];
  const parts: PlacementParts = {
    origin,
    path: {
      sendRequest: (o, cluster, client, down) => {
        expect(o).toBe(origin);
        sent.push({ cluster, client: (client as unknown as { name: string }).name, down });
      },
    },
    infra,
    clusters: clusterIds,
    weights: [3, 1],
    zones: clusterIds.map((c) => topology.zonesOf(c)),
    zoneCount: topology.zones.length,
    viaIngress,
    ingress: [proxy('ingress-a'), proxy('ingress-b')],
    draws: new Scripted(7, uniforms),
    stream: 7,
    newClient: (cluster, zone) => {
      made.push(`${cluster}/${zone}`);
      return proxy(`client-${zone}`);
    },
  };
  return { p: new ClientPlacement(parts), infra, topology, sent, made };
}

describe('mesh/load/client-placement', () => {
  it('draws the cluster by weight, then the zone evenly, from the placement stream in that order', () => {
    // Weights 3:1: u < 0.75 is cluster a. Then a's two zones split [0, 0.5), [0.5, 1); b's three in thirds.
    const { p, sent, topology } = placement(false, [0.74, 0.5, 0.75, 0.0, 0.2, 0.99]);
    p.send();
    p.send();
    p.send();
    const a2 = topology.zonesOf(0)[1] as number;
    const b1 = topology.zonesOf(1)[0] as number;
    expect(sent).toEqual([
      { cluster: 0, client: `client-${a2}`, down: false },
      { cluster: 1, client: `client-${b1}`, down: false },
      { cluster: 0, client: `client-${a2}`, down: false },
    ]);
  });

  it("makes a zone's client sidecar once and reuses it; a request from a zone that is down is refused", () => {
    const { p, sent, made, infra, topology } = placement(false, [0.1, 0.1, 0.2, 0.3, 0.9, 0.9]);
    const a1 = topology.zonesOf(0)[0] as number;
    p.send();
    infra.setZoneUp(a1, false);
    p.send();
    p.send();
    expect(made).toEqual([`0/${a1}`, `1/${topology.zonesOf(1)[2]}`]);
    expect(sent.map((s) => s.down)).toEqual([false, true, false]);
    expect(sent[0]?.client).toBe(sent[1]?.client);
  });

  it('through the ingress: the drawn cluster’s gateway sends, refused when that gateway is down', () => {
    const { p, sent, made, infra } = placement(true, [0.8, 0.1, 0.2, 0.6, 0.9, 0.5]);
    p.send();
    infra.setGatewayUp(1, 'ingress', false);
    p.send();
    p.send();
    expect(made).toEqual([]);
    expect(sent).toEqual([
      { cluster: 1, client: 'ingress-b', down: false },
      { cluster: 0, client: 'ingress-a', down: false },
      { cluster: 1, client: 'ingress-b', down: true },
    ]);
  });
});
