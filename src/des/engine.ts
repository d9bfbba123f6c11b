/**
 * The simulation engine: a clock and the pending-event set (SimPy's `Environment`, renamed because Istio
 * already has a `model.Environment`).
 *
 * An event is a handler and its data, scheduled at a time. Handlers are plain functions that the model
 * creates once (not per event), so the hot loop allocates nothing. Failures inside a handler are not
 * swallowed: they end the run (SimPy: "failed events are never silently ignored").
 */
import { SimulationError } from './errors.js';
import { EventQueue, type EventHandler, type EventId, type PoppedEvent } from './event-queue.js';
import type { SimTime } from './sim-time.js';

/** Priorities among events at the same time; lower runs first. */
export const Priority = {
  /** Kernel-level bookkeeping that must precede model events at the same instant. */
  URGENT: 0,
  NORMAL: 1,
  /** Observation that should see the state after every model event at that instant. */
  LATE: 2,
} as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

export class Engine {
  /** Starts as -0 for V8's sake, set to 0 in the constructor (see `EventQueue`'s `farFrom`). */
  private clock: SimTime = -0;
  private readonly queue: EventQueue;
  /** Compared with `false`, not tested bare: see `EventQueue`'s `calendar`. */
  private stopped = false;
  /** Events processed so far (for throughput measurements). */
  processed = 0;
  /** `time` starts as -0, a double, for V8's sake (see `EventQueue`'s `farFrom`); popInto sets it first. */
  private readonly popped: PoppedEvent = { time: -0, handler: noop, data: undefined };

  constructor(initialCapacity = 1024) {
    this.queue = new EventQueue(initialCapacity);
    this.clock = 0;
  }

  /** The current simulated time. */
  get now(): SimTime {
    return this.clock;
  }

  /** Number of events still pending. */
  get pending(): number {
    return this.queue.size;
  }

  /** Time of the next event, or `Infinity` if none is pending. */
  peek(): SimTime {
    return this.queue.peekTime();
  }

  /** Schedules `handler(data)` after `delay` ms. Equal times run in (priority, scheduling order). */
  schedule<T>(
    delay: SimTime,
    handler: EventHandler<T>,
    data: T,
    priority: Priority = Priority.NORMAL,
  ): EventId {
    // `!(delay >= 0)` also rejects NaN, which would silently corrupt the heap order.
    if (!(delay >= 0)) throw negativeDelay(delay);
    return this.queue.push(this.clock + delay, priority, handler, data);
  }

  /**
   * `schedule` for an event that will never be cancelled. An id passes 2^30, V8's small-integer range, once
   * its slot has been reused 16 times (generation x 2^26 + slot), and `schedule`, when V8 does not inline it
   * into its caller, then returns it as a new heap number: 16 bytes per event, nearly always dropped. Here no
   * id leaves the call (`push`, inlined, computes one that is never used).
   */
  post<T>(delay: SimTime, handler: EventHandler<T>, data: T, priority: Priority = Priority.NORMAL): void {
    if (!(delay >= 0)) throw negativeDelay(delay);
    this.queue.push(this.clock + delay, priority, handler, data);
  }

  /** Schedules `handler(data)` at absolute time `time` (not in the past). */
  scheduleAt<T>(
    time: SimTime,
    handler: EventHandler<T>,
    data: T,
    priority: Priority = Priority.NORMAL,
  ): EventId {
    if (!(time >= this.clock)) throw timeBeforeNow(time, this.clock);
    return this.queue.push(time, priority, handler, data);
  }

  /** Cancels a pending event; returns false if it already ran or was already cancelled. */
  cancel(id: EventId): boolean {
    return this.queue.cancel(id);
  }

  /** Runs the next event; returns false when nothing is pending. */
  step(): boolean {
    const e = this.popped;
    if (!this.queue.popInto(e)) return false;
    this.clock = e.time;
    const handler = e.handler;
    const data = e.data;
    e.data = undefined;
    handler(data);
    return true;
  }

  /**
   * Runs events until none is pending, `stop()` is called, or the next event is at or after `until`.
   * As in SimPy's `run(until)`, events scheduled exactly at `until` do not run, and the clock ends at `until`
   * (unless stopped earlier), so consecutive `run(t1)`, `run(t2)` calls partition time cleanly.
   */
  run(until: SimTime = Infinity): void {
    if (until < this.clock)
      throw new SimulationError(`Engine.run: until ${until} is before now (${this.clock})`);
    this.stopped = false;
    const queue = this.queue;
    const e = this.popped;
    while (this.stopped === false && queue.size > 0 && queue.peekTime() < until) {
      queue.popInto(e);
      this.clock = e.time;
      this.processed++;
      const handler = e.handler;
      const data = e.data;
      e.data = undefined;
      handler(data);
    }
    if (this.stopped === false && until !== Infinity) this.clock = until;
  }

  /** Makes the current `run` return after the event being processed. */
  stop(): void {
    this.stopped = true;
  }
}

function noop(): void {}

/** Out of line on purpose, like LogHistogram's guards: inline, the message was formatted on every call. */
function negativeDelay(delay: number): SimulationError {
  return new SimulationError(`Engine.schedule: negative or NaN delay ${delay}`);
}

function timeBeforeNow(time: number, now: number): SimulationError {
  return new SimulationError(`Engine.scheduleAt: time ${time} is before now (${now})`);
}
