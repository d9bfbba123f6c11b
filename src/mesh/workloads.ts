/**
 * Pods and their lifecycle, as Kubernetes and Istio give it (istio-behaviour.md 3.2):
 * - a ReplicaSet keeps its desired count: a pod that dies is replaced;
 * - creating a pod calls the injection webhook of the istiod serving its cluster, which fails closed: while
 *   that istiod is unreachable no pod is created, and the ReplicaSet controller retries with backoff;
 * - a created pod starts its container, then its sidecar needs a certificate and a first config push before
 *   the pod turns ready (Envoy waits forever for initial config, initial_fetch_timeout 0);
 * - a killed pod's endpoint leaves at once (its readiness fails); a pod on a failed node stays listed until
 *   the node is declared NotReady (node-monitor-grace-period, 50 s), and is evicted and recreated elsewhere
 *   after the default 300 s toleration.
 */
import {
  sampler,
  type StreamDraws,
  StreamSampler,
  type Engine,
  type RngStreams,
  type Sampler,
  type Uniform,
} from '../des/index.js';
import type { ControlPlane } from './control-plane.js';
import { Endpoint } from './endpoint.js';
import { EndpointState, type EndpointRegistry } from './endpoint-registry.js';
import type { Infrastructure } from './infrastructure.js';
import type { IntOrPercent, RollingUpdate } from './fault.js';
import type { ControlPlaneConfig, DeploymentConfig, ServiceConfig } from './mesh-config.js';
import { Proxy } from './proxy.js';
import type { ServiceRuntime } from './service-runtime.js';
import type { Topology } from './topology.js';

/**
 * kube-controller-manager `--node-monitor-grace-period`: a node that stopped reporting is marked NotReady,
 * and its pods not ready (removed from endpoints), after this. 50 s since Kubernetes 1.32
 * (kubernetes/kubernetes#126287, raised from 40 s);
 * the stored copy of `pkg/controller/nodelifecycle/config/v1alpha1/defaults.go` read for this (commit
 * 0d173114) predates it and still says 40 s.
 */
export const NODE_GRACE_MS = 50_000;
/** Default NoExecute toleration for not-ready/unreachable nodes: pods are evicted after this. */
export const EVICTION_MS = 300_000;
/** ReplicaSet controller retry after a refused pod creation: exponential from 1 s, capped at 60 s. */
const CREATE_RETRY_MS = { initial: 1000, max: 60_000 };

export interface WorkloadEvents {
  podCreationRejected(service: number, cluster: number): void;
  proxyCreated(proxy: Proxy): void;
}

/** What a ReplicaSet is made from (Workloads.deploy): one complete object, not eight positional arguments. */
export interface ReplicaSetContext {
  readonly service: ServiceRuntime;
  readonly config: ServiceConfig;
  readonly cluster: number;
  /** The zones its pods may land in: the deployment's pinned zone, or every zone of its cluster. */
  readonly zones: readonly number[];
  readonly labels: Readonly<Record<string, string>>;
  /** The deployment's `replicas` when the run starts. */
  readonly desired: number;
  /** Its own stream (certificate ages, zones of new pods), so one ReplicaSet's churn shifts no other. */
  readonly rng: Uniform;
  /** Its index in `Workloads.replicaSets`, which its pods carry (`Endpoint.deployment`). */
  readonly index: number;
}

/** A Deployment's pods in one cluster (and zone, if pinned). */
export class ReplicaSet {
  readonly service: ServiceRuntime;
  readonly config: ServiceConfig;
  readonly cluster: number;
  readonly zones: readonly number[];
  readonly labels: Readonly<Record<string, string>>;
  /** The pods it keeps: the deployment's `replicas`, then what `scale` sets. */
  desired: number;
  readonly rng: Uniform;
  readonly index: number;
  readonly pods: Endpoint[] = [];
  pendingCreates = 0;
  createFailures = 0;
  /** Pods allowed above `desired` while a rolling update surges (0 otherwise). */
  surge = 0;
  /** A rolling update in progress: the pods still of the old template, and its resolved limits. */
  rollout: { old: Set<Endpoint>; maxUnavailable: number; strategy: RollingUpdate } | undefined = undefined;

