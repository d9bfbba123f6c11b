/**
 * An istiod: it watches every cluster's API server it can reach for endpoints, reads routing config from
 * one cluster, and pushes both to its connected proxies.
 *
 * Faithful to istio-behaviour.md 3.1 and 5.3: events pass a debounce (PILOT_DEBOUNCE_AFTER quiet period,
 * PILOT_DEBOUNCE_MAX at most), then one push per connected proxy, at most PILOT_PUSH_THROTTLE at once,
 * each taking a sampled push time. A proxy whose turn comes gets istiod's newest snapshot (pushes in the
 * queue coalesce). New xDS streams are admitted at PILOT_MAX_REQUESTS_PER_SECOND; a stream that would wait
 * more than 1 s is refused and the proxy backs off. A restarted istiod rebuilds its endpoint state from the
 * API servers it can reach at that moment; clusters it cannot reach are missing until they become
 * reachable (issues #33564, #38988).
 */
import type { Engine, EventId, Sampler } from '../des/index.js';
import { EndpointSnapshot } from './endpoint-snapshot.js';
import type { EndpointRegistry } from './endpoint-registry.js';
import type { Endpoint } from './endpoint.js';
import type { Infrastructure } from './infrastructure.js';
import type { ControlPlaneConfig } from './mesh-config.js';
import type { Proxy } from './proxy.js';
import type { RoutingConfig } from './routing-config.js';
import type { Topology } from './topology.js';

/** Where an istiod runs: in a cluster, or outside the mesh in a region (external control plane). */
export interface IstiodLocation {
  readonly cluster: number | undefined;
  readonly region: string;
}

/** What an istiod needs from the rest of the control plane. */
export interface IstiodContext {
  readonly engine: Engine;
  readonly registry: EndpointRegistry;
  readonly infra: Infrastructure;
  readonly topology: Topology;
  readonly settings: ControlPlaneConfig;
  readonly pushTime: Sampler;
  /** Routing config and its version in a cluster. */
  config(cluster: number): { routing: RoutingConfig; version: number };
  nextSnapshotVersion(): number;
  /** A proxy received a push. */
  deliver(proxy: Proxy, snapshot: EndpointSnapshot): void;
  /**
   * Counts a push to one proxy for the report. `sinceStartMs`: from the start of the debounced push it
   * belongs to (istiod's StartPush) to this proxy's push completing, what istiod records per proxy as
   * `pilot_proxy_convergence_time`; undefined for a proxy's initial push on connect (istiod sends that
   * from processRequest, outside the push queue, and records none).
   */
  pushed(sinceStartMs: number | undefined): void;
}

export class Istiod {
  up = true;
  readonly connected = new Set<Proxy>();
  private known = new Uint8Array(64);
  private readonly synced: Uint8Array;
  private current: EndpointSnapshot;
  private debounceTimer: EventId | undefined;
  private firstEventMs = 0;
  private lastEventMs = 0;
  private readonly queue: Proxy[] = [];
  /** Start (after debounce) of the push each queued proxy belongs to; absent for an initial push. */
  private readonly pushStartMs = new Map<Proxy, number>();
  /**
   * Proxies a debounced push found waiting for their initial push, with that push's start: istiod sends the
   * initial push from the stream (processRequest), outside its push queue, so StartPush's Enqueue finds no
   * entry to merge into and queues a separate request for the proxy (pilot/pkg/xds/ads.go StartPush,
   * pushqueue.go Enqueue); it is pushed after the initial one and records its convergence time. meshsim
   * serves the initial push through its own throttled queue, so the separate request joins that queue when
   * the initial push completes (istiod's would wait on the stream's PushCh instead: discovery.go).
   */
  private readonly afterInitialStartMs = new Map<Proxy, number>();
  private queueHead = 0;
  private lanesBusy = 0;
  private nextAdmitMs = 0;

  constructor(
    readonly name: string,
    readonly location: IstiodLocation,
    /** Cluster whose API server holds the routing config it reads. */
    readonly configCluster: number,
    /** Max new xDS streams admitted per second (PILOT_MAX_REQUESTS_PER_SECOND). */
    private readonly admitPerSecond: number,
    private readonly ctx: IstiodContext,
  ) {
    this.synced = new Uint8Array(ctx.topology.clusterNames.length);
    this.resync(false);
    this.current = this.snapshot();
  }

  /** The snapshot a proxy connecting now would get after its push. */
  get latest(): EndpointSnapshot {
    return this.current;
  }

  /** Whether this istiod can list endpoints from cluster `c`'s API server now. */
  canWatch(c: number): boolean {
    if (!this.up || !this.ctx.infra.isApiServerUp(c)) return false;
    const target = this.ctx.topology.clusters[c];
    if (target === undefined) return false;
    const here =
      this.location.cluster === undefined ? undefined : this.ctx.topology.clusterNames[this.location.cluster];
    return this.ctx.infra.connected(here, this.location.region, target.name, target.region);
  }

  /** A cluster's API server published an endpoint change. */
  endpointPublished(endpoint: Endpoint, ready: boolean): void {
    if (this.synced[endpoint.cluster] !== 1) return;
    this.setKnown(endpoint.id, ready);
  }

  /** The routing config this istiod reads changed. */
  configChanged(): void {
    if (this.up) this.event();
  }

  /**
   * Re-evaluates which API servers can be watched (after any infrastructure change): newly reachable
   * clusters are listed again, unreachable ones keep their last state (stale, as informer caches do).
   */
  resync(notify = true): void {
    let changed = false;
    for (let c = 0; c < this.synced.length; c++) {
      const can = this.canWatch(c);
      if (can && this.synced[c] !== 1) {
        this.synced[c] = 1;
        for (const e of this.ctx.registry.all) {
          if (e.cluster !== c) continue;
          const ready = this.ctx.registry.isPublished(e.id);
          if (this.knows(e.id) !== ready) {
            this.writeKnown(e.id, ready);
            changed = true;
          }
        }
      } else if (!can) this.synced[c] = 0;
    }
    if (changed && notify) this.event();
  }

