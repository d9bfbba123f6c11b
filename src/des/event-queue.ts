/**
 * The pending-event set: a binary min-heap ordered by (time, priority, sequence).
 *
 * The sequence number is strictly increasing per schedule, so the order is total and deterministic, and
 * events with equal time and priority come out first-in first-out (SimPy's `eid` counter).
 *
 * Layout, for speed (see shared/design/performance-anchors.md): events live in slots of parallel arrays
 * (typed arrays for numbers), the heap holds slot numbers, sifting moves holes instead of swapping, and a
 * free list recycles slots, so scheduling allocates nothing once the arrays have grown. Each slot knows its
 * heap position, which makes `cancel` an O(log n) removal instead of a tombstone that could leak.
 */
import { SimulationError } from './errors.js';
import type { SimTime } from './sim-time.js';

/** What runs when an event fires: a stable function (not a closure made per event) and its data. */
export type EventHandler<T> = (data: T) => void;

/** Identifies a scheduled event for `cancel`; stale ids (fired or cancelled) are recognised and refused. */
export type EventId = number;

// A slot's generation is folded into its id so that an id outlives neither its event nor a slot reuse.
const SLOT_BITS = 2 ** 26;
const PRIORITY_SPAN = 2 ** 44;

export class EventQueue {
  private capacity = 0;
  private heap = new Int32Array(0);
  private time = new Float64Array(0);
  /** priority * 2^44 + sequence: one number compares both. */
  private order = new Float64Array(0);
  private pos = new Int32Array(0);
  private generation = new Uint32Array(0);
  private handlers: (EventHandler<never> | undefined)[] = [];
  private payloads: unknown[] = [];
  private free = new Int32Array(0);
  private freeCount = 0;
  private used = 0;
  private seq = 0;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.grow(Math.max(16, initialCapacity));
  }

  /** Number of pending events. */
  get size(): number {
    return this.count;
  }

  /** Time of the next event, or `Infinity` when none is pending. */
  peekTime(): SimTime {
    return this.count === 0 ? Infinity : (this.time[this.heap[0] as number] as number);
  }

  /** Adds an event; `priority` is a small non-negative integer, lower first among equal times. */
  push<T>(time: SimTime, priority: number, handler: EventHandler<T>, data: T): EventId {
    if (this.count === this.capacity) this.grow(this.capacity * 2);
    let slot: number;
    if (this.freeCount > 0) slot = this.free[--this.freeCount] as number;
    else slot = this.used++;
    this.time[slot] = time;
    this.order[slot] = priority * PRIORITY_SPAN + this.seq++;
    this.handlers[slot] = handler as EventHandler<never>;
    this.payloads[slot] = data;
    this.siftUp(this.count++, slot);
    return (this.generation[slot] as number) * SLOT_BITS + slot;
  }

  /**
   * Removes the earliest event and hands it to `visit` (time, handler, data) without allocating.
   * Returns false when the queue is empty.
   */
  popInto(visit: PoppedEvent): boolean {
    if (this.count === 0) return false;
    const slot = this.heap[0] as number;
    visit.time = this.time[slot] as number;
    visit.handler = this.handlers[slot] as EventHandler<unknown>;
    visit.data = this.payloads[slot];
    this.removeAt(0);
    this.release(slot);
    return true;
  }

  /** Cancels a pending event; returns false if it already fired or was cancelled. */
  cancel(id: EventId): boolean {
    const slot = id % SLOT_BITS;
    const gen = (id - slot) / SLOT_BITS;
    if (slot >= this.used || this.generation[slot] !== gen || this.handlers[slot] === undefined) return false;
    this.removeAt(this.pos[slot] as number);
    this.release(slot);
    return true;
  }

  private release(slot: number): void {
    this.handlers[slot] = undefined;
    this.payloads[slot] = undefined;
    this.generation[slot] = ((this.generation[slot] as number) + 1) % 2 ** 27;
    this.free[this.freeCount++] = slot;
  }

  private removeAt(index: number): void {
    const last = this.heap[--this.count] as number;
    if (index === this.count) return;
    // The moved element may need to go either way when removing from the middle.
    if (index > 0 && this.less(last, this.heap[(index - 1) >> 1] as number)) this.siftUp(index, last);
    else this.siftDown(index, last);
  }

  private less(a: number, b: number): boolean {
    const ta = this.time[a] as number;
    const tb = this.time[b] as number;
    return ta < tb || (ta === tb && (this.order[a] as number) < (this.order[b] as number));
  }

  private siftUp(index: number, slot: number): void {
    const heap = this.heap;
    const pos = this.pos;
    let i = index;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex] as number;
      if (!this.less(slot, parent)) break;
      heap[i] = parent;
      pos[parent] = i;
      i = parentIndex;
    }
    heap[i] = slot;
    pos[slot] = i;
  }

  private siftDown(index: number, slot: number): void {
    const heap = this.heap;
    const pos = this.pos;
    const n = this.count;
    let i = index;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.less(heap[right] as number, heap[child] as number)) child = right;
      const c = heap[child] as number;
      if (!this.less(c, slot)) break;
      heap[i] = c;
      pos[c] = i;
      i = child;
    }
    heap[i] = slot;
    pos[slot] = i;
  }

  private grow(capacity: number): void {
    if (capacity > SLOT_BITS) throw new SimulationError(`EventQueue: more than ${SLOT_BITS} pending events`);
    const copy = <A extends Int32Array | Float64Array | Uint32Array>(old: A, fresh: A): A => {
      fresh.set(old);
      return fresh;
    };
    this.heap = copy(this.heap, new Int32Array(capacity));
    this.time = copy(this.time, new Float64Array(capacity));
    this.order = copy(this.order, new Float64Array(capacity));
    this.pos = copy(this.pos, new Int32Array(capacity));
    this.generation = copy(this.generation, new Uint32Array(capacity));
    this.free = copy(this.free, new Int32Array(capacity));
    this.capacity = capacity;
  }
}

/** A reusable record that `popInto` fills, so the run loop allocates nothing per event. */
export interface PoppedEvent {
  time: SimTime;
  handler: EventHandler<unknown>;
  data: unknown;
}
