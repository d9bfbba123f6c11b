/**
 * The service graph of a run, as Kiali draws a real mesh: one edge per (source workload, version, cluster ->
 * destination service, version, cluster) with its call count, errors by response code and Envoy response
 * flag, and latency percentiles.
 *
 * The hot path allocates nothing per call: a replica's node (caller or destination) is found by its
 * deployment's index (`Endpoint.deployment`) in one array read, a client's by traffic source and cluster,
 * and the edge by the two nodes in two more; the edge is an array cell, created with its histograms and its few
 * response codes the first time the edge is seen. Memory grows with deployments and the edges the run
 * exercised, never with pods or calls. (Resolving both nodes through label and key maps on every call was
 * 9% of the mesh bench's profile; caching them per proxy and per endpoint id read two arrays of one entry
 * per pod, cold in cache at 25,000 pods; finding both nodes by service, cluster and labels cost ~240
 * instructions a call, s24; a cache of edges by pod pair hit 95% of calls on the 72-pod mesh bench but
 * 14% at 1,000 pods and 0.7% at 25,000, where it turned itself off. By deployment, callgrind: the graph's
 * code ~130 instructions a call fewer at 1,000 and 25,000 pods than that lookup, ~14 more on the mesh bench
 * than the cache where it hit, s30-dep.)
 *
 * An edge's histograms are the finest cells of a call's latency: the recorder's per-service and per-version
 * breakdowns keep sums only and merge the histograms of their edges (`tallies`).
 */
import type { Endpoint } from '../mesh/index.js';
import { formatResponseFlags } from '../mesh/index.js';
import type { CallRecord } from './record-buffer.js';
import { LogHistogram } from './stats/index.js';
import { round, type LatencyParts, type TallySums } from './tally.js';

/** One edge of the service graph: what a calling proxy saw of its calls to one destination workload. */
export interface ServiceGraphEdge {
  /**
   * `service` for a service replica's sidecar, `traffic` for an in-mesh client (a `traffic:` source),
   * `ingress` for the ingress gateway calling on behalf of clients that enter `via: ingress`.
   */
  readonly sourceKind: 'service' | 'traffic' | 'ingress';
  /** The calling service, the traffic source's name for a client, `istio-ingressgateway` for the ingress gateway. */
  readonly source: string;
  /** The caller's `version` label; null when it has none (clients, unversioned deployments). */
  readonly sourceVersion: string | null;
  readonly sourceCluster: string;
  /** The service actually called, after routing (an external host's name for a ServiceEntry host). */
  readonly destination: string;
  /** Present, `external`, when the destination is a ServiceEntry host outside the clusters. */
  readonly destinationKind?: 'external';
  /** The serving replica's `version` label; null when unversioned or when no replica was reached. */
  readonly destinationVersion: string | null;
  /** The serving replica's cluster; null when the call reached no replica (e.g. 503 UH, a fault abort). */
  readonly destinationCluster: string | null;
  /** Calls sent after warm-up whose final response (after retries) reached the caller. */
  readonly calls: number;
  /** `calls` per second of measured time (duration minus warm-up). */
  readonly ratePerSecond: number;
  /** Calls whose final response was a failure (5xx or none). */
  readonly errors: number;
  /** `errors / calls`. */
  readonly errorRatio: number;
  /** Call latency from the caller's send to its final response, every call (failures included). */
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number };
  /** Final responses by status code and Envoy response flags (`-` for none), ordered by code then flags. */
  readonly responses: readonly { readonly code: number; readonly flags: string; readonly count: number }[];
}

export interface ServiceGraphSummary {
  /** Edges ordered by source, destination, then cluster and version. */
  readonly edges: readonly ServiceGraphEdge[];
}

/** The ingress gateway's workload name (a default install's, as Istio's telemetry labels it). */
export const INGRESS_GATEWAY = 'istio-ingressgateway';

/** Relative accuracy of the edges' latency histograms (1%, as every latency meshsim reports). */
const EDGE_ACCURACY = 0.01;

