/**
 * The control plane of one deployment model: its istiods, which proxies each serves, the xDS streams
 * between them, the injection webhook, the CA and workload certificates, and the routing config each
 * cluster holds.
 *
 * Reachability follows the install guides (istio-behaviour.md 1.2, 1.3): a proxy talks to the istiod
 * serving its cluster; a remote cluster reaches its primary's istiod (xDS and CA on 15012, webhook on
 * 15017) through the primary's east-west gateway; the external control plane is reached through its own
 * ingress, which is assumed up unless its istiod is taken down. Proxies keep their last config while their
 * istiod is unreachable and reconnect with Envoy's jittered exponential backoff (500 ms to 30 s), getting a
 * full push (istio-behaviour.md 3.1).
 */
import type { Engine, Uniform } from '../des/index.js';
import type { EndpointRegistry } from './endpoint-registry.js';
import type { EndpointSnapshot } from './endpoint-snapshot.js';
import type { Infrastructure } from './infrastructure.js';
import { Istiod, type IstiodContext } from './istiod.js';
import {
  EXTERNAL_CONTROL_PLANE,
  configSourceOf,
  externalRegion,
  servingIstiod,
  type DeploymentModel,
} from './deployment-model.js';
import type { ClusterConfig, ControlPlaneConfig } from './mesh-config.js';
import type { Proxy } from './proxy.js';
import type { RoutingConfig } from './routing-config.js';
import type { Topology } from './topology.js';
import type { ViewTracker } from './view-tracker.js';

/** Events the control plane reports (the mesh forwards them to its observer). */
export interface ControlPlaneEvents {
  /** istiod pushed config to one proxy (`sinceStartMs`: see MeshObserver.pushed). */
  pushed(sinceStartMs: number | undefined): void;
  /** The proxies connected to an istiod (by its server name) are now `count` (see MeshObserver). */
  xdsClients(istiod: string, count: number): void;
  certExpired(proxy: Proxy): void;
  /** A proxy's snapshot changed (the data plane rebuilds its upstream views lazily). */
  viewChanged(proxy: Proxy): void;
}

/**
 * PILOT_PUSH_THROTTLE and PILOT_MAX_REQUESTS_PER_SECOND default to min(15 + 5 × GOMAXPROCS, 100)
 * (istio/istio pilot/pkg/features/tuning.go, commit 86c9f01f). The istiod chart requests 500m CPU and sets
 * no limit (manifests/charts/istio-control/istio-discovery/values.yaml), so GOMAXPROCS is the node's core
 * count: `controlPlane.istiodCores` in the scenario.
 */
export function pilotConcurrencyDefault(cores: number): number {
  return Math.min(15 + 5 * cores, 100);
}

/** What the control plane is built from (one object, not eleven positional arguments). */
export interface ControlPlaneContext {
  readonly engine: Engine;
  readonly model: DeploymentModel;
  readonly topology: Topology;
  readonly infra: Infrastructure;
  readonly registry: EndpointRegistry;
  readonly tracker: ViewTracker;
  readonly settings: ControlPlaneConfig;
  /** Routing config present in every cluster at the start. */
  readonly routing: RoutingConfig;
  readonly rng: Uniform;
  readonly pushTime: IstiodContext['pushTime'];
  readonly events: ControlPlaneEvents;
  /**
   * Clusters whose API server starts with a config of its own, by name (issue 13: `--istio-config
   * CLUSTER=PATH`); the others start with `routing`. Empty when every cluster holds the same.
   */
  readonly clusterRouting: Readonly<Record<string, RoutingConfig>>;
}

