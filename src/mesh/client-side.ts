/**
 * The client side of the request path: what Envoy's router does at the source proxy (its HTTP connection
 * manager, fault filter and router filter) for each call, and the end client's own timeout.
 *
 * It owns a call from its routing to its final response: the VirtualService match (route-resolver.ts),
 * the fault filter's delay and abort, the route timeout, each try with its circuit-breaker admission and
 * per-try timeout, the retry decision and back-off after each try, and the call's completion (reported to
 * the observer, then handed to the replica that made the call, or completing the client's request). Where
 * a try goes and how it fails on the way is connection-path.ts; what the replica does, replica-side.ts.
 *
 * Contents: `ClientSide`.
 */
import { DeadlineQueue } from './deadline-queue.js';
import type { ClientRole, DataPlaneContext, DataPlaneRoles, TrafficOrigin } from './data-plane-roles.js';
import type { Proxy } from './proxy.js';
import type { ExternalDestination } from './external-destination.js';
import { checkAttempt, checkCall, checkRequest } from './request-pools.js';
import { isFailure, type Attempt, type Call, type MeshRequest } from './request.js';
import { ResponseFlag } from './response-flag.js';
import { AttemptEnd, AttemptOutcome } from './traffic/attempt-outcome.js';
import { Admission } from './traffic/connection-pool.js';
import type { HttpFaultInjection } from './routing-config.js';
import type { UpstreamHost } from './upstream.js';

export class ClientSide implements ClientRole {
  private requestSeq = 0;
  /** Client timeouts, one FIFO per timeout length (traffic sources share one when they agree). */
  private readonly clientTimeouts = new Map<number, DeadlineQueue<MeshRequest>>();
  /** The same queues by traffic source index, so that a request finds its queue without a Map lookup. */
  private readonly clientTimeoutOf: (DeadlineQueue<MeshRequest> | undefined)[] = [];

  constructor(
    private readonly ctx: DataPlaneContext,
    private readonly roles: DataPlaneRoles,
  ) {}

  /** A client of `origin` sends a request from proxy `client` in `cluster`; `down`: its way in is gone. */
  sendRequest(origin: TrafficOrigin, cluster: number, client: Proxy, down: boolean): void {
    const { engine, observer } = this.ctx;
    const request = this.roles.requests.acquire(
      this.requestSeq++,
      origin.index,
      cluster,
      engine.now,
      origin.headers,
      origin.uri,
    );
    observer.requestStarted(request);
    // Booleans against `true` in this file: a bare test of one is a long truthiness check (request.ts).
    if (down === true) {
      // The ingress gateway's pods are gone (or, for in-mesh clients, their own node or cluster is):
      // the request fails at once.
      this.completeRequest(request, 503, ResponseFlag.UF);
      return;
    }
    const timeoutMs = origin.clientTimeoutMs;
    if (timeoutMs > 0 && timeoutMs < Infinity) {
      const queue = this.clientTimeoutOf[origin.index] ?? this.clientTimeoutQueue(origin);
      request.clientTimeout = queue;
      request.clientTimeoutTicket = queue.add(request);
    }
    const call = this.roles.calls.acquire(request, undefined, origin.entry, client);
    request.entry = call;
    this.startCall(call);
  }

  /** The client timeout queue of `origin`'s requests, shared by every source with the same timeout. */
  private clientTimeoutQueue(origin: TrafficOrigin): DeadlineQueue<MeshRequest> {
    const timeoutMs = origin.clientTimeoutMs;
    let queue = this.clientTimeouts.get(timeoutMs);
    if (queue === undefined) {
      queue = new DeadlineQueue(this.ctx.engine, timeoutMs, this.clientGaveUp);
      this.clientTimeouts.set(timeoutMs, queue);
    }
    this.clientTimeoutOf[origin.index] = queue;
    return queue;
  }

  /**
   * The client stopped waiting and closed its connection (DC). Its sidecar's router is destroyed with the
   * stream: Envoy `Filter::onDestroy` calls `resetAll()`, which resets every upstream request without an
   * outlier-detection report (envoyproxy/envoy source/common/router/router.cc, commit 001b1c0c). The entry
   * call's attempt releases its least-request count and connection slot, and a retry waiting out its
   * back-off is never sent.
   */
  private readonly clientGaveUp = (request: MeshRequest): void => {
    checkRequest(request);
    this.completeRequest(request, 0, ResponseFlag.DC);
    if (request.entry !== undefined) this.callerGaveUp(request.entry);
  };