/**
 * An edge's cell: its calls' latency histograms and counts (what a tally without batches held, as fields
 * of the cell: one object fewer, two or three cache lines a call, issue 17), its first response, and what
 * the recorder keeps on it. Fields the call path touches come first (an object literal's fields are laid
 * out in the order written in `newEdge`).
 */
export interface EdgeCell extends LatencyParts {
  /** Answered calls' latency (not 5xx), without running sums: the breakdowns merging it keep their own. */
  readonly latency: LogHistogram;
  /** Calls (`requests`) and answered ones. */
  requests: number;
  succeeded: number;
  /**
   * The edge's first response key `code * 2^16 + flags` (-1 before its first call) and its count, as
   * fields of this cell: nearly every call of an edge ends as its first (200, no flag), and then touches
   * no array (two arrays and their elements were four cache lines a call, missed in L1d, issue 17).
   */
  responseKey: number;
  responseCount: number;
  /**
   * The run recorder's sums for the destination's version row (version-breakdown.ts), null when it has
   * none; undefined until the recorder looks: kept here so that a call finds it without another lookup.
   */
  versionSums: TallySums | null | undefined;
  readonly failedLatency: LogHistogram;
  readonly source: number;
  /** The destination node: its service is the call's (`node(destination).workload`). */
  readonly destination: number;
  /** The other response keys and their counts, in order of first sight: an edge sees a few. */
  readonly responseKeys: number[];
  readonly responseCounts: number[];
}

export interface NodeKey {
  /** Service index, or `services + traffic index` for a client. */
  readonly workload: number;
  /** Index into the interned versions; 0 = none. */
  readonly version: number;
  /** Cluster index; `clusters` = none (no replica reached). */
  readonly cluster: number;
}

export class ServiceGraphRecorder {
  private readonly versionByLabels = new Map<object, number>();
  private readonly versions: (string | null)[] = [null];
  private readonly versionIndex = new Map<string, number>();
  private readonly nodeByKey = new Map<number, number>();
  private readonly nodes: NodeKey[] = [];
  /** Per source node, its edges by destination node (sparse, grown on first sight). */
  private readonly edgesFrom: (EdgeCell | undefined)[][] = [];
  private readonly cells: EdgeCell[] = [];
  /**
   * Node of a replica by its deployment's index (`Endpoint.deployment`), undefined until the deployment is
   * seen (`edgeOf` reads it with one `??`): the deployment fixes service, cluster and labels, and so the node.
   */
  private readonly deploymentNode: (number | undefined)[] = [];
  /** Node of a client (no endpoint), by traffic x clusters + cluster; of the ingress gateway, by cluster. */
  private readonly clientNode: (number | undefined)[] = [];
  private readonly ingressNode: (number | undefined)[] = [];
  /** Node of a call that reached no replica, by service. */
  private readonly unreachedNode: (number | undefined)[] = [];
  /** Service indices of ServiceEntry hosts seen as destinations. */
  private readonly external = new Set<number>();

  constructor(
    private readonly services: readonly string[],
    private readonly traffic: readonly string[],
    private readonly clusters: readonly string[],
  ) {
    if (clusters.length >= 1024 || services.length + traffic.length + 1 >= 2048)
      throw new RangeError(
        `ServiceGraphRecorder: ${clusters.length} clusters and ${services.length + traffic.length} workloads exceed the node key's 1023 and 2047`,
      );
  }

  /**
   * Records one completed call on its edge (`edgeOf`); the caller decides whether it is past warm-up.
   *
   * @param ok - a final response that is not 5xx (the caller's `isFailure` verdict: an error otherwise).
   * @param latency - the call's latency in ms and its natural log, [ms, ln] (LogHistogram.recordCell).
   */
  record(cell: EdgeCell, call: Readonly<CallRecord>, ok: boolean, latency: Float64Array): void {
    cell.requests++;
    if (ok) {
      cell.succeeded++;
      cell.latency.recordCell(latency);
    } else cell.failedLatency.recordCell(latency);
    const key = call.responseCode * 65536 + call.responseFlags;
    if (key === cell.responseKey) cell.responseCount++;
    else otherResponse(cell, key);
  }