  constructor(c: ReplicaSetContext) {
    this.service = c.service;
    this.config = c.config;
    this.cluster = c.cluster;
    this.zones = c.zones;
    this.labels = c.labels;
    this.desired = c.desired;
    this.rng = c.rng;
    this.index = c.index;
  }
}

/** What the workloads are built from (one object, not ten positional arguments). */
export interface WorkloadsContext {
  readonly engine: Engine;
  readonly streams: RngStreams;
  readonly topology: Topology;
  readonly infra: Infrastructure;
  readonly registry: EndpointRegistry;
  readonly controlPlane: ControlPlane;
  readonly sidecarLatency: ServiceConfig['serviceTime'];
  readonly settings: ControlPlaneConfig;
  readonly events: WorkloadEvents;
  /** The id the next proxy gets. */
  readonly nextProxyId: () => number;
}

export class Workloads {
  readonly replicaSets: ReplicaSet[] = [];
  private readonly startup: Sampler;
  private readonly nextProxyId: () => number;
  private readonly engine: Engine;
  private readonly streams: RngStreams;
  private readonly topology: Topology;
  private readonly infra: Infrastructure;
  private readonly registry: EndpointRegistry;
  private readonly controlPlane: ControlPlane;
  /** Every pod's sidecar latency, each drawn from the pod's own stream. */
  private readonly sidecarLatency: StreamSampler;
  /** Every pod's balancing draws, each from the pod's own stream. */
  private readonly lbDraws: StreamDraws;
  private readonly events: WorkloadEvents;

  constructor(c: WorkloadsContext) {
    this.engine = c.engine;
    this.streams = c.streams;
    this.topology = c.topology;
    this.infra = c.infra;
    this.registry = c.registry;
    this.controlPlane = c.controlPlane;
    this.sidecarLatency = new StreamSampler(c.sidecarLatency, c.streams.alea);
    this.lbDraws = c.streams.alea;
    this.events = c.events;
    this.startup = sampler(c.settings.podStartup, c.streams.stream('pod-startup'));
    this.nextProxyId = c.nextProxyId;
  }

  /** Declares a deployment and creates its pods, ready and connected, as they are when the run starts. */
  deploy(
    service: ServiceRuntime,
    config: ServiceConfig,
    d: DeploymentConfig,
    certTtlMs: number,
    rotation: number,
  ): ReplicaSet {
    const cluster = this.topology.cluster(d.cluster);
    const zones =
      d.zone === undefined ? this.topology.zonesOf(cluster) : [this.topology.zone(cluster, d.zone)];
    const index = this.replicaSets.length;
    const rs = new ReplicaSet({
      service,
      config,
      cluster,
      zones,
      labels: d.labels,
      desired: d.replicas,
      rng: this.streams.stream(`replicaset/${service.name}/${cluster}/${index}`),
      index,
    });
    this.replicaSets.push(rs);
    for (let r = 0; r < d.replicas; r++) {
      const e = this.newPod(rs, zones[r % zones.length] as number);
      this.registry.setState(e.id, EndpointState.ready, true);
      // Pods started at different times: certificate ages spread over [0, rotation point).
      this.controlPlane.attachInitial(e.sidecar, rs.rng() * certTtlMs * rotation);
    }
    return rs;
  }

  /** Kills `count` pods of a service in a cluster (newest first); their ReplicaSets replace them. */
  killPods(service: number, cluster: number, count: number): void {
    let left = count;
    for (const rs of this.replicaSets) {
      if (rs.service.index !== service || rs.cluster !== cluster) continue;
      while (left > 0 && rs.pods.length > 0) {
        const victim = rs.pods[rs.pods.length - 1] as Endpoint;
        this.terminate(rs, victim);
        left--;
      }
    }
  }

