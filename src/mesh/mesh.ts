/**
 * The running mesh of one deployment model: topology and infrastructure, the control plane, workloads,
 * gateways, the data plane and the traffic, wired onto an engine. Everything leaves through the observer.
 */
import {
  sampler,
  type StreamDraws,
  StreamSampler,
  type Distribution,
  type Engine,
  type RngStreams,
} from '../des/index.js';
import { ControlPlane } from './control-plane.js';
import { DataPlane } from './data-plane.js';
import type { TrafficOrigin } from './data-plane-roles.js';
import { EndpointRegistry } from './endpoint-registry.js';
import { FaultInjector } from './fault-injector.js';
import { AUTHORITY } from './traffic/ingress-routes.js';
import { ExternalDestination } from './external-destination.js';
import { Infrastructure } from './infrastructure.js';
import type { MeshConfig, ServiceConfig } from './mesh-config.js';
import { NetworkLatency } from './network-latency.js';
import type { MeshObserver } from './observer.js';
import { Proxy } from './proxy.js';
import { RouteResolver } from './traffic/route-resolver.js';
import { ANSWER_500, CONTINUE, ServiceRuntime, type CallStep } from './service-runtime.js';
import { Topology } from './topology.js';
import { ClosedLoopSource, ClosedLoopTap } from './load/closed-loop-source.js';
import { ClientPlacement } from './load/client-placement.js';
import { OpenLoopSource } from './load/open-loop-source.js';
import { UpstreamViews } from './upstream-views.js';
import { ViewTracker } from './view-tracker.js';
import { Workloads } from './workloads.js';

export class Mesh {
  readonly topology: Topology;
  readonly infra: Infrastructure;
  readonly registry = new EndpointRegistry();
  readonly services: ServiceRuntime[];
  readonly traffic: (OpenLoopSource | ClosedLoopSource)[];
  readonly controlPlane: ControlPlane;
  readonly workloads: Workloads;
  readonly tracker: ViewTracker;
  private readonly proxies: Proxy[] = [];
  private readonly latencySamplers = new Map<Distribution, StreamSampler>();
  /** Gateways' and clients' balancing draws, each from the proxy's own stream. */
  private readonly lbDraws: StreamDraws;
  private readonly eastWest: Proxy[];
  private readonly ingress: Proxy[];
  private readonly views: UpstreamViews;
  private readonly dataPlane: DataPlane;
  private readonly faults: FaultInjector;

