/**
 * A floor under the mesh benchmark: the same traffic through the same three-hop chains with nothing of
 * Istio, measured in the same run. Each request is the mesh's ten events (an arrival, then per call the
 * arrival at a replica, the end of its service and the response's return); each call draws the mesh's
 * latencies from the scenario's own distributions (caller sidecar, network, callee sidecar, service time,
 * network back), picks one of the service's replicas by two random choices and queues at it; latencies go
 * into two histograms. Arrivals are Poisson at the scenario's total rate, entries and client zones uniform.
 * No routing, endpoint views, connection pools, certificates, faults or per-cluster breakdowns.
 *
 * Everything the mesh does beyond this is what it models, so mesh rate / this rate says how much of the
 * kernel's speed the model keeps, and this rate bounds what the mesh can reach on the machine without a
 * faster kernel, sampler or event count.
 *
 * Its three per-hop events use `Engine.post` (an event never cancelled, no id returned) because the mesh's
 * same three (the try's arrival at the replica, the end of service, the response's return) do: a yardstick
 * that kept `schedule` there would credit the mesh with a kernel call, not with less model work.
 */
import { performance } from 'node:perf_hooks';
import {
  Acquire,
  Engine,
  Resource,
  RngStreams,
  sampler,
  type Sampler,
  type Uniform,
} from '../../src/des/index.js';
import { LogHistogram } from '../../src/metrics/stats/index.js';
import type { Scenario } from '../../src/scenario/index.js';
import type { Advance } from './measure.js';

class Replica {
  active = 0;
  constructor(
    readonly zone: number,
    readonly slots: Resource,
  ) {}
}

/** Fields set in the constructor, as the mesh's Call and Attempt do: class-field initializers cost a call per `new`. */
class Hop {
  declare replica: Replica | undefined;
  declare readonly parent: Hop | undefined;
  declare readonly service: number;
  declare readonly callerZone: number;
  declare readonly sentMs: number;
  constructor(parent: Hop | undefined, service: number, callerZone: number, sentMs: number) {
    this.replica = undefined;
    this.parent = parent;
    this.service = service;
    this.callerZone = callerZone;
    this.sentMs = sentMs;
  }
}

export interface MinimalMeshResult {
  requests: number;
  events: number;
  seconds: number;
}

class MinimalMesh {
  private readonly engine = new Engine(4096);
  private readonly sidecar: Sampler[];
  /** By (from zone, to zone). */
  private readonly network: Sampler[];
  private readonly serviceTime: Sampler[];
  private readonly replicas: Replica[][];
  /** Index of the next service in the chain, or -1 for a chain's last. */
  private readonly next: number[];
  private readonly lbRng: Uniform;
  private readonly arrivalRng: Uniform;
  private readonly callLatency = new LogHistogram(0.01);
  private readonly requestLatency = new LogHistogram(0.01);
  private readonly zones: number;
  private readonly entries: number[];
  private readonly ratePerMs: number;
  private completed = 0;

  constructor(scenario: Scenario) {
    const streams = new RngStreams(1);
    const mesh = scenario.mesh;
    const zoneRegion: string[] = [];
    const zoneOf = new Map<string, number>();
    for (const c of mesh.clusters) {
      for (const z of c.zones) {
        zoneOf.set(`${c.name}/${z}`, zoneRegion.length);
        zoneRegion.push(c.region);
      }
    }
    this.zones = zoneRegion.length;
    this.sidecar = zoneRegion.map((_, z) => sampler(mesh.sidecar.latency, streams.stream(`sidecar/${z}`)));
    this.network = [];
    for (let a = 0; a < this.zones; a++) {
      const rng = streams.stream(`network/${a}`);
      for (let b = 0; b < this.zones; b++) {
        const d =
          a === b
            ? mesh.network.sameZone
            : zoneRegion[a] === zoneRegion[b]
              ? mesh.network.crossZone
              : mesh.network.crossRegion;
        this.network.push(sampler(d, rng));
      }
    }
    const index = new Map(mesh.services.map((s, i) => [s.name, i]));
    this.serviceTime = mesh.services.map((s) => sampler(s.serviceTime, streams.stream(`service/${s.name}`)));
    this.next = mesh.services.map((s) => index.get(s.calls[0]?.[0]?.service ?? '') ?? -1);
    this.replicas = mesh.services.map((s) =>
      s.deployments.flatMap((d) => {
        const cluster = mesh.clusters.find((c) => c.name === d.cluster);
        const zones = cluster?.zones ?? [];
        return Array.from(
          { length: d.replicas },
          (_, k) =>
            new Replica(
              zoneOf.get(`${d.cluster}/${zones[k % zones.length]}`) ?? 0,
              new Resource(s.concurrency),
            ),
        );
      }),
    );
    this.entries = mesh.traffic.map((t) => index.get(t.entry) ?? 0);
    this.ratePerMs = mesh.traffic.reduce((sum, t) => sum + t.ratePerMs, 0);
    this.lbRng = streams.stream('lb');
    this.arrivalRng = streams.stream('arrivals');
  }

