/**
 * Attempts and calls reused through free lists (request-pools.ts): reused only when nothing refers to them,
 * and a callback that outlived its try throws instead of acting on the try that reuses the object.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AttemptPool,
  CallPool,
  RequestPool,
  checkAttempt,
  checkCall,
  checkRequest,
} from '../../src/mesh/request-pools.js';
import { Attempt, Call, MeshRequest } from '../../src/mesh/request.js';
import type { Proxy } from '../../src/mesh/proxy.js';
import type { ServiceRuntime } from '../../src/mesh/service-runtime.js';
import { record } from '../helpers/mesh-run.js';

/** Every field but `generation` (counted across uses) set to a value no field starts with. */
function scribble(x: object): void {
  for (const key of Object.keys(x))
    if (key !== 'generation') (x as Record<string, unknown>)[key] = 'scribbled';
}

function aCall(): Call {
  const request = new MeshRequest(0, 0, 0, 0, {}, '/');
  return new Call(request, undefined, { name: 'back' } as ServiceRuntime, {} as Proxy);
}

describe('mesh/request-pools', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('init() leaves a used attempt, call or request field for field a new one (the defaults are in two places)', () => {
    const call = aCall();
    const a = new Attempt(call);
    scribble(a);
    a.init(call);
    expect(a).toStrictEqual(new Attempt(call));
    const c = aCall();
    const service = { name: 'front' } as ServiceRuntime;
    const source = {} as Proxy;
    scribble(c);
    c.init(call.request, a, service, source);
    expect(c).toStrictEqual(new Call(call.request, a, service, source));
    const headers = { 'x-user': 'u' };
    const r = new MeshRequest(1, 2, 3, 4, {}, '/a');
    scribble(r);
    r.init(5, 6, 7, 8, headers, '/b');
    expect(r).toStrictEqual(new MeshRequest(5, 6, 7, 8, headers, '/b'));
  });

  it('a released attempt serves the next try, reset as new, one generation on', () => {
    const pool = new AttemptPool();
    const call = aCall();
    const a = pool.acquire(call);
    call.current = a;
    a.host = 3;
    a.arrivedMs = 4;
    a.responseCode = 200;
    a.abandoned = true; // its caller ended it
    pool.release(a);
    expect(call.current).toBeUndefined();
    const b = pool.acquire(call);
    expect(b).toBe(a);
    expect([b.live, b.generation, b.arrivedMs, b.host, b.responseCode, b.abandoned]).toEqual([
      true,
      1,
      -1,
      -1,
      0,
      false,
    ]);
    expect([pool.created, pool.reused]).toEqual([1, 1]);
  });

  it('release() of an attempt something still holds throws, naming the hold', () => {
    const pool = new AttemptPool();
    const a = pool.acquire(aCall());
    expect(() => pool.release(a)).toThrow(/still held \(abandoned false/);
    a.abandoned = true;
    a.holdsSlot = true;
    expect(() => pool.release(a)).toThrow(/slot true/);
    a.holdsSlot = false;
    a.outstanding = 1;
    expect(() => pool.release(a)).toThrow(/outstanding 1/);
    a.outstanding = 0;
    a.pendingTicket = 4;
    expect(() => pool.release(a)).toThrow(/pending 4/);
  });

  it('a callback holding a released attempt throws instead of acting on its next try', () => {
    const pool = new AttemptPool();
    const a = pool.acquire(aCall());
    a.abandoned = true;
    pool.release(a);
    expect(() => checkAttempt(a)).toThrow(/stale attempt: generation 0/);
    expect(() => pool.release(a)).toThrow(/stale attempt/);
  });

  it('a call goes back only finished, at its only try, with no try, timer or held retry left', () => {
    const pool = new CallPool();
    const request = new MeshRequest(0, 0, 0, 0, {}, '/');
    const service = { name: 'back' } as ServiceRuntime;
    const c = pool.acquire(request, undefined, service, {} as Proxy);
    request.entry = c;
    c.attempts = 1;
    expect(pool.canRelease(c)).toBe(false);
    expect(() => pool.release(c)).toThrow(/still held \(finished false/);
    c.finished = true;
    c.attempts = 2; // a retried call may have an abandoned try still at a replica
    expect(pool.canRelease(c)).toBe(false);
    c.attempts = 1;
    expect(pool.canRelease(c)).toBe(true);
    c.routeTimer = 7 as never;
    expect(() => pool.release(c)).toThrow(/route timer true/);
    c.routeTimer = undefined;
    pool.release(c);
    expect(request.entry).toBeUndefined();
    expect(() => checkCall(c)).toThrow(/stale call: generation 0/);
    expect(() => pool.release(c)).toThrow(/released twice/);
    const d = pool.acquire(request, undefined, service, {} as Proxy);
    expect([d === c, d.live, d.generation, d.finished, d.attempts]).toEqual([true, true, 1, false, 0]);
  });

  it('a request goes back only answered, with every call made for it back, and comes out reset', () => {
    const requests = new RequestPool();
    const calls = new CallPool();
    const service = { name: 'back' } as ServiceRuntime;
    const r = requests.acquire(7, 1, 2, 30, { a: 'b' }, '/x');
    const entry = calls.acquire(r, undefined, service, {} as Proxy);
    const child = calls.acquire(r, undefined, service, {} as Proxy);
    r.entry = entry;
    expect(r.calls).toBe(2);
    expect(requests.canRelease(r)).toBe(false);
    expect(() => requests.release(r)).toThrow(/still held \(done false, calls 2/);
    r.done = true;
    for (const c of [child, entry]) {
      c.finished = true;
      c.attempts = 1;
      expect(requests.canRelease(r)).toBe(false); // a call not back yet may still read it
      calls.release(c);
    }
    expect([r.calls, r.entry, requests.canRelease(r)]).toEqual([0, undefined, true]);
    r.clientTimeout = {} as never;
    expect(() => requests.release(r)).toThrow(/client timeout true/);
    r.clientTimeout = undefined;
    requests.release(r);
    expect(() => checkRequest(r)).toThrow(/stale request 7: generation 0/);
    expect(() => requests.release(r)).toThrow(/released twice/);
    const s = requests.acquire(8, 0, 1, 50, {}, '/');
    expect(s).toBe(r);
    expect([s.live, s.generation, s.id, s.traffic, s.clientCluster, s.startMs, s.uri]).toEqual([
      true,
      1,
      8,
      0,
      1,
      50,
      '/',
    ]);
    expect([
      s.done,
      s.calls,
      s.entry,
      s.responseCode,
      s.responseFlags,
      s.clustersCrossed,
      s.attempts,
    ]).toEqual([false, 0, undefined, 0, 0, 0, 1]);
  });

  it('a request whose call is left to the garbage collector is never reused (an abandoned try may still read it)', () => {
    const requests = new RequestPool();
    const calls = new CallPool();
    const r = requests.acquire(1, 0, 0, 0, {}, '/');
    calls.acquire(r, undefined, { name: 'back' } as ServiceRuntime, {} as Proxy); // never released
    r.done = true;
    expect(requests.canRelease(r)).toBe(false);
  });

  it('in a run, tries, calls and requests are reused: objects created stay near those in flight, not those made', () => {
    const attemptPools = new Set<AttemptPool>();
    const callPools = new Set<CallPool>();
    const requestPools = new Set<RequestPool>();
    const acquireRequest = RequestPool.prototype.acquire;
    vi.spyOn(RequestPool.prototype, 'acquire').mockImplementation(function (this: RequestPool, ...args) {
      requestPools.add(this);
      return acquireRequest.apply(this, args);
    });
    const acquire = AttemptPool.prototype.acquire;
    vi.spyOn(AttemptPool.prototype, 'acquire').mockImplementation(function (this: AttemptPool, c) {
      attemptPools.add(this);
      return acquire.call(this, c);
    });
    const acquireCall = CallPool.prototype.acquire;
    vi.spyOn(CallPool.prototype, 'acquire').mockImplementation(function (this: CallPool, r, p, s, x) {
      callPools.add(this);
      return acquireCall.call(this, r, p, s, x);
    });
    const r = record(`
name: pool
duration: 10s
clusters: [{ name: a, region: r1, zones: [a1, a2] }]
services:
  - { name: front, deployments: [{ cluster: a, replicas: 2 }], serviceTime: 2ms, calls: [{ service: back }] }
  - { name: back, deployments: [{ cluster: a, replicas: 2 }], serviceTime: { dist: exponential, mean: 5ms } }
traffic: [{ name: web, entry: front, from: { a: 100% }, rate: 500/s }]
models: [{ name: mp, controlPlane: multi-primary }]
`);
    r.runUntil(20_000);
    expect(r.calls.length).toBeGreaterThan(8_000);
    expect([attemptPools.size, callPools.size]).toEqual([1, 1]);
    const [pool] = [...attemptPools] as [AttemptPool];
    const [calls] = [...callPools] as [CallPool];
    expect(pool.created + pool.reused).toBe(r.calls.length);
    expect(calls.created + calls.reused).toBe(r.calls.length);
    // 1,000 calls/s of about 10 ms each: some ten in flight at a time.
    expect(pool.created).toBeLessThan(100);
    expect(calls.created).toBeLessThan(100);
    expect(requestPools.size).toBe(1);
    const [requests] = [...requestPools] as [RequestPool];
    expect(requests.created + requests.reused).toBe(r.requests.length);
    expect(requests.created).toBeLessThan(100);
  });
});
