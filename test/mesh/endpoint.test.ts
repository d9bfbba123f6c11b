import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Acquire, Resource } from '../../src/des/index.js';
import { Endpoint, type Proxy } from '../../src/mesh/index.js';

const pod = (concurrency: number, queueLimit = Infinity) =>
  new Endpoint({
    id: 7,
    service: 1,
    cluster: 2,
    zone: 3,
    labels: {},
    sidecar: {} as Proxy,
    concurrency,
    queueLimit,
    deployment: 4,
  });

describe('mesh/endpoint: worker slots', () => {
  it('lays out what a try reads first (V8 keeps the order fields are set in)', () => {
    // Own string keys enumerate in insertion order, V8's in-object layout order (endpoint.ts, Layout).
    expect(Object.keys(pod(1)).slice(0, 6)).toEqual([
      'load',
      'capacity',
      'service',
      'cluster',
      'zone',
      'sidecar',
    ]);
    // The deployment's index after them, where the recorder used to read `labels` (endpoint.ts, `deployment`).
    expect(Object.keys(pod(1)).slice(6, 9)).toEqual(['id', 'deployment', 'labels']);
  });

  it('grants, queues in order, refuses past the line, and hands a freed slot to the oldest waiter', () => {
    const e = pod(2, 2);
    const ran: number[] = [];
    const h = (n: number) => ran.push(n);
    expect(e.acquire(h, 1)).toBe(Acquire.GRANTED);
    expect(e.acquire(h, 2)).toBe(Acquire.GRANTED);
    expect(e.acquire(h, 3)).toBe(Acquire.QUEUED);
    expect(e.acquire(h, 4)).toBe(Acquire.QUEUED);
    expect(e.acquire(h, 5)).toBe(Acquire.REJECTED);
    expect([e.inUse, e.queued]).toEqual([2, 2]);
    e.release();
    expect(ran).toEqual([3]);
    expect([e.inUse, e.queued]).toEqual([2, 1]);
    e.release();
    e.release();
    expect(ran).toEqual([3, 4]);
    expect([e.inUse, e.queued]).toEqual([1, 0]);
    e.release();
    expect(() => e.release()).toThrow(/no worker slot/);
  });

  it('refuses a concurrency that is not a positive integer and a negative line', () => {
    expect(() => pod(0)).toThrow(/concurrency/);
    expect(() => pod(1.5)).toThrow(/concurrency/);
    expect(() => pod(1, -1)).toThrow(/queueLimit/);
  });

  it('property: behaves as a des Resource of the same capacity and line, step for step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        fc.array(fc.boolean(), { maxLength: 200 }),
        (capacity, queueLimit, ops) => {
          const e = pod(capacity, queueLimit);
          const r = new Resource(capacity, queueLimit ?? Infinity);
          const ranE: number[] = [];
          const ranR: number[] = [];
          ops.forEach((acquire, n) => {
            if (acquire) {
              expect(e.acquire((k: number) => ranE.push(k), n)).toBe(
                r.acquire((k: number) => ranR.push(k), n),
              );
            } else if (r.inUse > 0) {
              e.release();
              r.release();
            }
            expect([e.inUse, e.queued]).toEqual([r.inUse, r.queued]);
          });
          expect(ranE).toEqual(ranR);
        },
      ),
      { numRuns: 300 },
    );
  });
});
