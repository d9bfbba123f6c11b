/**
 * A view's own per-host state (upstream.ts): active-request counts (one host inline, the others in a
 * table) and pooled connections (a bitset in the view up to 4,096 hosts, a ConnectedHosts beyond), checked
 * against a plain Map and Set through random starts, ends and connection changes, and carried over by
 * host key to the view that replaces it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Upstream } from '../../src/mesh/upstream.js';
import { PrioritySet } from '../../src/mesh/priority-set.js';
import type { Proxy } from '../../src/mesh/proxy.js';
import { effectiveTrafficPolicy } from '../../src/mesh/traffic/effective-traffic-policy.js';
import { Admission, ConnectionPool, UNLIMITED } from '../../src/mesh/traffic/connection-pool.js';
import { ConnectionRows } from '../../src/mesh/connected-hosts.js';
import { unlimitedPool } from '../helpers/connection-pool.js';
import { testEndpoint } from '../helpers/endpoint.js';

/** A view of hosts with the given keys (state only: no pick is made). */
function view(keys: readonly number[], version = 0, rows?: ConnectionRows): Upstream {
  const hosts = keys.map((k) => ({
    host: testEndpoint(k, { latency: { sampler: undefined, stream: k } } as unknown as Proxy),
    weight: 1,
    priority: 0,
    locality: -1,
    localityWeight: 0,
  }));
  const set = new PrioritySet(hosts, effectiveTrafficPolicy(undefined), Int32Array.from(keys));
  return new Upstream(set, version, { next: () => 0 }, 0, undefined, unlimitedPool(), rows);
}

