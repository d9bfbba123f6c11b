/**
 * The connection and the path of one try: what lies between the source proxy's router and the replica's
 * sidecar. It owns the connection pool's pending line, the host pick, the network and east-west gateway
 * hops, and how each fails (istio-behaviour.md 3.1, 3.2, 4.1):
 * - a host whose pod is gone: a new connection waits out the connect timeout (10 s default; the pod's IP no
 *   longer answers, nothing sends a RST), then fails with UF; requests in flight on it are reset (the
 *   killed pod's kernel closes its sockets), 503 UC;
 * - a host behind a dead node, a dead cluster or a partition: a new connection waits out the connect
 *   timeout; a request on an established connection gets no answer at all and waits for a timeout (there
 *   is none by default: the client's own timeout ends it, flag DC);
 * - a dead east-west gateway behind a still-published load-balancer address: connections are refused at
 *   once (a reset), UF;
 * - an expired certificate on either side: the mTLS handshake of a new connection fails at once, UF;
 *   established connections go on (certificates are checked at handshake only, istio/istio#7630).
 * When a try ends, its pool slot, host counts and outlier report are released here too (`release`).
 *
 * Contents: `ConnectionPath`.
 */
import { checkAttempt } from './request-pools.js';
import type { DataPlaneContext, DataPlaneRoles, PathRole } from './data-plane-roles.js';
import type { Endpoint } from './endpoint.js';
import { EndpointState } from './endpoint-registry.js';
import type { GatewayHost } from './priority-set.js';
import { certsValidAt, type Proxy } from './proxy.js';
import { isFailure, type Attempt } from './request.js';
import type { ServiceRuntime } from './service-runtime.js';
import { AttemptEnd, AttemptOutcome } from './traffic/attempt-outcome.js';
import type { Upstream } from './upstream.js';

/** A try that fails on the way, once its failure reaches the source proxy. */
interface PathFailure {
  readonly a: Attempt;
  readonly code: number;
  readonly end: AttemptEnd;
}

export class ConnectionPath implements PathRole {
  /** Attempts waiting on a path that gives no answer (see `hang`). */
  private hung: Attempt[] = [];

  constructor(
    private readonly ctx: DataPlaneContext,
    private readonly roles: DataPlaneRoles,
  ) {}

  wait(a: Attempt): void {
    a.pendingTicket = (a.upstream as Upstream).pendingAttempts.push(a);
  }

  /** The attempt has a connection slot: pick a host and send. */
  dispatch(a: Attempt): void {
    const { engine } = this.ctx;
    const now = engine.now;
    const call = a.call;
    const upstream = a.upstream as Upstream;
    const host = upstream.pick(call.retry, call.tried, now);
    if (host < 0) {
      this.releaseConnection(upstream);
      a.upstream = undefined;
      this.roles.client.attemptEnded(a, 503, AttemptEnd.noHealthyUpstream);
      return;
    }
    const set = upstream.set;
    const target = set.hosts[host];
    // A pick outside the view is the view's bug: failing here keeps it from leaving a try open forever.
    if (target === undefined)
      throw new Error(`upstream pick returned host ${host} of a view of ${set.hosts.length}`);
    a.host = host;
    upstream.started(host);
    const source = call.source;
    let endpoint: Endpoint;
    let delay = source.sampleLatency();
    // The host's zone and sidecar latency stream come from the set (priority-set.ts `hop`): the Endpoint and
    // its sidecar are not read here, only when the try arrives (replica-side.ts).
    const hop = set.hop;
    const podStream = hop[2 * host + 1] as number;
    if (podStream < 0) {
      const gateway = target as GatewayHost;
      a.viaGateway = gateway.cluster;
      const reach = this.reachGateway(source, gateway.cluster);
      if (reach !== PathState.open) {
        this.failConnect(a, reach, upstream.connectTimeoutMs, delay);
        return;
      }
      delay +=
        this.ctx.network.sample(source.zone, gateway.zone) +
        this.ctx.eastWestGateway(gateway.cluster).sampleLatency();
      const backend = this.gatewayBackend(a, upstream, host, gateway.cluster, call.service);
      if (backend === undefined) {
        // The gateway has no backend for the service in its view: it closes the client's connection.
        this.failAfter(a, delay, 503, AttemptEnd.gatewayNoBackend);
        return;
      }
      endpoint = backend;
      delay += this.ctx.network.sample(gateway.zone, endpoint.zone);
    } else {
      // A pod host is its endpoint (the set marks gateways with stream -1).
      endpoint = target as Endpoint;
      delay += this.ctx.network.sample(source.zone, hop[2 * host] as number);
    }
    a.endpoint = endpoint;
    const state = this.pathTo(source, endpoint, a.viaGateway >= 0);
    // Through a gateway the connection is the one `gatewayBackend` found or opened; to a pod, the host's.
    let established = a.viaGateway >= 0 ? a.reusedConnection : upstream.isConnected(host);
    if (established && state === PathState.silentNew) {
      // The pooled connection was reset when the pod died; Envoy must dial again.
      upstream.setConnected(host, false);
      established = false;
    }
    if (!established) {
      if (state !== PathState.open) {
        this.failConnect(a, state, upstream.connectTimeoutMs, delay);
        return;
      }
      if (!source.hasValidCert(now) || !(certsValidAt(now) || endpoint.sidecar.hasValidCert(now))) {
        // mTLS handshake with an expired certificate: refused at once.
        this.failAfter(a, delay, 503, AttemptEnd.connectFailure);
        return;
      }
      upstream.setConnected(host, true);
    } else if (state === PathState.refused) {
      upstream.setConnected(host, false);
      this.failAfter(a, delay, 503, AttemptEnd.connectionReset);
      return;
    } else if (state === PathState.silent) {
      this.hang(a); // No answer: a timeout, or the path coming back, ends this attempt.
      return;
    }
    // Through a gateway the backend is not a host of this set: its sidecar is asked.
    const podLatency = set.podLatency;
    delay +=
      podStream >= 0 && podLatency !== undefined
        ? podLatency.sample(podStream)
        : endpoint.sidecar.sampleLatency();
    engine.post(delay, this.roles.replica.arrive, a);
  }