  /**
   * The caller of `call` closed its connection: the end client (`clientGaveUp`) or an application whose
   * own timeout expired (app-call.ts). Same reset, same DC, no outlier report.
   */
  callerGaveUp(call: Call): void {
    if (call.finished === true) return;
    const a = call.current;
    if (a !== undefined) this.resetAttempt(a, false);
    this.finishCall(call, 0, ResponseFlag.DC);
  }

  private completeRequest(request: MeshRequest, code: number, flags: number): void {
    request.done = true;
    request.clientTimeout?.remove(request.clientTimeoutTicket);
    request.clientTimeout = undefined;
    request.responseCode = code;
    request.responseFlags = flags;
    request.endMs = this.ctx.engine.now;
    this.ctx.observer.requestCompleted(request);
    // Refused at once (no call made), or its last call already went back: nothing refers to it any more.
    if (this.roles.requests.canRelease(request)) this.roles.requests.release(request);
  }

  /** Routing at the source proxy: VirtualService match, destination, fault injection, timeouts. */
  startCall(call: Call): void {
    call.sentMs = this.ctx.engine.now;
    const route = this.ctx.routes.resolve(call.source, call.service, call.request.headers, call.request.uri);
    if (route.kind === 'no-route') {
      this.finishCall(call, 404, ResponseFlag.NR);
      return;
    }
    call.service = route.service;
    call.subset = route.subset;
    call.retry = route.retry;
    call.timeoutMs = route.timeoutMs;
    // Out of line: most routes inject no fault, and V8 leaves a call made this rarely out of the code it
    // inlines `startCall` into (the entry call's copy in `sendRequest` among them).
    if (route.fault !== undefined && this.injectFault(call, route.fault)) return;
    this.route(call);
  }

  /**
   * The route's fault filter for `call`; true if it took the call over (held for a delay, or answered with
   * an abort), false if the call goes on to the router now.
   */
  private injectFault(call: Call, fault: HttpFaultInjection): boolean {
    // Envoy's fault filter runs before the router (envoyproxy/envoy
    // source/extensions/filters/http/fault/fault_filter.cc, `decodeHeaders` then `postDelayInjection`): a
    // selected delay holds the request first, then a selected abort answers it locally (FI, never seen
    // by the router, so never retried); anything not aborted reaches the router, which applies the
    // route's timeout and retries as for any request (Istio sets both whether or not a fault is set:
    // istio/istio pilot/pkg/networking/core/route/route.go `applyHTTPRouteDestination`, commit 86c9f01f;
    // istio/istio#13705). The two percentages are independent draws.
    const source = call.source;
    const delayed = fault.delay !== undefined && source.drawLb() < fault.delay.fraction;
    const aborted = fault.abort !== undefined && source.drawLb() < fault.abort.fraction;
    if (delayed && fault.delay !== undefined) {
      call.responseFlags |= ResponseFlag.DI;
      if (aborted && fault.abort !== undefined) call.faultAbortStatus = fault.abort.httpStatus;
      this.ctx.engine.schedule(fault.delay.fixedDelayMs, this.afterDelay, call);
      return true;
    }
    if (aborted && fault.abort !== undefined) {
      this.finishCall(call, fault.abort.httpStatus, ResponseFlag.FI);
      return true;
    }
    return false;
  }

  private readonly afterDelay = (call: Call): void => {
    checkCall(call);
    if (call.finished === true) return; // The client gave up during the delay.
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
    this.tryCall(call);
  }

  /**
   * The route timeout fired (Envoy `Filter::onResponseTimeout`, envoyproxy/envoy
   * source/common/router/router.cc, commit 001b1c0c): every upstream request still awaiting headers is
   * reported to outlier detection as a local-origin timeout (`LocalOriginTimeout`) and reset; the request
   * ends 504 UT through `onUpstreamTimeoutAbort`, which never retries. A retry waiting out its back-off has
   * no upstream request: nothing is reset, and the scheduled try finds the call finished.
   */
  private readonly routeTimeout = (call: Call): void => {
    checkCall(call);
    call.routeTimer = undefined;
    if (call.finished === true) return;
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
    if (a.abandoned === true) return;
    this.abandon(a);
    this.noteFinalAttempt(a.call, a);
    this.roles.path.releaseReset(a, reportTimeout);
  }

