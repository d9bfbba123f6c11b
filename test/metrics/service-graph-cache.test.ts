/**
 * The service graph's edge cache (service-graph.ts `EdgeCache`): pairs of endpoints that share a cache
 * slot, and a call served by another service's replica, still count on their own edges.
 */
import { describe, expect, it } from 'vitest';
import type { Call, Endpoint } from '../../src/mesh/index.js';
import { ServiceGraphRecorder, edgeCacheSlot } from '../../src/metrics/service-graph.js';

/** The fields of an endpoint the graph reads. */
function endpoint(id: number, service: number, labels: Record<string, string>): Endpoint {
  return { id, service, cluster: 0, zone: 0, labels } as unknown as Endpoint;
}

/** The fields of a completed call the graph reads; no caller: a client's, or the ingress gateway's. */
function call(caller: Endpoint | 'client' | 'ingress', served: Endpoint, service: number): Call {
  return {
    source:
      typeof caller === 'string'
        ? { endpoint: undefined, cluster: 0, nodeType: caller === 'client' ? 'sidecar' : 'router' }
        : { endpoint: caller, cluster: 0, nodeType: 'sidecar' },
    endpoint: served,
    service: { index: service, external: undefined },
    request: { traffic: 0 },
    responseCode: 200,
    responseFlags: 0,
  } as unknown as Call;
}

describe('metrics/service-graph edge cache', () => {
  it('keeps pairs in one slot apart, and a call served by another service on its own edge', () => {
    const graph = new ServiceGraphRecorder(['front', 'back', 'other'], ['web'], ['c1']);
    const front = endpoint(0, 0, { app: 'front' });
    const v1 = endpoint(1, 1, { app: 'back', version: 'v1' });
    // A second replica whose pair with front shares the slot of (front, v1).
    let other = 2;
    while (edgeCacheSlot(0, other) !== edgeCacheSlot(0, 1)) other++;
    const v2 = endpoint(other, 1, { app: 'back', version: 'v2' });
    const record = (c: Call) => graph.call(c, true, 1, 0);
    for (let i = 0; i < 3; i++) {
      record(call(front, v1, 1));
      record(call(front, v2, 1));
      record(call(front, v2, 1));
    }
    // Routed to back's v1 replica (just cached) while calling `other`: other's node, not back's edge.
    record(call(front, v1, 1));
    record(call(front, v1, 2));
    // A client and the ingress gateway calling the same replica: edges of their own.
    for (const source of ['client', 'ingress', 'client'] as const) record(call(source, v1, 1));
    const edges = graph
      .summary(1000)
      .edges.map((e) => [e.source, e.destination, e.destinationVersion, e.calls] as const);
    expect(edges).toEqual([
      ['istio-ingressgateway', 'back', 'v1', 1],
      ['front', 'back', 'v1', 4],
      ['front', 'back', 'v2', 6],
      ['front', 'other', 'v1', 1],
      ['web', 'back', 'v1', 2],
    ]);
  });
});

describe('metrics/service-graph edge cache trial', () => {
  it('stays on while most lookups hit, turns off when most miss, and counts every call either way', () => {
    const graph = (pods: number) => {
      const g = new ServiceGraphRecorder(['front', 'back'], ['web'], ['c1']);
      const labels = { front: { app: 'front' }, back: { app: 'back' } };
      const fronts = Array.from({ length: pods }, (_, i) => endpoint(i, 0, labels.front));
      const backs = Array.from({ length: pods }, (_, i) => endpoint(pods + i, 1, labels.back));
      // A caller picks callees at random-ish (a pod pair repeats only among few pods).
      for (let i = 0; i < 40_000; i++)
        g.call(call(fronts[i % pods] as Endpoint, backs[(i * 7919) % pods] as Endpoint, 1), true, 1, 0);
      return { on: g.edgeCacheOn, calls: g.summary(1000).edges.map((e) => e.calls) };
    };
    expect(graph(8)).toEqual({ on: true, calls: [40_000] });
    expect(graph(4000)).toEqual({ on: false, calls: [40_000] });
  });
});
