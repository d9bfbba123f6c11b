/**
 * What the data plane's three roles need from the mesh, and from each other. The request path is split by
 * role (data-plane.ts draws it whole): the client side (client-side.ts: route, fault filter, timeouts,
 * retries), the connection and path (connection-path.ts: connection pool, host pick, network, gateways)
 * and the replica side (replica-side.ts: queue, service time, the application's downstream calls). Each
 * reaches the others only through the interfaces here, so none imports another.
 *
 * Contents: `DataPlaneContext`, `FaultInjections`, `TrafficOrigin`, `ClientRole`, `PathRole`,
 * `ReplicaRole`, `DataPlaneRoles`.
 */
import type { Engine } from '../des/index.js';
import type { AttemptPool, CallPool, RequestPool } from './request-pools.js';
import type { EndpointRegistry } from './endpoint-registry.js';
import type { Infrastructure } from './infrastructure.js';
import type { NetworkLatency } from './network-latency.js';
import type { MeshObserver } from './observer.js';
import type { Proxy } from './proxy.js';
import type { Attempt, Call } from './request.js';
import type { ServiceRuntime } from './service-runtime.js';
import type { AttemptEnd } from './traffic/attempt-outcome.js';
import type { RouteResolver } from './traffic/route-resolver.js';
import type { Upstream } from './upstream.js';

/** What the data plane reads of the mesh around it. */
export interface DataPlaneContext {
  readonly engine: Engine;
  readonly registry: EndpointRegistry;
  readonly infra: Infrastructure;
  readonly network: NetworkLatency;
  readonly observer: MeshObserver;
  readonly services: readonly ServiceRuntime[];
  readonly routes: RouteResolver<ServiceRuntime>;
  /** The proxy's view of a service (subset), rebuilt when its snapshot changed; undefined if the subset is unknown. */
  upstreamOf(proxy: Proxy, service: ServiceRuntime, subset: string | undefined): Upstream | undefined;
  /** The east-west gateway proxy of a cluster (router, with its own view). */
  eastWestGateway(cluster: number): Proxy;
  /** Extra delay and error injection by faults, per service. */
  readonly injected: FaultInjections;
}

/** Latency and error injection applied by `latency-injection` and `error-injection` faults. */
export interface FaultInjections {
  delayFor(service: number, cluster: number): number;
  abortFor(service: number, cluster: number): number;
}

/** What every request of one traffic source shares: built once, handed with each request. */
export interface TrafficOrigin {
  /** Index of the traffic source. */
  readonly index: number;
  readonly entry: ServiceRuntime;
  readonly headers: Readonly<Record<string, string>>;
  readonly uri: string;
  /** The client's own timeout; Infinity or 0: none. */
  readonly clientTimeoutMs: number;
}

/** The client side, as the other roles reach it. */
export interface ClientRole {
  /** Routes `call` at its source proxy and makes its first try. */
  startCall(call: Call): void;
  /** The caller of `call` closed its connection: the call's try is reset, the call ends DC. */
  callerGaveUp(call: Call): void;
  /** Attempt `a` ended with `code` (0: no response) the way `end` says; the call retries or is done. */
  attemptEnded(a: Attempt, code: number, end: AttemptEnd): void;
}

/** The connection and the path, as the other roles reach them. */
export interface PathRole {
  /** The attempt has a connection slot: pick a host and send. */
  dispatch(a: Attempt): void;
  /** The attempt waits in its upstream's pending line for a connection. */
  wait(a: Attempt): void;
  /** Attempt `a` ended (`end`, `code`): its place in the pool and its host's counts are released. */
  release(a: Attempt, code: number, end: AttemptEnd): void;
  /** The caller gave `a` up: released at once; `reportTimeout` sends the host a local-origin timeout. */
  releaseReset(a: Attempt, reportTimeout: boolean): void;
  /** `a`'s packets go nowhere: it waits for a timeout, or for the path to come back. */
  hang(a: Attempt): void;
}

/** The replica side, as the other roles reach it. */
export interface ReplicaRole {
  /** The request reached the replica's sidecar (an engine callback). */
  readonly arrive: (a: Attempt) => void;
  /** The replica's pod is gone: the caller's connection is reset. */
  respondReset(a: Attempt): void;
  /** Downstream call `child`, made while serving `parent`, is done. */
  childDone(parent: Attempt, child: Call): void;
}

/** The three roles, for each to reach the others, and the attempts they pass between them. */
export interface DataPlaneRoles {
  readonly client: ClientRole;
  readonly path: PathRole;
  readonly replica: ReplicaRole;
  /** The client side takes tries from it; the replica side gives back those whose answer arrived. */
  readonly attempts: AttemptPool;
  /** Calls, taken by whichever role makes them; given back with their only try (request-pools.ts). */
  readonly calls: CallPool;
  /** Requests, taken by the client side; given back with the last of their calls (request-pools.ts). */
  readonly requests: RequestPool;
}
