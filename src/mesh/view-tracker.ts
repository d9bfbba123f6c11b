/**
 * Measures how far proxies' beliefs lag reality: the number of proxies whose endpoint view differs from the
 * ready pods (integrated over time: stale proxy-seconds), and for each change, the time until every proxy
 * holds it (not istiod's pilot_proxy_convergence_time, timed per proxy from the push start). Counting is
 * per snapshot, not per proxy: a reality change touches each live snapshot once.
 */
import type { EndpointSnapshot } from './endpoint-snapshot.js';
import type { EndpointRegistry } from './endpoint-registry.js';

export interface ViewTrackerSink {
  /** A change reached every proxy that should see it, `ms` after it happened. */
  converged(ms: number): void;
  /** The number of proxies with a stale endpoint view changed to `count` at `nowMs`. */
  staleProxies(count: number, nowMs: number): void;
}

interface PendingEndpointChange {
  endpoint: number;
  ready: boolean;
  atMs: number;
}

interface PendingConfigChange {
  cluster: number;
  version: number;
  atMs: number;
}

export class ViewTracker {
  private readonly live = new Set<EndpointSnapshot>();
  private endpointChanges: PendingEndpointChange[] = [];
  private configChanges: PendingConfigChange[] = [];
  private attached = 0;
  private stale = 0;
  /** Off while the initial pods are deployed: that is the starting point, not a stream of changes. */
  private tracking = false;
  /** Proxies by config cluster of the istiod serving them (for config convergence). */
  private readonly attachedByConfigCluster = new Map<number, number>();

  constructor(
    private readonly registry: EndpointRegistry,
    private readonly sink: ViewTrackerSink,
  ) {}

  /** A proxy now holds `next` instead of `prev` (either may be undefined: a proxy appearing or leaving). */
  move(prev: EndpointSnapshot | undefined, next: EndpointSnapshot | undefined, nowMs: number): void {
    if (prev === next) return;
    if (prev !== undefined) {
      prev.holders--;
      this.attached--;
      this.bump(prev.configCluster, -1);
      if (prev.mismatches > 0) this.stale--;
      if (prev.holders === 0) this.live.delete(prev);
    }
    if (next !== undefined) {
      if (next.holders === 0) {
        next.mismatches = this.countMismatches(next);
        this.live.add(next);
      }
      next.holders++;
      this.attached++;
      this.bump(next.configCluster, 1);
      if (next.mismatches > 0) this.stale++;
    }
    if (!this.tracking) return;
    this.sink.staleProxies(this.stale, nowMs);
    this.settle(nowMs);
  }

  /** Reality changed for one endpoint. */
  realityChanged(endpoint: number, ready: boolean, nowMs: number): void {
    for (const s of this.live) {
      const agreedBefore = s.knows(endpoint) !== ready;
      const wasStale = s.mismatches > 0;
      s.mismatches += agreedBefore ? 1 : -1;
      const isStale = s.mismatches > 0;
      if (wasStale !== isStale) this.stale += isStale ? s.holders : -s.holders;
    }
    if (!this.tracking) return;
    this.endpointChanges = this.endpointChanges.filter((c) => c.endpoint !== endpoint);
    this.endpointChanges.push({ endpoint, ready, atMs: nowMs });
    this.sink.staleProxies(this.stale, nowMs);
    this.settle(nowMs);
  }

  /** Routing config changed in a cluster: proxies whose istiod reads it should get `version`. */
  configChanged(cluster: number, version: number, nowMs: number): void {
    this.configChanges = this.configChanges.filter((c) => c.cluster !== cluster);
    this.configChanges.push({ cluster, version, atMs: nowMs });
    this.settle(nowMs);
  }

  /** Starts measuring: the initial deployment is the converged starting point, not a change. */
  start(nowMs: number): void {
    this.endpointChanges = [];
    this.configChanges = [];
    this.tracking = true;
    this.sink.staleProxies(this.stale, nowMs);
  }

  get staleCount(): number {
    return this.stale;
  }

  /** Changes that have not reached every proxy by now. */
  get pendingChanges(): number {
    return this.endpointChanges.length + this.configChanges.length;
  }

  private bump(cluster: number, by: number): void {
    this.attachedByConfigCluster.set(cluster, (this.attachedByConfigCluster.get(cluster) ?? 0) + by);
  }

  private countMismatches(s: EndpointSnapshot): number {
    let n = 0;
    for (let e = 0; e < this.registry.size; e++) if (s.knows(e) !== this.registry.isReady(e)) n++;
    return n;
  }

  private settle(nowMs: number): void {
    if (this.endpointChanges.length > 0) {
      this.endpointChanges = this.endpointChanges.filter((c) => {
        let agree = 0;
        for (const s of this.live) if (s.knows(c.endpoint) === c.ready) agree += s.holders;
        if (agree < this.attached) return true;
        this.sink.converged(nowMs - c.atMs);
        return false;
      });
    }
    if (this.configChanges.length > 0) {
      this.configChanges = this.configChanges.filter((c) => {
        let have = 0;
        for (const s of this.live)
          if (s.configCluster === c.cluster && s.configVersion >= c.version) have += s.holders;
        if (have < (this.attachedByConfigCluster.get(c.cluster) ?? 0)) return true;
        this.sink.converged(nowMs - c.atMs);
        return false;
      });
    }
  }
}