  /** Kills one pod chosen at random among a service's pods in a cluster. */
  killRandomPod(service: number, cluster: number): void {
    const candidates = this.replicaSets.filter(
      (rs) => rs.service.index === service && rs.cluster === cluster,
    );
    const pods = candidates.flatMap((rs) => rs.pods.map((p) => [rs, p] as const));
    if (pods.length === 0) return;
    const rng = this.streams.stream(`churn/${service}/${cluster}`);
    const [rs, victim] = pods[Math.floor(rng() * pods.length)] as readonly [ReplicaSet, Endpoint];
    this.terminate(rs, victim);
  }

  /** Sets the replica count of a service in a cluster (its first ReplicaSet there). */
  scale(service: number, cluster: number, replicas: number): void {
    const rs = this.replicaSets.find((r) => r.service.index === service && r.cluster === cluster);
    if (rs === undefined) return;
    rs.desired = replicas;
    while (rs.pods.length > rs.desired) this.terminate(rs, rs.pods[rs.pods.length - 1] as Endpoint, false);
    this.reconcile(rs);
  }

  /**
   * A Deployment rolling update of a service in a cluster (its first ReplicaSet there), as the Deployment
   * controller runs it (kubernetes/kubernetes pkg/controller/deployment/rolling.go `reconcileNewReplicaSet`
   * / `reconcileOldReplicaSets`; fence posts from deployment_util.go `ResolveFenceposts`: maxSurge rounded
   * up, maxUnavailable down, both 0 → maxUnavailable 1): new pods are created while old + new ≤ desired +
   * maxSurge; an old pod is deleted while the ready pods would stay ≥ desired − maxUnavailable (not-ready old
   * pods first). Each step is retaken when a new pod turns ready or an old one is gone. Old pods terminate
   * gracefully (`terminateGracefully`).
   */
  rollout(service: number, cluster: number, strategy: RollingUpdate): void {
    const rs = this.replicaSets.find((r) => r.service.index === service && r.cluster === cluster);
    if (rs === undefined || rs.pods.length === 0) return;
    const n = rs.desired;
    const surge = scaled(strategy.maxSurge, n, true);
    let unavailable = scaled(strategy.maxUnavailable, n, false);
    if (surge === 0 && unavailable === 0) unavailable = 1;
    rs.surge = surge;
    rs.rollout = { old: new Set(rs.pods), maxUnavailable: unavailable, strategy };
    this.rolloutStep(rs);
  }

  private rolloutStep(rs: ReplicaSet): void {
    const r = rs.rollout;
    if (r === undefined) return;
    const n = rs.desired;
    // Scale up the new ReplicaSet within the surge; scale down the old one as far as availability allows
    // (not-ready pods first); then scale up into the room the deletions made (the controller's next sync).
    this.scaleUpNew(rs, r.old);
    let ready = rs.pods.filter((p) => this.registry.isReady(p.id)).length;
    const victims = rs.pods
      .filter((p) => r.old.has(p))
      .sort((a, b) => Number(this.registry.isReady(a.id)) - Number(this.registry.isReady(b.id)));
    for (const v of victims) {
      const isReady = this.registry.isReady(v.id);
      if (isReady && ready - 1 < n - r.maxUnavailable) break;
      if (isReady) ready--;
      r.old.delete(v);
      this.terminateGracefully(rs, v, r.strategy);
    }
    this.scaleUpNew(rs, r.old);
    if (r.old.size === 0 && rs.pods.every((p) => this.registry.isReady(p.id)) && rs.pendingCreates === 0) {
      rs.rollout = undefined;
      rs.surge = 0;
    }
  }

  private scaleUpNew(rs: ReplicaSet, old: ReadonlySet<Endpoint>): void {
    const n = rs.desired;
    let oldCount = 0;
    for (const p of rs.pods) if (old.has(p)) oldCount++;
    const newCount = rs.pods.length - oldCount + rs.pendingCreates;
    let create = Math.min(n + rs.surge - (rs.pods.length + rs.pendingCreates), n - newCount);
    for (; create > 0; create--) {
      rs.pendingCreates++;
      this.engine.schedule(0, this.tryCreate, rs);
    }
  }

