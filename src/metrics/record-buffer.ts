/**
 * The recorders' side of the mesh's observer, batched: the mesh's three hot hooks (a request started, a
 * call completed, a request completed) each copy what the recorders read into one slot of a fixed ring
 * (one update per call), and when the ring is full the slots are replayed, in order, into the recorders in
 * one loop. Envoy does the same with its stats: workers write thread-local counters and the main thread
 * flushes them on `stats_flush_interval`.
 *
 * Why: run inside the mesh's request path, the recorders' code (~14 KB compiled) and the mesh's did not
 * both fit the 32 KB L1 instruction cache: recording was 18% of a request's instructions but ~40% of its
 * cache misses, most of them mesh and kernel code it evicted (callgrind, the bench mesh, s31). Replayed in
 * a batch, the recorders' code is loaded once per batch and the mesh's stays put in between.
 *
 * Order is kept exactly: every rare hook (convergence, pushes, xDS clients, ...) first replays what is
 * buffered, then passes straight through, so each recorder sees the same sequence as unbuffered, and a
 * rare hook that reads the clock reads its own time. No hot-hook path of any recorder reads the clock or
 * other live mesh state (they read the record only, which the types below enforce), so replaying later
 * changes nothing they compute.
 *
 * Contents: the record types (`StartedRequestRecord`, `RequestRecord`, `CallRecord`), `RecordSink` (what
 * a recorder implements), `RecordBuffer` (the mesh's observer, owning the recorders).
 */
import type { Call, Endpoint, MeshObserver, MeshRequest, Proxy, ServiceRuntime } from '../mesh/index.js';

/** What the recorders read of a request that started: copied scalars (the mesh reuses its requests). */
export interface StartedRequestRecord {
  readonly traffic: number;
  readonly clientCluster: number;
  readonly startMs: number;
}

/** What the recorders read of a request that got its final response (or none). */
export interface RequestRecord extends StartedRequestRecord {
  readonly endMs: number;
  readonly responseCode: number;
  readonly responseFlags: number;
  /** `MeshRequest.clustersCrossed`. */
  readonly clustersCrossed: number;
}

/**
 * The called service, by reference: its index and external destination are fixed when the mesh is built
 * (mesh.ts), so reading them at replay reads what they were at the call.
 */
export type RecordedService = Pick<ServiceRuntime, 'index' | 'external'>;

/**
 * The calling proxy, by reference: its cluster, zone and node type are readonly, and its replica
 * (`endpoint`) is set once when the pod is made (workloads.ts), before its sidecar sends anything.
 */
export type RecordedProxy = Readonly<Pick<Proxy, 'endpoint' | 'cluster' | 'zone' | 'nodeType'>>;

/**
 * What the recorders read of a completed call: its times and final response copied (the mesh reuses its
 * calls), the service, caller and replica by reference (the fields read of them never change in a run;
 * an `Endpoint`'s are all readonly).
 */
export interface CallRecord {
  /** The traffic source of the call's request (`call.request.traffic`). */
  readonly traffic: number;
  readonly service: RecordedService;
  readonly source: RecordedProxy;
  /** The final attempt's replica; undefined when no host was picked. */
  readonly endpoint: Endpoint | undefined;
  readonly sentMs: number;
  /** -1 until a replica received the request. */
  readonly arrivedMs: number;
  /** -1 until a replica slot started work on it. */
  readonly startedMs: number;
  readonly endMs: number;
  readonly responseCode: number;
  readonly responseFlags: number;
}

/**
 * A recorder, as the buffer replays into it: the mesh's observer with records for the hot hooks. A record
 * is valid during the call only (its slot is reused): a recorder copies what it keeps.
 */
export interface RecordSink extends Omit<
  MeshObserver,
  'requestStarted' | 'callCompleted' | 'requestCompleted'
> {
  requestStarted(r: Readonly<StartedRequestRecord>): void;
  callCompleted(call: Readonly<CallRecord>): void;
  requestCompleted(r: Readonly<RequestRecord>): void;
}

/**
 * Slots in the ring. A slot is ~200 bytes (an object of 14 fields and its five times' number boxes), so
 * 256 are ~50 KB, in L2; at ~5 records a request (the bench mesh: a request, its start and three calls) the
 * recorders' code is loaded once per ~50 requests.
 */
export const RECORD_BUFFER_CAPACITY = 256;

const STARTED = 1;
const CALL = 2;
const COMPLETED = 3;

/** Before a slot's first call: never read (a slot is replayed only after it is written). */
const UNSET_SERVICE: RecordedService = { index: -1, external: undefined };
const UNSET_PROXY: RecordedProxy = { endpoint: undefined, cluster: -1, zone: -1, nodeType: 'sidecar' };

