/**
 * Where a traffic source's next request starts: a cluster drawn by the source's weights, a zone of that
 * cluster drawn evenly, and the proxy that sends it (the cluster's ingress gateway, or the source's client
 * sidecar in that zone), then the request itself, refused at once when that way in is down.
 *
 * A class, not the closure the mesh built per source, for the arrival's machine code (it runs once a
 * request, inlined into the open-loop source's arrival): the closure's constants were context slots, each
 * read behind a temporal-dead-zone check, `viaIngress` among them, untyped, so each test of it was a long
 * truthiness check; and its draws went through the stream's `Uniform`, a second closure checked per draw.
 * Here they are fields of one class, and the draws are `StreamDraws.next` on the stream's index. Same draws
 * (the placement stream: the cluster's, then the zone's), same order, same proxies.
 *
 * Contents: `ClientPlacement`, `RequestSender`.
 */
import type { StreamDraws } from '../../des/index.js';
import type { TrafficOrigin } from '../data-plane-roles.js';
import type { Infrastructure } from '../infrastructure.js';
import type { Proxy } from '../proxy.js';

/** What a traffic source calls to send one request now. */
export interface RequestSender {
  send(): void;
}

/** Where the request goes once placed (`DataPlane`). */
export interface RequestPath {
  sendRequest(origin: TrafficOrigin, cluster: number, client: Proxy, down: boolean): void;
}

/** A placement's parts, from the mesh. */
export interface PlacementParts {
  readonly origin: TrafficOrigin;
  readonly path: RequestPath;
  readonly infra: Infrastructure;
  /** Cluster ids and their weights, in the traffic's `from` order. */
  readonly clusters: readonly number[];
  readonly weights: readonly number[];
  /** The zone ids of each of `clusters`. */
  readonly zones: readonly (readonly number[])[];
  /** Zones in the mesh (zone ids run from 0). */
  readonly zoneCount: number;
  /** Through the clusters' ingress gateways (`ingress`, by cluster) rather than from client sidecars. */
  readonly viaIngress: boolean;
  readonly ingress: readonly Proxy[];
  /** The placement stream. */
  readonly draws: StreamDraws;
  readonly stream: number;
  /** Makes the source's client sidecar in `zone`, when that zone first sends. */
  readonly newClient: (cluster: number, zone: number) => Proxy;
}

export class ClientPlacement implements RequestSender {
  private readonly origin: TrafficOrigin;
  private readonly path: RequestPath;
  private readonly infra: Infrastructure;
  private readonly clusters: readonly number[];
  private readonly weights: readonly number[];
  /** The weights' sum, once, in `pickWeightedOf`'s order (`weightSum`). */
  private readonly totalWeight: number;
  private readonly zones: readonly (readonly number[])[];
  private readonly viaIngress: boolean;
  private readonly ingress: readonly Proxy[];
  private readonly draws: StreamDraws;
  private readonly stream: number;
  private readonly newClientOf: (cluster: number, zone: number) => Proxy;
  /**
   * The source's client sidecars by zone id, a slot per zone from the start, so the array has one elements
   * kind whatever zone sends first (a row grown zone by zone deoptimized a new mesh's arrival code).
   */
  private readonly clients: (Proxy | undefined)[];

  constructor(parts: PlacementParts) {
    this.origin = parts.origin;
    this.path = parts.path;
    this.infra = parts.infra;
    this.clusters = parts.clusters;
    this.weights = parts.weights;
    this.totalWeight = weightSum(parts.weights);
    this.zones = parts.zones;
    this.viaIngress = parts.viaIngress;
    this.ingress = parts.ingress;
    this.draws = parts.draws;
    this.stream = parts.stream;
    this.newClientOf = parts.newClient;
    this.clients = Array.from({ length: parts.zoneCount }, (): Proxy | undefined => undefined);
  }

  send(): void {
    const k = pickWeightedOf(this.weights, this.totalWeight, this.draws.next(this.stream));
    const cluster = this.clusters[k] as number;
    const zones = this.zones[k] as readonly number[];
    const zone = zones[Math.floor(this.draws.next(this.stream) * zones.length)] as number;
    // Against `true`: a bare boolean field test compiles to a long truthiness check (request.ts).
    if (this.viaIngress === true) {
      const gateway = this.ingress[cluster] as Proxy;
      this.path.sendRequest(this.origin, cluster, gateway, !this.infra.isIngressUp(cluster));
      return;
    }
    const client = this.clients[zone] ?? this.newClient(cluster, zone);
    this.path.sendRequest(this.origin, cluster, client, !this.infra.isZoneUp(zone));
  }

  /** Out of line: once every zone has its sidecar this never runs, and V8 leaves it out of `send`. */
  private newClient(cluster: number, zone: number): Proxy {
    const p = this.newClientOf(cluster, zone);
    this.clients[zone] = p;
    return p;
  }
}

function weightSum(weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  return total;
}

/**
 * Index i with probability weights[i] / total, given u uniform on [0, 1) and the weights' sum `total`
 * (`weightSum(weights)`, summed in the same order, once).
 */
function pickWeightedOf(weights: readonly number[], total: number, u: number): number {
  let x = u * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i] as number;
    if (x < 0) return i;
  }
  return weights.length - 1;
}
