/**
 * The request path, as Envoy and the applications behind it would run it:
 *
 *   client ─► source sidecar: route (VirtualService), fault injection, timeouts
 *     ─► attempt: connection pool, host pick (locality priority, outlier ejection, least request)
 *     ─► [east-west gateway of the host's network] ─► replica sidecar ─► replica queue ─► service time
 *     ─► downstream steps (in order; a parallel group awaits all) ─► response ─► retry policy ─► caller
 *
 * How failures surface (istio-behaviour.md 3.1, 3.2, 4.1), and why:
 * - a host whose pod is gone: a new connection waits out the connect timeout (10 s default; the pod's IP no
 *   longer answers, nothing sends a RST), then fails with UF; requests in flight on it are reset (the
 *   killed pod's kernel closes its sockets), 503 UC;
 * - a host behind a dead node, a dead cluster or a partition: a new connection waits out the connect
 *   timeout; a request on an established connection gets no answer at all and waits for a timeout (there
 *   is none by default: the client's own timeout ends it, flag DC);
 * - a dead east-west gateway behind a still-published load-balancer address: connections are refused at
 *   once (a reset), UF;
 * - an expired certificate on either side: the mTLS handshake of a new connection fails at once, UF;
 *   established connections go on (certificates are checked at handshake only, istio/istio#7630);
 * - connect failures and resets are retried by Istio's default policy (2 retries, other hosts); 5xx
 *   responses are not (since 1.24).
 */
import type { Engine } from '../des/index.js';
import type { Endpoint } from './endpoint.js';
import { EndpointState, type EndpointRegistry } from './endpoint-registry.js';
import type { Infrastructure } from './infrastructure.js';
import type { NetworkLatency } from './network-latency.js';
import type { MeshObserver } from './observer.js';
import type { Proxy } from './proxy.js';
import { Attempt, AttemptOutcome, Call, MeshRequest, isFailure } from './request.js';
import { ResponseFlag } from './response-flag.js';
import type { RouteResolver } from './route-resolver.js';
import { failedCallStatus } from './call-failure.js';
import { AppCall } from './app-call.js';
import type { CallStep, ServiceRuntime } from './service-runtime.js';
import type { Upstream, UpstreamHost } from './upstream.js';
import { Admission } from './traffic/connection-pool.js';
import { DeadlineQueue } from './deadline-queue.js';
import type { ExternalDestination } from './external-destination.js';

export interface DataPlaneContext {
  readonly engine: Engine;
  readonly registry: EndpointRegistry;
  readonly infra: Infrastructure;
  readonly network: NetworkLatency;
  readonly observer: MeshObserver;
  readonly services: readonly ServiceRuntime[];
  readonly routes: RouteResolver;
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

export class DataPlane {
  private requestSeq = 0;
  /** Attempts waiting on a path that gives no answer (see `hang`). */
  private hung: Attempt[] = [];
  /** Client timeouts, one FIFO per timeout length (traffic sources share one when they agree). */
  private readonly clientTimeouts = new Map<number, DeadlineQueue<MeshRequest>>();

  constructor(private readonly ctx: DataPlaneContext) {}

  /** A client sends a request to `entry` from proxy `client`. */
  sendRequest(
    traffic: number,
    cluster: number,
    client: Proxy,
    entry: ServiceRuntime,
    headers: Readonly<Record<string, string>>,
    uri: string,
    clientTimeoutMs: number,
    ingressDown: boolean,
  ): void {
    const { engine, observer } = this.ctx;
    const request = new MeshRequest(this.requestSeq++, traffic, cluster, engine.now, headers, uri);
    observer.requestStarted(request);
    if (ingressDown) {
      // The ingress gateway's pods are gone (or, for in-mesh clients, their own node or cluster is):
      // the request fails at once.
      this.completeRequest(request, 503, ResponseFlag.UF);
      return;
    }
    if (clientTimeoutMs > 0 && clientTimeoutMs < Infinity) {
      let queue = this.clientTimeouts.get(clientTimeoutMs);
      if (queue === undefined) {
        queue = new DeadlineQueue(engine, clientTimeoutMs, this.clientGaveUp);
        this.clientTimeouts.set(clientTimeoutMs, queue);
      }
      request.clientTimeout = queue;
      request.clientTimeoutTicket = queue.add(request);
    }
    const call = new Call(request, undefined, entry, client);
    request.entry = call;
    this.startCall(call);
  }