  /**
   * The edge of a call: its caller's node, then its destination's (that order: nodes are numbered in order
   * of first sight, and so are the edges the summary lists), then the cell of the pair. Only the common
   * case is here, a replica's call served by its service's replica on an edge seen before, so that V8
   * inlines it into the run recorder's `recordCall`; the rest is in functions of its own.
   */
  edgeOf(call: Readonly<CallRecord>): EdgeCell {
    // A replica's node is read here, not through a function: with the recorder's other callees inlined
    // first, TurboFan's budget left both reads as real calls (~45 instructions each, two or three a call,
    // s33). This body's size counts in that budget too (RunRecorder.recordCall).
    const nodes = this.deploymentNode;
    const caller = call.source.endpoint;
    const source =
      caller === undefined ? this.proxyNode(call) : (nodes[caller.deployment] ?? this.firstSight(caller));
    const endpoint = call.endpoint;
    const destination =
      endpoint !== undefined && endpoint.service === call.service.index
        ? (nodes[endpoint.deployment] ?? this.firstSight(endpoint))
        : this.otherDestination(call);
    return this.edgesFrom[source]?.[destination] ?? this.newEdge(call, source, destination);
  }

  /**
   * The node of a call with no replica behind its proxy: a client's; from a router, the ingress gateway's
   * (one node per cluster after the traffic sources), as Kiali draws istio-ingressgateway.
   */
  private proxyNode(call: Readonly<CallRecord>): number {
    const proxy = call.source;
    let source: number | undefined;
    if (proxy.nodeType !== 'router') {
      const k = call.traffic * this.clusters.length + proxy.cluster;
      source = this.clientNode[k];
      if (source === undefined) {
        source = this.node(this.services.length + call.traffic, 0, proxy.cluster);
        this.clientNode[k] = source;
      }
    } else {
      source = this.ingressNode[proxy.cluster];
      if (source === undefined) {
        source = this.node(this.services.length + this.traffic.length, 0, proxy.cluster);
        this.ingressNode[proxy.cluster] = source;
      }
    }
    return source;
  }

  /**
   * The destination node of a call not served by its service's replica: none reached (its service's node
   * with no cluster), or routed to another service's replica (a node of the service it called, found by
   * key: rare, a VirtualService routing to another host).
   */
  private otherDestination(call: Readonly<CallRecord>): number {
    const endpoint = call.endpoint;
    const service = call.service.index;
    if (endpoint !== undefined) return this.node(service, this.version(endpoint.labels), endpoint.cluster);
    let destination = this.unreachedNode[service];
    if (destination === undefined) {
      destination = this.node(service, 0, this.clusters.length);
      this.unreachedNode[service] = destination;
    }
    return destination;
  }

  /**
   * An edge's first call: its cell, created with empty histograms. An external destination is noted here,
   * not at every call: an edge's destination node is its calls' service (`edgeOf`), and a service's
   * `external` is fixed when the mesh is built, so each edge's first call sees what all its calls would.
   */
  private newEdge(call: Readonly<CallRecord>, source: number, destination: number): EdgeCell {
    if (call.service.external !== undefined) this.external.add(call.service.index);
    let row = this.edgesFrom[source];
    if (row === undefined) {
      row = [];
      this.edgesFrom[source] = row;
    }
    // No sums: an edge reports percentiles, and the breakdowns merging it keep their own (`TallySums`).
    const cell: EdgeCell = {
      latency: new LogHistogram(EDGE_ACCURACY, false),
      requests: 0,
      succeeded: 0,
      responseKey: -1,
      responseCount: 0,
      versionSums: undefined,
      failedLatency: new LogHistogram(EDGE_ACCURACY, false),
      source,
      destination,
      responseKeys: [],
      responseCounts: [],
    };
    row[destination] = cell;
    this.cells.push(cell);
    return cell;
  }

