/**
 * Faults as actions on the mesh: each fault type starts (and, when it has a duration, ends) by changing
 * the infrastructure, the control plane or the workloads; the consequences then follow from the model
 * itself, never from special cases in the request path.
 */
import { sampler, type Engine, type RngStreams, type Sampler, type Uniform } from '../des/index.js';
import type { ControlPlane } from './control-plane.js';
import type { FaultInjections } from './data-plane-roles.js';
import type { Infrastructure } from './infrastructure.js';
import type { FaultConfig } from './fault.js';
import type { Topology } from './topology.js';
import type { Workloads } from './workloads.js';

export interface FaultContext {
  readonly engine: Engine;
  readonly streams: RngStreams;
  readonly topology: Topology;
  readonly infra: Infrastructure;
  readonly controlPlane: ControlPlane;
  readonly workloads: Workloads;
  serviceIndex(name: string): number;
  /** Called after every infrastructure change so reachability-dependent state is re-evaluated. */
  infrastructureChanged(): void;
}

interface ActiveInjection {
  service: number;
  cluster: number;
  fraction: number;
  delay: Sampler | undefined;
  status: number;
}

export class FaultInjector implements FaultInjections {
  private readonly injections: ActiveInjection[] = [];
  private readonly rng: Uniform;

  constructor(private readonly ctx: FaultContext) {
    this.rng = ctx.streams.stream('fault-injection');
  }

  /** Schedules every fault of the timeline. */
  schedule(faults: readonly FaultConfig[]): void {
    for (const f of faults) {
      this.ctx.engine.scheduleAt(f.atMs, this.begin, f);
      if (f.forMs !== Infinity) this.ctx.engine.scheduleAt(f.atMs + f.forMs, this.end, f);
    }
  }

  delayFor(service: number, cluster: number): number {
    if (this.injections.length === 0) return 0;
    let total = 0;
    for (const i of this.injections) {
      if (
        i.delay !== undefined &&
        i.service === service &&
        (i.cluster < 0 || i.cluster === cluster) &&
        this.rng() < i.fraction
      ) {
        total += i.delay.sample();
      }
    }
    return total;
  }

  abortFor(service: number, cluster: number): number {
    if (this.injections.length === 0) return 0;
    for (const i of this.injections) {
      if (
        i.delay === undefined &&
        i.service === service &&
        (i.cluster < 0 || i.cluster === cluster) &&
        this.rng() < i.fraction
      ) {
        return i.status;
      }
    }
    return 0;
  }

  private readonly begin = (f: FaultConfig): void => this.apply(f, true);
  private readonly end = (f: FaultConfig): void => this.apply(f, false);

  private apply(f: FaultConfig, starting: boolean): void {
    const { topology, infra, controlPlane, workloads } = this.ctx;
    switch (f.type) {
      case 'ca-outage':
        // The CA alone (an external or plugged-in CA, or istiod's signing path): xDS goes on, signing stops.
        controlPlane.setCaDown(topology.cluster(f.cluster), starting);
        break;
      case 'control-plane-outage': {
        // The istiod serving the cluster: its own, its primary's, or the external one; it is also the CA.
        const istiod = controlPlane.istiodOf(topology.cluster(f.cluster));
        if (starting) controlPlane.stopIstiod(istiod);
        else
          controlPlane.startIstiod(
            istiod,
            istiod.location.cluster === undefined || infra.isClusterUp(istiod.location.cluster),
          );
        break;
      }
      case 'cluster-outage': {
        const c = topology.cluster(f.cluster);
        infra.setClusterUp(c, !starting);
        workloads.clusterChanged(c, !starting);
        for (const istiod of controlPlane.istiods) {
          if (istiod.location.cluster !== c) continue;
          if (starting) controlPlane.stopIstiod(istiod);
          else controlPlane.startIstiod(istiod, true);
        }
        break;
      }
      case 'zone-outage': {
        const zone = topology.zone(topology.cluster(f.cluster), f.zone);
        infra.setZoneUp(zone, !starting);
        if (starting) workloads.zoneDown(zone);
        else workloads.zoneUp(zone);
        break;
      }
      case 'api-server-outage': {
        const c = topology.cluster(f.cluster);
        infra.setApiServerUp(c, !starting);
        // Back up, the API server lists what changed meanwhile; watchers see it as events.
        if (!starting) workloads.apiServerBack(c);
        break;
      }
      case 'gateway-outage':
        infra.setGatewayUp(topology.cluster(f.cluster), f.gateway, !starting);
        break;
      case 'network-partition':
        infra.partition(f.between[0], f.between[1], !starting);
        break;
      case 'pod-failure':
        if (starting)
          workloads.killPods(this.ctx.serviceIndex(f.service), topology.cluster(f.cluster), f.count);
        break;
      case 'pod-churn':
        if (starting) this.churn(f);
        break;
      case 'rollout':
        if (starting)
          workloads.rollout(this.ctx.serviceIndex(f.service), topology.cluster(f.cluster), f.strategy);
        break;
      case 'scale':
        if (starting)
          workloads.scale(this.ctx.serviceIndex(f.service), topology.cluster(f.cluster), f.replicas);
        break;
      case 'latency-injection':
      case 'error-injection': {
        const entry: ActiveInjection = {
          service: this.ctx.serviceIndex(f.service),
          cluster: f.cluster === undefined ? -1 : topology.cluster(f.cluster),
          fraction: f.fraction,
          delay:
            f.type === 'latency-injection'
              ? sampler(f.delay, this.ctx.streams.stream(`fault-delay/${f.service}`))
              : undefined,
          status: f.type === 'error-injection' ? f.httpStatus : 0,
        };
        if (starting) this.injections.push(entry);
        else {
          const i = this.injections.findIndex(
            (x) =>
              x.service === entry.service &&
              x.cluster === entry.cluster &&
              x.status === entry.status &&
              (x.delay === undefined) === (entry.delay === undefined),
          );
          if (i >= 0) this.injections.splice(i, 1);
        }
        break;
      }
      case 'config-push': {
        // One rollout to every target cluster at once (issue 13: `clusters:`); undone the same way.
        const targets = [{ cluster: f.cluster, routing: f.routing }, ...f.alsoTo];
        if (starting)
          this.previousConfig.set(
            f,
            targets.map((t) => controlPlane.configOf(topology.cluster(t.cluster))),
          );
        targets.forEach((t, k) => {
          const c = topology.cluster(t.cluster);
          if (starting) controlPlane.applyConfig(c, t.routing);
          else {
            const previous = this.previousConfig.get(f)?.[k];
            if (previous !== undefined) controlPlane.applyConfig(c, previous);
          }
        });
        break;
      }
    }
    this.ctx.infrastructureChanged();
  }

  private readonly previousConfig = new Map<FaultConfig, ReturnType<ControlPlane['configOf']>[]>();

  /** Kills one random pod every `everyMs` until the fault ends; each is replaced by its ReplicaSet. */
  private churn(f: Extract<FaultConfig, { type: 'pod-churn' }>): void {
    const end = f.atMs + f.forMs;
    const service = this.ctx.serviceIndex(f.service);
    const cluster = this.ctx.topology.cluster(f.cluster);
    const tick = (): void => {
      if (this.ctx.engine.now >= end) return;
      this.ctx.workloads.killRandomPod(service, cluster);
      this.ctx.engine.schedule(f.everyMs, tick, undefined);
    };
    tick();
  }
}
