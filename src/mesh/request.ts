/**
 * A request as it crosses the mesh, in three shapes with fixed fields. Attempts and calls are reused through
 * free lists (request-pools.ts), and so are requests, so `init` resets every field and `live`/`generation`
 * tell a reused object from a stale reference. A new object gets every field from its constructor, which
 * does not call `init`: `init` then only ever sees objects of their final shape, and V8 compiles each of its
 * stores for that one shape. (When the constructor called `init`, every store in it also saw the shape
 * growing field by field, and stayed polymorphic after the pools had stopped making objects: ~1,700 more
 * instructions per request in the mesh bench.) test/mesh/request-pools.test.ts checks that `init` leaves
 * each object equal to a new one.
 * Layout: the constructors store every field, in declaration order, which is V8's in-object layout order
 * (8 bytes a field after a 24-byte header; with useDefineForClassFields false a field exists from its first
 * store, initializers before the constructor's body). What most engine callbacks read comes first: `live`
 * (every callback's stale check), then the links and flags of the hop (`call`, `endpoint`, `service`,
 * `request`, `source`). A pooled object in flight goes cold on a large mesh (an attempt waits a network
 * delay or a service time between callbacks, and on a 25,000-pod mesh the cache turns over in about a
 * hundred requests): with those fields at the end (where `declare`d ones landed, after every initialized
 * one), a callback touched the header's line and the last one of a 184- or 232-byte object, 3-4 lines. By
 * callgrind, the pods row's recorded mesh (test/bench/pod-rec.ts, two 6 s windows): LL misses a request
 * without V8's write-barrier page-flag tests, 24,984 pods 89.7 -> 81.9 and 82.3 -> 79.2, 1,008 pods
 * 56.9 -> 56.4 and 54.5 -> 51.7; instructions unchanged. test/mesh/field-layout.test.ts checks the order.
 * - `MeshRequest`: a client request, from the client's send to its final response;
 * - `Call`: one logical service-to-service call made by a proxy, with its route, retries and timeouts;
 * - `Attempt`: one try of a call against one upstream host, and the server-side work it triggers.
 *
 * The request path tests these objects' boolean fields against `true` (`call.finished === true`, not
 * `call.finished`): V8 knows nothing of a field's type when it holds booleans, so a bare test compiles to
 * JavaScript's whole truthiness check (false, "", undetectable objects, numbers, BigInts: ~60 bytes of
 * machine code per site, all of it run when the field is true), where a comparison with `true` is one
 * instruction. In the mesh bench that was ~25 such tests on the hot path, ~1.4 KB of its ~40 KB of
 * compiled hot code (by callgrind: ~410 instructions and ~80 instruction-cache misses a request fewer; by
 * time a few per cent at most, as the L1 misses callgrind models cost this host's cores little).
 */
import type { EventId, SimTime } from '../des/index.js';
import type { AppCall } from './app-call.js';
import type { DeadlineQueue } from './deadline-queue.js';
import type { Endpoint } from './endpoint.js';
import type { Proxy } from './proxy.js';
import type { RetryPolicy } from './traffic/retry-policy.js';
import { DEFAULT_RETRY_POLICY } from './traffic/retry-policy.js';
import type { ServiceRuntime } from './service-runtime.js';
import type { Upstream } from './upstream.js';
import type { ConnectionPool } from './traffic/connection-pool.js';