export class ControlPlane {
  readonly istiods: Istiod[] = [];
  readonly model: DeploymentModel;
  private readonly engine: Engine;
  private readonly topology: Topology;
  private readonly infra: Infrastructure;
  private readonly tracker: ViewTracker;
  private readonly settings: ControlPlaneConfig;
  private readonly rng: Uniform;
  private readonly events: ControlPlaneEvents;
  /** Per cluster index, the istiod serving it. */
  private readonly servingIstiod: Istiod[];
  private readonly configs: { routing: RoutingConfig; version: number }[];
  private snapshotVersion = 0;
  /** istiods whose CA cannot sign (ca-outage): xDS still flows, certificates do not. */
  private readonly caDown = new Set<Istiod>();
  /** Each istiod's server name (a cluster, or "external"), for the xDS client events. */
  private readonly serverOf = new Map<Istiod, string>();

  constructor(c: ControlPlaneContext) {
    const { engine, model, topology, infra, registry, tracker, settings, routing, rng, pushTime, events } = c;
    const { clusterRouting } = c;
    this.engine = engine;
    this.model = model;
    this.topology = topology;
    this.infra = infra;
    this.tracker = tracker;
    this.settings = settings;
    this.rng = rng;
    this.events = events;
    // Each cluster's API server holds its own config (issue 13: `--istio-config CLUSTER=PATH`).
    this.configs = topology.clusterNames.map((name) => ({
      routing: clusterRouting[name] ?? routing,
      version: 0,
    }));
    const ctx: IstiodContext = {
      engine,
      registry,
      infra,
      topology,
      settings,
      pushTime,
      config: (c) => this.configs[c] as { routing: RoutingConfig; version: number },
      nextSnapshotVersion: () => ++this.snapshotVersion,
      deliver: (proxy, snapshot) => this.receive(proxy, snapshot),
      pushed: (sinceStartMs) => events.pushed(sinceStartMs),
    };
    const rate = pilotConcurrencyDefault(settings.istiodCores);
    const byName = new Map<string, Istiod>();
    const istiodFor = (server: string): Istiod => {
      let istiod = byName.get(server);
      if (istiod === undefined) {
        const location =
          server === EXTERNAL_CONTROL_PLANE
            ? { cluster: undefined, region: externalRegion(model) }
            : {
                cluster: topology.cluster(server),
                region: (topology.clusters[topology.cluster(server)] as ClusterConfig).region,
              };
        const configCluster = topology.cluster(configSourceOf(model, server));
        istiod = new Istiod(`istiod/${server}`, location, configCluster, rate, ctx);
        byName.set(server, istiod);
        this.serverOf.set(istiod, server);
        this.istiods.push(istiod);
      }
      return istiod;
    };
    this.servingIstiod = topology.clusterNames.map((name) => istiodFor(servingIstiod(model, name)));
    registry.onChange((endpoint, ready) => {
      for (const i of this.istiods) i.endpointPublished(endpoint, ready);
    });
  }

  /** The istiod serving proxies, the webhook and the CA of cluster `c`. */
  istiodOf(c: number): Istiod {
    return this.servingIstiod[c] as Istiod;
  }

  /** Whether cluster `c`'s workloads can reach the istiod that serves them (xDS, CA and webhook alike). */
  reachable(c: number): boolean {
    const istiod = this.istiodOf(c);
    if (!istiod.up || !this.infra.isClusterUp(c)) return false;
    const here = this.topology.clusters[c];
    if (here === undefined) return false;
    const at = istiod.location;
    if (at.cluster === c) return true;
    if (
      !this.infra.connected(
        here.name,
        here.region,
        at.cluster === undefined ? undefined : this.topology.clusterNames[at.cluster],
        at.region,
      )
    ) {
      return false;
    }
    // A remote reaches its primary's istiod through the primary's east-west gateway (15012/15017).
    return at.cluster === undefined || this.infra.isEastWestUp(at.cluster);
  }

  /** Whether cluster `c`'s workloads can get certificates signed now. */
  caReachable(c: number): boolean {
    return this.reachable(c) && !this.caDown.has(this.istiodOf(c));
  }

  /** The CA serving cluster `c` stops or resumes signing (an outage of the CA alone, xDS unaffected). */
  setCaDown(c: number, down: boolean): void {
    if (down) this.caDown.add(this.istiodOf(c));
    else this.caDown.delete(this.istiodOf(c));
  }

