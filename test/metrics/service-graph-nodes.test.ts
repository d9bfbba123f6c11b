/**
 * The service graph finds a replica's node by its deployment's index (`Endpoint.deployment`): the edges it
 * records must be the ones the lookup it replaced found by service, cluster and labels, numbered alike (in
 * order of first sight), on meshes with versions (a few deployments per service and cluster), clients, the
 * ingress gateway, calls that reached no replica and calls served by another service's replica.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine, RngStreams } from '../../src/des/index.js';
import type { Call, Endpoint, MeshObserver } from '../../src/mesh/index.js';
import { callRecord } from './call-record.js';
import { ServiceGraphRecorder } from '../../src/metrics/service-graph.js';
import { buildMesh } from '../../src/scenario/index.js';
import { loadInline } from '../helpers/mesh-run.js';

/**
 * The lookup the deployment index replaced (service-graph.ts before s30), kept as the reference: a node is
 * (workload, version label, cluster), numbered in order of first sight, the caller's before the
 * destination's; an edge is a pair of nodes, in order of first sight.
 */
class ReferenceGraph {
  readonly nodes: string[] = [];
  readonly edges: { source: number; destination: number; calls: number }[] = [];

  constructor(
    private readonly services: number,
    private readonly traffic: number,
    private readonly clusters: number,
  ) {}

  call(c: Readonly<Call>): void {
    const proxy = c.source;
    const caller = proxy.endpoint;
    const source =
      caller !== undefined
        ? this.node(caller.service, caller.labels['version'], caller.cluster)
        : proxy.nodeType !== 'router'
          ? this.node(this.services + c.request.traffic, undefined, proxy.cluster)
          : this.node(this.services + this.traffic, undefined, proxy.cluster);
    const served = c.endpoint;
    // The called service's node, with the serving replica's version and cluster (none: no replica).
    const destination =
      served === undefined
        ? this.node(c.service.index, undefined, this.clusters)
        : this.node(c.service.index, served.labels['version'], served.cluster);
    let edge = this.edges.find((e) => e.source === source && e.destination === destination);
    if (edge === undefined) {
      edge = { source, destination, calls: 0 };
      this.edges.push(edge);
    }
    edge.calls++;
  }

  private node(workload: number, version: string | undefined, cluster: number): number {
    const key = `${workload}/${version ?? ''}/${cluster}`;
    const known = this.nodes.indexOf(key);
    if (known >= 0) return known;
    this.nodes.push(key);
    return this.nodes.length - 1;
  }
}

/** The graph's edges as the reference writes them: node ids, their keys, and calls, in order of first sight. */
function graphEdges(g: ServiceGraphRecorder) {
  const key = (node: number) => {
    const k = g.nodeKey(node);
    return `${k.workload}/${g.versionName(k.version) ?? ''}/${k.cluster}`;
  };
  return g.edges.map((e) => ({
    source: e.source,
    destination: e.destination,
    keys: [key(e.source), key(e.destination)],
    calls: e.requests,
  }));
}

function referenceEdges(r: ReferenceGraph) {
  return r.edges.map((e) => ({
    source: e.source,
    destination: e.destination,
    keys: [r.nodes[e.source], r.nodes[e.destination]],
    calls: e.calls,
  }));
}

/** The fields of a replica the graph reads. */
function replica(id: number, deployment: number, service: number, cluster: number, labels: object): Endpoint {
  return { id, deployment, service, cluster, zone: 0, labels } as unknown as Endpoint;
}

/** The fields of a completed call the graph reads. */
function completedCall(
  caller: Endpoint | { traffic: number; cluster: number } | { ingress: number },
  served: Endpoint | undefined,
  service: number,
): Call {
  const source =
    'ingress' in caller
      ? { endpoint: undefined, cluster: caller.ingress, nodeType: 'router' }
      : 'traffic' in caller
        ? { endpoint: undefined, cluster: caller.cluster, nodeType: 'sidecar' }
        : { endpoint: caller, cluster: caller.cluster, nodeType: 'sidecar' };
  return {
    source,
    endpoint: served,
    service: { index: service, external: undefined },
    request: { traffic: 'traffic' in caller ? caller.traffic : 0 },
    responseCode: 200,
    responseFlags: 0,
  } as unknown as Call;
}

const SERVICES = 3;
const TRAFFIC = 2;
const CLUSTERS = 2;

/**
 * A mesh of deployments, one to three per (service, cluster), labelled with no version, v1 or v2 (two of
 * one service and cluster may share a version: they then share a node), with one to three pods each; the
 * deployments in a shuffled order, as a scenario may list them.
 */
