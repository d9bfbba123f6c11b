/**
 * Attempts, calls and requests are reused instead of allocated per try, per call and per request: one whose
 * work is over goes to a free list and the next takes it from there, reset. The free list is a chain through
 * the objects' own `nextFree`, last released first out, not an array: an array's elements kind (a fresh `[]`
 * holds small integers until its first object) differed between a warmed-up process's pools and a new
 * mesh's, and `acquire`, compiled for the first, deoptimized on the second ("wrong map"); a chain also
 * touches no memory but the objects themselves. In the mesh bench a request
 * allocated ~2.4 KB, a third of it attempts and calls (20-odd fields each, doubles boxed).
 *
 * An object goes back only where nothing can reach it any more, so reuse cannot change what the run does:
 * - an attempt, once its answer arrived and its caller ended it (`abandoned`): no per-try timer, pending-line
 *   ticket, replica slot, downstream call or engine event refers to it, and its call forgets it (`current`);
 * - its call, at the same moment, if that answer finished it and it was its only try: no other try of it is
 *   still at a replica (one abandoned by a timeout goes on being served and reads its call), no retry or
 *   route timer is pending, its parent was told (`childDone`), and the entry call's request forgets it;
 * - a request, once its client has its answer (`done`, its client timeout removed) and every call made for it
 *   went back (`calls` counts those not back yet): an abandoned try still at a replica makes downstream calls
 *   for its request, and its call, left to the garbage collector, never goes back, so neither does the
 *   request. Observers read a request during `requestCompleted` only (observer.ts), before it goes back.
 * Any other way a try or call ends (timeouts, resets, path failures, retries) leaves the objects to the
 * garbage collector. `release` throws if a hold remains; the engine callbacks that receive an attempt ask
 * `checkAttempt` (`checkCall`, `checkRequest`) first, so a callback that outlived its try throws rather than act on the one now using the
 * object. `generation` counts an object's uses, to name the stale one in that message.
 *
 * Contents: `AttemptPool`, `CallPool`, `RequestPool`, `checkAttempt`, `checkCall`, `checkRequest`.
 */
import type { SimTime } from '../des/index.js';
import type { Proxy } from './proxy.js';
import { Attempt, Call, MeshRequest } from './request.js';
import type { ServiceRuntime } from './service-runtime.js';

export class AttemptPool {
  /** The most recently released attempt; the rest chain through `nextFree`. */
  private free: Attempt | undefined = undefined;
  /** Attempts made and reused, for tests and benchmarks. */
  created = 0;
  reused = 0;

  /** A try of `call`: a free attempt, reset, or a new one. */
  acquire(call: Call): Attempt {
    const a = this.free;
    if (a === undefined) return this.create(call);
    this.free = a.nextFree;
    this.reused++;
    a.generation++;
    a.init(call);
    return a;
  }

  /**
   * A new attempt, when none is free: out of line, so that callers compiled with `acquire` inlined do not
   * carry a copy of the allocation and its twenty field initializers (V8 does not inline a call made this
   * rarely), only the reuse path they run.
   */
  private create(call: Call): Attempt {
    this.created++;
    return new Attempt(call);
  }

  /** `a`'s answer reached its caller and the caller is done with it: the object may serve another try. */
  release(a: Attempt): void {
    checkAttempt(a);
    if (
      a.abandoned !== true ||
      a.timer !== undefined ||
      a.pendingTicket >= 0 ||
      a.holdsSlot === true ||
      a.outstanding > 0
    )
      throw new Error(
        `AttemptPool.release: attempt of ${a.call.service.name} still held (abandoned ${a.abandoned}, timer ${a.timer !== undefined}, pending ${a.pendingTicket}, slot ${a.holdsSlot}, outstanding ${a.outstanding})`,
      );
    if (a.call.current === a) a.call.current = undefined;
    a.live = false;
    a.nextFree = this.free;
    this.free = a;
  }
}

export class CallPool {
  /** The most recently released call; the rest chain through `nextFree`. */
  private free: Call | undefined = undefined;
  created = 0;
  reused = 0;

  acquire(request: MeshRequest, parent: Attempt | undefined, service: ServiceRuntime, source: Proxy): Call {
    const c = this.free;
    request.calls++;
    if (c === undefined) return this.create(request, parent, service, source);
    this.free = c.nextFree;
    this.reused++;
    c.generation++;
    c.init(request, parent, service, source);
    return c;
  }

