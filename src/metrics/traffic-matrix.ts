/**
 * Who talks to whom: calls by caller cluster and serving cluster, requests by client cluster and the
 * clusters that served them, calls by (caller zone, replica zone) for bytes crossing zones and regions, and
 * passes through sidecars for their CPU. Fixed-size arrays: clusters² and zones² counters.
 */

/** A zone as the topology numbers it (every cluster's zones, in order). */
export interface ZoneRef {
  readonly region: string;
  readonly name: string;
}

export interface CrossingCounts {
  /** Calls between different zones of one region. */
  readonly crossZone: number;
  /** Calls between regions. */
  readonly crossRegion: number;
  /** Requests handled by a sidecar: each call at its caller's proxy, and at the replica's when it got there. */
  readonly proxyRequests: number;
}

/** Request-level matrix bits: `MeshRequest.clustersCrossed` tracks clusters 0..30 only. */
export const TRACKED_CLUSTERS = 31;

/** Streaming counts of who talks to whom, in fixed-size arrays. */
export class TrafficMatrix {
  private readonly calls: Float64Array;
  private readonly requests: Float64Array;
  private readonly zoneCalls: Float64Array;
  private proxyRequests = 0;
  /**
   * `clusters.length` and `zones.length` as numbers of this object: an array's length on the per-call path
   * is a load and a map check more, and bytecode against the budget TurboFan inlines the recorder within.
   */
  private readonly clusterCount: number;
  private readonly zoneCount: number;

  constructor(
    private readonly clusters: readonly string[],
    private readonly zones: readonly ZoneRef[],
  ) {
    this.clusterCount = clusters.length;
    this.zoneCount = zones.length;
    this.calls = new Float64Array(clusters.length ** 2);
    this.requests = new Float64Array(clusters.length ** 2);
    this.zoneCalls = new Float64Array(zones.length ** 2);
  }

  /** A call from `sourceZone` (cluster `from`) that a replica in `endpointZone` (cluster `to`) worked on or not. */
  call(from: number, to: number, sourceZone: number, endpointZone: number, reachedReplica: boolean): void {
    this.proxyRequests += reachedReplica ? 2 : 1;
    const k = from * this.clusterCount + to;
    this.calls[k] = (this.calls[k] as number) + 1;
    const z = this.zoneCount;
    if (sourceZone >= 0 && sourceZone < z && endpointZone >= 0 && endpointZone < z) {
      const zk = sourceZone * z + endpointZone;
      this.zoneCalls[zk] = (this.zoneCalls[zk] as number) + 1;
    }
  }

  /** A call that never got an endpoint (no route, no healthy host): only its caller's proxy handled it. */
  unroutedCall(): void {
    this.proxyRequests++;
  }

  /** A request from cluster `client` served in the clusters of bitmask `served`. */
  request(client: number, served: number): void {
    const n = this.clusterCount;
    for (let c = 0; c < Math.min(n, TRACKED_CLUSTERS); c++) {
      if ((served & (1 << c)) !== 0)
        this.requests[client * n + c] = (this.requests[client * n + c] as number) + 1;
    }
  }

  callMatrix(): { from: string; to: string; requests: number }[] {
    return this.matrix(this.calls);
  }

  requestMatrix(): { from: string; to: string; requests: number }[] {
    return this.matrix(this.requests);
  }

  /** Calls crossing zones and regions; two clusters' zones of the same name in one region are one zone. */
  crossings(): CrossingCounts {
    let crossZone = 0;
    let crossRegion = 0;
    const z = this.zones.length;
    for (let a = 0; a < z; a++) {
      for (let b = 0; b < z; b++) {
        const n = this.zoneCalls[a * z + b] as number;
        if (n === 0) continue;
        const za = this.zones[a] as ZoneRef;
        const zb = this.zones[b] as ZoneRef;
        if (za.region !== zb.region) crossRegion += n;
        else if (za.name !== zb.name) crossZone += n;
      }
    }
    return { crossZone, crossRegion, proxyRequests: this.proxyRequests };
  }

  private matrix(m: Float64Array): { from: string; to: string; requests: number }[] {
    const n = this.clusters.length;
    return this.clusters.flatMap((from, i) =>
      this.clusters
        .map((to, j) => ({ from, to, requests: m[i * n + j] as number }))
        .filter((c) => c.requests > 0),
    );
  }
}