/**
 * One record of any kind, so that the ring is one array of one shape. Times start as NaN, a double, so
 * that V8 gives those fields their double representation from the start instead of changing the slots'
 * map at the first fractional time.
 *
 * Objects, not columns of a Float64Array: a double field is a number box here, but storing through it is
 * two instructions, where a typed-array element store is about ten (index overflow, detached-buffer and
 * bounds checks, each store, under the bench's tsx). A ring of columns replayed through one reused record cost +4.7%
 * instructions a request on the bench mesh (the hook 123 -> 244 a call, the replay 85 -> 215 a record)
 * for -2% L1d misses, and at 25,000 pods more LL misses, not fewer.
 */
class RecordSlot implements RequestRecord, CallRecord {
  kind = 0;
  traffic = 0;
  clientCluster = 0;
  startMs = NaN;
  endMs = NaN;
  responseCode = 0;
  responseFlags = 0;
  clustersCrossed = 0;
  service = UNSET_SERVICE;
  source = UNSET_PROXY;
  endpoint: Endpoint | undefined = undefined;
  sentMs = NaN;
  arrivedMs = NaN;
  startedMs = NaN;
}

/**
 * The mesh's observer for a run's recorders: buffers the hot hooks (see the file comment) and owns the
 * recorders, which it makes itself (`makeSink`) and hands out only through `drained()`, after replaying
 * every buffered record: nothing can read a recorder that has not seen all the run so far. Fixed memory:
 * the ring never grows.
 */
export class RecordBuffer<S extends RecordSink> implements MeshObserver {
  private readonly sink: S;
  private readonly slots: RecordSlot[];
  private readonly capacity: number;
  /** Slots written since the last replay. */
  private count = 0;

  constructor(makeSink: () => S, capacity = RECORD_BUFFER_CAPACITY) {
    if (!(Number.isInteger(capacity) && capacity >= 1))
      throw new RangeError(`RecordBuffer: capacity ${capacity} is not a positive integer`);
    this.sink = makeSink();
    this.capacity = capacity;
    this.slots = Array.from({ length: capacity }, () => new RecordSlot());
  }

  /** The recorders, once every record so far reached them. Safe at any time (a drain changes no result). */
  drained(): S {
    this.drain();
    return this.sink;
  }

  requestStarted(r: Readonly<MeshRequest>): void {
    const s = this.slots[this.count] as RecordSlot;
    s.kind = STARTED;
    s.traffic = r.traffic;
    s.clientCluster = r.clientCluster;
    s.startMs = r.startMs;
    if (++this.count === this.capacity) this.drain();
  }

  callCompleted(call: Readonly<Call>): void {
    const s = this.slots[this.count] as RecordSlot;
    s.kind = CALL;
    s.traffic = call.request.traffic;
    s.service = call.service;
    s.source = call.source;
    s.endpoint = call.endpoint;
    s.sentMs = call.sentMs;
    s.arrivedMs = call.arrivedMs;
    s.startedMs = call.startedMs;
    s.endMs = call.endMs;
    s.responseCode = call.responseCode;
    s.responseFlags = call.responseFlags;
    if (++this.count === this.capacity) this.drain();
  }

  requestCompleted(r: Readonly<MeshRequest>): void {
    const s = this.slots[this.count] as RecordSlot;
    s.kind = COMPLETED;
    s.traffic = r.traffic;
    s.clientCluster = r.clientCluster;
    s.startMs = r.startMs;
    s.endMs = r.endMs;
    s.responseCode = r.responseCode;
    s.responseFlags = r.responseFlags;
    s.clustersCrossed = r.clustersCrossed;
    if (++this.count === this.capacity) this.drain();
  }

  converged(ms: number): void {
    this.drain();
    this.sink.converged(ms);
  }

  staleProxies(count: number, nowMs: number): void {
    this.drain();
    this.sink.staleProxies(count, nowMs);
  }

  pushed(sinceStartMs: number | undefined): void {
    this.drain();
    this.sink.pushed(sinceStartMs);
  }

  xdsClients(istiod: string, count: number): void {
    this.drain();
    this.sink.xdsClients(istiod, count);
  }

  podCreationRejected(): void {
    this.drain();
    this.sink.podCreationRejected();
  }

  certExpired(): void {
    this.drain();
    this.sink.certExpired();
  }

  /**
   * Replays the buffered slots in order. The count is reset first: a recorder that throws leaves no slot
   * to be replayed twice.
   */
  private drain(): void {
    const n = this.count;
    this.count = 0;
    const slots = this.slots;
    const sink = this.sink;
    for (let i = 0; i < n; i++) {
      const s = slots[i] as RecordSlot;
      const kind = s.kind;
      if (kind === CALL) sink.callCompleted(s);
      else if (kind === COMPLETED) sink.requestCompleted(s);
      else if (kind === STARTED) sink.requestStarted(s);
      else throw new Error(`RecordBuffer: slot ${i} of ${n} holds no record (kind ${kind})`);
    }
  }
}