  constructor(
    private readonly engine: Engine,
    private readonly streams: RngStreams,
    readonly config: MeshConfig,
    runObserver: MeshObserver,
  ) {
    this.lbDraws = streams.alea;
    // Closed-loop clients hear of their answers through a tap on the observer (no hook in the data plane).
    const tap = config.traffic.some((t) => t.closedLoop !== undefined)
      ? new ClosedLoopTap(runObserver)
      : undefined;
    const observer: MeshObserver = tap ?? runObserver;
    this.topology = new Topology(config.clusters);
    this.infra = new Infrastructure(this.topology);
    const network = new NetworkLatency(this.topology, config.network, (zone) =>
      streams.stream(`network/${zone}`),
    );
    const serviceIndex = new Map(config.services.map((s, i) => [s.name, i]));
    const indexOf = (name: string): number => {
      const i = serviceIndex.get(name);
      if (i === undefined) throw new Error(`unknown service ${name}`);
      return i;
    };
    this.services = config.services.map((s, i) => this.buildService(s, i, indexOf));
    this.tracker = new ViewTracker(this.registry, {
      converged: (ms) => observer.converged(ms),
      staleProxies: (count, now) => observer.staleProxies(count, now),
    });
    this.controlPlane = new ControlPlane({
      engine,
      model: config.model,
      topology: this.topology,
      infra: this.infra,
      registry: this.registry,
      tracker: this.tracker,
      settings: config.controlPlane,
      routing: config.routing,
      rng: streams.stream('control-plane'),
      pushTime: sampler(config.controlPlane.pushTime, streams.stream('push-time')),
      events: {
        pushed: (sinceStartMs) => observer.pushed(sinceStartMs),
        xdsClients: (istiod, count) => observer.xdsClients(istiod, count),
        certExpired: () => observer.certExpired(),
        viewChanged: (proxy) => this.workloads.sidecarConfigured(proxy),
      },
      clusterRouting: config.clusterRouting,
    });
    this.trackReality();
    this.workloads = new Workloads({
      engine,
      streams,
      topology: this.topology,
      infra: this.infra,
      registry: this.registry,
      controlPlane: this.controlPlane,
      sidecarLatency: config.sidecar.latency,
      settings: config.controlPlane,
      events: {
        podCreationRejected: () => observer.podCreationRejected(),
        proxyCreated: (p) => this.proxies.push(p),
      },
      nextProxyId: () => this.proxies.length,
    });
    const gatewayLatency = config.gateways.eastWest.latency;
    this.eastWest = this.topology.clusterNames.map((_, c) =>
      this.routerProxy(`east-west/${c}`, c, gatewayLatency),
    );
    this.ingress = this.topology.clusterNames.map((_, c) =>
      this.routerProxy(`ingress/${c}`, c, config.gateways.ingress.latency),
    );
    config.services.forEach((s, i) => {
      for (const d of s.deployments) {
        this.workloads.deploy(
          this.services[i] as ServiceRuntime,
          s,
          d,
          config.controlPlane.certTtlMs,
          config.controlPlane.certRotationFraction,
        );
      }
    });
    this.controlPlane.settle();
    this.views = new UpstreamViews(this.topology, config.model.network === 'multi');
    this.faults = new FaultInjector({
      engine,
      streams,
      topology: this.topology,
      infra: this.infra,
      controlPlane: this.controlPlane,
      workloads: this.workloads,
      serviceIndex: indexOf,
      infrastructureChanged: () => {
        this.controlPlane.infrastructureChanged(this.proxies);
        this.dataPlane.pathsChanged();
      },
    });
    this.dataPlane = new DataPlane({
      engine,
      registry: this.registry,
      infra: this.infra,
      network,
      observer,
      services: this.services,
      routes: new RouteResolver(this.services, streams.stream('routing')),
      upstreamOf: (proxy, service, subset) => this.views.upstreamOf(proxy, service, subset),
      eastWestGateway: (c) => this.eastWest[c] as Proxy,
      injected: this.faults,
    });
    this.traffic = config.traffic.map((t, ti) => {
      // Hook (issue 13): a request naming a host carries it as :authority; the ingress gateway routes it
      // by the Gateway routes (ingress-routes.ts).
      const headers = t.host === undefined ? t.headers : { ...t.headers, [AUTHORITY]: t.host };
      const origin: TrafficOrigin = {
        index: ti,
        entry: this.services[indexOf(t.entry)] as ServiceRuntime,
        headers,
        uri: t.uri,
        clientTimeoutMs: t.timeoutMs,
      };
      const clusters = t.from.map((f) => this.topology.cluster(f.cluster));
      const placement = new ClientPlacement({
        origin,
        path: this.dataPlane,
        infra: this.infra,
        clusters,
        weights: t.from.map((f) => f.weight),
        zones: clusters.map((c) => this.topology.zonesOf(c)),
        zoneCount: this.topology.zones.length,
        viaIngress: t.via === 'ingress',
        ingress: this.ingress,
        draws: streams.alea,
        stream: streams.streamIndex(`client-placement/${t.name}`),
        newClient: (cluster, zone) => this.newClientProxy(t.name, cluster, zone),
      });
      if (t.closedLoop === undefined)
        return new OpenLoopSource(engine, t, streams.stream(`arrivals/${t.name}`), placement);
      const closed = new ClosedLoopSource(engine, t, streams.stream(`think/${t.name}`), () =>
        placement.send(),
      );
      if (tap !== undefined) tap.sources[ti] = closed;
      return closed;
    });
  }

  /** Starts traffic and the fault timeline; arrivals stop at `stopMs`, requests in flight then still complete. */
  start(stopMs: number): void {
    for (const t of this.traffic) t.start(stopMs);
    this.faults.schedule(this.config.faults);
  }

  /** All proxies created so far. */
  get allProxies(): readonly Proxy[] {
    return this.proxies;
  }

  /** Reality changes (pods turning ready or not) feed the staleness and convergence measures. */
  private trackReality(): void {
    this.registry.onReality((id, ready) => this.tracker.realityChanged(id, ready, this.engine.now));
  }