  /** Schedules the arrivals of `durationMs` of simulated time (then `advance` or `run` runs them). */
  start(durationMs: number): void {
    const arrive = (): void => {
      const rng = this.arrivalRng;
      const entry = this.entries[(rng() * this.entries.length) | 0] as number;
      this.send(new Hop(undefined, entry, (rng() * this.zones) | 0, this.engine.now));
      const gap = -Math.log(1 - rng()) / this.ratePerMs;
      if (this.engine.now + gap < durationMs) this.engine.schedule(gap, arrive, undefined);
    };
    this.engine.schedule(0, arrive, undefined);
  }

  /** Runs to simulated time `untilMs`; returns the requests completed so far. */
  advance(untilMs: number): number {
    this.engine.run(untilMs);
    return this.completed;
  }

  run(durationMs: number): MinimalMeshResult {
    this.start(durationMs);
    const t0 = performance.now();
    this.engine.run();
    return {
      requests: this.completed,
      events: this.engine.processed,
      seconds: (performance.now() - t0) / 1000,
    };
  }

  private send(hop: Hop): void {
    const replicas = this.replicas[hop.service] as Replica[];
    const a = replicas[(this.lbRng() * replicas.length) | 0] as Replica;
    const b = replicas[(this.lbRng() * replicas.length) | 0] as Replica;
    const replica = b.active < a.active ? b : a;
    replica.active++;
    hop.replica = replica;
    const delay =
      (this.sidecar[hop.callerZone] as Sampler).sample() +
      (this.network[hop.callerZone * this.zones + replica.zone] as Sampler).sample() +
      (this.sidecar[replica.zone] as Sampler).sample();
    this.engine.post(delay, this.arrived, hop);
  }

  private readonly arrived = (hop: Hop): void => {
    if ((hop.replica as Replica).slots.acquire(this.begin, hop) === Acquire.GRANTED) this.begin(hop);
  };

  private readonly begin = (hop: Hop): void => {
    this.engine.post((this.serviceTime[hop.service] as Sampler).sample(), this.served, hop);
  };

  private readonly served = (hop: Hop): void => {
    const replica = hop.replica as Replica;
    replica.slots.release();
    const next = this.next[hop.service] as number;
    if (next >= 0) this.send(new Hop(hop, next, replica.zone, this.engine.now));
    else this.respond(hop);
  };

  private respond(hop: Hop): void {
    const replica = hop.replica as Replica;
    this.engine.post(
      (this.network[replica.zone * this.zones + hop.callerZone] as Sampler).sample(),
      this.responded,
      hop,
    );
  }

  private readonly responded = (hop: Hop): void => {
    (hop.replica as Replica).active--;
    const latency = this.engine.now - hop.sentMs;
    this.callLatency.record(latency);
    const parent = hop.parent;
    if (parent !== undefined) this.respond(parent);
    else {
      this.requestLatency.record(latency);
      this.completed++;
    }
  };
}

/**
 * The minimal model of `scenario`, its arrivals scheduled for `durationMs`, to be advanced slice by slice
 * (measure.ts `interleave`); the per-request work is `run`'s.
 */
export function minimalMeshAdvance(scenario: Scenario, durationMs: number): Advance {
  const m = new MinimalMesh(scenario);
  m.start(durationMs);
  return (untilMs) => m.advance(untilMs);
}

/** Runs the minimal model of `scenario` for `durationMs` of simulated time. */
export function minimalMeshBench(scenario: Scenario, durationMs: number): MinimalMeshResult {
  return new MinimalMesh(scenario).run(durationMs);
}
