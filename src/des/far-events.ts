/**
 * The far part of the pending-event set: events due long after the clock (a proxy's certificate rotation,
 * hours ahead in a run of minutes), kept out of the heap or calendar that the hot loop works on.
 *
 * In a mesh they are a large share of what is pending and almost never due: 204 of the ~480 events pending in
 * the three-cluster bench are certificate rotations 12-24 simulated hours ahead. In the calendar they take
 * buckets, lengthen its year and trigger resizes; in the heap they deepen every sift. Here they sit in a
 * binary heap of their own, which the queue reaches only when its clock comes within reach of them
 * (`EventQueue`'s `farFrom`), so they cost O(log n) twice in their life and nothing in between.
 *
 * Slots and their keys (time, order) belong to the queue; this heap holds slot numbers and compares them
 * with the queue's own order, so moving an event between the parts never changes where it comes out.
 */
const NONE = -1;

export class FarEvents {
  private heap = new Int32Array(64);
  /** Heap position of each slot held: removal by cancel is O(log n), and rare. */
  private readonly index = new Map<number, number>();
  private count = 0;

  constructor(private readonly less: (a: number, b: number) => boolean) {}

  get size(): number {
    return this.count;
  }

  /** The earliest slot held, or -1. */
  peek(): number {
    return this.count === 0 ? NONE : (this.heap[0] as number);
  }

  push(slot: number): void {
    if (this.count === this.heap.length) {
      const grown = new Int32Array(this.heap.length * 2);
      grown.set(this.heap);
      this.heap = grown;
    }
    this.siftUp(this.count++, slot);
  }

  /** Removes and returns the earliest slot (the heap is not empty). */
  pop(): number {
    const first = this.heap[0] as number;
    this.remove(first);
    return first;
  }

  remove(slot: number): void {
    const at = this.index.get(slot);
    if (at === undefined) throw new Error(`FarEvents: slot ${slot} is not held`);
    this.index.delete(slot);
    const last = this.heap[--this.count] as number;
    if (at === this.count) return;
    if (at > 0 && this.less(last, this.heap[(at - 1) >> 1] as number)) this.siftUp(at, last);
    else this.siftDown(at, last);
  }

  private place(i: number, slot: number): void {
    this.heap[i] = slot;
    this.index.set(slot, i);
  }

  private siftUp(index: number, slot: number): void {
    let i = index;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = this.heap[parentIndex] as number;
      if (!this.less(slot, parent)) break;
      this.place(i, parent);
      i = parentIndex;
    }
    this.place(i, slot);
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
      this.place(i, c);
      i = child;
    }
    this.place(i, slot);
  }
}