  /**
   * A pod deleted gracefully: its endpoint is no longer ready at once (the EndpointSlice controller marks a
   * terminating pod not ready; istiod pushes its removal), while the pod keeps serving what reaches it until
   * its sidecar has drained, Istio's `terminationDrainDuration` (default 5 s, istio/istio
   * pkg/config/mesh/mesh.go `DefaultProxyConfig`, commit 86c9f01f), capped by the pod's
   * `terminationGracePeriodSeconds` (default 30 s); then it is gone and its connections are reset.
   */
  private terminateGracefully(rs: ReplicaSet, victim: Endpoint, strategy: RollingUpdate): void {
    const i = rs.pods.indexOf(victim);
    if (i >= 0) rs.pods.splice(i, 1);
    this.registry.setState(victim.id, EndpointState.terminating, this.infra.isApiServerUp(victim.cluster));
    this.engine.schedule(Math.min(strategy.drainMs, strategy.gracePeriodMs), this.drained, victim);
  }

  private readonly drained = (victim: Endpoint): void => {
    if (this.registry.stateOf(victim.id) !== EndpointState.terminating) return;
    this.registry.setState(victim.id, EndpointState.terminated, this.infra.isApiServerUp(victim.cluster));
    this.controlPlane.remove(victim.sidecar);
  };

  /** A zone's nodes fail: its pods stop serving, are unlisted after the node grace period, evicted later. */
  zoneDown(zone: number): void {
    for (const rs of this.replicaSets) {
      for (const p of rs.pods)
        if (p.zone === zone) this.registry.setState(p.id, EndpointState.unavailable, false);
    }
    this.engine.schedule(NODE_GRACE_MS, this.unlistZone, zone);
    this.engine.schedule(EVICTION_MS, this.evictZone, zone);
  }

  /** The zone's nodes return: pods not yet evicted serve again. */
  zoneUp(zone: number): void {
    for (const rs of this.replicaSets) {
      for (const p of rs.pods) {
        if (p.zone === zone && this.registry.stateOf(p.id) === EndpointState.unavailable) {
          this.registry.setState(p.id, EndpointState.ready, this.infra.isApiServerUp(p.cluster));
        }
      }
    }
  }

  /** A cluster's API server is reachable again: it publishes the pod changes it missed. */
  apiServerBack(cluster: number): void {
    this.registry.republish(cluster);
  }

  /** A whole cluster fails or returns: its pods stop or resume serving; its API server publishes nothing meanwhile. */
  clusterChanged(cluster: number, up: boolean): void {
    for (const rs of this.replicaSets) {
      if (rs.cluster !== cluster) continue;
      for (const p of rs.pods) {
        const s = this.registry.stateOf(p.id);
        if (!up && s === EndpointState.ready) this.registry.setState(p.id, EndpointState.unavailable, false);
        if (up && s === EndpointState.unavailable) this.registry.setState(p.id, EndpointState.ready, false);
      }
      if (up) this.reconcile(rs);
    }
    if (up) this.registry.republish(cluster);
  }

  private readonly unlistZone = (zone: number): void => {
    if (this.infra.isZoneUp(zone)) return;
    // The node controller marks the pods NotReady: their endpoints leave the API server's list.
    for (const rs of this.replicaSets) {
      for (const p of rs.pods)
        if (p.zone === zone)
          this.registry.setState(p.id, EndpointState.unavailable, this.infra.isApiServerUp(p.cluster));
    }
  };

  private readonly evictZone = (zone: number): void => {
    if (this.infra.isZoneUp(zone)) return;
    for (const rs of this.replicaSets) {
      for (const p of [...rs.pods]) if (p.zone === zone) this.terminate(rs, p);
    }
  };

