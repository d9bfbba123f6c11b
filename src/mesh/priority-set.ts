/**
 * What istiod sends every proxy of one kind about one Envoy cluster (`outbound|port|subset|host`): the hosts,
 * their localities, priority levels and weights (Envoy's `PrioritySet`, built from a
 * `ClusterLoadAssignment`). It depends on the endpoints the snapshot lists, the service and subset, and the proxy's
 * locality class (its network and kind for split horizon, its locality and labels when locality load
 * balancing is on), never on the proxy's own traffic: upstream-views.ts builds it once per such key and
 * every proxy that sees the same shares it. The proxy's own state (active requests, connections,
 * ejections, cursors) lives in upstream.ts, only for the hosts it touched.
 *
 * Contents: `UpstreamHost` (a pod's Endpoint, or a remote network's east-west gateway), `GatewayHost`,
 * `HostEntry`, `PrioritySet`.
 */
import type { StreamSampler } from '../des/index.js';
import type { Endpoint } from './endpoint.js';
import type { ResolvedTrafficPolicy } from './traffic/effective-traffic-policy.js';

/**
 * A remote network's east-west gateway standing for the service's pods of one (cluster, zone) group
 * (split horizon): the gateway picks the backend for each new connection.
 */
export class GatewayHost {
  /** The union's tag, on the prototype as Endpoint's is (no field per host). */
  get kind(): 'gateway' {
    return 'gateway';
  }
  constructor(
    /** Stable identity across rebuilds: -(1 + zone) of the group. */
    readonly key: number,
    /** The cluster whose east-west gateway this is. */
    readonly cluster: number,
    readonly zone: number,
  ) {}
}

/**
 * A host of a view: a pod the proxy reaches directly, which is its Endpoint itself (`kind` 'pod', `key`
 * its id), or a gateway. A request hop reads the host it picked: a pod host object of its own between the
 * view and the endpoint was one more cold object per hop on a large mesh (a sidecar of a 25,000-pod mesh
 * meets a host it has not touched for seconds on nearly every request). What depends on the view rather
 * than on the pod (priority, weight, locality) is the PrioritySet's, in arrays by host index.
 */
export type UpstreamHost = Endpoint | GatewayHost;

/** A host with what the ClusterLoadAssignment says of it, as the PrioritySet is built from. */
export interface HostEntry {
  readonly host: UpstreamHost;
  /** A gateway's is the number of endpoints it stands for (times the `distribute` multiplier, if any). */
  readonly weight: number;
  readonly priority: number;
  /** Locality group of a locality-weighted cluster (`distribute`), 0.., or -1 when not locality-weighted. */
  readonly locality: number;
  /** The locality's weight (Envoy `LocalityLbEndpoints.load_balancing_weight`); 0 without `distribute`. */
  readonly localityWeight: number;
}

/** 0, 1, 2, ...: what every set whose host lists run in host order shares (see `inHostOrder`). */
let identity = new Int32Array(0);

/**
 * `hosts` itself when its entries are not consecutive, else the same run as a view of one identity array
 * for every set. A view's candidate lists are the set's lists of hosts per level (or locality): with one
 * level they hold 0..n-1, and a pick reads two random entries. Each set's own copy (4 bytes a host; a
 * 25,000-pod mesh's 12 sets of 2,082 hosts, 100 KB) was read at random and so mostly from memory; one
 * array all sets share (8 KB) stays in cache.
 */
function inHostOrder(hosts: Int32Array): Int32Array {
  const n = hosts.length;
  if (n === 0) return hosts;
  const first = hosts[0] as number;
  for (let i = 1; i < n; i++) if (hosts[i] !== first + i) return hosts;
  if (identity.length < first + n) {
    identity = new Int32Array(Math.max(first + n, 2 * identity.length));
    for (let i = 0; i < identity.length; i++) identity[i] = i;
  }
  return identity.subarray(first, first + n);
}

/** Runs of one value (0: every host in level 0; -1: no locality groups), by value, shared like `identity`. */
const constantRuns = new Map<number, Int32Array>();

/**
 * `values` itself unless every entry is `value`, else a run of n `value`s that every such set shares: most
 * clusters have one level and no locality groups, and a copy per set cost 4 bytes a host each (at 100,000
 * pods as much as `hop` takes). Never written (the fields' type says so).
 */
function sharedIfAll(values: Int32Array, value: number): Int32Array {
  const n = values.length;
  if (!values.every((v) => v === value)) return values;
  let run = constantRuns.get(value);
  if (run === undefined || run.length < n) {
    run = new Int32Array(Math.max(n, 2 * (run?.length ?? 0))).fill(value);
    constantRuns.set(value, run);
  }
  return run.subarray(0, n);
}

/**
 * The immutable, shared part of a proxy's view of one cluster: hosts ordered into priority levels and
 * locality groups, their weights, and the cluster's traffic policy. Index arrays here are what the
 * balancer walks when nothing is ejected; a proxy with ejections keeps its own filtered copies.
 */
