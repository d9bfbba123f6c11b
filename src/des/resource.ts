/**
 * A capacity-limited resource with a FIFO waiting line and an optional limit on that line: a server's
 * worker slots, a connection pool. (Named `acquire`/`release`: "request" means an HTTP request here.)
 *
 * When a slot is free `acquire` returns `Acquire.GRANTED` and the caller simply continues: no event is
 * scheduled, which keeps the common path cheap. Otherwise the waiter is queued and its handler runs inside
 * the `release` that frees a slot for it, at that same simulated instant. The line is a ring buffer, not an
 * array with `shift`, so queueing is O(1).
 */
import { SimulationError } from './errors.js';
import type { EventHandler } from './event-queue.js';

export const Acquire = {
  GRANTED: 0,
  QUEUED: 1,
  /** The waiting line is full: the caller decides what overflow means (Envoy: 503 UO). */
  REJECTED: 2,
} as const;
export type Acquire = (typeof Acquire)[keyof typeof Acquire];

/** The line of a resource nobody has waited for yet (never written: the first waiter grows the line). */
const NO_LINE: undefined[] = [];

export class Resource {
  private busy = 0;
  private head = 0;
  private length = 0;
  private waitHandlers: (EventHandler<never> | undefined)[];
  private waitData: unknown[];

  constructor(
    readonly capacity: number,
    readonly queueLimit: number = Infinity,
  ) {
    if (!(Number.isInteger(capacity) && capacity > 0)) {
      throw new SimulationError(`Resource: capacity must be a positive integer, got ${capacity}`);
    }
    if (!(queueLimit >= 0)) throw new SimulationError(`Resource: queueLimit must be >= 0, got ${queueLimit}`);
    // The line is allocated when the first waiter queues: a mesh has one Resource per pod, most of which
    // never queue, and two 16-slot arrays each were a tenth of a 25,000-pod mesh's heap.
    this.waitHandlers = NO_LINE;
    this.waitData = NO_LINE;
  }

  /** Slots in use. */
  get inUse(): number {
    return this.busy;
  }

  /** Waiters in line. */
  get queued(): number {
    return this.length;
  }

  /** Takes a slot now, or queues `onGranted(data)` to run when one frees up, or refuses if the line is full. */
  acquire<T>(onGranted: EventHandler<T>, data: T): Acquire {
    if (this.busy < this.capacity) {
      this.busy++;
      return Acquire.GRANTED;
    }
    if (this.length >= this.queueLimit) return Acquire.REJECTED;
    if (this.length === this.waitHandlers.length) this.growLine();
    const tail = (this.head + this.length) % this.waitHandlers.length;
    this.waitHandlers[tail] = onGranted as EventHandler<never>;
    this.waitData[tail] = data;
    this.length++;
    return Acquire.QUEUED;
  }

  /** Frees a slot; the longest waiter, if any, takes it over and its handler runs now. */
  release(): void {
    if (this.busy === 0) throw new SimulationError('Resource.release: no slot is in use');
    if (this.length === 0) {
      this.busy--;
      return;
    }
    const handler = this.waitHandlers[this.head] as EventHandler<unknown>;
    const data = this.waitData[this.head];
    this.waitHandlers[this.head] = undefined;
    this.waitData[this.head] = undefined;
    this.head = (this.head + 1) % this.waitHandlers.length;
    this.length--;
    handler(data);
  }

  /**
   * Drops every waiter whose data matches `predicate` (e.g. requests whose deadline passed) and returns
   * how many left the line.
   */
  abandon(predicate: (data: unknown) => boolean): number {
    const size = this.waitHandlers.length;
    let kept = 0;
    for (let k = 0; k < this.length; k++) {
      const i = (this.head + k) % size;
      if (predicate(this.waitData[i])) continue;
      const j = (this.head + kept) % size;
      this.waitHandlers[j] = this.waitHandlers[i];
      this.waitData[j] = this.waitData[i];
      kept++;
    }
    for (let k = kept; k < this.length; k++) {
      const i = (this.head + k) % size;
      this.waitHandlers[i] = undefined;
      this.waitData[i] = undefined;
    }
    const dropped = this.length - kept;
    this.length = kept;
    return dropped;
  }

  private growLine(): void {
    const size = this.waitHandlers.length;
    const grown = Math.max(16, size * 2);
    const handlers = new Array<EventHandler<never> | undefined>(grown).fill(undefined);
    const data = new Array<unknown>(grown).fill(undefined);
    for (let k = 0; k < this.length; k++) {
      handlers[k] = this.waitHandlers[(this.head + k) % size];
      data[k] = this.waitData[(this.head + k) % size];
    }
    this.waitHandlers = handlers;
    this.waitData = data;
    this.head = 0;
  }
}