  /**
   * A proxy whose workload was already running: connected, holding its istiod's current snapshot, with a
   * certificate issued `certAgeMs` ago. A client proxy first seen later counts as already running too,
   * except for its certificate: if the CA is unreachable when it appears, it has none.
   */
  attachInitial(proxy: Proxy, certAgeMs: number): void {
    const istiod = this.istiodOf(proxy.cluster);
    proxy.istiod = istiod;
    if (this.engine.now === 0 || this.caReachable(proxy.cluster)) this.issueCert(proxy, -certAgeMs);
    else proxy.certExpiresMs = 0;
    if (this.reachable(proxy.cluster)) {
      proxy.connectedTo = istiod;
      istiod.connected.add(proxy);
      this.xdsChanged(istiod);
      this.receive(proxy, istiod.latest);
    } else this.scheduleReconnect(proxy);
  }

  /** The initial pods are deployed: every istiod and its proxies start from the same, current view. */
  settle(): void {
    for (const i of this.istiods) {
      const snapshot = i.settle();
      for (const p of i.connected) this.receive(p, snapshot);
    }
    // The initial pods turning ready are the starting point, not changes to converge on.
    this.tracker.start(this.engine.now);
  }

  /** A new pod's proxy starts: it connects (and gets its cert) when its istiod is reachable. */
  start(proxy: Proxy): void {
    proxy.istiod = this.istiodOf(proxy.cluster);
    this.tryConnect(proxy);
  }

  /** A proxy's pod is gone. */
  remove(proxy: Proxy): void {
    proxy.alive = false;
    const from = proxy.connectedTo;
    if (from !== undefined && from.connected.delete(proxy)) this.xdsChanged(from);
    proxy.connectedTo = undefined;
    if (proxy.reconnectTimer !== undefined) this.engine.cancel(proxy.reconnectTimer);
    this.tracker.move(proxy.snapshot, undefined, this.engine.now);
    proxy.snapshot = undefined;
  }

  /** The routing config in cluster `c` is replaced (a rollout); istiods reading it push it. */
  applyConfig(c: number, routing: RoutingConfig): void {
    const entry = this.configs[c] as { routing: RoutingConfig; version: number };
    entry.routing = routing;
    entry.version++;
    this.tracker.configChanged(c, entry.version, this.engine.now);
    for (const i of this.istiods) if (i.configCluster === c) i.configChanged();
  }

  configOf(c: number): RoutingConfig {
    return (this.configs[c] as { routing: RoutingConfig }).routing;
  }

  /**
   * Re-evaluates everything reachability decides, after a fault starts or ends: istiods (re)list API
   * servers; streams that can no longer reach their istiod break and start reconnecting.
   */
  infrastructureChanged(proxies: Iterable<Proxy>): void {
    for (const i of this.istiods) {
      const hostUp = i.location.cluster === undefined || this.infra.isClusterUp(i.location.cluster);
      if (i.up && !hostUp) this.stopIstiod(i);
      if (i.up) i.resync();
    }
    for (const p of proxies) {
      if (!p.alive) continue;
      if (p.connectedTo !== undefined && !this.reachable(p.cluster)) this.disconnect(p);
    }
  }

  /** Takes an istiod down (its pods, or the process): every stream breaks at once. */
  stopIstiod(istiod: Istiod): void {
    const dropped = istiod.stop();
    if (dropped.length > 0) this.xdsChanged(istiod);
    for (const p of dropped) {
      p.connectedTo = undefined;
      this.scheduleReconnect(p);
    }
  }

  startIstiod(istiod: Istiod, hostUp: boolean): void {
    if (istiod.up || !hostUp) return;
    istiod.start();
  }

  private disconnect(p: Proxy): void {
    const from = p.connectedTo;
    if (from !== undefined && from.connected.delete(p)) this.xdsChanged(from);
    p.connectedTo = undefined;
    this.scheduleReconnect(p);
  }