export class PrioritySet {
  /** The hosts (index = host number in every array here and in the views). */
  readonly hosts: readonly UpstreamHost[];
  /** Per host, its priority level (maybe shared with other sets: never written). */
  readonly priorities: Readonly<Int32Array>;
  /** Per host, its locality group (-1: the cluster is not locality-weighted; maybe shared, never written). */
  readonly localities: Readonly<Int32Array>;
  readonly levels: number;
  /** Per level, its hosts (indices into `hosts`), in host order. */
  readonly levelHosts: readonly Int32Array[];
  /** Host weights, or undefined when all are equal (Envoy then uses P2C, not weighted scheduling). */
  readonly weights: Float64Array | undefined;
  /** Every host's weight when all are equal (`weights` undefined). */
  private readonly sameWeight: number;
  /** Locality groups of a locality-weighted cluster (empty otherwise): hosts, level and weight of each. */
  readonly localityHosts: readonly Int32Array[];
  readonly localityLevel: Int32Array;
  readonly localityWeights: Float64Array;
  /**
   * What a request hop needs of its host, two ints per host: its zone, then, for a pod, its sidecar's
   * latency stream in `podLatency` (-1: a gateway host). With these a hop to a pod reads neither the
   * Endpoint nor its sidecar (each a cold object on a large mesh, whose host a sidecar has seldom touched
   * in the last second) until the try arrives there; the hosts of one set are read by every proxy that
   * sees it, so these stay in cache (connection-path.ts `dispatch`).
   */
  readonly hop: Int32Array;
  /**
   * The sampler every pod host's sidecar draws its latency with (`hop` holds the stream), or undefined when
   * they do not share one: a hop then asks the sidecar itself.
   */
  readonly podLatency: StreamSampler | undefined;
  /** Host index by key, built on first use (rebuilds and retry predicates). */
  private byKey: Map<number, number> | undefined = undefined;

  constructor(
    entries: readonly HostEntry[],
    readonly policy: ResolvedTrafficPolicy,
    /**
     * The endpoint ids it was built from, in the service's order (a gateway host stands for several): two
     * snapshots listing the same members under the same rule and locality class give equal sets.
     */
    readonly members: Int32Array,
  ) {
    const n = entries.length;
    this.hosts = entries.map((e) => e.host);
    const hop = new Int32Array(2 * n);
    let podLatency: StreamSampler | undefined = undefined;
    let shared = true;
    entries.forEach((e, i) => {
      const h = e.host;
      hop[2 * i] = h.zone;
      if (h.kind === 'gateway') {
        hop[2 * i + 1] = -1;
        return;
      }
      const latency = h.sidecar.latency;
      hop[2 * i + 1] = latency.stream;
      podLatency ??= latency.sampler;
      if (latency.sampler !== podLatency) shared = false;
    });
    this.hop = hop;
    this.podLatency = shared ? podLatency : undefined;
    const priorities = Int32Array.from(entries, (e) => e.priority);
    const localities = Int32Array.from(entries, (e) => e.locality);
    this.priorities = sharedIfAll(priorities, 0);
    this.localities = sharedIfAll(localities, -1);
    let levels = 0;
    for (const p of priorities) levels = Math.max(levels, p + 1);
    this.levels = levels;
    const levelStart = new Int32Array(levels + 1);
    for (const p of priorities) levelStart[p + 1] = (levelStart[p + 1] as number) + 1;
    for (let p = 0; p < levels; p++)
      levelStart[p + 1] = (levelStart[p + 1] as number) + (levelStart[p] as number);
    const byLevel = new Int32Array(n);
    const fill = Int32Array.from(levelStart);
    priorities.forEach((p, i) => {
      byLevel[fill[p] as number] = i;
      fill[p] = (fill[p] as number) + 1;
    });
    const levelHosts: Int32Array[] = [];
    for (let p = 0; p < levels; p++)
      levelHosts.push(inHostOrder(byLevel.subarray(levelStart[p] as number, levelStart[p + 1] as number)));
    this.levelHosts = levelHosts;
    const weighted = entries.some((e) => e.weight !== (entries[0] as HostEntry).weight);
    this.weights = weighted ? Float64Array.from(entries, (e) => e.weight) : undefined;
    this.sameWeight = weighted ? NaN : (entries[0]?.weight ?? 0);
    let groupCount = 0;
    for (const l of localities) groupCount = Math.max(groupCount, l + 1);
    const groups: number[][] = Array.from({ length: groupCount }, () => []);
    localities.forEach((l, i) => {
      if (l >= 0) (groups[l] as number[]).push(i);
    });
    this.localityHosts = groups.map((m) => inHostOrder(Int32Array.from(m)));
    this.localityLevel = new Int32Array(groupCount);
    this.localityWeights = new Float64Array(groupCount);
    for (let l = 0; l < groupCount; l++) {
      const first = entries[groups[l]?.[0] ?? -1];
      this.localityLevel[l] = first?.priority ?? 0;
      this.localityWeights[l] = first?.localityWeight ?? 0;
    }
  }

  /** Host `host`'s weight (a gateway host's counts the endpoints it stands for). */
  weightOf(host: number): number {
    if (!(host >= 0 && host < this.hosts.length))
      throw new RangeError(`PrioritySet: host ${host} outside the set's ${this.hosts.length}`);
    return this.weights === undefined ? this.sameWeight : (this.weights[host] as number);
  }

  /** The host's index here, or -1 if it is not in this set. */
  indexOfKey(key: number): number {
    if (this.byKey === undefined) {
      const byKey = new Map<number, number>();
      this.hosts.forEach((h, i) => byKey.set(h.key, i));
      this.byKey = byKey;
    }
    return this.byKey.get(key) ?? -1;
  }
}
