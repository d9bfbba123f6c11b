/**
 * What one istiod push tells a proxy: the endpoints istiod believes ready, and the routing config it
 * read, frozen at push time. Proxies keep the snapshot they last received for as long as their istiod is
 * unreachable (static stability, istio-behaviour.md 3.2). Proxies served by the same istiod share snapshot
 * objects, so memory grows with pushes in flight, not with proxies.
 */
import type { RoutingConfig } from './routing-config.js';

export class EndpointSnapshot {
  /** Proxies currently holding this snapshot. */
  holders = 0;
  /** Endpoints on which this snapshot disagrees with reality (kept current by the ViewTracker). */
  mismatches = 0;

  constructor(
    /** Increases with every snapshot made anywhere in the run. */
    readonly version: number,
    /** Per endpoint id, 1 if istiod believed it ready; ids past the end were unknown. */
    readonly known: Uint8Array,
    readonly routing: RoutingConfig,
    /** Cluster index the routing config was read from, and that cluster's config version. */
    readonly configCluster: number,
    readonly configVersion: number,
  ) {}

  knows(endpoint: number): boolean {
    return endpoint < this.known.length && this.known[endpoint] === 1;
  }
}