  /** A deployment's first call: its node, by service, version and cluster (one per deployment seen). */
  private firstSight(replica: Endpoint): number {
    const d = replica.deployment;
    if (!(Number.isInteger(d) && d >= 0))
      throw new RangeError(
        `ServiceGraphRecorder: endpoint ${replica.id} carries no deployment index (${d}); endpoints come from Workloads`,
      );
    const node = this.node(replica.service, this.version(replica.labels), replica.cluster);
    // Grown with undefined, not holes: an index far past the end would turn the array into a dictionary.
    while (this.deploymentNode.length <= d) this.deploymentNode.push(undefined);
    this.deploymentNode[d] = node;
    return node;
  }

  /** Every edge the run exercised, in order of first sight. */
  get edges(): readonly EdgeCell[] {
    return this.cells;
  }

  /** What a node stands for (`EdgeCell.source`, `EdgeCell.destination`). */
  nodeKey(node: number): NodeKey {
    const key = this.nodes[node];
    if (key === undefined) throw new RangeError(`ServiceGraphRecorder: no node ${node}`);
    return key;
  }

  /** Clusters: a node's `cluster` equal to this is none (the call reached no replica). */
  get clusterCount(): number {
    return this.clusters.length;
  }

  /** The `version` label behind a node's version index; null for 0 (none). */
  versionName(version: number): string | null {
    return this.versions[version] ?? null;
  }

  /** Edges the run exercised, and histogram buckets they hold (for `stateSize`). */
  get edgeCount(): number {
    return this.cells.length;
  }

  get bucketCount(): number {
    let n = 0;
    for (const c of this.cells) n += c.latency.bucketCount + c.failedLatency.bucketCount;
    return n;
  }

  summary(measuredMs: number): ServiceGraphSummary {
    const seconds = measuredMs / 1000;
    const edges = this.cells.map((c): ServiceGraphEdge => {
      const s = this.nodes[c.source] as NodeKey;
      const d = this.nodes[c.destination] as NodeKey;
      const isClient = s.workload >= this.services.length;
      const isIngress = s.workload === this.services.length + this.traffic.length;
      // Kiali's edge latency is every call's: answered and failed histograms merge exactly.
      const latency = c.latency.clone();
      latency.merge(c.failedLatency);
      const q = (p: number) => round(latency.quantile(p) ?? 0, 4);
      const calls = c.requests;
      const errors = calls - c.succeeded;
      return {
        sourceKind: isIngress ? 'ingress' : isClient ? 'traffic' : 'service',
        source: isIngress
          ? INGRESS_GATEWAY
          : isClient
            ? (this.traffic[s.workload - this.services.length] as string)
            : (this.services[s.workload] as string),
        sourceVersion: this.versions[s.version] ?? null,
        sourceCluster: this.clusters[s.cluster] as string,
        destination: this.services[d.workload] as string,
        destinationVersion: this.versions[d.version] ?? null,
        destinationCluster: this.clusters[d.cluster] ?? null,
        ...(this.external.has(d.workload) ? { destinationKind: 'external' as const } : {}),
        calls,
        ratePerSecond: seconds > 0 ? round(calls / seconds, 4) : 0,
        errors,
        errorRatio: round(errors / calls, 6),
        latencyMs: { p50: q(0.5), p90: q(0.9), p99: q(0.99) },
        responses: [c.responseKey, ...c.responseKeys]
          .map((key, i) => ({
            code: Math.floor(key / 65536),
            flags: formatResponseFlags(key % 65536),
            count: i === 0 ? c.responseCount : (c.responseCounts[i - 1] as number),
          }))
          .sort((a, b) => a.code - b.code || a.flags.localeCompare(b.flags, 'en')),
      };
    });
    const text = (e: ServiceGraphEdge) =>
      [
        e.sourceKind,
        e.source,
        e.destination,
        e.sourceCluster,
        e.sourceVersion ?? '',
        e.destinationCluster ?? '\uffff',
        e.destinationVersion ?? '',
      ].join('\u0000');
    const order = edges.map((e) => ({ e, k: text(e) }));
    order.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    return { edges: order.map((x) => x.e) };
  }