  /**
   * The client stopped waiting and closed its connection (DC). Its sidecar's router is destroyed with the
   * stream: Envoy `Filter::onDestroy` calls `resetAll()`, which resets every upstream request without an
   * outlier-detection report (envoyproxy/envoy source/common/router/router.cc, commit 001b1c0c). The entry
   * call's attempt releases its least-request count and connection slot, and a retry waiting out its
   * back-off is never sent.
   */
  private readonly clientGaveUp = (request: MeshRequest): void => {
    this.completeRequest(request, 0, ResponseFlag.DC);
    if (request.entry !== undefined) this.callerGaveUp(request.entry);
  };

  /**
   * The caller of `call` closed its connection: the end client (`clientGaveUp`) or an application whose
   * own timeout expired (app-call.ts). Same reset, same DC, no outlier report.
   */
  private callerGaveUp(call: Call): void {
    if (call.finished) return;
    const a = call.current;
    if (a !== undefined) this.resetAttempt(a, false);
    this.finishCall(call, 0, ResponseFlag.DC);
  }

  /** A call an application makes: its own timeout, if it has one, starts with it. */
  private readonly sendCall = (call: Call): void => {
    const app = call.app;
    if (app !== undefined && app.policy.timeoutMs > 0)
      app.timer = this.ctx.engine.schedule(app.policy.timeoutMs, this.appTimeout, call);
    this.startCall(call);
  };

  private readonly appTimeout = (call: Call): void => {
    (call.app as AppCall).timer = undefined;
    this.callerGaveUp(call);
  };

  /** A try of an application call ended: the application tries again (true), or the call is done. */
  private appRetried(parent: Attempt, child: Call): boolean {
    const app = child.app as AppCall;
    if (app.timer !== undefined) this.ctx.engine.cancel(app.timer);
    app.timer = undefined;
    if (!app.retriesAfter(isFailure(child.responseCode))) return false;
    app.tries++;
    const next = new Call(child.request, parent, app.callee, child.source);
    next.app = app;
    this.ctx.engine.schedule(app.policy.backoffMs, this.sendCall, next);
    return true;
  }

  private completeRequest(request: MeshRequest, code: number, flags: number): void {
    request.done = true;
    request.clientTimeout?.remove(request.clientTimeoutTicket);
    request.clientTimeout = undefined;
    request.responseCode = code;
    request.responseFlags = flags;
    request.endMs = this.ctx.engine.now;
    this.ctx.observer.requestCompleted(request);
  }

  /** Routing at the source proxy: VirtualService match, destination, fault injection, timeouts. */
  private startCall(call: Call): void {
    const now = this.ctx.engine.now;
    call.sentMs = now;
    const route = this.ctx.routes.resolve(call.source, call.service, call.request.headers, call.request.uri);
    if (route.kind === 'no-route') {
      this.finishCall(call, 404, ResponseFlag.NR);
      return;
    }
    call.service = route.service;
    call.subset = route.subset;
    call.retry = route.retry;
    call.timeoutMs = route.timeoutMs;
    const fault = route.fault;
    if (fault !== undefined) {
      // Envoy's fault filter runs before the router (envoyproxy/envoy
      // source/extensions/filters/http/fault/fault_filter.cc, `decodeHeaders` then `postDelayInjection`): a
      // selected delay holds the request first, then a selected abort answers it locally (FI, never seen
      // by the router, so never retried); anything not aborted reaches the router, which applies the
      // route's timeout and retries as for any request (Istio sets both whether or not a fault is set:
      // istio/istio pilot/pkg/networking/core/route/route.go `applyHTTPRouteDestination`, commit 86c9f01f;
      // istio/istio#13705). The two percentages are independent draws.
      const rng = call.source.lbRng;
      const delayed = fault.delay !== undefined && rng() < fault.delay.fraction;
      const aborted = fault.abort !== undefined && rng() < fault.abort.fraction;
      if (delayed) {
        call.responseFlags |= ResponseFlag.DI;
        if (aborted) call.faultAbortStatus = (fault.abort as { httpStatus: number }).httpStatus;
        this.ctx.engine.schedule(
          (fault.delay as { fixedDelayMs: number }).fixedDelayMs,
          this.afterDelay,
          call,
        );
        return;
      }
      if (aborted) {
        this.finishCall(call, (fault.abort as { httpStatus: number }).httpStatus, ResponseFlag.FI);
        return;
      }
    }
    this.route(call);
  }

