/**
 * A request as it crosses the mesh, in three shapes with fixed fields. Attempts and calls are reused through
 * free lists (request-pools.ts), and so are requests, so `init` resets every field and `live`/`generation`
 * tell a reused object from a stale reference. A new object gets its defaults from field initializers and
 * its arguments from the constructor, which does not call `init`: `init` then only ever sees objects of
 * their final shape, and V8 compiles each of its stores for that one shape. (When the constructor called
 * `init`, every store in it also saw the shape growing field by field, and stayed polymorphic after the
 * pools had stopped making objects: ~1,700 more instructions per request in the mesh bench. Initializers
 * cost a call per `new`, which the pools made rare.) test/mesh/request-pools.test.ts checks that `init`
 * leaves each object equal to a new one.
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
  responseCode: number = 0;
  responseFlags: number = 0;
  endMs: SimTime = 0;
  /** Attempts made by the entry call (1 without retries). */
  attempts: number = 1;
  /** Bit i set when the request was served in cluster i (clusters past 31 are not tracked). */
  clustersCrossed: number = 0;
  done: boolean = false;
  /** The client's timeout, while it runs (see `DeadlineQueue`). */
  clientTimeout: DeadlineQueue<MeshRequest> | undefined = undefined;
  clientTimeoutTicket: number = -1;
  /** The client's call to the entry service (reset when the client gives up). */
  entry: Call | undefined = undefined;
  /**
   * Calls made for this request that have not gone back to their pool (request-pools.ts): a call left to
   * the garbage collector (a retry, a timeout, a reset) keeps it above 0, and the request with it.
   */
  calls: number = 0;
  /** False once the request went back to its pool (request-pools.ts). */
  live: boolean = true;
  /** The next free request while this one is in its pool's free list (request-pools.ts). */
  nextFree: MeshRequest | undefined = undefined;
  /** Uses of this object so far (request-pools.ts). */
  declare generation: number;
  declare id: number;
  /** Index of the traffic source. */
  declare traffic: number;
  /** Index of the client's cluster. */
  declare clientCluster: number;
  declare startMs: SimTime;
  declare headers: Readonly<Record<string, string>>;
  declare uri: string;
  constructor(
    id: number,
    traffic: number,
    clientCluster: number,
    startMs: SimTime,
    headers: Readonly<Record<string, string>>,
    uri: string,
  ) {
    this.generation = 0;
    this.id = id;
    this.traffic = traffic;
    this.clientCluster = clientCluster;
    this.startMs = startMs;
    this.headers = headers;
    this.uri = uri;
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
  /** The service actually called, after routing (a route may send it to another host). */
  declare service: ServiceRuntime;
  subset: string | undefined = undefined;
  retry: RetryPolicy = DEFAULT_RETRY_POLICY;
  timeoutMs: number = 0;
  routeTimer: EventId | undefined = undefined;
  /** Status of a fault abort drawn for this call, applied after its fault delay; 0 = none. */
  faultAbortStatus: number = 0;
  attempts: number = 0;
  current: Attempt | undefined = undefined;
  /**
   * Keys of the upstream hosts earlier tries went to, for the retry predicates (`previous_hosts`,
   * `previous_priorities`); undefined until the call retries.
   */
  tried: number[] | undefined = undefined;
  /** The circuit breakers holding this call's scheduled or running retry (`maxRetries`), if any. */
  retryHeld: ConnectionPool | undefined = undefined;
  finished: boolean = false;
  /** The application's own timeout and retries of this call, if it has any (app-call.ts). */
  app: AppCall | undefined = undefined;
  // Of the final attempt, for metrics:
  endpoint: Endpoint | undefined = undefined;
  /** The east-west gateway cluster the final attempt crossed, or -1. */
  viaGateway: number = -1;
  sentMs: SimTime = 0;
  /** -1 until a replica received the request. */
  arrivedMs: SimTime = -1;
  /** -1 until a replica slot started work on it. */
  startedMs: SimTime = -1;
  endMs: SimTime = 0;
  responseCode: number = 0;
  responseFlags: number = 0;
  declare request: MeshRequest;
  /** The server-side attempt that made this call; undefined for the client's entry call. */
  declare parent: Attempt | undefined;
  declare source: Proxy;
  /** False once the call went back to its pool (request-pools.ts). */
  live: boolean = true;
  /** The next free call while this one is in its pool's free list (request-pools.ts). */
  nextFree: Call | undefined = undefined;
  /** Uses of this object so far (request-pools.ts). */
  declare generation: number;
  constructor(request: MeshRequest, parent: Attempt | undefined, service: ServiceRuntime, source: Proxy) {
    this.generation = 0;
    this.service = service;
    this.request = request;
    this.parent = parent;
    this.source = source;
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
  host: number = -1;
  upstream: Upstream | undefined = undefined;
  endpoint: Endpoint | undefined = undefined;
  /** The east-west gateway cluster the attempt went through, or -1. */
  viaGateway: number = -1;
  /** Set when the caller stopped waiting (per-try or route timeout); a late response is dropped. */
  abandoned: boolean = false;
  timer: EventId | undefined = undefined;
  arrivedMs: SimTime = -1;
  startedMs: SimTime = -1;
  /** Server side: the step of the service's calls in progress, calls outstanding, a failed child. */
  step: number = 0;
  outstanding: number = 0;
  /** The status the replica answers with once its step's calls are done, when one failed (0: none did). */
  downstreamStatus: number = 0;
  holdsSlot: boolean = false;
  /** Its ticket in the connection pool's pending line while it waits there (pending-line.ts), else -1. */
  pendingTicket: number = -1;
  /** Sent on a connection to a gateway that was already open (no connect, no handshake). */
  reusedConnection: boolean = false;
  /** The replica's answer, set when it leaves the replica. */
  responseCode: number = 0;
  /**
   * False once the attempt went back to its pool (request-pools.ts): every engine callback that receives an
   * attempt checks it, so a callback left behind for a recycled attempt throws instead of acting on the
   * try that now uses the object.
   */
  live: boolean = true;
  /** The next free attempt while this one is in its pool's free list (request-pools.ts). */
  nextFree: Attempt | undefined = undefined;
  /** Uses of this object so far (request-pools.ts): tells a recycled attempt from the try it was before. */
  declare generation: number;
  declare call: Call;
  declare sentMs: SimTime;
  constructor(call: Call, sentMs: SimTime) {
    this.generation = 0;
    this.call = call;
    this.sentMs = sentMs;
  }

  /** Every field as a new try of `call` sent at `sentMs` has it (the pool's, on reuse). */
  init(call: Call, sentMs: SimTime): void {
    this.call = call;
    this.sentMs = sentMs;
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