  private version(labels: Readonly<Record<string, string>>): number {
    const known = this.versionByLabels.get(labels);
    if (known !== undefined) return known;
    const v = labels['version'];
    let index = 0;
    if (v !== undefined) {
      index = this.versionIndex.get(v) ?? this.versions.length;
      if (index === this.versions.length) {
        if (index >= 1024) throw new RangeError('ServiceGraphRecorder: more than 1023 distinct versions');
        this.versions.push(v);
        this.versionIndex.set(v, index);
      }
    }
    this.versionByLabels.set(labels, index);
    return index;
  }

  private node(workload: number, version: number, cluster: number): number {
    // Workloads, versions and clusters are each well below 2^10 here, and the key stays a small integer.
    const key = (workload * 1024 + version) * 1024 + cluster;
    const known = this.nodeByKey.get(key);
    if (known !== undefined) return known;
    const id = this.nodes.length;
    this.nodes.push({ workload, version, cluster });
    this.nodeByKey.set(key, id);
    return id;
  }
}

/**
 * A call whose response is not its edge's first: the edge's first call (which sets the first), or another
 * response, counted in the arrays. Out of `ServiceGraphRecorder.record`: bytecode TurboFan inlines.
 */
function otherResponse(cell: EdgeCell, key: number): void {
  if (cell.responseKey === -1) {
    cell.responseKey = key;
    cell.responseCount = 1;
    return;
  }
  const keys = cell.responseKeys;
  // A loop, not `indexOf`: the builtin call on an array of one or two keys was 3% of the mesh bench.
  let at = keys.length - 1;
  while (at >= 0 && keys[at] !== key) at--;
  if (at >= 0) cell.responseCounts[at] = (cell.responseCounts[at] as number) + 1;
  else {
    keys.push(key);
    cell.responseCounts.push(1);
  }
}

/** An edge's identity: everything but its figures. */
export function edgeKey(e: ServiceGraphEdge): string {
  return [
    e.sourceKind,
    e.source,
    e.sourceVersion ?? '',
    e.sourceCluster,
    e.destination,
    e.destinationVersion ?? '',
    e.destinationCluster ?? '',
  ].join('\u0000');
}

/**
 * The service graph over replications: per edge, calls, errors and responses as means per replication (a
 * replication without the edge counts as zero calls), the error ratio pooled (errors over calls of every
 * replication), latency percentiles as the mean over the replications that had the edge (percentiles of
 * different runs do not merge). Edges in the first replication's order, then the rest as met.
 */
export function meanServiceGraph(graphs: readonly ServiceGraphSummary[]): ServiceGraphSummary {
  const n = graphs.length;
  if (n === 0) return { edges: [] };
  const byKey = new Map<string, ServiceGraphEdge[]>();
  for (const g of graphs)
    for (const e of g.edges) {
      const k = edgeKey(e);
      const list = byKey.get(k);
      if (list === undefined) byKey.set(k, [e]);
      else list.push(e);
    }
  const edges = [...byKey.values()].map((list): ServiceGraphEdge => {
    const first = list[0] as ServiceGraphEdge;
    const sum = (f: (e: ServiceGraphEdge) => number) => list.reduce((a, e) => a + f(e), 0);
    const calls = sum((e) => e.calls);
    const errors = sum((e) => e.errors);
    const responses = new Map<string, { code: number; flags: string; count: number }>();
    for (const e of list)
      for (const r of e.responses) {
        const k = `${r.code} ${r.flags}`;
        const had = responses.get(k);
        if (had) had.count += r.count;
        else responses.set(k, { ...r });
      }
    const latency = (f: (e: ServiceGraphEdge) => number) => round(sum(f) / list.length, 4);
    return {
      ...first,
      calls: round(calls / n, 3),
      ratePerSecond: round(sum((e) => e.ratePerSecond) / n, 4),
      errors: round(errors / n, 3),
      errorRatio: calls > 0 ? round(errors / calls, 6) : 0,
      latencyMs: {
        p50: latency((e) => e.latencyMs.p50),
        p90: latency((e) => e.latencyMs.p90),
        p99: latency((e) => e.latencyMs.p99),
      },
      responses: [...responses.values()]
        .map((r) => ({ ...r, count: round(r.count / n, 3) }))
        .sort((a, b) => a.code - b.code || a.flags.localeCompare(b.flags, 'en')),
    };
  });
  return { edges };
}