  private readonly afterDelay = (call: Call): void => {
    if (call.finished) return; // The client gave up during the delay.
    if (call.faultAbortStatus > 0) {
      this.finishCall(call, call.faultAbortStatus, ResponseFlag.FI);
      return;
    }
    this.route(call);
  };

  /** The router takes the request: the route timeout starts (Envoy `onRequestComplete`), then the first try. */
  private route(call: Call): void {
    if (call.timeoutMs > 0)
      call.routeTimer = this.ctx.engine.schedule(call.timeoutMs, this.routeTimeout, call);
    this.attempt(call);
  }

  /**
   * The route timeout fired (Envoy `Filter::onResponseTimeout`, envoyproxy/envoy
   * source/common/router/router.cc, commit 001b1c0c): every upstream request still awaiting headers is
   * reported to outlier detection as a local-origin timeout (`LocalOriginTimeout`) and reset; the request
   * ends 504 UT through `onUpstreamTimeoutAbort`, which never retries. A retry waiting out its back-off has
   * no upstream request: nothing is reset, and the scheduled try finds the call finished.
   */
  private readonly routeTimeout = (call: Call): void => {
    call.routeTimer = undefined;
    if (call.finished) return;
    const a = call.current;
    if (a !== undefined) this.resetAttempt(a, true);
    this.finishCall(call, 504, ResponseFlag.UT);
  };