export class MeshRequest {
  /** False once the request went back to its pool (request-pools.ts). */
  live: boolean;
  /**
   * Calls made for this request that have not gone back to their pool (request-pools.ts): a call left to
   * the garbage collector (a retry, a timeout, a reset) keeps it above 0, and the request with it.
   */
  calls: number;
  /** Index of the traffic source. */
  traffic: number;
  /** Bit i set when the request was served in cluster i (clusters past 31 are not tracked). */
  clustersCrossed: number;
  done: boolean;
  /** The client's call to the entry service (reset when the client gives up). */
  entry: Call | undefined;
  /** Attempts made by the entry call (1 without retries). */
  attempts: number;
  id: number;
  startMs: SimTime;
  endMs: SimTime;
  responseCode: number;
  responseFlags: number;
  /** Index of the client's cluster. */
  clientCluster: number;
  /** The client's timeout, while it runs (see `DeadlineQueue`). */
  clientTimeout: DeadlineQueue<MeshRequest> | undefined;
  clientTimeoutTicket: number;
  headers: Readonly<Record<string, string>>;
  uri: string;
  /** Uses of this object so far (request-pools.ts). */
  generation: number;
  /** The next free request while this one is in its pool's free list (request-pools.ts). */
  nextFree: MeshRequest | undefined;
  constructor(
    id: number,
    traffic: number,
    clientCluster: number,
    startMs: SimTime,
    headers: Readonly<Record<string, string>>,
    uri: string,
  ) {
    this.live = true;
    this.calls = 0;
    this.traffic = traffic;
    this.clustersCrossed = 0;
    this.done = false;
    this.entry = undefined;
    this.attempts = 1;
    this.id = id;
    this.startMs = startMs;
    this.endMs = 0;
    this.responseCode = 0;
    this.responseFlags = 0;
    this.clientCluster = clientCluster;
    this.clientTimeout = undefined;
    this.clientTimeoutTicket = -1;
    this.headers = headers;
    this.uri = uri;
    this.generation = 0;
    this.nextFree = undefined;
  }

  /** Every field as a new request has it (the pool's, on reuse). */
  init(
    id: number,
    traffic: number,
    clientCluster: number,
    startMs: SimTime,
    headers: Readonly<Record<string, string>>,
    uri: string,
  ): void {
    this.id = id;
    this.traffic = traffic;
    this.clientCluster = clientCluster;
    this.startMs = startMs;
    this.headers = headers;
    this.uri = uri;
    this.responseCode = 0;
    this.responseFlags = 0;
    this.endMs = 0;
    this.attempts = 1;
    this.clustersCrossed = 0;
    this.done = false;
    this.clientTimeout = undefined;
    this.clientTimeoutTicket = -1;
    this.entry = undefined;
    this.calls = 0;
    this.live = true;
    this.nextFree = undefined;
  }
}

export class Call {
  /** False once the call went back to its pool (request-pools.ts). */
  live: boolean;
  /** The service actually called, after routing (a route may send it to another host). */
  service: ServiceRuntime;
  request: MeshRequest;
  source: Proxy;
  /** The server-side attempt that made this call; undefined for the client's entry call. */
  parent: Attempt | undefined;
  current: Attempt | undefined;
  attempts: number;
  finished: boolean;
  // Of the final attempt, for metrics:
  endpoint: Endpoint | undefined;
  /** The east-west gateway cluster the final attempt crossed, or -1. */
  viaGateway: number;
  /** -1 until a replica received the request. */
  arrivedMs: SimTime;
  /** -1 until a replica slot started work on it. */
  startedMs: SimTime;
  retry: RetryPolicy;
  timeoutMs: number;
  sentMs: SimTime;
  endMs: SimTime;
  responseCode: number;
  responseFlags: number;
  /** The application's own timeout and retries of this call, if it has any (app-call.ts). */
  app: AppCall | undefined;
  subset: string | undefined;
  routeTimer: EventId | undefined;
  /** Status of a fault abort drawn for this call, applied after its fault delay; 0 = none. */
  faultAbortStatus: number;
  /**
   * Keys of the upstream hosts earlier tries went to, for the retry predicates (`previous_hosts`,
   * `previous_priorities`); undefined until the call retries.
   */
  tried: number[] | undefined;
  /** The circuit breakers holding this call's scheduled or running retry (`maxRetries`), if any. */
  retryHeld: ConnectionPool | undefined;
  /** Uses of this object so far (request-pools.ts). */
  generation: number;
  /** The next free call while this one is in its pool's free list (request-pools.ts). */
  nextFree: Call | undefined;
  constructor(request: MeshRequest, parent: Attempt | undefined, service: ServiceRuntime, source: Proxy) {
    this.live = true;
    this.service = service;
    this.request = request;
    this.source = source;
    this.parent = parent;
    this.current = undefined;
    this.attempts = 0;
    this.finished = false;
    this.endpoint = undefined;
    this.viaGateway = -1;
    this.arrivedMs = -1;
    this.startedMs = -1;
    this.retry = DEFAULT_RETRY_POLICY;
    this.timeoutMs = 0;
    this.sentMs = 0;
    this.endMs = 0;
    this.responseCode = 0;
    this.responseFlags = 0;
    this.app = undefined;
    this.subset = undefined;
    this.routeTimer = undefined;
    this.faultAbortStatus = 0;
    this.tried = undefined;
    this.retryHeld = undefined;
    this.generation = 0;
    this.nextFree = undefined;
  }