  private terminate(rs: ReplicaSet, victim: Endpoint, replace = true): void {
    const i = rs.pods.indexOf(victim);
    if (i >= 0) rs.pods.splice(i, 1);
    this.registry.setState(victim.id, EndpointState.terminated, this.infra.isApiServerUp(victim.cluster));
    this.controlPlane.remove(victim.sidecar);
    if (replace) this.reconcile(rs);
  }

  private reconcile(rs: ReplicaSet): void {
    while (rs.pods.length + rs.pendingCreates < rs.desired) {
      rs.pendingCreates++;
      this.engine.schedule(0, this.tryCreate, rs);
    }
  }

  private readonly tryCreate = (rs: ReplicaSet): void => {
    if (rs.pods.length + rs.pendingCreates > rs.desired + rs.surge) {
      rs.pendingCreates--;
      return;
    }
    // The webhook is the istiod serving this cluster; failurePolicy Fail refuses the pod when it is unreachable.
    if (!this.infra.isApiServerUp(rs.cluster) || !this.controlPlane.reachable(rs.cluster)) {
      if (this.infra.isApiServerUp(rs.cluster)) this.events.podCreationRejected(rs.service.index, rs.cluster);
      const delay = Math.min(CREATE_RETRY_MS.max, CREATE_RETRY_MS.initial * 2 ** rs.createFailures);
      rs.createFailures++;
      this.engine.schedule(delay, this.tryCreate, rs);
      return;
    }
    rs.createFailures = 0;
    rs.pendingCreates--;
    const zones = rs.zones.filter((z) => this.infra.isZoneUp(z));
    if (zones.length === 0) return;
    const zone = zones[Math.floor(rs.rng() * zones.length)] as number;
    const e = this.newPod(rs, zone);
    this.engine.schedule(this.startup.sample(), this.containerStarted, e);
  };

  private readonly containerStarted = (e: Endpoint): void => {
    if (this.registry.stateOf(e.id) !== EndpointState.starting) return;
    this.controlPlane.start(e.sidecar);
  };

  /** A starting pod whose sidecar got its first config (and so its certificate) turns ready. */
  sidecarConfigured(proxy: Proxy): void {
    const e = proxy.endpoint;
    if (e === undefined || this.registry.stateOf(e.id) !== EndpointState.starting) return;
    if (!this.infra.isZoneUp(e.zone)) return;
    // Without a certificate the sidecar cannot serve mTLS: the pod does not turn ready.
    if (!proxy.hasValidCert(this.engine.now)) return;
    this.registry.setState(e.id, EndpointState.ready, this.infra.isApiServerUp(e.cluster));
    const rs = this.replicaSets.find((r) => r.rollout !== undefined && r.pods.includes(e));
    if (rs !== undefined) this.rolloutStep(rs);
  }

  private newPod(rs: ReplicaSet, zone: number): Endpoint {
    const id = this.registry.size;
    const name = `${rs.service.name}/${id}`;
    const proxy = new Proxy(
      this.nextProxyId(),
      'sidecar',
      rs.cluster,
      zone,
      // Names unique to this pod (its endpoint id is never reused): the streams need not be kept by name.
      { sampler: this.sidecarLatency, stream: this.streams.ownStreamIndex(`proxy-latency/${name}`) },
      { draws: this.lbDraws, stream: this.streams.ownStreamIndex(`lb/${name}`) },
      rs.labels,
    );
    const e = new Endpoint({
      id,
      service: rs.service.index,
      cluster: rs.cluster,
      zone,
      labels: rs.labels,
      sidecar: proxy,
      concurrency: rs.config.concurrency,
      queueLimit: rs.config.queueLimit,
      deployment: rs.index,
    });
    proxy.endpoint = e;
    this.registry.add(e);
    rs.service.endpoints.push(e);
    rs.pods.push(e);
    this.events.proxyCreated(proxy);
    return e;
  }
}

/** Kubernetes `GetScaledValueFromIntOrPercent`: a count, or a percent of `total` rounded up or down. */
function scaled(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (!v.percent) return v.value;
  const x = (v.value * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}