  /**
   * A retry's try, when its back-off ends. The first try is `tryCall` called directly: this arrow is a new
   * closure per mesh, and `route`, compiled against the warm-up mesh's, deoptimized on a new mesh's ("wrong
   * call target"); a method is the same function in every mesh.
   */
  private readonly attempt = (call: Call): void => {
    this.tryCall(call);
  };

  /** One try: circuit breakers first (Envoy's router asks the connection pool before picking a host). */
  private tryCall(call: Call): void {
    checkCall(call);
    if (call.finished === true) return;
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
    const a = this.roles.attempts.acquire(call);
    call.current = a;
    a.upstream = upstream;
    const admission = upstream.admit();
    if (admission === Admission.overflow) {
      this.attemptEnded(a, 503, AttemptEnd.overflow);
      return;
    }
    const perTry = call.retry.perTryTimeoutMs;
    if (perTry > 0) a.timer = this.ctx.engine.schedule(perTry, this.perTryTimeout, a);
    if (admission === Admission.pending) this.roles.path.wait(a);
    else this.roles.path.dispatch(a);
  }

  /**
   * A try to a ServiceEntry host outside the clusters (external-destination.ts). No view, no pod: it leaves
   * the caller's sidecar and its answer comes back after the host's round trip and service time; route
   * timeout, per-try timeout and retries act on it as on any try.
   */
  private externalAttempt(call: Call, external: ExternalDestination): void {
    const a = this.roles.attempts.acquire(call);
    call.current = a;
    const perTry = call.retry.perTryTimeoutMs;
    if (perTry > 0) a.timer = this.ctx.engine.schedule(perTry, this.perTryTimeout, a);
    a.responseCode = external.status();
    const delay = call.source.sampleLatency() + external.answerAfterMs(call.source.cluster);
    this.ctx.engine.schedule(delay, this.externalAnswered, a);
  }

  private readonly externalAnswered = (a: Attempt): void => {
    checkAttempt(a);
    if (a.abandoned === true) return;
    this.attemptEnded(a, a.responseCode, AttemptEnd.response);
  };

  private readonly perTryTimeout = (a: Attempt): void => {
    checkAttempt(a);
    a.timer = undefined;
    if (a.abandoned === true) return;
    this.attemptEnded(a, 504, AttemptEnd.perTryTimeout);
  };

  /** The caller stops waiting for `a`: its per-try timer is cancelled, a late answer is dropped. */
  private abandon(a: Attempt): void {
    a.abandoned = true;
    if (a.timer !== undefined) this.ctx.engine.cancel(a.timer);
    a.timer = undefined;
  }

  /** Attempt `a` ended: the path releases it, then the retry policy decides (Envoy `RetryStateImpl`). */
  attemptEnded(a: Attempt, code: number, end: AttemptEnd): void {
    const call = a.call;
    this.abandon(a);
    const upstream = a.upstream;
    if (upstream !== undefined && end.outcome !== AttemptOutcome.overflow)
      this.roles.path.release(a, code, end);
    this.noteFinalAttempt(call, a);
    if (call.finished === true) return;
    // Envoy holds a retry against the cluster's `max_retries` circuit breaker from the time it is
    // scheduled until the retried try's outcome is judged (`RetryStateImpl::resetRetry`).
    this.releaseRetry(call);
    let flags = end.flag;
    // A plain success is never retried; skip the policy for the common case.
    let retry =
      end.outcome === AttemptOutcome.response && code < 400
        ? -1
        : this.ctx.routes.retryDecision(call, code, flags, end.outcome);
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
      call.attempts > 1 && (end.outcome !== AttemptOutcome.response || isFailure(code))
        ? ResponseFlag.URX
        : 0;
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
    if (call.finished === true) return;
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
      this.roles.replica.childDone(parent, call);
      return;
    }
    const request = call.request;
    request.attempts = call.attempts;
    if (request.done !== true) this.completeRequest(request, call.responseCode, call.responseFlags);
  }
}
