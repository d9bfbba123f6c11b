/**
 * What istiod sends every proxy of one kind about one Envoy cluster (`outbound|port|subset|host`): the hosts,
 * their localities, priority levels and weights (Envoy's `PrioritySet`, built from a
 * `ClusterLoadAssignment`). It depends on the endpoints the snapshot lists, the service and subset, and the proxy's
 * locality class (its network and kind for split horizon, its locality and labels when locality load
 * balancing is on), never on the proxy's own traffic: upstream-views.ts builds it once per such key and
 * every proxy that sees the same shares it. The proxy's own state (active requests, connections,
 * ejections, cursors) lives in upstream.ts, only for the hosts it touched.
 *
 * Contents: `UpstreamHost` (a pod, or a remote network's east-west gateway), `PodHost`, `GatewayHost`,
 * `PrioritySet`.
 */
import type { Endpoint } from './endpoint.js';
import type { ResolvedTrafficPolicy } from './traffic/effective-traffic-policy.js';

/*
 * Two classes with the same fields in the same order: the request path's loads stay at most bimorphic
 * (object literals rebuilt on every push once made them megamorphic).
 */

/** A pod the proxy reaches directly. */
export class PodHost {
  readonly kind = 'pod' as const;
  constructor(
    /** Stable identity across rebuilds: the endpoint id. */
    readonly key: number,
    readonly cluster: number,
    readonly zone: number,
    readonly weight: number,
    readonly priority: number,
    /** Locality group of a locality-weighted cluster (`distribute`), 0.., or -1 when not locality-weighted. */
    readonly locality: number,
    /** The locality's weight (Envoy `LocalityLbEndpoints.load_balancing_weight`); 0 without `distribute`. */
    readonly localityWeight: number,
    readonly endpoint: Endpoint,
  ) {}
}

/**
 * A remote network's east-west gateway standing for the service's pods of one (cluster, zone) group
 * (split horizon): the gateway picks the backend for each new connection.
 */
export class GatewayHost {
  readonly kind = 'gateway' as const;
  constructor(
    /** Stable identity across rebuilds: -(1 + zone) of the group. */
    readonly key: number,
    /** The cluster whose east-west gateway this is. */
    readonly cluster: number,
    readonly zone: number,
    /** The number of endpoints it stands for (times the `distribute` multiplier, if any). */
    readonly weight: number,
    readonly priority: number,
    readonly locality: number,
    readonly localityWeight: number,
  ) {}
}

export type UpstreamHost = PodHost | GatewayHost;

/**
 * The immutable, shared part of a proxy's view of one cluster: hosts ordered into priority levels and
 * locality groups, their weights, and the cluster's traffic policy. Index arrays here are what the
 * balancer walks when nothing is ejected; a proxy with ejections keeps its own filtered copies.
 */
export class PrioritySet {
  readonly levels: number;
  /** Per level, its hosts (indices into `hosts`), in host order. */
  readonly levelHosts: readonly Int32Array[];
  /** Host weights, or undefined when all are equal (Envoy then uses P2C, not weighted scheduling). */
  readonly weights: Float64Array | undefined;
  /** Locality groups of a locality-weighted cluster (empty otherwise): hosts, level and weight of each. */
  readonly localityHosts: readonly Int32Array[];
  readonly localityLevel: Int32Array;
  readonly localityWeights: Float64Array;
  /** Host index by key, built on first use (rebuilds and retry predicates). */
  private byKey: Map<number, number> | undefined = undefined;

  constructor(
    readonly hosts: readonly UpstreamHost[],
    readonly policy: ResolvedTrafficPolicy,
    /**
     * The endpoint ids it was built from, in the service's order (a gateway host stands for several): two
     * snapshots listing the same members under the same rule and locality class give equal sets.
     */
    readonly members: Int32Array,
  ) {
    const n = hosts.length;
    let levels = 0;
    for (const h of hosts) levels = Math.max(levels, h.priority + 1);
    this.levels = levels;
    const levelStart = new Int32Array(levels + 1);
    for (const h of hosts) levelStart[h.priority + 1] = (levelStart[h.priority + 1] as number) + 1;
    for (let p = 0; p < levels; p++)
      levelStart[p + 1] = (levelStart[p + 1] as number) + (levelStart[p] as number);
    const byLevel = new Int32Array(n);
    const fill = Int32Array.from(levelStart);
    hosts.forEach((h, i) => {
      byLevel[fill[h.priority] as number] = i;
      fill[h.priority] = (fill[h.priority] as number) + 1;
    });
    const levelHosts: Int32Array[] = [];
    for (let p = 0; p < levels; p++)
      levelHosts.push(byLevel.subarray(levelStart[p] as number, levelStart[p + 1] as number));
    this.levelHosts = levelHosts;
    const weighted = hosts.some((h) => h.weight !== (hosts[0] as UpstreamHost).weight);
    this.weights = weighted ? Float64Array.from(hosts, (h) => h.weight) : undefined;
    let localities = 0;
    for (const h of hosts) localities = Math.max(localities, h.locality + 1);
    const groups: number[][] = Array.from({ length: localities }, () => []);
    hosts.forEach((h, i) => {
      if (h.locality >= 0) (groups[h.locality] as number[]).push(i);
    });
    this.localityHosts = groups.map((m) => Int32Array.from(m));
    this.localityLevel = new Int32Array(localities);
    this.localityWeights = new Float64Array(localities);
    for (let l = 0; l < localities; l++) {
      const first = hosts[groups[l]?.[0] ?? -1];
      this.localityLevel[l] = first?.priority ?? 0;
      this.localityWeights[l] = first?.localityWeight ?? 0;
    }
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