  /**
   * Resets an attempt the caller gave up on (route timeout, client gone): its place in the pending line, or
   * its host's active-request count and its connection slot, are released at once, as Envoy's
   * `UpstreamRequest::resetStream` does (a pending request is cancelled from the pool; an attached stream
   * frees its slot). `reportTimeout` sends the host a local-origin timeout for outlier detection. Server-side
   * work already under way goes on: the application does not know the caller left. No-op on an attempt
   * already ended.
   */
  private resetAttempt(a: Attempt, reportTimeout: boolean): void {
    if (a.abandoned) return;
    this.abandon(a);
    this.noteFinalAttempt(a.call, a);
    const upstream = a.upstream;
    if (upstream === undefined) return;
    if (a.pending) {
      a.pending = false;
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
    const i = upstream.pendingAttempts.indexOf(a);
    if (i < 0) throw new Error(`attempt of request ${a.call.request.id} is pending but not in the line`);
    upstream.pendingAttempts.splice(i, 1);
    upstream.cancelPending();
  }

  /** One try: circuit breakers first (Envoy's router asks the connection pool before picking a host). */
  private readonly attempt = (call: Call): void => {
    if (call.finished) return;
    call.attempts++;
    if (call.service.external !== undefined) {
      this.externalAttempt(call, call.service.external);
      return;
    }
    const upstream = this.ctx.upstreamOf(call.source, call.service, call.subset);
    if (upstream === undefined) {
      // A route to a subset no DestinationRule defines: Envoy has no such cluster.
      this.finishCall(call, 503, ResponseFlag.NC);
      return;
    }
    const a = new Attempt(call, this.ctx.engine.now);
    call.current = a;
    a.upstream = upstream;
    const admission = upstream.admit();
    if (admission === Admission.overflow) {
      this.endAttempt(a, 503, ResponseFlag.UO, AttemptOutcome.overflow);
      return;
    }
    const perTry = call.retry.perTryTimeoutMs;
    if (perTry > 0) a.timer = this.ctx.engine.schedule(perTry, this.perTryTimeout, a);
    if (admission === Admission.pending) {
      a.pending = true;
      upstream.pendingAttempts.push(a);
    } else this.dispatch(a);
  };

  /**
   * Hook (issue 13, external-destination.ts): a try to a ServiceEntry host outside the clusters. No view,
   * no pod: it leaves the caller's sidecar and its answer comes back after the host's round trip and
   * service time; route timeout, per-try timeout and retries act on it as on any try.
   */
  private externalAttempt(call: Call, external: ExternalDestination): void {
    const a = new Attempt(call, this.ctx.engine.now);
    call.current = a;
    const perTry = call.retry.perTryTimeoutMs;
    if (perTry > 0) a.timer = this.ctx.engine.schedule(perTry, this.perTryTimeout, a);
    a.responseCode = external.status();
    const delay = call.source.latency.sample() + external.answerAfterMs(call.source.cluster);
    this.ctx.engine.schedule(delay, this.responseArrived, a);
  }

  /** A request left the connection pool; the oldest attempt still waiting for a connection takes its place. */
  private releaseConnection(upstream: Upstream): void {
    if (!upstream.releaseAdmission()) return;
    const next = upstream.pendingAttempts.shift() as Attempt | undefined;
    if (next === undefined) return;
    next.pending = false;
    next.upstream = upstream;
    this.dispatch(next);
  }

  /** The attempt has a connection slot: pick a host and send. */
  private dispatch(a: Attempt): void {
    const { engine } = this.ctx;
    const now = engine.now;
    const call = a.call;
    const upstream = a.upstream as Upstream;
    const host = upstream.pick(call.retry, call.tried, now);
    if (host < 0) {
      this.releaseConnection(upstream);
      a.upstream = undefined;
      this.endAttempt(a, 503, ResponseFlag.UH, AttemptOutcome.response);
      return;
    }
    a.host = host;
    upstream.started(host);
    const source = call.source;
    const target = upstream.hosts[host];
    if (target === undefined) return;
    let endpoint: Endpoint | undefined = target.endpoint;
    let delay = source.latency.sample();
    if (target.gatewayCluster >= 0) {
      a.viaGateway = target.gatewayCluster;
      const reach = this.reachGateway(source, target.gatewayCluster, target.zone);
      if (reach !== PathState.open) {
        this.failConnect(a, reach, upstream.connectTimeoutMs, delay);
        return;
      }
      delay +=
        this.ctx.network.sample(source.zone, target.zone) +
        this.ctx.eastWestGateway(target.gatewayCluster).latency.sample();
      endpoint = this.gatewayBackend(a, upstream, host, call.service);
      if (endpoint === undefined) {
        // The gateway has no backend for the service in its view: it closes the client's connection.
        this.failAfter(a, delay, 503, ResponseFlag.UH, AttemptOutcome.reset);
        return;
      }
      delay += this.ctx.network.sample(target.zone, endpoint.zone);
    } else if (endpoint !== undefined) {
      delay += this.ctx.network.sample(source.zone, endpoint.zone);
    }
    if (endpoint === undefined) return;
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
      if (!source.hasValidCert(now) || !endpoint.sidecar.hasValidCert(now)) {
        // mTLS handshake with an expired certificate: refused at once.
        this.failAfter(a, delay, 503, ResponseFlag.UF, AttemptOutcome.connectFailure);
        return;
      }
      upstream.setConnected(host, true);
    } else if (state === PathState.refused) {
      upstream.setConnected(host, false);
      this.failAfter(a, delay, 503, ResponseFlag.UC, AttemptOutcome.reset);
      return;
    } else if (state === PathState.silent) {
      this.hang(a); // No answer: a timeout, or the path coming back, ends this attempt.
      return;
    }
    delay += endpoint.sidecar.latency.sample();
    engine.schedule(delay, this.arrive, a);
  }

  private reachGateway(source: Proxy, gatewayCluster: number, _zone: number): PathState {
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
    const gateway = this.ctx.eastWestGateway(
      (upstream.hosts[host] as { gatewayCluster: number }).gatewayCluster,
    );
    const view = this.ctx.upstreamOf(gateway, service, undefined);
    if (view === undefined) return undefined;
    const h = view.pick(undefined, undefined, this.ctx.engine.now);
    const backend = h < 0 ? undefined : view.hosts[h]?.endpoint;
    if (backend !== undefined) upstream.openedGatewayConnection(host, backend);
    return backend;
  }

