import { describe, expect, it } from 'vitest';
import { Acquire, Engine, Resource, SimulationError } from '../../src/des/index.js';

describe('des/resource', () => {
  it('acquire() grants up to capacity, then queues FIFO; release() hands the slot to the oldest waiter', () => {
    const engine = new Engine();
    const server = new Resource(2);
    const log: [string, number][] = [];
    const job = (name: string, serviceMs: number) => {
      const start = (): void => {
        log.push([`${name} start`, engine.now]);
        engine.schedule(
          serviceMs,
          () => {
            log.push([`${name} done`, engine.now]);
            server.release();
          },
          undefined,
        );
      };
      if (server.acquire(start, undefined) === Acquire.GRANTED) start();
    };
    engine.schedule(0, () => job('a', 3), undefined);
    engine.schedule(0, () => job('b', 5), undefined);
    engine.schedule(1, () => job('c', 1), undefined);
    engine.schedule(1, () => job('d', 1), undefined);
    engine.run();
    expect(log).toEqual([
      ['a start', 0],
      ['b start', 0],
      ['a done', 3],
      ['c start', 3],
      ['c done', 4],
      ['d start', 4],
      ['b done', 5],
      ['d done', 5],
    ]);
    expect(server.inUse).toBe(0);
  });

  it('acquire() rejects once the waiting line holds queueLimit waiters', () => {
    const server = new Resource(1, 2);
    const noop = (): void => {};
    expect(server.acquire(noop, 1)).toBe(Acquire.GRANTED);
    expect(server.acquire(noop, 2)).toBe(Acquire.QUEUED);
    expect(server.acquire(noop, 3)).toBe(Acquire.QUEUED);
    expect(server.acquire(noop, 4)).toBe(Acquire.REJECTED);
    expect(server.queued).toBe(2);
  });

  it('the waiting line grows past its initial size and keeps order', () => {
    const server = new Resource(1);
    const served: number[] = [];
    server.acquire(() => {}, -1);
    for (let i = 0; i < 100; i++) server.acquire((k: number) => served.push(k), i);
    for (let i = 0; i < 100; i++) server.release();
    expect(served).toEqual([...Array(100).keys()]);
  });

  it('abandon(predicate) removes matching waiters and keeps the rest in order', () => {
    const server = new Resource(1);
    const served: number[] = [];
    server.acquire(() => {}, -1);
    for (let i = 0; i < 10; i++) server.acquire((k: number) => served.push(k), i);
    expect(server.abandon((k) => (k as number) % 3 === 0)).toBe(4);
    while (server.queued > 0) server.release();
    expect(served).toEqual([1, 2, 4, 5, 7, 8]);
  });

  it('misuse throws: zero capacity, release without acquire', () => {
    expect(() => new Resource(0)).toThrow(SimulationError);
    expect(() => new Resource(1).release()).toThrow(SimulationError);
  });
});
