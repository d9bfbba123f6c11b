/**
 * A request as it crosses the mesh, in three shapes with fixed fields (the hot path creates a few small
 * objects per hop and nothing else):
 * - `MeshRequest`: a client request, from the client's send to its final response;
 * - `Call`: one logical service-to-service call made by a proxy, with its route, retries and timeouts;
 * - `Attempt`: one try of a call against one upstream host, and the server-side work it triggers.
 */
import type { EventId, SimTime } from '../des/index.js';
import type { DeadlineQueue } from './deadline-queue.js';
import type { Endpoint } from './endpoint.js';
import type { Proxy } from './proxy.js';
import type { RetryPolicy } from './traffic/retry-policy.js';
import { DEFAULT_RETRY_POLICY } from './traffic/retry-policy.js';
import type { ServiceRuntime } from './service-runtime.js';
import type { Upstream } from './upstream.js';

export class MeshRequest {
  responseCode = 0;
  responseFlags = 0;
  endMs: SimTime = 0;
  /** Attempts made by the entry call (1 without retries). */
  attempts = 1;
  /** Bit i set when the request was served in cluster i (clusters past 31 are not tracked). */
  clustersCrossed = 0;
  done = false;
  /** The client's timeout, while it runs (see `DeadlineQueue`). */
  clientTimeout: DeadlineQueue<MeshRequest> | undefined = undefined;
  clientTimeoutTicket = -1;
  constructor(
    readonly id: number,
    /** Index of the traffic source. */
    readonly traffic: number,
    /** Index of the client's cluster. */
    readonly clientCluster: number,
    readonly startMs: SimTime,
    readonly headers: Readonly<Record<string, string>>,
    readonly uri: string,
  ) {}
}

export class Call {
  /** The service actually called, after routing (a route may send it to another host). */
  service: ServiceRuntime;
  subset: string | undefined = undefined;
  retry: RetryPolicy = DEFAULT_RETRY_POLICY;
  timeoutMs = 0;
  routeTimer: EventId | undefined = undefined;
  /** Fault injection on the route disables retries and timeouts (virtual_service.proto). */
  faulted = false;
  attempts = 0;
  current: Attempt | undefined = undefined;
  /** Upstream host index of the previous attempt (Envoy's previous_hosts predicate). */
  previousHost = -1;
  finished = false;
  // Of the final attempt, for metrics:
  endpoint: Endpoint | undefined = undefined;
  /** The east-west gateway cluster the final attempt crossed, or -1. */
  viaGateway = -1;
  sentMs: SimTime = 0;
  /** -1 until a replica received the request. */
  arrivedMs: SimTime = -1;
  /** -1 until a replica slot started work on it. */
  startedMs: SimTime = -1;
  endMs: SimTime = 0;
  responseCode = 0;
  responseFlags = 0;
  constructor(
    readonly request: MeshRequest,
    /** The server-side attempt that made this call; undefined for the client's entry call. */
    readonly parent: Attempt | undefined,
    service: ServiceRuntime,
    readonly source: Proxy,
  ) {
    this.service = service;
  }
}

/** How an attempt ended, in Envoy's retry-on vocabulary. */
export const AttemptOutcome = {
  response: 0,
  connectFailure: 1,
  reset: 2,
  perTryTimeout: 3,
  overflow: 4,
} as const;
export type AttemptOutcome = (typeof AttemptOutcome)[keyof typeof AttemptOutcome];

export class Attempt {
  host = -1;
  upstream: Upstream | undefined = undefined;
  endpoint: Endpoint | undefined = undefined;
  /** The east-west gateway cluster the attempt went through, or -1. */
  viaGateway = -1;
  /** Set when the caller stopped waiting (per-try or route timeout); a late response is dropped. */
  abandoned = false;
  timer: EventId | undefined = undefined;
  arrivedMs: SimTime = -1;
  startedMs: SimTime = -1;
  /** Server side: the step of the service's calls in progress, calls outstanding, a failed child. */
  step = 0;
  outstanding = 0;
  downstreamFailed = false;
  holdsSlot = false;
  /** Waiting in the connection pool's pending line. */
  pending = false;
  /** The replica's answer, set when it leaves the replica. */
  responseCode = 0;
  constructor(
    readonly call: Call,
    readonly sentMs: SimTime,
  ) {}
}

/** True for a final response that counts as a failure (5xx, or none at all). */
export function isFailure(code: number): boolean {
  return code >= 500 || code === 0;
}
