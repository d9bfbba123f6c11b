/**
 * A service replica (Istio's `IstioEndpoint` backed by a pod): its locality, labels, worker slots and queue,
 * and its sidecar. Whether it is ready or gone is reality, kept by the EndpointRegistry. It is also the
 * host a proxy's view lists for the pod (priority-set.ts `UpstreamHost`, tagged `kind` 'pod').
 *
 * Layout: the endpoint is its own worker slots rather than holding a des Resource. A request hop reads the
 * host it picked, the endpoint, and its slots; on a 25,000-pod mesh each was a separate cold object (a
 * sidecar sends about a request a second, each to a host it has not touched for seconds), so a hop paid a
 * cache miss per object. It was a Resource by inheritance, which put Resource's seven fields first (V8 lays
 * fields out in the order they are set, the base class's before the derived one's): what a try's arrival,
 * service and answer read (slots, capacity, service, cluster, zone, sidecar) spanned bytes 24-127, 2-3
 * cache lines. Here those come first (bytes 24-71, 1-2 lines), the waiting line is an object of its own
 * made when the first try waits (most pods never queue), and the endpoint is 112 bytes instead of 128 (104
 * until it carried its deployment's index).
 * des Resource keeps its own layout: it is the slots of issue 17's yardsticks (the minimal model and the
 * M/M/1 kernel bench), so a change to it would move what the mesh is measured against. The waiting line
 * below repeats Resource's ring buffer for that reason; test/mesh/endpoint.test.ts checks the two against
 * each other step for step.
 *
 * Contents: `Endpoint`, `EndpointContext`.
 */
import { Acquire, SimulationError, type EventHandler } from '../des/index.js';
import type { Proxy } from './proxy.js';

/**
 * The longest waiting line of a replica with no `queueLimit`, a small integer where Infinity made V8 keep
 * the field in a number object of its own per pod (16 bytes, and one more object for every full collection
 * to mark and sweep). It cannot be reached: 2^30 - 1 waiting tries hold far more than Node's heap (a waiting
 * request is a kilobyte or more, check-size.ts `MAX_QUEUED`), so the run fails on memory long before a try
 * could be refused for it.
 */
const UNLIMITED_LINE = 2 ** 30 - 1;

/**
 * What a replica is made from (Workloads.newPod), one complete object rather than nine positional
 * arguments: every field is required, a test included (test/helpers/endpoint.ts builds one).
 */
export interface EndpointContext {
  /** The registry's id: its index in EndpointRegistry, never reused. */
  readonly id: number;
  readonly service: number;
  readonly cluster: number;
  readonly zone: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly sidecar: Proxy;
  /** Worker slots: the deployment's `concurrency`, a positive integer. */
  readonly concurrency: number;
  /** The longest line of tries waiting for a slot (the deployment's `queueLimit`; Infinity for none). */
  readonly queueLimit: number;
  /** Its ReplicaSet's index among the mesh's (`Endpoint.deployment`). */
  readonly deployment: number;
}

export class Endpoint {
  /*
   * Declaration order is V8's in-object layout order (8 bytes a field after a 24-byte header: Node's V8
   * has no pointer compression), because the constructor stores the fields in that order: with
   * tsconfig's useDefineForClassFields false, a field exists from its first store (initializers first).
   * First what every try this replica serves reads, then what the recorder and the registry read, then
   * the waiting line's.
   */
  /** Tries holding a worker slot or waiting for one: min(load, capacity) slots are in use. */
  private load = 0;
  /** Worker slots: the deployment's `concurrency`. */
  readonly capacity: number;
  readonly service: number;
  readonly cluster: number;
  readonly zone: number;
  readonly sidecar: Proxy;
  readonly id: number;
  /**
   * Its ReplicaSet's index among the mesh's (dense, from 0; a test's endpoint may carry -1, which the
   * service graph refuses): the run recorder finds the replica's service graph node by it in one array
   * read, where its service, cluster and labels took a search (~240 instructions a call, s24). After `id`,
   * out of the bytes a try reads (24-71), at byte 80, on the line the recorder read `labels` from (byte 80
   * then, 88 now).
   */
  readonly deployment: number;
  readonly labels: Readonly<Record<string, string>>;
  /** The longest line of tries waiting for a slot (`UNLIMITED_LINE` for none). */
  private readonly queueLimit: number;
  /** Tries waiting for a slot, oldest first; made when the first one waits. */
  private line: SlotLine | undefined;

