/**
 * A request as it crosses the mesh, in three shapes with fixed fields. Fields are `declare`d and set in
 * the constructor (or `init`): class-field initializers ran as a separate function on every `new`
 * (construction was ~5.5% of a mesh run, ~1.7% after). Attempts and calls are reused through free lists
 * (request-pools.ts), and so are requests, so `init` resets every field and `live`/`generation` tell a reused
 * object from a stale reference.
 * - `MeshRequest`: a client request, from the client's send to its final response;
 * - `Call`: one logical service-to-service call made by a proxy, with its route, retries and timeouts;
 * - `Attempt`: one try of a call against one upstream host, and the server-side work it triggers.
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
  declare responseCode: number;
  declare responseFlags: number;
  declare endMs: SimTime;
  /** Attempts made by the entry call (1 without retries). */
  declare attempts: number;
  /** Bit i set when the request was served in cluster i (clusters past 31 are not tracked). */
  declare clustersCrossed: number;
  declare done: boolean;
  /** The client's timeout, while it runs (see `DeadlineQueue`). */
  declare clientTimeout: DeadlineQueue<MeshRequest> | undefined;
  declare clientTimeoutTicket: number;
  /** The client's call to the entry service (reset when the client gives up). */
  declare entry: Call | undefined;
  /**
   * Calls made for this request that have not gone back to their pool (request-pools.ts): a call left to
   * the garbage collector (a retry, a timeout, a reset) keeps it above 0, and the request with it.
   */
  declare calls: number;
  /** False once the request went back to its pool (request-pools.ts). */
  declare live: boolean;
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
    this.init(id, traffic, clientCluster, startMs, headers, uri);
  }

  /** Every field as a new request has it (the constructor's, and the pool's on reuse). */
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
  }
}

export class Call {
  /** The service actually called, after routing (a route may send it to another host). */
  declare service: ServiceRuntime;
  declare subset: string | undefined;
  declare retry: RetryPolicy;
  declare timeoutMs: number;
  declare routeTimer: EventId | undefined;
  /** Status of a fault abort drawn for this call, applied after its fault delay; 0 = none. */
  declare faultAbortStatus: number;
  declare attempts: number;
  declare current: Attempt | undefined;
  /**
   * Keys of the upstream hosts earlier tries went to, for the retry predicates (`previous_hosts`,
   * `previous_priorities`); undefined until the call retries.
   */
  declare tried: number[] | undefined;
  /** The circuit breakers holding this call's scheduled or running retry (`maxRetries`), if any. */
  declare retryHeld: ConnectionPool | undefined;
  declare finished: boolean;
  /** The application's own timeout and retries of this call, if it has any (app-call.ts). */
  declare app: AppCall | undefined;
  // Of the final attempt, for metrics:
  declare endpoint: Endpoint | undefined;
  /** The east-west gateway cluster the final attempt crossed, or -1. */
  declare viaGateway: number;
  declare sentMs: SimTime;
  /** -1 until a replica received the request. */
  declare arrivedMs: SimTime;
  /** -1 until a replica slot started work on it. */
  declare startedMs: SimTime;
  declare endMs: SimTime;
  declare responseCode: number;
  declare responseFlags: number;
  declare request: MeshRequest;
  /** The server-side attempt that made this call; undefined for the client's entry call. */
  declare parent: Attempt | undefined;
  declare source: Proxy;
  /** False once the call went back to its pool (request-pools.ts). */
  declare live: boolean;
  /** Uses of this object so far (request-pools.ts). */
  declare generation: number;
  constructor(request: MeshRequest, parent: Attempt | undefined, service: ServiceRuntime, source: Proxy) {
    this.generation = 0;
    this.init(request, parent, service, source);
  }

  /** Every field as a new call has it (the constructor's, and the pool's on reuse). */
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
  }
}

export class Attempt {
  declare host: number;
  declare upstream: Upstream | undefined;
  declare endpoint: Endpoint | undefined;
  /** The east-west gateway cluster the attempt went through, or -1. */
  declare viaGateway: number;
  /** Set when the caller stopped waiting (per-try or route timeout); a late response is dropped. */
  declare abandoned: boolean;
  declare timer: EventId | undefined;
  declare arrivedMs: SimTime;
  declare startedMs: SimTime;
  /** Server side: the step of the service's calls in progress, calls outstanding, a failed child. */
  declare step: number;
  declare outstanding: number;
  /** The status the replica answers with once its step's calls are done, when one failed (0: none did). */
  declare downstreamStatus: number;
  declare holdsSlot: boolean;
  /** Its ticket in the connection pool's pending line while it waits there (pending-line.ts), else -1. */
  declare pendingTicket: number;
  /** Sent on a connection to a gateway that was already open (no connect, no handshake). */
  declare reusedConnection: boolean;
  /** The replica's answer, set when it leaves the replica. */
  declare responseCode: number;
  /**
   * False once the attempt went back to its pool (request-pools.ts): every engine callback that receives an
   * attempt checks it, so a callback left behind for a recycled attempt throws instead of acting on the
   * try that now uses the object.
   */
  declare live: boolean;
  /** Uses of this object so far (request-pools.ts): tells a recycled attempt from the try it was before. */
  declare generation: number;
  declare call: Call;
  declare sentMs: SimTime;
  constructor(call: Call, sentMs: SimTime) {
    this.generation = 0;
    this.init(call, sentMs);
  }

  /** Every field as a new try of `call` sent at `sentMs` has it (the constructor's, and the pool's on reuse). */
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
  }
}

/** True for a final response that counts as a failure (5xx, or none at all). */
export function isFailure(code: number): boolean {
  return code >= 500 || code === 0;
}