  /** Whether packets get from `source` to the replica, and how they fail if not. */
  private pathTo(source: Proxy, endpoint: Endpoint, viaGateway: boolean): PathState {
    const { infra, registry } = this.ctx;
    const state = registry.stateOf(endpoint.id);
    if (state === EndpointState.terminated) return PathState.silentNew;
    if (state === EndpointState.unavailable || !infra.isZoneUp(endpoint.zone)) return PathState.silent;
    if (!viaGateway && !infra.clustersConnected(source.cluster, endpoint.cluster)) return PathState.silent;
    return PathState.open;
  }

  private failConnect(a: Attempt, state: PathState, connectTimeoutMs: number, delay: number): void {
    if (state === PathState.refused)
      this.failAfter(a, delay, 503, ResponseFlag.UF, AttemptOutcome.connectFailure);
    else this.failAfter(a, connectTimeoutMs, 503, ResponseFlag.UF, AttemptOutcome.connectFailure);
  }

  private failAfter(a: Attempt, delay: number, code: number, flags: number, outcome: AttemptOutcome): void {
    const job = { a, code, flags, outcome };
    this.ctx.engine.schedule(delay, this.failNow, job);
  }

  private readonly failNow = (job: {
    a: Attempt;
    code: number;
    flags: number;
    outcome: AttemptOutcome;
  }): void => {
    if (job.a.abandoned) return;
    this.endAttempt(job.a, job.code, job.flags, job.outcome);
  };

  private readonly perTryTimeout = (a: Attempt): void => {
    a.timer = undefined;
    if (a.abandoned) return;
    this.abandon(a);
    this.endAttempt(a, 504, ResponseFlag.UT, AttemptOutcome.perTryTimeout, true);
  };

  private abandon(a: Attempt): void {
    a.abandoned = true;
    if (a.timer !== undefined) this.ctx.engine.cancel(a.timer);
    a.timer = undefined;
  }

  // ---- server side ----

  private readonly arrive = (a: Attempt): void => {
    const endpoint = a.endpoint as Endpoint;
    const state = this.ctx.registry.stateOf(endpoint.id);
    if (state === EndpointState.terminated) {
      this.respondReset(a);
      return;
    }
    if (state === EndpointState.unavailable) {
      this.hang(a); // Swallowed by a dead node.
      return;
    }
    a.arrivedMs = this.ctx.engine.now;
    const injectedDelay = this.ctx.injected.delayFor(endpoint.service, endpoint.cluster);
    if (injectedDelay > 0) {
      this.ctx.engine.schedule(injectedDelay, this.admitToReplica, a);
      return;
    }
    this.admitToReplica(a);
  };

  private readonly admitToReplica = (a: Attempt): void => {
    const endpoint = a.endpoint as Endpoint;
    const outcome = endpoint.slots.acquire(this.beginService, a);
    if (outcome === 0) this.beginService(a);
    else if (outcome === 2) this.respond(a, 503);
  };

  private readonly beginService = (a: Attempt): void => {
    a.startedMs = this.ctx.engine.now;
    a.holdsSlot = true;
    this.ctx.engine.schedule(
      a.call.service.behaviourOf(a.endpoint as Endpoint).serviceTime.sample(),
      this.serviceDone,
      a,
    );
  };

  private readonly serviceDone = (a: Attempt): void => {
    const service = a.call.service;
    const endpoint = a.endpoint as Endpoint;
    if (!service.blocking) this.releaseSlot(a);
    if (this.ctx.registry.stateOf(endpoint.id) === EndpointState.terminated) {
      this.respondReset(a);
      return;
    }
    const abort = this.ctx.injected.abortFor(endpoint.service, endpoint.cluster);
    if (abort > 0) {
      this.respond(a, abort);
      return;
    }
    const errorRate = service.behaviourOf(endpoint).errorRate;
    if (errorRate > 0 && service.behaviourRng() < errorRate) {
      this.respond(a, 500);
      return;
    }
    this.startStep(a, 0);
  };

  private releaseSlot(a: Attempt): void {
    if (!a.holdsSlot) return;
    a.holdsSlot = false;
    (a.endpoint as Endpoint).slots.release();
  }

