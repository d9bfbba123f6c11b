/**
 * The far part of the pending-event set: events due long after the clock (a proxy's certificate rotation,
 * hours ahead in a run of minutes), kept out of the heap or calendar that the hot loop works on.
 *
 * In a mesh they are a large share of what is pending and almost never due: 204 of the ~480 events pending in
 * the three-cluster bench are certificate rotations 12-24 simulated hours ahead, and 50,078 of ~50,650 in a
 * mesh of 24,984 pods. In the calendar they would take buckets, lengthen its year and trigger resizes; in the
 * heap they would deepen every sift. Here they sit in a binary heap of their own, which the queue reaches
 * only when its clock comes within reach of them (`EventQueue`'s `farFrom`), so they cost O(log n) twice in
 * their life and nothing in between.
 *
 * They also have slots of their own (time, order, handler, data): an event takes one of the queue's near
 * slots only when it comes near. While far events held near slots, the ~570 near events of a 25,000-pod mesh
 * were spread over ~50,700 slots of the queue's eight parallel arrays, one cache line each per array.
 *
 * The keys are the queue's (time, then priority x 2^44 + scheduling sequence, one order for the whole set),
 * copied here and back unchanged, so moving an event between the parts never changes where it comes out.
 */
import type { EventHandler } from './event-queue.js';
import { grown } from './grown.js';

const NONE = -1;

export class FarEvents {
  private time = new Float64Array(0);
  private order = new Float64Array(0);
  /** Bumped when a slot is released, so a slot's old id is refused after reuse (as the queue's). */
  private generation = new Uint32Array(0);
  private handlers: (EventHandler<never> | undefined)[] = [];
  private payloads: unknown[] = [];
  /** heap[i] is a slot; pos[slot] is its index in the heap, for removal by cancel. */
  private heap = new Int32Array(0);
  private pos = new Int32Array(0);
  private free = new Int32Array(0);
  private freeCount = 0;
  private used = 0;
  private count = 0;

  constructor(private readonly generations: number) {
    this.grow(16);
  }

  get size(): number {
    return this.count;
  }

  /** Slots in use or free (the storage's extent, for tests). */
  get slots(): number {
    return this.used;
  }

  /** The earliest slot held, or -1. */
  first(): number {
    return this.count === 0 ? NONE : (this.heap[0] as number);
  }

  /** The earliest time held, or Infinity. */
  firstTime(): number {
    return this.count === 0 ? Infinity : (this.time[this.heap[0] as number] as number);
  }

  timeOf(slot: number): number {
    return this.time[slot] as number;
  }

  orderOf(slot: number): number {
    return this.order[slot] as number;
  }

  handlerOf(slot: number): EventHandler<never> {
    return this.handlers[slot] as EventHandler<never>;
  }

  dataOf(slot: number): unknown {
    return this.payloads[slot];
  }

  generationOf(slot: number): number {
    return this.generation[slot] as number;
  }

  /** Holds an event; returns its slot. */
  push(time: number, order: number, handler: EventHandler<never>, data: unknown): number {
    if (this.count === this.heap.length) this.grow(2 * this.heap.length);
    const slot = this.freeCount > 0 ? (this.free[--this.freeCount] as number) : this.used++;
    this.time[slot] = time;
    this.order[slot] = order;
    this.handlers[slot] = handler;
    this.payloads[slot] = data;
    this.siftUp(this.count++, slot);
    return slot;
  }

  /** Removes the earliest event (one is held) and frees its slot; read its fields first. */
  pop(): void {
    this.removeSlot(this.heap[0] as number);
  }

  /** Removes the event in `slot` if it is still the one of generation `gen`; false if it left. */
  cancel(slot: number, gen: number): boolean {
    if (slot >= this.used || this.generation[slot] !== gen || this.handlers[slot] === undefined) return false;
    this.removeSlot(slot);
    return true;
  }

  private removeSlot(slot: number): void {
    const at = this.pos[slot] as number;
    const last = this.heap[--this.count] as number;
    if (at !== this.count) {
      if (at > 0 && this.less(last, this.heap[(at - 1) >> 1] as number)) this.siftUp(at, last);
      else this.siftDown(at, last);
    }
    this.handlers[slot] = undefined;
    this.payloads[slot] = undefined;
    this.generation[slot] = ((this.generation[slot] as number) + 1) % this.generations;
    this.free[this.freeCount++] = slot;
  }

  private less(a: number, b: number): boolean {
    const ta = this.time[a] as number;
    const tb = this.time[b] as number;
    return ta < tb || (ta === tb && (this.order[a] as number) < (this.order[b] as number));
  }

  private siftUp(index: number, slot: number): void {
    let i = index;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = this.heap[parentIndex] as number;
      if (!this.less(slot, parent)) break;
      this.heap[i] = parent;
      this.pos[parent] = i;
      i = parentIndex;
    }
    this.heap[i] = slot;
    this.pos[slot] = i;
  }

  private siftDown(index: number, slot: number): void {
    let i = index;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.count) break;
      const right = child + 1;
      if (right < this.count && this.less(this.heap[right] as number, this.heap[child] as number))
        child = right;
      const c = this.heap[child] as number;
      if (!this.less(c, slot)) break;
      this.heap[i] = c;
      this.pos[c] = i;
      i = child;
    }
    this.heap[i] = slot;
    this.pos[slot] = i;
  }

  private grow(capacity: number): void {
    this.time = grown(this.time, capacity);
    this.order = grown(this.order, capacity);
    this.generation = grown(this.generation, capacity);
    this.heap = grown(this.heap, capacity);
    this.pos = grown(this.pos, capacity);
    this.free = grown(this.free, capacity);
  }
}