  constructor(c: EndpointContext) {
    const { concurrency, queueLimit } = c;
    if (!(Number.isInteger(concurrency) && concurrency > 0))
      throw new SimulationError(`Endpoint: concurrency must be a positive integer, got ${concurrency}`);
    if (!(queueLimit >= 0)) throw new SimulationError(`Endpoint: queueLimit must be >= 0, got ${queueLimit}`);
    // In declaration order: V8 lays the fields out in the order they are first stored (`load`, whose
    // initializer runs before this body, first).
    this.capacity = concurrency;
    this.service = c.service;
    this.cluster = c.cluster;
    this.zone = c.zone;
    this.sidecar = c.sidecar;
    this.id = c.id;
    this.deployment = c.deployment;
    this.labels = c.labels;
    this.queueLimit = Math.min(queueLimit, UNLIMITED_LINE);
    this.line = undefined;
  }

  /** The union's tag (on the prototype: no field per pod). */
  get kind(): 'pod' {
    return 'pod';
  }

  /** Stable identity across view rebuilds: the endpoint id (as a gateway host's key is its group's). */
  get key(): number {
    return this.id;
  }

  /** Worker slots in use. */
  get inUse(): number {
    return Math.min(this.load, this.capacity);
  }

  /** Tries waiting for a slot. */
  get queued(): number {
    return Math.max(0, this.load - this.capacity);
  }

  /**
   * A worker slot for a try: taken now (`GRANTED`, the caller goes on), or `onGranted(data)` queued to run
   * when one frees up (`QUEUED`), or refused because the line is full (`REJECTED`: Envoy's 503 UO). The same
   * contract as des Resource `acquire`.
   */
  acquire<T>(onGranted: EventHandler<T>, data: T): Acquire {
    const load = this.load;
    if (load < this.capacity) {
      this.load = load + 1;
      return Acquire.GRANTED;
    }
    if (load - this.capacity >= this.queueLimit) return Acquire.REJECTED;
    (this.line ??= new SlotLine()).push(onGranted as EventHandler<never>, data);
    this.load = load + 1;
    return Acquire.QUEUED;
  }

  /** Frees a slot; the longest waiting try, if any, takes it over and its handler runs now. */
  release(): void {
    const load = this.load;
    if (load === 0) throw new SimulationError(`Endpoint ${this.id}: release with no worker slot in use`);
    this.load = load - 1;
    if (load <= this.capacity) return;
    const line = this.line;
    if (line === undefined)
      throw new SimulationError(`Endpoint ${this.id}: a try waits but there is no line`);
    line.runNext();
  }
}

/** Tries waiting for a replica's worker slot: a ring buffer (O(1) at both ends), oldest first. */
class SlotLine {
  private head = 0;
  private length = 0;
  private handlers: (EventHandler<never> | undefined)[] = new Array<undefined>(16).fill(undefined);
  private data: unknown[] = new Array<undefined>(16).fill(undefined);

  push(handler: EventHandler<never>, data: unknown): void {
    if (this.length === this.handlers.length) this.grow();
    const tail = (this.head + this.length) % this.handlers.length;
    this.handlers[tail] = handler;
    this.data[tail] = data;
    this.length++;
  }

  /** Takes the oldest try out of the line and runs its handler (its slot is taken over, not freed). */
  runNext(): void {
    if (this.length === 0) throw new SimulationError('SlotLine.runNext: nobody waits');
    const handler = this.handlers[this.head] as EventHandler<unknown>;
    const data = this.data[this.head];
    this.handlers[this.head] = undefined;
    this.data[this.head] = undefined;
    this.head = (this.head + 1) % this.handlers.length;
    this.length--;
    handler(data);
  }

  private grow(): void {
    const size = this.handlers.length;
    const handlers = new Array<EventHandler<never> | undefined>(size * 2).fill(undefined);
    const data = new Array<unknown>(size * 2).fill(undefined);
    for (let k = 0; k < this.length; k++) {
      handlers[k] = this.handlers[(this.head + k) % size];
      data[k] = this.data[(this.head + k) % size];
    }
    this.handlers = handlers;
    this.data = data;
    this.head = 0;
  }
}
