import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine, Priority, SimulationError } from '../../src/des/index.js';

/** SimPy-style trace: every handler appends [name, now]. */
function traced(engine: Engine) {
  const log: [string, number][] = [];
  const record = (name: string) => log.push([name, engine.now]);
  return { log, record };
}

describe('des/engine', () => {
  it('run() processes events in time order and FIFO among equal times', () => {
    const engine = new Engine();
    const { log, record } = traced(engine);
    engine.schedule(5, record, 'c');
    engine.schedule(1, record, 'a');
    engine.schedule(5, record, 'd');
    engine.schedule(1, record, 'b');
    engine.schedule(0, record, 'now');
    engine.run();
    expect(log).toEqual([
      ['now', 0],
      ['a', 1],
      ['b', 1],
      ['c', 5],
      ['d', 5],
    ]);
  });

  it('schedule(priority) orders equal times by priority before scheduling order', () => {
    const engine = new Engine();
    const { log, record } = traced(engine);
    engine.schedule(2, record, 'late', Priority.LATE);
    engine.schedule(2, record, 'normal');
    engine.schedule(2, record, 'urgent', Priority.URGENT);
    engine.run();
    expect(log.map(([n]) => n)).toEqual(['urgent', 'normal', 'late']);
  });

  it('events scheduled by a handler at the same instant run after those already pending', () => {
    const engine = new Engine();
    const { log, record } = traced(engine);
    engine.schedule(
      1,
      () => {
        record('first');
        engine.schedule(0, record, 'spawned');
      },
      undefined,
    );
    engine.schedule(1, record, 'second');
    engine.run();
    expect(log).toEqual([
      ['first', 1],
      ['second', 1],
      ['spawned', 1],
    ]);
  });

  it('cancel(id) removes a pending event and refuses fired, cancelled or recycled ids', () => {
    const engine = new Engine();
    const { log, record } = traced(engine);
    const a = engine.schedule(1, record, 'a');
    const b = engine.schedule(2, record, 'b');
    engine.schedule(3, record, 'c');
    expect(engine.cancel(b)).toBe(true);
    expect(engine.cancel(b)).toBe(false);
    engine.run(1.5);
    expect(engine.cancel(a)).toBe(false);
    // The freed slot is reused by this event; the stale id of 'a' must not cancel it.
    engine.schedule(1, record, 'd');
    expect(engine.cancel(a)).toBe(false);
    engine.run();
    expect(log).toEqual([
      ['a', 1],
      ['d', 2.5],
      ['c', 3],
    ]);
  });

  it('run(until) stops before events at `until` and leaves the clock at `until`', () => {
    const engine = new Engine();
    const { log, record } = traced(engine);
    engine.schedule(1, record, 'a');
    engine.schedule(2, record, 'b');
    engine.schedule(3, record, 'c');
    engine.run(2);
    expect(log).toEqual([['a', 1]]);
    expect(engine.now).toBe(2);
    expect(engine.pending).toBe(2);
    engine.run(10);
    expect(log.map(([n]) => n)).toEqual(['a', 'b', 'c']);
    expect(engine.now).toBe(10);
  });

  it('stop() ends run() after the current event', () => {
    const engine = new Engine();
    const { log, record } = traced(engine);
    engine.schedule(
      1,
      () => {
        record('stopper');
        engine.stop();
      },
      undefined,
    );
    engine.schedule(2, record, 'after');
    engine.run(100);
    expect(log).toEqual([['stopper', 1]]);
    expect(engine.now).toBe(1);
  });

  it('step() runs exactly one event and returns false when empty', () => {
    const engine = new Engine();
    const { log, record } = traced(engine);
    engine.schedule(4, record, 'x');
    expect(engine.step()).toBe(true);
    expect(engine.step()).toBe(false);
    expect(log).toEqual([['x', 4]]);
  });

  it('post() is schedule() without an id: same time, priority and scheduling order among both', () => {
    const engine = new Engine();
    const { log, record } = traced(engine);
    engine.post(2, record, 'post-late', Priority.LATE);
    engine.schedule(2, record, 'schedule');
    engine.post(2, record, 'post');
    engine.post(1, record, 'first');
    expect(engine.post(0, record, 'now')).toBeUndefined();
    engine.run();
    expect(log).toEqual([
      ['now', 0],
      ['first', 1],
      ['schedule', 2],
      ['post', 2],
      ['post-late', 2],
    ]);
    expect(() => engine.post(-1, record, 'x')).toThrow(SimulationError);
    expect(() => engine.post(NaN, record, 'x')).toThrow(SimulationError);
  });

  it('schedule() rejects negative and NaN delays; handler errors end the run', () => {
    const engine = new Engine();
    expect(() => engine.schedule(-1, () => {}, undefined)).toThrow(SimulationError);
    expect(() => engine.schedule(NaN, () => {}, undefined)).toThrow(SimulationError);
    engine.schedule(
      1,
      () => {
        throw new Error('model bug');
      },
      undefined,
    );
    expect(() => engine.run()).toThrow('model bug');
  });

  it('property: any mix of schedules and cancels fires the survivors sorted by (time, priority, order)', () => {
    const op = fc.record({
      delay: fc.integer({ min: 0, max: 20 }),
      priority: fc.constantFrom(Priority.URGENT, Priority.NORMAL, Priority.LATE),
      cancel: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const engine = new Engine(16);
        const fired: number[] = [];
        const ids = ops.map((o, i) => engine.schedule(o.delay, (k: number) => fired.push(k), i, o.priority));
        ops.forEach((o, i) => {
          if (o.cancel) expect(engine.cancel(ids[i] as number)).toBe(true);
        });
        const times: number[] = [];
        while (engine.step()) times.push(engine.now);
        const expected = ops
          .map((o, i) => ({ ...o, i }))
          .filter((o) => !o.cancel)
          .sort((x, y) => x.delay - y.delay || x.priority - y.priority || x.i - y.i)
          .map((o) => o.i);
        expect(fired).toEqual(expected);
        for (let k = 1; k < times.length; k++)
          expect(times[k]).toBeGreaterThanOrEqual(times[k - 1] as number);
      }),
      { numRuns: 300 },
    );
  });

  it('property: interleaved scheduling while running never lets time go backwards', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (delays) => {
          const engine = new Engine(16);
          let last = 0;
          let k = 0;
          const handler = (): void => {
            expect(engine.now).toBeGreaterThanOrEqual(last);
            last = engine.now;
            if (k < delays.length) engine.schedule(delays[k++] as number, handler, undefined);
          };
          engine.schedule(0, handler, undefined);
          engine.schedule(0, handler, undefined);
          engine.run();
          expect(k).toBe(delays.length);
        },
      ),
    );
  });
});