  private startStep(a: Attempt, first: number): void {
    const service = a.call.service;
    const endpoint = a.endpoint as Endpoint;
    const steps = service.behaviourOf(endpoint).steps;
    for (let i = first; i < steps.length; i++) {
      const step = steps[i] as CallStep;
      let made = 0;
      for (let k = 0; k < step.services.length; k++) {
        const p = step.probabilities[k] as number;
        if (p < 1 && service.behaviourRng() >= p) continue;
        made++;
        a.outstanding++;
        const callee = this.ctx.services[step.services[k] as number] as ServiceRuntime;
        const call = new Call(a.call.request, a, callee, endpoint.sidecar);
        const app = step.app?.[k];
        if (app !== undefined) call.app = new AppCall(app, callee);
        this.sendCall(call);
      }
      if (made > 0) {
        a.step = i;
        return;
      }
    }
    this.respond(a, 200);
  }

  private childDone(parent: Attempt, child: Call): void {
    if (child.app !== undefined && this.appRetried(parent, child)) return;
    if (isFailure(child.responseCode)) parent.downstreamStatus = failedCallStatus(parent, child);
    if (--parent.outstanding > 0) return;
    if (parent.downstreamStatus > 0) this.respond(parent, parent.downstreamStatus);
    else this.startStep(parent, parent.step + 1);
  }

  /** The replica answers; the response travels back (through the gateway, if it came that way). */
  private respond(a: Attempt, code: number): void {
    this.releaseSlot(a);
    const endpoint = a.endpoint as Endpoint;
    const state = this.ctx.registry.stateOf(endpoint.id);
    if (state === EndpointState.terminated) {
      this.respondReset(a);
      return;
    }
    const source = a.call.source;
    if (
      state === EndpointState.unavailable ||
      (a.viaGateway < 0 && !this.ctx.infra.clustersConnected(endpoint.cluster, source.cluster))
    ) {
      this.hang(a);
      return;
    }
    let delay = this.ctx.network.sample(endpoint.zone, source.zone);
    if (a.viaGateway >= 0) delay += this.ctx.eastWestGateway(a.viaGateway).latency.sample();
    a.responseCode = code;
    this.ctx.engine.schedule(delay, this.responseArrived, a);
  }

  /**
   * An attempt whose packets go nowhere (a dead node or cluster, a partition). It waits for a timeout; if
   * the path comes back first, the connection is reset: a rebooted node or cluster has lost the TCP state,
   * and after a partition the retransmissions have long backed off, so the request fails rather than
   * completes (a simplification: a short partition could let it through).
   */
  private hang(a: Attempt): void {
    this.hung.push(a);
  }

  /** After any infrastructure change: hung attempts whose path is open again are reset. */
  pathsChanged(): void {
    if (this.hung.length === 0) return;
    const still: Attempt[] = [];
    for (const a of this.hung) {
      if (a.abandoned) continue;
      const endpoint = a.endpoint as Endpoint;
      const open =
        this.ctx.registry.stateOf(endpoint.id) !== EndpointState.unavailable &&
        this.ctx.infra.isZoneUp(endpoint.zone) &&
        (a.viaGateway >= 0
          ? this.ctx.infra.isClusterUp(a.viaGateway)
          : this.ctx.infra.clustersConnected(a.call.source.cluster, endpoint.cluster));
      if (open) this.respondReset(a);
      else still.push(a);
    }
    this.hung = still;
  }

  /** The replica's pod is gone: the caller's connection is reset. */
  private respondReset(a: Attempt): void {
    this.releaseSlot(a);
    a.upstream?.setConnected(a.host, false);
    const endpoint = a.endpoint as Endpoint;
    const job = { a, code: 503, flags: ResponseFlag.UC };
    this.ctx.engine.schedule(
      this.ctx.network.sample(endpoint.zone, a.call.source.zone),
      this.resetArrived,
      job,
    );
  }

  private readonly resetArrived = (job: { a: Attempt; code: number; flags: number }): void => {
    if (job.a.abandoned) return;
    this.endAttempt(job.a, job.code, job.flags, AttemptOutcome.reset);
  };

  private readonly responseArrived = (a: Attempt): void => {
    if (a.abandoned) return;
    this.endAttempt(a, a.responseCode, 0, AttemptOutcome.response);
  };

  // ---- client side: retries and completion ----

