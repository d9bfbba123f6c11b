import { describe, expect, it } from 'vitest';
import { Admission, ConnectionPool, UNLIMITED } from '../../../src/mesh/traffic/connection-pool.js';
import { unlimitedPool } from '../../helpers/connection-pool.js';

const limits = (
  maxConnections: number,
  http1MaxPendingRequests: number,
  http2MaxRequests: number,
  maxRetries = UNLIMITED,
) => ({
  maxConnections,
  http1MaxPendingRequests,
  http2MaxRequests,
  maxRetries,
});

describe('mesh/traffic/connection-pool', () => {
  it('unlimitedPool(), Istio default limits of 2^32-1 each, admits everything', () => {
    const p = unlimitedPool();
    expect([p.maxConnections, p.maxPending, p.maxRequests, p.maxRetries]).toEqual([
      4_294_967_295, 4_294_967_295, 4_294_967_295, 4_294_967_295,
    ]);
    for (let i = 0; i < 10_000; i++) expect(p.tryAdmit()).toBe(Admission.admitted);
    expect(p.active).toBe(10_000);
  });

  it('tryAdmit() over HTTP/1.1: busy connections make requests pend, then overflow (503 UO)', () => {
    // 2 connections, 1 pending slot: admitted, admitted, pending, overflow.
    const p = new ConnectionPool(limits(2, 1, UNLIMITED), false);
    expect([p.tryAdmit(), p.tryAdmit(), p.tryAdmit(), p.tryAdmit()]).toEqual([
      Admission.admitted,
      Admission.admitted,
      Admission.pending,
      Admission.overflow,
    ]);
    expect(p.overflows).toBe(1);
    // A finished request hands its connection to the pending one.
    expect(p.release()).toBe(true);
    expect([p.active, p.pending]).toEqual([2, 0]);
    expect(p.release()).toBe(false);
  });

  it('tryAdmit() overflows beyond http2MaxRequests active requests', () => {
    const p = new ConnectionPool(limits(UNLIMITED, UNLIMITED, 2), true);
    expect([p.tryAdmit(), p.tryAdmit(), p.tryAdmit()]).toEqual([
      Admission.admitted,
      Admission.admitted,
      Admission.overflow,
    ]);
    p.release();
    expect(p.tryAdmit()).toBe(Admission.admitted);
  });

  it('tryAdmit() over HTTP/2 never pends: connections are shared', () => {
    const p = new ConnectionPool(limits(1, 0, 10), true);
    expect([p.tryAdmit(), p.tryAdmit()]).toEqual([Admission.admitted, Admission.admitted]);
  });

  it('cancelPending() frees a pending slot', () => {
    const p = new ConnectionPool(limits(1, 1, UNLIMITED), false);
    p.tryAdmit();
    expect(p.tryAdmit()).toBe(Admission.pending);
    expect(p.tryAdmit()).toBe(Admission.overflow);
    p.cancelPending();
    expect(p.tryAdmit()).toBe(Admission.pending);
  });

  it('tryAdmitRetry() enforces maxRetries until releaseRetry()', () => {
    const p = new ConnectionPool(limits(UNLIMITED, UNLIMITED, UNLIMITED, 1), false);
    expect(p.tryAdmitRetry()).toBe(true);
    expect(p.tryAdmitRetry()).toBe(false);
    p.releaseRetry();
    expect(p.tryAdmitRetry()).toBe(true);
  });
});