  /**
   * At the start of a run the mesh is converged: drop the debounce of the initial listing and make the
   * current snapshot the starting point every connected proxy already holds.
   */
  settle(): EndpointSnapshot {
    if (this.debounceTimer !== undefined) this.ctx.engine.cancel(this.debounceTimer);
    this.debounceTimer = undefined;
    this.current = this.snapshot();
    return this.current;
  }

  /** istiod's pods die (or its cluster does): every stream breaks. */
  stop(): Proxy[] {
    this.up = false;
    if (this.debounceTimer !== undefined) this.ctx.engine.cancel(this.debounceTimer);
    this.debounceTimer = undefined;
    const dropped = [...this.connected];
    this.connected.clear();
    this.afterInitialStartMs.clear();
    return dropped;
  }

  /** istiod starts again with an empty cache, then lists what it can reach. */
  start(): void {
    this.up = true;
    this.known.fill(0);
    this.synced.fill(0);
    this.resync(false);
    this.current = this.snapshot();
  }

  /**
   * Admission of a new xDS stream at `nowMs` (token bucket with burst 1): returns the delay before the
   * stream is served, or -1 if it would wait more than a second and is refused.
   */
  admit(nowMs: number): number {
    const at = Math.max(nowMs, this.nextAdmitMs);
    if (at - nowMs > 1000) return -1;
    this.nextAdmitMs = at + 1000 / this.admitPerSecond;
    return at - nowMs;
  }

  /**
   * Queues a (full) push to one proxy. `startMs`: the start of the debounced push it belongs to; omitted
   * for a proxy's initial push on connect. A proxy already queued keeps its place and its (older) start,
   * as istiod's push queue merges requests keeping the first Start (pilot/pkg/model/push_context.go Merge).
   */
  enqueue(proxy: Proxy, startMs?: number): void {
    if (proxy.pushQueued) {
      // Waiting for its initial push: a separate request, sent after it (see afterInitialStartMs); the
      // older start wins if two debounced pushes find it so, as Merge keeps the first Start.
      if (startMs !== undefined && !this.pushStartMs.has(proxy) && !this.afterInitialStartMs.has(proxy))
        this.afterInitialStartMs.set(proxy, startMs);
      return;
    }
    proxy.pushQueued = true;
    if (startMs !== undefined) this.pushStartMs.set(proxy, startMs);
    this.queue.push(proxy);
    this.pump();
  }

  private knows(id: number): boolean {
    return id < this.known.length && this.known[id] === 1;
  }

  private writeKnown(id: number, ready: boolean): void {
    if (id >= this.known.length) {
      const grown = new Uint8Array(Math.max(id + 1, this.known.length * 2));
      grown.set(this.known);
      this.known = grown;
    }
    this.known[id] = ready ? 1 : 0;
  }

  private setKnown(id: number, ready: boolean): void {
    if (this.knows(id) === ready) return;
    this.writeKnown(id, ready);
    this.event();
  }

  private event(): void {
    const now = this.ctx.engine.now;
    this.lastEventMs = now;
    if (this.debounceTimer !== undefined) return;
    this.firstEventMs = now;
    this.debounceTimer = this.ctx.engine.schedule(
      this.ctx.settings.debounceAfterMs,
      this.debounceCheck,
      undefined,
    );
  }

  private readonly debounceCheck = (): void => {
    this.debounceTimer = undefined;
    const now = this.ctx.engine.now;
    const { debounceAfterMs, debounceMaxMs } = this.ctx.settings;
    const quietUntil = this.lastEventMs + debounceAfterMs;
    const deadline = this.firstEventMs + debounceMaxMs;
    if (now >= quietUntil || now >= deadline) {
      this.push();
      return;
    }
    this.debounceTimer = this.ctx.engine.scheduleAt(
      Math.min(quietUntil, deadline),
      this.debounceCheck,
      undefined,
    );
  };

  private snapshot(): EndpointSnapshot {
    const config = this.ctx.config(this.configCluster);
    return new EndpointSnapshot(
      this.ctx.nextSnapshotVersion(),
      this.known.slice(0, this.ctx.registry.size),
      config.routing,
      this.configCluster,
      config.version,
    );
  }

  private push(): void {
    this.current = this.snapshot();
    // istiod's StartPush: req.Start = time.Now(), then every client is enqueued (pilot/pkg/xds/ads.go).
    const start = this.ctx.engine.now;
    for (const p of this.connected) this.enqueue(p, start);
  }

  private pump(): void {
    const throttle = this.ctx.settings.pushThrottle;
    while (this.lanesBusy < throttle && this.queueHead < this.queue.length) {
      const proxy = this.queue[this.queueHead++] as Proxy;
      this.lanesBusy++;
      this.ctx.engine.schedule(this.ctx.pushTime.sample(), this.finishPush, proxy);
    }
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    }
  }

  private readonly finishPush = (proxy: Proxy): void => {
    this.lanesBusy--;
    proxy.pushQueued = false;
    const start = this.pushStartMs.get(proxy);
    this.pushStartMs.delete(proxy);
    const after = this.afterInitialStartMs.get(proxy);
    this.afterInitialStartMs.delete(proxy);
    if (this.up && proxy.connectedTo === this) {
      this.ctx.pushed(start === undefined ? undefined : this.ctx.engine.now - start);
      this.ctx.deliver(proxy, this.current);
      if (after !== undefined) this.enqueue(proxy, after);
    }
    this.pump();
  };
}