  private endAttempt(
    a: Attempt,
    code: number,
    flags: number,
    outcome: AttemptOutcome,
    alreadyAbandoned = false,
  ): void {
    const call = a.call;
    const now = this.ctx.engine.now;
    if (!alreadyAbandoned && a.timer !== undefined) this.ctx.engine.cancel(a.timer);
    a.timer = undefined;
    a.abandoned = true;
    const upstream = a.upstream;
    if (upstream !== undefined && outcome !== AttemptOutcome.overflow) {
      if (a.pending) {
        // Timed out while waiting for a connection: it leaves the pending line.
        a.pending = false;
        this.leavePendingLine(upstream, a);
      } else {
        if (a.host >= 0) {
          upstream.finished(a.host);
          if (outcome === AttemptOutcome.response && !isFailure(code)) upstream.recordSuccess(a.host);
          else upstream.recordFailure(a.host, code, outcome, now);
          // A response leaves an HTTP/1.1 connection reusable; a reset or timeout closed it.
          if (outcome === AttemptOutcome.response && a.viaGateway >= 0 && a.endpoint !== undefined)
            upstream.releaseGatewayConnection(a.host, a.endpoint);
        }
        this.releaseConnection(upstream);
      }
    }
    this.noteFinalAttempt(call, a);
    if (call.finished) return;
    // Envoy holds a retry against the cluster's `max_retries` circuit breaker from the time it is
    // scheduled until the retried try's outcome is judged (`RetryStateImpl::resetRetry`).
    this.releaseRetry(call);
    // A plain success is never retried; skip the policy for the common case.
    let retry =
      outcome === AttemptOutcome.response && code < 400
        ? -1
        : this.ctx.routes.retryDecision(call, code, flags, outcome);
    if (retry >= 0 && upstream !== undefined && !upstream.admissionState.tryAdmitRetry()) {
      // Retry circuit breaker open: Envoy `RetryStatus::NoOverflow`, the response as it is, flag UO
      // (envoyproxy/envoy source/common/router/router.cc `onUpstreamReset`/`onUpstreamHeaders`).
      retry = -1;
      flags |= ResponseFlag.UO;
    } else if (retry >= 0 && upstream !== undefined) call.retryHeld = upstream.admissionState;
    if (retry >= 0) {
      // The retry predicates remember every host tried (Envoy `onHostAttempted` for each try), by key:
      // the view may be rebuilt before the next try. Only calls that retry allocate the list.
      if (a.host >= 0 && upstream !== undefined) {
        const key = (upstream.hosts[a.host] as UpstreamHost).key;
        if (call.tried === undefined) call.tried = [key];
        else call.tried.push(key);
      }
      this.ctx.engine.schedule(retry, this.attempt, call);
      return;
    }
    const exhausted =
      call.attempts > 1 && (outcome !== AttemptOutcome.response || isFailure(code)) ? ResponseFlag.URX : 0;
    this.finishCall(call, code, flags | exhausted);
  }

  /** The call's metrics fields describe its latest attempt (where it went, when it was served). */
  private noteFinalAttempt(call: Call, a: Attempt): void {
    call.viaGateway = a.viaGateway;
    if (a.endpoint !== undefined) {
      call.endpoint = a.endpoint;
      call.arrivedMs = a.arrivedMs;
      call.startedMs = a.startedMs;
      if (a.startedMs >= 0)
        call.request.clustersCrossed |= a.endpoint.cluster < 31 ? 1 << a.endpoint.cluster : 0;
    }
  }

  private releaseRetry(call: Call): void {
    if (call.retryHeld === undefined) return;
    call.retryHeld.releaseRetry();
    call.retryHeld = undefined;
  }

  private finishCall(call: Call, code: number, flags: number): void {
    if (call.finished) return;
    call.finished = true;
    this.releaseRetry(call);
    if (call.routeTimer !== undefined) this.ctx.engine.cancel(call.routeTimer);
    call.routeTimer = undefined;
    call.responseCode = code;
    call.responseFlags |= flags;
    call.endMs = this.ctx.engine.now;
    this.ctx.observer.callCompleted(call);
    const parent = call.parent;
    if (parent !== undefined) {
      this.childDone(parent, call);
      return;
    }
    const request = call.request;
    request.attempts = call.attempts;
    if (!request.done) this.completeRequest(request, call.responseCode, call.responseFlags);
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