  /**
   * Attempt `a` ended: it leaves the pending line, or its host's active count drops, the host's outlier
   * detection hears how it went, and its connection slot goes to the oldest attempt waiting.
   */
  release(a: Attempt, code: number, end: AttemptEnd): void {
    const upstream = a.upstream as Upstream;
    if (a.pendingTicket >= 0) {
      // Timed out while waiting for a connection: it leaves the pending line.
      this.leavePendingLine(upstream, a);
      return;
    }
    if (a.host >= 0) {
      if (end.outcome === AttemptOutcome.response && !isFailure(code)) upstream.succeeded(a.host);
      else {
        upstream.finished(a.host);
        upstream.recordFailure(a.host, code, end.outcome, this.ctx.engine.now);
      }
      // A response leaves an HTTP/1.1 connection reusable; a reset or timeout closed it.
      if (end.outcome === AttemptOutcome.response && a.viaGateway >= 0 && a.endpoint !== undefined)
        upstream.releaseGatewayConnection(a.host, a.endpoint);
    }
    this.releaseConnection(upstream);
  }

  releaseReset(a: Attempt, reportTimeout: boolean): void {
    const upstream = a.upstream;
    if (upstream === undefined) return;
    if (a.pendingTicket >= 0) {
      this.leavePendingLine(upstream, a);
      return;
    }
    if (a.host >= 0) {
      upstream.finished(a.host);
      if (reportTimeout)
        upstream.recordFailure(a.host, 504, AttemptOutcome.perTryTimeout, this.ctx.engine.now);
    }
    this.releaseConnection(upstream);
  }

  private leavePendingLine(upstream: Upstream, a: Attempt): void {
    upstream.pendingAttempts.remove(a.pendingTicket);
    a.pendingTicket = -1;
    upstream.cancelPending();
  }

  /** A request left the connection pool; the oldest attempt still waiting for a connection takes its place. */
  private releaseConnection(upstream: Upstream): void {
    if (!upstream.releaseAdmission()) return;
    const next = upstream.pendingAttempts.shift();
    if (next === undefined) return;
    next.pendingTicket = -1;
    next.upstream = upstream;
    this.dispatch(next);
  }

  private reachGateway(source: Proxy, gatewayCluster: number): PathState {
    const { infra } = this.ctx;
    if (!infra.clustersConnected(source.cluster, gatewayCluster) || !infra.isClusterUp(gatewayCluster))
      return PathState.silent;
    return infra.isEastWestUp(gatewayCluster) ? PathState.open : PathState.refused;
  }