  private buildService(s: ServiceConfig, index: number, indexOf: (name: string) => number): ServiceRuntime {
    const stepsOf = (calls: ServiceConfig['calls']): CallStep[] =>
      calls.map((step) => ({
        services: Int32Array.from(step, (c) => indexOf(c.service)),
        probabilities: Float64Array.from(step, (c) => c.probability),
        onError: step.some((c) => c.onError !== 'fail')
          ? Int32Array.from(step, (c) => onErrorCode(c.onError))
          : undefined,
        // Copied into literals made here rather than shared with the config: the policy a call reads is
        // built as before, whatever path (a worker's structured clone, a parts file) the config came by.
        app: step.some((c) => c.app !== undefined)
          ? step.map(({ app: a }) =>
              a === undefined
                ? undefined
                : { timeoutMs: a.timeoutMs, retries: a.retries, backoffMs: a.backoffMs },
            )
          : undefined,
      }));
    const service = new ServiceRuntime(
      index,
      s.name,
      s.blocking,
      sampler(s.serviceTime, this.streams.stream(`service-time/${s.name}`)),
      s.errorRate,
      stepsOf(s.calls),
      this.streams.stream(`behaviour/${s.name}`),
    );
    // Hook (issue 13): a ServiceEntry host answers by its own latency and errors (external-destination.ts).
    if (s.external !== undefined)
      service.external = new ExternalDestination(
        s.external,
        this.config.clusters.map((c) => c.region),
        service.serviceTime,
        s.errorRate,
        service.behaviourRng,
        (key) => this.streams.stream(`external-latency/${s.name}/${key}`),
      );
    // A version's streams are its own (named by deployment), so services without versions draw as before.
    s.deployments.forEach((d, k) => {
      const b = d.behaviour;
      if (b === undefined) return;
      service.addVersion(d.labels, {
        serviceTime:
          b.serviceTime === undefined
            ? service.serviceTime
            : sampler(b.serviceTime, this.streams.stream(`service-time/${s.name}/deployment-${k}`)),
        errorRate: b.errorRate ?? service.errorRate,
        steps: b.calls === undefined ? service.steps : stepsOf(b.calls),
      });
    });
    return service;
  }

  private routerProxy(name: string, cluster: number, latency: MeshConfig['sidecar']['latency']): Proxy {
    const zone = this.topology.zonesOf(cluster)[0] as number;
    const p = new Proxy(
      this.proxies.length,
      'router',
      cluster,
      zone,
      { sampler: this.latencySampler(latency), stream: this.streams.streamIndex(`proxy-latency/${name}`) },
      { draws: this.lbDraws, stream: this.streams.streamIndex(`lb/${name}`) },
      {},
    );
    this.proxies.push(p);
    this.controlPlane.attachInitial(p, 0);
    return p;
  }

  /** The one sampler of a proxy latency distribution, shared by every proxy drawing from it. */
  private latencySampler(d: Distribution): StreamSampler {
    let s = this.latencySamplers.get(d);
    if (s === undefined) {
      s = new StreamSampler(d, this.streams.alea);
      this.latencySamplers.set(d, s);
    }
    return s;
  }

  /**
   * The sidecar of a (traffic source, zone) sending its first request (its placement keeps it: load/
   * client-placement.ts).
   */
  private newClientProxy(traffic: string, cluster: number, zone: number): Proxy {
    const key = `${traffic}/${zone}`;
    const p = new Proxy(
      this.proxies.length,
      'sidecar',
      cluster,
      zone,
      {
        sampler: this.latencySampler(this.config.sidecar.latency),
        stream: this.streams.streamIndex(`proxy-latency/client/${key}`),
      },
      { draws: this.lbDraws, stream: this.streams.streamIndex(`lb/client/${key}`) },
      { app: traffic },
    );
    this.proxies.push(p);
    this.controlPlane.attachInitial(
      p,
      this.streams.stream(`cert-age/${key}`)() *
        this.config.controlPlane.certTtlMs *
        this.config.controlPlane.certRotationFraction,
    );
    return p;
  }
}

function onErrorCode(onError: 'fail' | 'continue' | number): number {
  return onError === 'fail' ? ANSWER_500 : onError === 'continue' ? CONTINUE : onError;
}