const meshArb = fc
  .array(
    fc.record({
      service: fc.integer({ min: 0, max: SERVICES - 1 }),
      cluster: fc.integer({ min: 0, max: CLUSTERS - 1 }),
      version: fc.constantFrom(undefined, 'v1', 'v2'),
      pods: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((deployments) => {
    const pods: Endpoint[] = [];
    deployments.forEach((d, index) => {
      // Each deployment its own labels object, as each ReplicaSet has.
      const labels = d.version === undefined ? {} : { version: d.version };
      for (let p = 0; p < d.pods; p++) pods.push(replica(pods.length, index, d.service, d.cluster, labels));
    });
    return pods;
  });

/** Calls from a pod, a client or the ingress gateway, to a pod of the called service, another's, or none. */
const callsArb = (pods: number) =>
  fc.array(
    fc.record({
      caller: fc.oneof(
        fc.integer({ min: 0, max: pods - 1 }).map((p) => ({ pod: p })),
        fc.record({
          traffic: fc.integer({ min: 0, max: TRAFFIC - 1 }),
          cluster: fc.integer({ min: 0, max: 1 }),
        }),
        fc.integer({ min: 0, max: CLUSTERS - 1 }).map((c) => ({ ingress: c })),
      ),
      served: fc.option(fc.integer({ min: 0, max: pods - 1 }), { nil: undefined }),
      /** Served by another service's replica: the called service is the next one (routed elsewhere). */
      routed: fc.boolean(),
    }),
    { minLength: 1, maxLength: 200 },
  );

describe('metrics/service-graph nodes by deployment', () => {
  it('finds the edges and node numbers the lookup by service, cluster and labels found (property)', () => {
    fc.assert(
      fc.property(
        meshArb.chain((pods) => fc.tuple(fc.constant(pods), callsArb(pods.length))),
        ([pods, calls]) => {
          const graph = new ServiceGraphRecorder(['s0', 's1', 's2'], ['t0', 't1'], ['c0', 'c1']);
          const reference = new ReferenceGraph(SERVICES, TRAFFIC, CLUSTERS);
          for (const c of calls) {
            const caller = 'pod' in c.caller ? (pods[c.caller.pod] as Endpoint) : c.caller;
            const served = c.served === undefined ? undefined : (pods[c.served] as Endpoint);
            const own = served?.service ?? 0;
            const service = c.routed ? (own + 1) % SERVICES : own;
            const call = completedCall(caller, served, service);
            const r = callRecord(call);
            graph.record(graph.edgeOf(r), r, true, new Float64Array([1, 0]));
            reference.call(call);
          }
          expect(graphEdges(graph)).toEqual(referenceEdges(reference));
        },
      ),
      { seed: 20261207, numRuns: 300 },
    );
  });

  it('on a built mesh: each pod carries its ReplicaSet index, and the edges are the reference lookup’s', () => {
    // Two clusters; reviews has two deployments (v1, v2) in each, listed so that the deployment index and
    // the order calls first reach them differ.
    const scenario = loadInline(`
name: nodes
duration: 3s
clusters: [ { name: c1, region: r1 }, { name: c2, region: r1 } ]
services:
  - name: front
    deployments: [ { cluster: c1, replicas: 2 }, { cluster: c2, replicas: 2 } ]
    serviceTime: 1ms
    calls: [ { service: reviews } ]
  - name: reviews
    deployments:
      - { cluster: c2, replicas: 2, labels: { version: v2 } }
      - { cluster: c1, replicas: 2, labels: { version: v1 } }
      - { cluster: c2, replicas: 1, labels: { version: v1 } }
      - { cluster: c1, replicas: 3, labels: { version: v2 } }
    serviceTime: 2ms
traffic: [ { name: web, entry: front, from: { c1: 50%, c2: 50% }, rate: 300/s } ]
`);
    const model = scenario.models[0];
    if (model === undefined) throw new Error('no model');
    const graph = new ServiceGraphRecorder(['front', 'reviews'], ['web'], ['c1', 'c2']);
    const reference = new ReferenceGraph(2, 1, 2);
    const served = new Map<number, Endpoint>();
    const observer: MeshObserver = {
      requestStarted() {},
      requestCompleted() {},
      callCompleted(c) {
        if (c.endpoint !== undefined) served.set(c.endpoint.id, c.endpoint);
        const r = callRecord(c);
        graph.record(graph.edgeOf(r), r, true, new Float64Array([1, 0]));
        reference.call(c);
      },
      converged() {},
      staleProxies() {},
      pushed() {},
      xdsClients() {},
      podCreationRejected() {},
      certExpired() {},
    };
    const engine = new Engine();
    buildMesh(scenario, model, engine, new RngStreams(1), observer).start(scenario.durationMs);
    engine.run(scenario.durationMs + 1000);
    // Deployments in declaration order: front's two, then reviews' four (index = ReplicaSet order).
    const expected = new Map([
      ['0//0', 0],
      ['0//1', 1],
      ['1/v2/1', 2],
      ['1/v1/0', 3],
      ['1/v1/1', 4],
      ['1/v2/0', 5],
    ]);
    for (const e of served.values())
      expect(e.deployment).toBe(expected.get(`${e.service}/${e.labels['version'] ?? ''}/${e.cluster}`));
    expect([...new Set([...served.values()].map((e) => e.deployment))].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const edges = graphEdges(graph);
    expect(edges).toEqual(referenceEdges(reference));
    // Clients into front in both clusters, front into the four reviews deployments from both clusters.
    expect(edges.length).toBeGreaterThanOrEqual(2 + 4);
    expect(edges.reduce((n, e) => n + e.calls, 0)).toBeGreaterThan(1000);
  });

  it('refuses an endpoint that carries no deployment index rather than guess its node', () => {
    const graph = new ServiceGraphRecorder(['s0'], ['t0'], ['c0']);
    const orphan = replica(0, -1, 0, 0, {});
    expect(() => graph.edgeOf(callRecord(completedCall({ traffic: 0, cluster: 0 }, orphan, 0)))).toThrow(
      /endpoint 0 carries no deployment index/,
    );
  });
});