/** A view of two hosts over `pool`. */
function viewWith(pool: ConnectionPool): Upstream {
  const u = view([1, 2]);
  return new Upstream(u.set, 0, { next: () => 0 }, 0, undefined, pool);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** An operation on host `x % hosts`: start, end, connect or disconnect. */
type Op = [number, 'start' | 'end' | 'connect' | 'reset'];

describe('mesh/upstream per-host state', () => {
  it('answers as a Map of counts and a Set of connections, for small and large views', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 4090, max: 6000 })),
        // Long runs (fast-check's default size keeps arrays near 10): hosts leave and retake the inline entry.
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('start', 'end', 'connect', 'reset')), {
          maxLength: 300,
          size: 'max',
        }),
        fc.boolean(),
        (n, ops: Op[], shared) => {
          const u = view(range(n), 0, shared ? new ConnectionRows() : undefined);
          const active = new Map<number, number>();
          const connected = new Set<number>();
          // Few hosts at a time, so the inline entry is shared, freed and retaken.
          for (const [x, op] of ops) {
            const h = x % Math.min(n, 7);
            if (op === 'start') u.started(h);
            else if (op === 'end') u.finished(h);
            else u.setConnected(h, op === 'connect');
            if (op === 'start' || op === 'end')
              active.set(h, (active.get(h) ?? 0) + (op === 'start' ? 1 : -1));
            else if (op === 'connect') connected.add(h);
            else connected.delete(h);
            expect(u.activeRequests(h)).toBe(active.get(h) ?? 0);
            expect(u.isConnected(h)).toBe(connected.has(h));
          }
          for (let h = 0; h < Math.min(n, 10); h++) {
            expect(u.activeRequests(h)).toBe(active.get(h) ?? 0);
            expect(u.isConnected(h)).toBe(connected.has(h));
          }
          expect(u.touchedHosts).toEqual({
            active: [...active.values()].filter((c) => c !== 0).length,
            connected: connected.size,
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the view that replaces it starts from the same counts and connections, by host key', () => {
    const before = view([10, 11, 12, 13]);
    before.started(0);
    before.started(2);
    before.started(2);
    before.finished(3); // ended on a view that never counted it: -1, as the dense counts had it
    before.setConnected(1, true);
    before.setConnected(2, true);
    // Host 11 left, host 14 came, the others moved.
    const after = view([13, 12, 14, 10], 1);
    after.inherit(before);
    expect([0, 1, 2, 3].map((h) => after.activeRequests(h))).toEqual([-1, 2, 0, 1]);
    expect([0, 1, 2, 3].map((h) => after.isConnected(h))).toEqual([false, true, false, false]);
    // A try started on the old view ends on the new one.
    before.finished(2);
    expect(after.activeRequests(1)).toBe(1);
    expect(before.activeRequests(2)).toBe(2);
  });

  it('a current view keeps its connections in a shared row; the view it replaced gets its own copy', () => {
    const rows = new ConnectionRows();
    const before = view(range(100), 0, rows);
    const other = view(range(100), 0, rows);
    expect(rows.rows).toBe(0); // nothing connected yet: no row
    before.setConnected(3, true);
    before.setConnected(70, true);
    other.setConnected(5, true);
    expect(rows.rows).toBe(2);
    const after = view(range(100), 1, rows);
    after.inherit(before);
    // before's row went back and was reused by a view of the same size, zeroed.
    expect(rows.rows).toBe(2);
    const third = view(range(100), 0, rows);
    third.setConnected(9, true);
    expect(rows.rows).toBe(3);
    expect([3, 70, 9].map((h) => after.isConnected(h))).toEqual([true, true, false]);
    expect([3, 70, 9].map((h) => third.isConnected(h))).toEqual([false, false, true]);
    // The replaced view answers from its own copy, and a reset there touches no other view.
    expect([3, 70, 9].map((h) => before.isConnected(h))).toEqual([true, true, false]);
    before.setConnected(3, false);
    expect([before.isConnected(3), after.isConnected(3), other.isConnected(5)]).toEqual([false, true, true]);
  });

  it('refuses a row larger than a chunk', () => {
    expect(() => new ConnectionRows().allocate(0)).toThrow(RangeError);
    expect(() => new ConnectionRows().allocate(70_000)).toThrow(RangeError);
  });

  it('counts admissions in the pool only when it limits connections or requests', () => {
    const limited = (maxConnections: number, http2MaxRequests: number) => ({
      maxConnections,
      http1MaxPendingRequests: 1,
      http2MaxRequests,
      maxRetries: 5,
    });
    expect(unlimitedPool().limitsAdmission).toBe(false);
    expect(new ConnectionPool(limited(UNLIMITED, UNLIMITED), false).limitsAdmission).toBe(false);
    expect(new ConnectionPool(limited(3, UNLIMITED), false).limitsAdmission).toBe(true);
    expect(new ConnectionPool(limited(UNLIMITED, 3), true).limitsAdmission).toBe(true);
    // Unlimited: every try admitted, nothing counted, nothing ever pending; the retry budget still counts.
    const open = new ConnectionPool(limited(UNLIMITED, UNLIMITED), false);
    const u = viewWith(open);
    for (let i = 0; i < 1000; i++) expect(u.admit()).toBe(Admission.admitted);
    expect(u.releaseAdmission()).toBe(false);
    expect(open.active).toBe(0);
    expect(() => u.cancelPending()).toThrow(/admits all/);
    expect(u.admissionState.tryAdmitRetry()).toBe(true);
    expect(open.retries).toBe(1);
    // Limited: as the pool decides (2 connections, 1 pending, then overflow).
    const tight = new ConnectionPool(limited(2, UNLIMITED), false);
    const v = viewWith(tight);
    expect([v.admit(), v.admit(), v.admit(), v.admit()]).toEqual([
      Admission.admitted,
      Admission.admitted,
      Admission.pending,
      Admission.overflow,
    ]);
    expect(v.releaseAdmission()).toBe(true); // the pending one takes the freed connection
    expect([tight.active, tight.pending]).toEqual([2, 0]);
  });

  it('refuses a host outside the view and a negative start', () => {
    expect(() => view([1, 2]).setConnected(2, true)).toThrow(/outside the view/);
    expect(() => view([1, 2]).started(-1)).toThrow(RangeError);
  });
});
