/**
 * The replica side of the request path: what happens once a try reaches the replica's sidecar. It owns the
 * replica's queue (its concurrency slots), the service time, injected delays and errors, the application's
 * downstream calls (in order of its steps; a parallel group awaits all, each with the application's own
 * timeout and retries, app-call.ts) and its answer, which travels back the way it came (through the
 * east-west gateway, if it came that way). A replica whose pod is gone resets the connection; one behind a
 * dead node or a partition hangs (connection-path.ts `hang`).
 *
 * Contents: `ReplicaSide`.
 */
import { AppCall } from './app-call.js';
import { checkAttempt, checkCall } from './request-pools.js';
import { failedCallStatus } from './call-failure.js';
import type { DataPlaneContext, DataPlaneRoles, ReplicaRole } from './data-plane-roles.js';
import type { Endpoint } from './endpoint.js';
import { EndpointState } from './endpoint-registry.js';
import { isFailure, type Attempt, type Call } from './request.js';
import type { CallStep, ServiceRuntime } from './service-runtime.js';
import { AttemptEnd } from './traffic/attempt-outcome.js';

export class ReplicaSide implements ReplicaRole {
  constructor(
    private readonly ctx: DataPlaneContext,
    private readonly roles: DataPlaneRoles,
  ) {}

  readonly arrive = (a: Attempt): void => {
    checkAttempt(a);
    const endpoint = a.endpoint as Endpoint;
    const registry = this.ctx.registry;
    if (registry.lost !== 0) {
      const state = registry.stateOf(endpoint.id);
      if (state === EndpointState.terminated) {
        this.respondReset(a);
        return;
      }
      if (state === EndpointState.unavailable) {
        this.roles.path.hang(a); // Swallowed by a dead node.
        return;
      }
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
    checkAttempt(a);
    const endpoint = a.endpoint as Endpoint;
    const outcome = endpoint.acquire(this.beginService, a);
    if (outcome === 0) this.beginService(a);
    else if (outcome === 2) this.respond(a, 503);
  };

  private readonly beginService = (a: Attempt): void => {
    checkAttempt(a);
    a.startedMs = this.ctx.engine.now;
    a.holdsSlot = true;
    this.ctx.engine.post(
      a.call.service.behaviourOf(a.endpoint as Endpoint).serviceTime.sample(),
      this.serviceDone,
      a,
    );
  };

  private readonly serviceDone = (a: Attempt): void => {
    checkAttempt(a);
    const service = a.call.service;
    const endpoint = a.endpoint as Endpoint;
    if (service.blocking !== true) this.releaseSlot(a); // Booleans against `true`: see request.ts.
    const registry = this.ctx.registry;
    if (registry.lost !== 0 && registry.stateOf(endpoint.id) === EndpointState.terminated) {
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
    if (a.holdsSlot !== true) return;
    a.holdsSlot = false;
    (a.endpoint as Endpoint).release();
  }

  /** The application makes the calls of its first step from `first` on that draws any; none left: 200. */
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
        const call = this.roles.calls.acquire(a.call.request, a, callee, endpoint.sidecar);
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

  /** A call the application makes: its own timeout, if it has one, starts with it. */
  private readonly sendCall = (call: Call): void => {
    checkCall(call);
    const app = call.app;
    if (app !== undefined && app.policy.timeoutMs > 0)
      app.timer = this.ctx.engine.schedule(app.policy.timeoutMs, this.appTimeout, call);
    this.roles.client.startCall(call);
  };

  private readonly appTimeout = (call: Call): void => {
    checkCall(call);
    (call.app as AppCall).timer = undefined;
    this.roles.client.callerGaveUp(call);
  };

  /** A try of an application call ended: the application tries again (true), or the call is done. */
  private appRetried(parent: Attempt, child: Call): boolean {
    const app = child.app as AppCall;
    if (app.timer !== undefined) this.ctx.engine.cancel(app.timer);
    app.timer = undefined;
    if (!app.retriesAfter(isFailure(child.responseCode))) return false;
    app.tries++;
    const next = this.roles.calls.acquire(child.request, parent, app.callee, child.source);
    next.app = app;
    this.ctx.engine.schedule(app.policy.backoffMs, this.sendCall, next);
    return true;
  }

  childDone(parent: Attempt, child: Call): void {
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
    const registry = this.ctx.registry;
    // With no endpoint lost, this one is neither terminated nor unavailable: the only states asked below.
    const state = registry.lost === 0 ? EndpointState.ready : registry.stateOf(endpoint.id);
    if (state === EndpointState.terminated) {
      this.respondReset(a);
      return;
    }
    const source = a.call.source;
    if (
      state === EndpointState.unavailable ||
      (a.viaGateway < 0 &&
        !this.ctx.infra.allReachable &&
        !this.ctx.infra.clustersConnected(endpoint.cluster, source.cluster))
    ) {
      this.roles.path.hang(a);
      return;
    }
    let delay = this.ctx.network.sample(endpoint.zone, source.zone);
    if (a.viaGateway >= 0) delay += this.ctx.eastWestGateway(a.viaGateway).sampleLatency();
    a.responseCode = code;
    this.ctx.engine.post(delay, this.responseArrived, a);
  }

  /** The replica's pod is gone: the caller's connection is reset. */
  respondReset(a: Attempt): void {
    this.releaseSlot(a);
    a.upstream?.setConnected(a.host, false);
    const endpoint = a.endpoint as Endpoint;
    this.ctx.engine.schedule(
      this.ctx.network.sample(endpoint.zone, a.call.source.zone),
      this.resetArrived,
      a,
    );
  }

  private readonly resetArrived = (a: Attempt): void => {
    checkAttempt(a);
    if (a.abandoned === true) return;
    this.roles.client.attemptEnded(a, 503, AttemptEnd.connectionReset);
  };

  private readonly responseArrived = (a: Attempt): void => {
    checkAttempt(a);
    if (a.abandoned === true) return;
    this.roles.client.attemptEnded(a, a.responseCode, AttemptEnd.response);
    // The replica answered and the caller ended the try: nothing refers to it any more, nor to its call
    // if this answer finished it at the first try, nor to the request once its last call is back
    // (request-pools.ts).
    const call = a.call;
    this.roles.attempts.release(a);
    if (!this.roles.calls.canRelease(call)) return;
    const request = call.request;
    this.roles.calls.release(call);
    if (this.roles.requests.canRelease(request)) this.roles.requests.release(request);
  };
}