  /** A new call, when none is free: out of line, as `AttemptPool.create`. */
  private create(
    request: MeshRequest,
    parent: Attempt | undefined,
    service: ServiceRuntime,
    source: Proxy,
  ): Call {
    this.created++;
    return new Call(request, parent, service, source);
  }

  /** Whether `call` can go back now: finished by the answer of its only try, which went back already. */
  canRelease(call: Call): boolean {
    return call.finished === true && call.attempts === 1 && call.current === undefined;
  }

  release(call: Call): void {
    if (call.live !== true) throw new Error(`CallPool.release: call to ${call.service.name} released twice`);
    if (
      call.finished !== true ||
      call.current !== undefined ||
      call.routeTimer !== undefined ||
      call.retryHeld !== undefined ||
      call.app?.timer !== undefined
    )
      throw new Error(
        `CallPool.release: call to ${call.service.name} still held (finished ${call.finished}, try ${call.current !== undefined}, route timer ${call.routeTimer !== undefined}, retry held ${call.retryHeld !== undefined}, app timer ${call.app?.timer !== undefined})`,
      );
    const request = call.request;
    if (request.entry === call) request.entry = undefined;
    request.calls--;
    call.live = false;
    call.nextFree = this.free;
    this.free = call;
  }
}

export class RequestPool {
  /** The most recently released request; the rest chain through `nextFree`. */
  private free: MeshRequest | undefined = undefined;
  created = 0;
  reused = 0;

  /** A request sent by a client of traffic source `traffic` in `clientCluster` at `startMs`. */
  acquire(
    id: number,
    traffic: number,
    clientCluster: number,
    startMs: SimTime,
    headers: Readonly<Record<string, string>>,
    uri: string,
  ): MeshRequest {
    const r = this.free;
    if (r === undefined) return this.create(id, traffic, clientCluster, startMs, headers, uri);
    this.free = r.nextFree;
    this.reused++;
    r.generation++;
    r.init(id, traffic, clientCluster, startMs, headers, uri);
    return r;
  }

  /** A new request, when none is free: out of line, as `AttemptPool.create`. */
  private create(
    id: number,
    traffic: number,
    clientCluster: number,
    startMs: SimTime,
    headers: Readonly<Record<string, string>>,
    uri: string,
  ): MeshRequest {
    this.created++;
    return new MeshRequest(id, traffic, clientCluster, startMs, headers, uri);
  }

  /** Whether `request` can go back now: answered, and every call made for it went back. */
  canRelease(request: MeshRequest): boolean {
    return request.done === true && request.calls === 0;
  }

  release(request: MeshRequest): void {
    if (request.live !== true) throw new Error(`RequestPool.release: request ${request.id} released twice`);
    if (request.done !== true || request.calls !== 0 || request.clientTimeout !== undefined)
      throw new Error(
        `RequestPool.release: request ${request.id} still held (done ${request.done}, calls ${request.calls}, client timeout ${request.clientTimeout !== undefined})`,
      );
    request.live = false;
    request.nextFree = this.free;
    this.free = request;
  }
}

/*
 * Throw when an engine callback receives an attempt, call or request that went back to its pool (see the
 * header). One check per class, not one over the union: V8 keeps one type feedback per function, so a shared
 * check saw three shapes and compiled a chain of shape tests into every callback it was inlined in (~480
 * instructions per request in the mesh bench). `live !== true`, not `!live`, as every boolean test in this
 * file: a bare one is JavaScript's whole truthiness check in every callback it is inlined in (request.ts).
 */
export function checkAttempt(a: Attempt): void {
  if (a.live !== true) throw stale(a);
}
export function checkCall(call: Call): void {
  if (call.live !== true) throw stale(call);
}
export function checkRequest(request: MeshRequest): void {
  if (request.live !== true) throw stale(request);
}

// Built out of line: a template literal in the hot path's guard costs even when the branch never runs
// (see log-histogram.ts `invalid`).
function stale(x: Attempt | Call | MeshRequest): Error {
  if (x instanceof MeshRequest)
    return new Error(`stale request ${x.id}: generation ${x.generation}, already returned to its pool`);
  const call = x instanceof Attempt ? x.call : x;
  return new Error(
    `stale ${x instanceof Attempt ? 'attempt' : 'call'}: generation ${x.generation}, already returned to its pool (call to ${call.service.name})`,
  );
}