  private tryConnect(p: Proxy): void {
    p.reconnectTimer = undefined;
    if (!p.alive || p.connectedTo !== undefined) return;
    const istiod = p.istiod;
    if (istiod === undefined || !this.reachable(p.cluster)) {
      this.scheduleReconnect(p);
      return;
    }
    const wait = istiod.admit(this.engine.now);
    if (wait < 0) {
      this.scheduleReconnect(p);
      return;
    }
    p.reconnectAttempts = 0;
    p.connectedTo = istiod;
    istiod.connected.add(p);
    this.xdsChanged(istiod);
    // A new stream authenticates and gets a certificate over the same path (CSR on 15012).
    if ((!p.hasValidCert(this.engine.now) || p.certExpiresMs === Infinity) && this.caReachable(p.cluster))
      this.issueCert(p, 0);
    istiod.enqueue(p);
  }

  /** Reports an istiod's connected proxies after a stream opened or closed (istiod's addCon/removeCon). */
  private xdsChanged(istiod: Istiod): void {
    const server = this.serverOf.get(istiod);
    if (server === undefined) throw new Error(`control plane: ${istiod.name} is not one of its istiods`);
    this.events.xdsClients(server, istiod.connected.size);
  }

  /** Envoy's JitteredExponentialBackOffStrategy: uniform in [0, min(max, initial x 2^n)). */
  private scheduleReconnect(p: Proxy): void {
    if (!p.alive || p.reconnectTimer !== undefined) return;
    const ceiling = Math.min(
      this.settings.reconnectMaxMs,
      this.settings.reconnectInitialMs * 2 ** p.reconnectAttempts,
    );
    p.reconnectAttempts++;
    p.reconnectTimer = this.engine.schedule(this.rng() * ceiling, this.reconnect, p);
  }

  private readonly reconnect = (p: Proxy): void => this.tryConnect(p);

  private receive(proxy: Proxy, snapshot: EndpointSnapshot): void {
    if (!proxy.alive) return;
    this.tracker.move(proxy.snapshot, snapshot, this.engine.now);
    proxy.snapshot = snapshot;
    this.events.viewChanged(proxy);
  }

  /**
   * Issues a workload certificate as if at `offsetMs` from now (negative for certificates issued before the
   * run), and schedules its rotation at SECRET_GRACE_PERIOD_RATIO of its lifetime, jittered by 1%
   * (istio-behaviour.md 6).
   */
  private issueCert(p: Proxy, offsetMs: number): void {
    const { certTtlMs, certRotationFraction } = this.settings;
    const issued = this.engine.now + offsetMs;
    p.certExpiresMs = issued + certTtlMs;
    p.certExpiredReported = false;
    const jitter = 1 + 0.01 * (2 * this.rng() - 1);
    p.certRotateAtMs = Math.max(this.engine.now, issued + certTtlMs * certRotationFraction * jitter);
    // The timers carry the proxy alone (an object per timer was two per pod in the event set): a timer is
    // the current certificate's when it fires at the time the proxy expects, and stale otherwise.
    this.engine.scheduleAt(p.certRotateAtMs, this.rotate, p);
    this.engine.scheduleAt(p.certExpiresMs, this.expire, p);
  }

  private readonly rotate = (p: Proxy): void => {
    if (!p.alive || this.engine.now !== p.certRotateAtMs) return;
    if (this.caReachable(p.cluster)) {
      this.issueCert(p, 0);
      return;
    }
    // The CSR fails; pilot-agent and Envoy keep retrying with backoff, modelled as a retry every minute.
    p.certRotateAtMs = this.engine.now + CERT_RETRY_MS;
    this.engine.scheduleAt(p.certRotateAtMs, this.rotate, p);
  };

  private readonly expire = (p: Proxy): void => {
    if (!p.alive || this.engine.now !== p.certExpiresMs || p.certExpiredReported) return;
    p.certExpiredReported = true;
    this.events.certExpired(p);
  };
}

/** How often a failed certificate rotation is retried (pilot-agent retries with backoff; see retry.go). */
export const CERT_RETRY_MS = 60_000;
