/**
 * The running mesh: topology, services, proxies and traffic wired onto an engine, and the data path every
 * request takes:
 *
 *   client sidecar ─(outbound latency, LB pick)─► network ─► server sidecar (inbound latency)
 *   ─► replica queue ─► service time ─► downstream steps (in order; a parallel group awaits all) ─► response
 *   ─► network ─► calling proxy
 *
 * A hop costs three events (arrival at the replica, end of service time, response at the caller). Proxy
 * latencies are folded into the arrival delay: the outbound sidecar's pick happens when the request is sent.
 * A failed downstream call fails its caller with 500 after the step it belongs to, as an application that
 * propagates errors would (isotope's convention).
 */
import { Acquire, Resource, sampler, type Engine, type RngStreams } from '../des/index.js';
import { Endpoint } from './endpoint.js';
import type { MeshConfig, ServiceConfig } from './mesh-config.js';
import { NetworkLatency } from './network-latency.js';
import type { MeshObserver } from './observer.js';
import { Proxy } from './proxy.js';
import { Call, MeshRequest, isFailure } from './request.js';
import { ResponseFlag } from './response-flag.js';
import { ServiceRuntime, type CallStep } from './service-runtime.js';
import { Topology } from './topology.js';
import { TrafficSource } from './traffic-source.js';

export class Mesh {
  readonly topology: Topology;
  readonly services: ServiceRuntime[];
  readonly traffic: TrafficSource[];
  private readonly network: NetworkLatency;
  private readonly proxies: Proxy[] = [];
  private readonly clientProxies = new Map<string, Proxy>();
  private requestSeq = 0;

  constructor(
    private readonly engine: Engine,
    private readonly streams: RngStreams,
    readonly config: MeshConfig,
    private readonly observer: MeshObserver,
  ) {
    this.topology = new Topology(config.clusters);
    this.network = new NetworkLatency(this.topology, config.network, streams.stream('network'));
    const serviceIndex = new Map(config.services.map((s, i) => [s.name, i]));
    const indexOf = (name: string): number => {
      const i = serviceIndex.get(name);
      if (i === undefined) throw new Error(`unknown service ${name}`);
      return i;
    };
    this.services = config.services.map((s, i) => this.buildService(s, i, indexOf));
    config.services.forEach((s, i) => this.deploy(s, this.services[i] as ServiceRuntime));
    this.traffic = config.traffic.map((t, ti) => {
      const placement = streams.stream(`client-placement/${t.name}`);
      const entry = indexOf(t.entry);
      const weights = t.from.map((f) => f.weight);
      const clusters = t.from.map((f) => this.topology.cluster(f.cluster));
      return new TrafficSource(engine, t, streams.stream(`arrivals/${t.name}`), () => {
        const cluster = clusters[pickWeighted(weights, placement())] as number;
        const zones = this.topology.zonesOf(cluster);
        const zone = zones[Math.floor(placement() * zones.length)] as number;
        this.sendRequest(ti, cluster, this.clientProxy(t.name, cluster, zone), entry);
      });
    });
  }

  /** Starts every traffic source; arrivals stop at `stopMs`, requests in flight then still complete. */
  start(stopMs: number): void {
    for (const t of this.traffic) t.start(stopMs);
  }

  /** All proxies created so far (replica sidecars first, then client sidecars as they appear). */
  get allProxies(): readonly Proxy[] {
    return this.proxies;
  }

  private buildService(s: ServiceConfig, index: number, indexOf: (name: string) => number): ServiceRuntime {
    const steps: CallStep[] = s.calls.map((step) => ({
      services: Int32Array.from(step, (c) => indexOf(c.service)),
      probabilities: Float64Array.from(step, (c) => c.probability),
    }));
    return new ServiceRuntime(
      index,
      s.name,
      s.blocking,
      sampler(s.serviceTime, this.streams.stream(`service-time/${s.name}`)),
      s.errorRate,
      steps,
      this.streams.stream(`behaviour/${s.name}`),
    );
  }

  private deploy(s: ServiceConfig, runtime: ServiceRuntime): void {
    for (const d of s.deployments) {
      const cluster = this.topology.cluster(d.cluster);
      const zones =
        d.zone === undefined ? this.topology.zonesOf(cluster) : [this.topology.zone(cluster, d.zone)];
      for (let r = 0; r < d.replicas; r++) {
        const zone = zones[r % zones.length] as number;
        const id = runtime.endpoints.length;
        const sidecar = this.newProxy(`${s.name}/${id}`, cluster, zone);
        const slots = new Resource(s.concurrency, s.queueLimit);
        runtime.endpoints.push(new Endpoint(id, runtime.index, cluster, zone, d.labels, slots, sidecar));
      }
    }
  }

