/**
 * A request as it crosses the mesh: `MeshRequest` end to end (client send to final response), `Call` one
 * service-to-service hop inside it. Both are plain classes with fixed shapes: the hot path creates one of
 * each per hop and nothing else.
 */
import type { SimTime } from '../des/index.js';
import type { Endpoint } from './endpoint.js';
import type { Proxy } from './proxy.js';
import type { ServiceRuntime } from './service-runtime.js';

/** A client request, from the client's send to its final response. */
export class MeshRequest {
  responseCode = 0;
  responseFlags = 0;
  endMs: SimTime = 0;
  /** Attempts made by the entry hop (1 without retries). */
  attempts = 1;
  constructor(
    readonly id: number,
    /** Index of the traffic source. */
    readonly traffic: number,
    /** Index of the client's cluster. */
    readonly clientCluster: number,
    readonly startMs: SimTime,
  ) {}
}

/** One hop: a proxy sends a request to one endpoint of a service and awaits the response. */
export class Call {
  endpoint: Endpoint | undefined = undefined;
  /** Index of the picked endpoint in the source proxy's view of the service. */
  upstreamHost = -1;
  sentMs: SimTime = 0;
  /** -1 until the request reaches the replica. */
  arrivedMs: SimTime = -1;
  /** -1 until a replica slot starts working on it (never, if it was refused). */
  startedMs: SimTime = -1;
  endMs: SimTime = 0;
  responseCode = 0;
  responseFlags = 0;
  /** Index of the step of the service's calls in progress. */
  step = 0;
  /** Downstream calls of the current step still outstanding. */
  outstanding = 0;
  /** Set when a downstream call of this one failed. */
  downstreamFailed = false;
  constructor(
    readonly request: MeshRequest,
    readonly parent: Call | undefined,
    readonly service: ServiceRuntime,
    readonly source: Proxy,
  ) {}
}

/** True for a final response that counts as a failure (5xx, or no response at all). */
export function isFailure(code: number): boolean {
  return code >= 500 || code === 0;
}