  /**
   * The backend behind gateway host `host` for attempt `a`: an existing connection's (HTTP/2 shares one;
   * HTTP/1.1 reuses an idle one), else a new connection, for which the gateway picks a backend from its own
   * view. A connection whose backend pod is gone was reset and is dropped.
   */
  private gatewayBackend(
    a: Attempt,
    upstream: Upstream,
    host: number,
    gatewayCluster: number,
    service: ServiceRuntime,
  ): Endpoint | undefined {
    const { registry } = this.ctx;
    for (;;) {
      const reused = upstream.takeGatewayConnection(host);
      if (reused === undefined) break;
      if (registry.stateOf(reused.id) !== EndpointState.terminated) {
        a.reusedConnection = true;
        return reused;
      }
      upstream.closeGatewayConnection(host, reused);
    }
    const gateway = this.ctx.eastWestGateway(gatewayCluster);
    const view = this.ctx.upstreamOf(gateway, service, undefined);
    if (view === undefined) return undefined;
    const h = view.pick(undefined, undefined, this.ctx.engine.now);
    // A gateway sees only its own network (REQUESTED_NETWORK_VIEW): every host of its view is a pod.
    const picked = h < 0 ? undefined : view.hosts[h];
    const backend = picked?.kind === 'pod' ? picked : undefined;
    if (backend !== undefined) upstream.openedGatewayConnection(host, backend);
    return backend;
  }

  /** Whether packets get from `source` to the replica, and how they fail if not. */
  private pathTo(source: Proxy, endpoint: Endpoint, viaGateway: boolean): PathState {
    const { infra, registry } = this.ctx;
    if (registry.lost !== 0) {
      const state = registry.stateOf(endpoint.id);
      if (state === EndpointState.terminated) return PathState.silentNew;
      if (state === EndpointState.unavailable) return PathState.silent;
    }
    if (infra.allReachable) return PathState.open;
    if (!infra.isZoneUp(endpoint.zone)) return PathState.silent;
    if (!viaGateway && !infra.clustersConnected(source.cluster, endpoint.cluster)) return PathState.silent;
    return PathState.open;
  }

  private failConnect(a: Attempt, state: PathState, connectTimeoutMs: number, delay: number): void {
    this.failAfter(a, state === PathState.refused ? delay : connectTimeoutMs, 503, AttemptEnd.connectFailure);
  }

  /** The try fails on the way; the source proxy learns it after `delay`. */
  private failAfter(a: Attempt, delay: number, code: number, end: AttemptEnd): void {
    const failure: PathFailure = { a, code, end };
    this.ctx.engine.schedule(delay, this.failed, failure);
  }

  private readonly failed = (f: PathFailure): void => {
    checkAttempt(f.a);
    if (f.a.abandoned === true) return; // Its caller stopped waiting first. (`=== true`: request.ts.)
    this.roles.client.attemptEnded(f.a, f.code, f.end);
  };

  /**
   * An attempt whose packets go nowhere (a dead node or cluster, a partition). It waits for a timeout; if
   * the path comes back first, the connection is reset: a rebooted node or cluster has lost the TCP state,
   * and after a partition the retransmissions have long backed off, so the request fails rather than
   * completes (a simplification: a short partition could let it through).
   */
  hang(a: Attempt): void {
    this.hung.push(a);
  }

  /** After any infrastructure change: hung attempts whose path is open again are reset. */
  pathsChanged(): void {
    if (this.hung.length === 0) return;
    const still: Attempt[] = [];
    for (const a of this.hung) {
      if (a.abandoned === true) continue;
      const endpoint = a.endpoint as Endpoint;
      const open =
        this.ctx.registry.stateOf(endpoint.id) !== EndpointState.unavailable &&
        this.ctx.infra.isZoneUp(endpoint.zone) &&
        (a.viaGateway >= 0
          ? this.ctx.infra.isClusterUp(a.viaGateway)
          : this.ctx.infra.clustersConnected(a.call.source.cluster, endpoint.cluster));
      if (open) this.roles.replica.respondReset(a);
      else still.push(a);
    }
    this.hung = still;
  }
}

/** How a path to a host behaves for the next packet. */
const PathState = {
  open: 0,
  /** Nobody answers: new connections time out, requests on established ones hang. */
  silent: 1,
  /** The address answers with a reset: connections are refused at once. */
  refused: 2,
  /** The pod is gone: a new connection times out; an established one was reset when the pod died. */
  silentNew: 3,
} as const;
type PathState = (typeof PathState)[keyof typeof PathState];
