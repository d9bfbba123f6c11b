/**
 * The state of the infrastructure that faults act on: which clusters, zones, API servers, istiods and
 * gateways are up, and which pairs of places are partitioned. Everything else asks it "is this reachable?".
 *
 * Places are clusters (by index) plus, in the external model, the external control plane's region.
 */
import type { Topology } from './topology.js';

export class Infrastructure {
  private readonly clusterUp: Uint8Array;
  private readonly apiServerUp: Uint8Array;
  private readonly eastWestUp: Uint8Array;
  private readonly ingressUp: Uint8Array;
  private readonly zoneUp: Uint8Array;
  /** Partitions as counted pairs of names (regions or clusters); counts allow overlapping faults. */
  private readonly partitions = new Map<string, number>();
  private reachable = true;

  constructor(private readonly topology: Topology) {
    const n = topology.clusterNames.length;
    this.clusterUp = new Uint8Array(n).fill(1);
    this.apiServerUp = new Uint8Array(n).fill(1);
    this.eastWestUp = new Uint8Array(n).fill(1);
    this.ingressUp = new Uint8Array(n).fill(1);
    this.zoneUp = new Uint8Array(topology.zones.length).fill(1);
  }

  /**
   * Every cluster and zone up and no partition: `isZoneUp` and `clustersConnected` then answer true for
   * every place, and the request path, which asks them for every try and response, reads this instead.
   * Read-only outside: only the setters below, which change what it summarises, may change it.
   */
  get allReachable(): boolean {
    // Against `true`: the inlined getter then yields a boolean V8 knows as one, and callers' tests of it
    // are one compare, not a truthiness check (request.ts).
    return this.reachable === true;
  }

  isClusterUp(c: number): boolean {
    return this.clusterUp[c] === 1;
  }
  isApiServerUp(c: number): boolean {
    return this.clusterUp[c] === 1 && this.apiServerUp[c] === 1;
  }
  isEastWestUp(c: number): boolean {
    return this.clusterUp[c] === 1 && this.eastWestUp[c] === 1;
  }
  isIngressUp(c: number): boolean {
    return this.clusterUp[c] === 1 && this.ingressUp[c] === 1;
  }
  /** A zone's workloads run: the zone and its cluster are up. */
  isZoneUp(zone: number): boolean {
    const z = this.topology.zones[zone];
    return z !== undefined && this.zoneUp[zone] === 1 && this.clusterUp[z.cluster] === 1;
  }

  setClusterUp(c: number, up: boolean): void {
    this.clusterUp[c] = up ? 1 : 0;
    this.updateReachable();
  }
  setApiServerUp(c: number, up: boolean): void {
    this.apiServerUp[c] = up ? 1 : 0;
  }
  setGatewayUp(c: number, gateway: 'east-west' | 'ingress', up: boolean): void {
    (gateway === 'east-west' ? this.eastWestUp : this.ingressUp)[c] = up ? 1 : 0;
  }
  setZoneUp(zone: number, up: boolean): void {
    this.zoneUp[zone] = up ? 1 : 0;
    this.updateReachable();
  }

  /** Starts (or, with `heal`, ends) a partition between two regions or clusters, by name. */
  partition(a: string, b: string, heal = false): void {
    const key = pairKey(a, b);
    const n = (this.partitions.get(key) ?? 0) + (heal ? -1 : 1);
    if (n <= 0) this.partitions.delete(key);
    else this.partitions.set(key, n);
    this.updateReachable();
  }

  private updateReachable(): void {
    this.reachable =
      this.partitions.size === 0 && this.clusterUp.every((u) => u === 1) && this.zoneUp.every((u) => u === 1);
  }

  /**
   * Whether packets flow between two places, each given as (cluster name or undefined, region). Only
   * partitions are considered here; whether the endpoints themselves are up is the caller's question.
   */
  connected(
    clusterA: string | undefined,
    regionA: string,
    clusterB: string | undefined,
    regionB: string,
  ): boolean {
    if (this.partitions.size === 0) return true;
    const names = (c: string | undefined, r: string) => (c === undefined ? [r] : [c, r]);
    for (const x of names(clusterA, regionA)) {
      for (const y of names(clusterB, regionB)) {
        if (x !== y && this.partitions.has(pairKey(x, y))) return false;
      }
    }
    return true;
  }

  /** `connected` for two clusters by index. */
  clustersConnected(a: number, b: number): boolean {
    if (a === b || this.partitions.size === 0) return true;
    const ca = this.topology.clusters[a];
    const cb = this.topology.clusters[b];
    if (ca === undefined || cb === undefined) return false;
    return this.connected(ca.name, ca.region, cb.name, cb.region);
  }
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}