  private newProxy(name: string, cluster: number, zone: number): Proxy {
    const proxy = new Proxy(
      this.proxies.length,
      'sidecar',
      cluster,
      zone,
      sampler(this.config.sidecar.latency, this.streams.stream('sidecar')),
      this.streams.stream(`lb/${name}`),
      // One pool per service across all clusters: no control plane filters the view yet.
      (service) => (this.services[service] as ServiceRuntime).endpoints,
    );
    this.proxies.push(proxy);
    return proxy;
  }

  private clientProxy(traffic: string, cluster: number, zone: number): Proxy {
    const key = `${traffic}/${zone}`;
    let p = this.clientProxies.get(key);
    if (p === undefined) {
      p = this.newProxy(`client/${key}`, cluster, zone);
      this.clientProxies.set(key, p);
    }
    return p;
  }

  private sendRequest(traffic: number, cluster: number, client: Proxy, entry: number): void {
    const request = new MeshRequest(this.requestSeq++, traffic, cluster, this.engine.now);
    this.observer.requestStarted(request);
    this.send(new Call(request, undefined, this.services[entry] as ServiceRuntime, client));
  }

  private send(call: Call): void {
    const source = call.source;
    call.sentMs = this.engine.now;
    const upstream = source.upstream(call.service.index);
    const host = upstream.pick();
    if (host < 0) {
      // Envoy: no healthy upstream.
      this.respondNow(call, 503, ResponseFlag.UH);
      return;
    }
    const endpoint = upstream.hosts[host] as Endpoint;
    call.upstreamHost = host;
    call.endpoint = endpoint;
    const delay =
      source.latency.sample() +
      this.network.sample(source.zone, endpoint.zone) +
      endpoint.sidecar.latency.sample();
    this.engine.schedule(delay, this.arrive, call);
  }

  private readonly arrive = (call: Call): void => {
    call.arrivedMs = this.engine.now;
    const outcome = (call.endpoint as Endpoint).slots.acquire(this.beginService, call);
    if (outcome === Acquire.GRANTED) this.beginService(call);
    else if (outcome === Acquire.REJECTED) this.respond(call, 503, false);
  };

  private readonly beginService = (call: Call): void => {
    call.startedMs = this.engine.now;
    this.engine.schedule(call.service.serviceTime.sample(), this.serviceDone, call);
  };

  private readonly serviceDone = (call: Call): void => {
    const service = call.service;
    if (!service.blocking) (call.endpoint as Endpoint).slots.release();
    if (service.errorRate > 0 && service.behaviourRng() < service.errorRate) {
      this.respond(call, 500, service.blocking);
      return;
    }
    this.startStep(call, 0);
  };

  private startStep(call: Call, first: number): void {
    const steps = call.service.steps;
    for (let i = first; i < steps.length; i++) {
      const step = steps[i] as CallStep;
      const endpoint = call.endpoint as Endpoint;
      let made = 0;
      for (let k = 0; k < step.services.length; k++) {
        const p = step.probabilities[k] as number;
        if (p < 1 && call.service.behaviourRng() >= p) continue;
        const child = new Call(
          call.request,
          call,
          this.services[step.services[k] as number] as ServiceRuntime,
          endpoint.sidecar,
        );
        made++;
        call.outstanding++;
        this.send(child);
      }
      if (made > 0) {
        call.step = i;
        return;
      }
    }
    this.respond(call, 200, call.service.blocking);
  }

  private childDone(parent: Call, child: Call): void {
    if (isFailure(child.responseCode)) parent.downstreamFailed = true;
    if (--parent.outstanding > 0) return;
    if (parent.downstreamFailed) this.respond(parent, 500, parent.service.blocking);
    else this.startStep(parent, parent.step + 1);
  }

  /** The replica answers: the response travels back over the network to the calling proxy. */
  private respond(call: Call, code: number, releaseSlot: boolean): void {
    const endpoint = call.endpoint as Endpoint;
    if (releaseSlot) endpoint.slots.release();
    call.responseCode = code;
    this.engine.schedule(this.network.sample(endpoint.zone, call.source.zone), this.responseArrived, call);
  }

  /** A response produced by the calling proxy itself (no upstream reached). */
  private respondNow(call: Call, code: number, flags: number): void {
    call.responseCode = code;
    call.responseFlags |= flags;
    this.engine.schedule(0, this.responseArrived, call);
  }

  private readonly responseArrived = (call: Call): void => {
    call.endMs = this.engine.now;
    if (call.upstreamHost >= 0) call.source.upstream(call.service.index).done(call.upstreamHost);
    this.observer.callCompleted(call);
    const parent = call.parent;
    if (parent !== undefined) {
      this.childDone(parent, call);
      return;
    }
    const request = call.request;
    request.responseCode = call.responseCode;
    request.responseFlags = call.responseFlags;
    request.endMs = call.endMs;
    this.observer.requestCompleted(request);
  };
}

/** Index i with probability weights[i] / sum, given u uniform on [0, 1). */
export function pickWeighted(weights: readonly number[], u: number): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = u * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i] as number;
    if (x < 0) return i;
  }
  return weights.length - 1;
}