  /** Every field as a new call has it (the pool's, on reuse). */
  init(request: MeshRequest, parent: Attempt | undefined, service: ServiceRuntime, source: Proxy): void {
    this.request = request;
    this.parent = parent;
    this.source = source;
    this.service = service;
    this.subset = undefined;
    this.retry = DEFAULT_RETRY_POLICY;
    this.timeoutMs = 0;
    this.routeTimer = undefined;
    this.faultAbortStatus = 0;
    this.attempts = 0;
    this.current = undefined;
    this.tried = undefined;
    this.retryHeld = undefined;
    this.finished = false;
    this.app = undefined;
    this.endpoint = undefined;
    this.viaGateway = -1;
    this.sentMs = 0;
    this.arrivedMs = -1;
    this.startedMs = -1;
    this.endMs = 0;
    this.responseCode = 0;
    this.responseFlags = 0;
    this.live = true;
    this.nextFree = undefined;
  }
}

export class Attempt {
  /**
   * False once the attempt went back to its pool (request-pools.ts): every engine callback that receives an
   * attempt checks it, so a callback left behind for a recycled attempt throws instead of acting on the
   * try that now uses the object.
   */
  live: boolean;
  call: Call;
  endpoint: Endpoint | undefined;
  holdsSlot: boolean;
  arrivedMs: SimTime;
  startedMs: SimTime;
  /** The replica's answer, set when it leaves the replica. */
  responseCode: number;
  /** Set when the caller stopped waiting (per-try or route timeout); a late response is dropped. */
  abandoned: boolean;
  /** The east-west gateway cluster the attempt went through, or -1. */
  viaGateway: number;
  host: number;
  upstream: Upstream | undefined;
  timer: EventId | undefined;
  /** Its ticket in the connection pool's pending line while it waits there (pending-line.ts), else -1. */
  pendingTicket: number;
  /** Server side: the step of the service's calls in progress, calls outstanding, a failed child. */
  step: number;
  outstanding: number;
  /** The status the replica answers with once its step's calls are done, when one failed (0: none did). */
  downstreamStatus: number;
  /** Sent on a connection to a gateway that was already open (no connect, no handshake). */
  reusedConnection: boolean;
  /** Uses of this object so far (request-pools.ts): tells a recycled attempt from the try it was before. */
  generation: number;
  /** The next free attempt while this one is in its pool's free list (request-pools.ts). */
  nextFree: Attempt | undefined;
  constructor(call: Call) {
    this.live = true;
    this.call = call;
    this.endpoint = undefined;
    this.holdsSlot = false;
    this.arrivedMs = -1;
    this.startedMs = -1;
    this.responseCode = 0;
    this.abandoned = false;
    this.viaGateway = -1;
    this.host = -1;
    this.upstream = undefined;
    this.timer = undefined;
    this.pendingTicket = -1;
    this.step = 0;
    this.outstanding = 0;
    this.downstreamStatus = 0;
    this.reusedConnection = false;
    this.generation = 0;
    this.nextFree = undefined;
  }

  /** Every field as a new try of `call` has it (the pool's, on reuse). */
  init(call: Call): void {
    this.call = call;
    this.host = -1;
    this.upstream = undefined;
    this.endpoint = undefined;
    this.viaGateway = -1;
    this.abandoned = false;
    this.timer = undefined;
    this.arrivedMs = -1;
    this.startedMs = -1;
    this.step = 0;
    this.outstanding = 0;
    this.downstreamStatus = 0;
    this.holdsSlot = false;
    this.pendingTicket = -1;
    this.reusedConnection = false;
    this.responseCode = 0;
    this.live = true;
    this.nextFree = undefined;
  }
}

/** True for a final response that counts as a failure (5xx, or none at all). */
export function isFailure(code: number): boolean {
  return code >= 500 || code === 0;
}
