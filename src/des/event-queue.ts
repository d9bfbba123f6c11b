/**
 * The pending-event set, ordered by (time, priority, sequence).
 *
 * The sequence number is strictly increasing per schedule, so the order is total and deterministic, and
 * events with equal time and priority come out first-in first-out (SimPy's `eid` counter).
 *
 * Two layouts over the same event slots, chosen by size: a binary min-heap while few events are pending
 * (an M/M/1 queue holds two), and a calendar queue (Brown, "Calendar queues: a fast O(1) priority queue
 * implementation for the simulation event set problem", CACM 31(10), 1988) once many are: a mesh keeps
 * every request in flight and every proxy's certificate rotation (hours ahead) pending, 475 events in the
 * three-cluster bench and thousands in a mesh of thousands of proxies, and a heap pays log2(n) sift steps
 * per event for all of them. Measured (hold model, against the heap alone): about 1.3x at 500 pending and
 * 1.8x at 20,000; below ~30 the heap is faster, its costs being fixed. The switch has hysteresis, so a
 * size near the threshold does not thrash.
 *
 * The calendar hashes an event by time into one of `buckets` days of `width` ms; a year is buckets x width.
 * Each day holds a list sorted by (time, order); dequeuing scans days from the current one and takes a
 * head whose year is the current one. With the width near a few mean gaps between events, a day holds about
 * one event due this year, so both operations cost O(1) on average whatever the number pending.
 *
 * Exactness: an event's day number is `floor(time / width)` computed once, stored, and compared as an
 * integer, so rounding can never put an event in one day and look for it in another. The order of events
 * never depends on the layout, the width or the number of days, which only affect speed; the calendar
 * adapts both (Brown's resize at size 2x and 0.5x the days, and a re-estimate of the width when scans or
 * list walks grow long).
 *
 * Layout, for speed (see shared/design/performance-anchors.md): events live in slots of parallel arrays
 * (typed arrays for numbers), the heap holds slot numbers and sifts holes instead of swapping, calendar lists
 * are links between slot numbers, and a free list recycles slots, so scheduling allocates nothing once the
 * arrays have grown. Each slot knows its heap position or its list neighbours, which makes `cancel` a
 * removal instead of a tombstone that could leak.
 *
 * Far events (due more than FAR_AHEAD past the front: certificate rotations hours ahead) wait in a heap and
 * slots of their own (far-events.ts) and take a slot here only when the front comes within FAR_AHEAD / 2 of
 * them; the boundary is a time, compared once per push and once per pop, and it never changes the order.
 * Their ids stay valid across the move: an id names its part by its slot field (FAR_SLOT and up), and a far
 * id that moved near finds its event through `forwarded`.
 *
 * One class, past the ~300 lines the style notes aim for, on purpose: split into a queue, a heap and a
 * calendar over shared key arrays, the extra call layers on the hottest path cost the M/M/1 kernel about
 * 15% (0.58 of the bare loop against 0.68, medians of six).
 */
import { SimulationError } from './errors.js';
import { FarEvents } from './far-events.js';
import { grown } from './grown.js';
import type { SimTime } from './sim-time.js';

/** What runs when an event fires: a stable function (not a closure made per event) and its data. */
export type EventHandler<T> = (data: T) => void;

/** Identifies a scheduled event for `cancel`; stale ids (fired or cancelled) are recognised and refused. */
export type EventId = number;

// A slot's generation is folded into its id so that an id outlives neither its event nor a slot reuse.
const SLOT_BITS = 2 ** 26;
const GENERATIONS = 2 ** 27;
/** Slot fields from here up name a far event's slot (minus FAR_SLOT) in `far`; below, a near slot. */
const FAR_SLOT = 2 ** 25;
const PRIORITY_SPAN = 2 ** 44;
const NONE = -1;
const MIN_BUCKETS = 16;
/** Sizes at which the heap hands over to the calendar, and back (hysteresis: 4x apart). */
const TO_CALENDAR = 128;
const TO_HEAP = 32;
/** Operations between checks that the width still fits the events (a rate can change mid-run). */
const TUNE_EVERY = 8192;
/** Mean empty days scanned per dequeue, or list links walked per enqueue, beyond which the width is re-estimated. */
const TUNE_LIMIT = 6;
/** Events at the front whose gaps set the width (Brown: "about 25"); the width is three mean gaps. */
const WIDTH_SAMPLE = 25;
/**
 * Checks (one per TUNE_EVERY operations) whose mean width estimate, from the events at the front, must be
 * STALE_RATIO off the width in use to re-estimate it: a mesh of 25,000 pods set its width during start-up
 * (0.076 ms) and kept it, since walks never grew past TUNE_LIMIT, while its events wanted ~0.04 ms (the
 * same traffic at 1,000 pods: 0.054 ms), and walked 1.0 links an insert against 0.33. A mean of four,
 * because one estimate from 25 events swings by up to 1.8x from check to check.
 */
const STALE_CHECKS = 4;
const STALE_RATIO = 1.5;
/**
 * How far ahead of the clock an event is far (ms; SimTime is ms): a simulated minute is beyond the life of
 * any request (timeouts are seconds) and short against what a mesh schedules hours ahead (certificate
 * rotations), so nearly every event is near and nearly every far one stays far for most of a run.
 */
const FAR_AHEAD = 60_000;

export class EventQueue {
  private capacity = 0;
  private time = new Float64Array(0);
  /** priority * 2^44 + sequence: one number compares both. */
  private order = new Float64Array(0);
  /** The event's day number, floor(time / width), fixed while it is queued (recomputed on a rebuild). */
  private day = new Float64Array(0);
  private next = new Int32Array(0);
  private prev = new Int32Array(0);
  private generation = new Uint32Array(0);
  private handlers: (EventHandler<never> | undefined)[] = [];
  private payloads: unknown[] = [];
  private free = new Int32Array(0);
  private freeCount = 0;
  private used = 0;
  private seq = 0;
  private count = 0;
  /**
   * Which layout holds the events now. Tested as `calendar === true`, never bare: V8 tracks no type for a
   * field holding booleans, so a bare test compiles to JavaScript's whole truthiness check (~60 bytes of
   * machine code at each inlined site, all of it run when the field is true) where a comparison with
   * `true` is one instruction (by callgrind, the kernel's three such flags: ~640 instructions a request
   * fewer in the mesh bench, ~440 in the minimal model).
   */
  private calendar = false;

  // Far events (see far-events.ts). Invariant: every finite time in the heap or calendar is < farFrom <= every
  // time in `far`; times of Infinity always stay near (they sort last anyway and never come due).
  private readonly far = new FarEvents(GENERATIONS);
  /**
   * A far event's id -> its near id, once it has come near, so that its first id still cancels it. Entries
   * whose near event has left are dropped in sweeps (`forward`), so the map holds about the far events that
   * came near and are still pending.
   */
  private readonly forwarded = new Map<EventId, EventId>();
  private sweepAt = 1024;
  /**
   * Starts as -0 and gets its value in the constructor, as do `farSoon` and `invWidth`: V8 gives a field the
   * representation of the first value stored in it, and a small integer (60000, 1) would make it a Smi field.
   * The first fraction stored later then deprecates the queue's map, and every kernel function compiled
   * against it deoptimizes ("wrong map" in `less`, `siftDown`, `release`, `peekTime`) and compiles again.
   * -0 is a double, so the field is a double field from the start and the map never changes.
   */
  private farFrom = -0;
  /** `far.size`, mirrored: the hot path reads a field of its own instead of calling into another object. */
  private farCount = 0;
  /** Once the front of the near part reaches this, the boundary moves on (and far events come near). */
  private farSoon = -0;

  // Heap layout: heap[i] is a slot; pos[slot] is its index in the heap.
  private heap = new Int32Array(0);
  private pos = new Int32Array(0);

  // Calendar layout.
  /** Head slot of each day's sorted list, or NONE. */
  private heads = new Int32Array(MIN_BUCKETS).fill(NONE);
  private mask = MIN_BUCKETS - 1;
  private invWidth = -0;
  /**
   * The day being scanned, and its bucket; no queued event has an earlier day. A double field (-0 first, as
   * `farFrom`): it is read from the `day` array, whose loads V8 boxes as heap numbers, and a day can pass
   * the Smi range (2^30) in a long run with a narrow width.
   */
  private currentDay = -0;
  private currentBucket = 0;
  /** The earliest event, once found by a peek and until the set changes in a way that could undo it. */
  private earliest = NONE;
  private scanned = 0;
  private walked = 0;
  private ops = 0;
  private estimates = 0;
  /**
   * Starts as 0, a small integer, unlike `farFrom`: its first fraction (the first tune, in start-up) changes
   * the queue's map and deoptimizes the kernel, which compiles again with the calendar's feedback. As -0 the
   * pod row cost more (JS instructions a request at 24,984 pods: 23,212 against 22,731, by callgrind).
   */
  private estimatesSum = 0;

  constructor(initialCapacity = 1024) {
    this.farFrom = FAR_AHEAD;
    this.farSoon = FAR_AHEAD / 2;
    this.invWidth = 1;
    this.currentDay = 0;
    this.grow(Math.max(16, initialCapacity));
  }

  /** Number of pending events. */
  get size(): number {
    return this.count + this.farCount;
  }

  /**
   * Slots the near part's arrays have handed out: the most near events pending at once so far, whatever
   * the number of far ones (a test's handle on the storage's extent).
   */
  get nearSlots(): number {
    return this.used;
  }

  /** Time of the next event, or `Infinity` when none is pending. */
  peekTime(): SimTime {
    if (this.count > 0) {
      const t = this.time[this.calendar === true ? this.locate() : (this.heap[0] as number)] as number;
      if (t < this.farSoon) return t;
    } else if (this.farCount === 0) return Infinity;
    return this.time[this.front()] as number;
  }

  /** Adds an event; `priority` is a small non-negative integer, lower first among equal times. */
  push<T>(time: SimTime, priority: number, handler: EventHandler<T>, data: T): EventId {
    if (time >= this.farFrom && time !== Infinity) return this.pushFar(time, priority, handler, data);
    if (this.count === this.capacity) this.grow(this.capacity * 2);
    let slot: number;
    if (this.freeCount > 0) slot = this.free[--this.freeCount] as number;
    else slot = this.used++;
    this.time[slot] = time;
    this.order[slot] = priority * PRIORITY_SPAN + this.seq++;
    this.handlers[slot] = handler as EventHandler<never>;
    this.payloads[slot] = data;
    if (this.calendar === true) this.enqueue(slot);
    else {
      this.siftUp(this.count++, slot);
      if (this.count > TO_CALENDAR) this.toCalendar();
    }
    return (this.generation[slot] as number) * SLOT_BITS + slot;
  }

  /** Out of `push`'s line: rare (a mesh's certificate rotations), and `push` is inlined into every caller. */
  private pushFar(time: number, priority: number, handler: EventHandler<never>, data: unknown): EventId {
    const slot = this.far.push(time, priority * PRIORITY_SPAN + this.seq++, handler, data);
    this.farCount++;
    return this.far.generationOf(slot) * SLOT_BITS + FAR_SLOT + slot;
  }

  /** The earliest pending slot (some event is pending), after bringing far events near if they are due. */
  private front(): number {
    let slot = this.count === 0 ? NONE : this.calendar === true ? this.locate() : (this.heap[0] as number);
    const time = slot === NONE ? Infinity : (this.time[slot] as number);
    if (time >= this.farSoon) {
      this.advance(time);
      slot = this.calendar === true ? this.locate() : (this.heap[0] as number);
    }
    return slot;
  }

  /**
   * Moves the far boundary a FAR_AHEAD past the front (`nearTime`: the near part's earliest time, Infinity
   * when it has only never-due events or none), and brings every far event before it near.
   */
  private advance(nearTime: number): void {
    const start = Math.min(nearTime, this.far.firstTime());
    // Nothing finite pending: keep the boundary where it is.
    if (start === Infinity) return;
    this.farFrom = start + FAR_AHEAD;
    this.farSoon = start + FAR_AHEAD / 2;
    const far = this.far;
    for (let f = far.first(); f !== NONE && far.timeOf(f) < this.farFrom; f = far.first()) {
      if (this.count === this.capacity) this.grow(this.capacity * 2);
      const s = this.freeCount > 0 ? (this.free[--this.freeCount] as number) : this.used++;
      this.time[s] = far.timeOf(f);
      this.order[s] = far.orderOf(f);
      this.handlers[s] = far.handlerOf(f);
      this.payloads[s] = far.dataOf(f);
      this.forward(
        far.generationOf(f) * SLOT_BITS + FAR_SLOT + f,
        (this.generation[s] as number) * SLOT_BITS + s,
      );
      far.pop();
      this.farCount--;
      if (this.calendar === true) this.enqueue(s);
      else {
        this.siftUp(this.count++, s);
        if (this.count > TO_CALENDAR) this.toCalendar();
      }
    }
  }

  /** Records that far id `from` is near id `to` now; drops the records of events gone, now and then. */
  private forward(from: EventId, to: EventId): void {
    this.forwarded.set(from, to);
    if (this.forwarded.size < this.sweepAt) return;
    for (const [f, t] of this.forwarded) if (!this.isPendingNear(t)) this.forwarded.delete(f);
    this.sweepAt = Math.max(1024, 2 * this.forwarded.size);
  }

  private isPendingNear(id: EventId): boolean {
    const slot = id % SLOT_BITS;
    return (
      slot < this.used &&
      this.generation[slot] === (id - slot) / SLOT_BITS &&
      this.handlers[slot] !== undefined
    );
  }

  /**
   * Removes the earliest event and hands it to `visit` (time, handler, data) without allocating.
   * Returns false when the queue is empty.
   */
  popInto(visit: PoppedEvent): boolean {
    let slot: number;
    if (this.count > 0) {
      slot = this.calendar === true ? this.locate() : (this.heap[0] as number);
      if ((this.time[slot] as number) >= this.farSoon) slot = this.front();
    } else if (this.farCount === 0) return false;
    else slot = this.front();
    visit.time = this.time[slot] as number;
    visit.handler = this.handlers[slot] as EventHandler<unknown>;
    visit.data = this.payloads[slot];
    this.remove(slot);
    return true;
  }

  /** Cancels a pending event; returns false if it already fired or was cancelled. */
  cancel(id: EventId): boolean {
    const slot = id % SLOT_BITS;
    if (slot >= FAR_SLOT) return this.cancelFar(id, slot - FAR_SLOT);
    if (!this.isPendingNear(id)) return false;
    this.remove(slot);
    return true;
  }

  /** A far id: its event is still far, or came near (and may have left since), or has left. */
  private cancelFar(id: EventId, slot: number): boolean {
    if (this.far.cancel(slot, (id - FAR_SLOT - slot) / SLOT_BITS)) {
      this.farCount--;
      return true;
    }
    const near = this.forwarded.get(id);
    if (near === undefined) return false;
    this.forwarded.delete(id);
    return this.cancel(near);
  }

  /** Removes a near event. */
  private remove(slot: number): void {
    if (this.calendar === true) this.dequeue(slot);
    else this.removeAt(this.pos[slot] as number);
    this.release(slot);
  }

  private release(slot: number): void {
    this.handlers[slot] = undefined;
    this.payloads[slot] = undefined;
    this.generation[slot] = ((this.generation[slot] as number) + 1) % GENERATIONS;
    this.free[this.freeCount++] = slot;
  }

  private less(a: number, b: number): boolean {
    const ta = this.time[a] as number;
    const tb = this.time[b] as number;
    return ta < tb || (ta === tb && (this.order[a] as number) < (this.order[b] as number));
  }

  /** Every pending slot, in (time, order) order. */
  private sortedSlots(): Int32Array {
    const slots = new Int32Array(this.count);
    let k = 0;
    if (this.calendar === true) {
      for (let b = 0; b <= this.mask; b++) {
        for (let s = this.heads[b] as number; s !== NONE; s = this.next[s] as number) slots[k++] = s;
      }
    } else slots.set(this.heap.subarray(0, this.count));
    return slots.sort((a, b) => (this.less(a, b) ? -1 : 1));
  }

  // ---- heap layout ----

  private removeAt(index: number): void {
    const last = this.heap[--this.count] as number;
    if (index === this.count) return;
    // The moved element may need to go either way when removing from the middle.
    if (index > 0 && this.less(last, this.heap[(index - 1) >> 1] as number)) this.siftUp(index, last);
    else this.siftDown(index, last);
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

  /** A sorted array is a heap: the calendar's events, earliest first. */
  private toHeap(): void {
    const slots = this.sortedSlots();
    this.calendar = false;
    this.heap.set(slots);
    slots.forEach((s, i) => (this.pos[s] = i));
  }

  // ---- calendar layout ----

  private toCalendar(): void {
    const slots = this.sortedSlots();
    this.calendar = true;
    let buckets = MIN_BUCKETS;
    while (buckets < this.count) buckets *= 2;
    this.rebuild(buckets, slots);
  }

  private enqueue(slot: number): void {
    const day = this.dayOf(this.time[slot] as number);
    this.day[slot] = day;
    this.link(slot);
    if (day < this.currentDay) {
      // Earlier than where a peek left the scan (a run that stopped at `until`, then a schedule before it).
      this.currentDay = day;
      this.currentBucket = this.bucketOf(day);
    }
    if (this.earliest !== NONE && this.less(slot, this.earliest)) this.earliest = slot;
    if (++this.count > 2 * (this.mask + 1)) this.rebuild(2 * (this.mask + 1), this.sortedSlots());
    else if (++this.ops >= TUNE_EVERY) this.tune();
  }

  private dequeue(slot: number): void {
    if (slot === this.earliest) this.earliest = NONE;
    this.unlink(slot);
    const buckets = this.mask + 1;
    if (--this.count < TO_HEAP) this.toHeap();
    else if (this.count < buckets >> 1 && buckets > MIN_BUCKETS)
      this.rebuild(buckets >> 1, this.sortedSlots());
  }

  /** The earliest event's slot (count > 0): scans days from the current one, a year at most. */
  private locate(): number {
    if (this.earliest !== NONE) return this.earliest;
    const heads = this.heads;
    const dayOfSlot = this.day;
    const mask = this.mask;
    let bucket = this.currentBucket;
    let day = this.currentDay;
    for (let n = 0; n <= mask; n++) {
      const head = heads[bucket] as number;
      // A list is sorted, so its head has its earliest day; any other day there is a later year's.
      if (head !== NONE && dayOfSlot[head] === day) {
        this.currentBucket = bucket;
        this.currentDay = day;
        this.scanned += n;
        this.earliest = head;
        return head;
      }
      bucket = (bucket + 1) & mask;
      day++;
    }
    // Nothing due within a year: jump straight to the earliest head (Brown's direct search).
    let best = NONE;
    for (let b = 0; b <= mask; b++) {
      const head = heads[b] as number;
      if (head !== NONE && (best === NONE || this.less(head, best))) best = head;
    }
    this.scanned += 2 * (mask + 1);
    this.currentDay = dayOfSlot[best] as number;
    this.currentBucket = this.bucketOf(this.currentDay);
    this.earliest = best;
    return best;
  }

  private dayOf(time: number): number {
    return Math.floor(time * this.invWidth);
  }

  /** A day's bucket: day mod buckets (`| 0` wraps modulo 2^32, which the power-of-two bucket count divides). */
  private bucketOf(day: number): number {
    return (day | 0) & this.mask;
  }

  /** Inserts `slot` into its day's list, after every event that orders before it. */
  private link(slot: number): void {
    const bucket = this.bucketOf(this.day[slot] as number);
    const next = this.next;
    const prev = this.prev;
    let p = this.heads[bucket] as number;
    if (p === NONE || this.less(slot, p)) {
      next[slot] = p;
      prev[slot] = NONE;
      if (p !== NONE) prev[p] = slot;
      this.heads[bucket] = slot;
      return;
    }
    let q = next[p] as number;
    while (q !== NONE && !this.less(slot, q)) {
      p = q;
      q = next[q] as number;
      this.walked++;
    }
    next[slot] = q;
    prev[slot] = p;
    next[p] = slot;
    if (q !== NONE) prev[q] = slot;
  }

  private unlink(slot: number): void {
    const p = this.prev[slot] as number;
    const q = this.next[slot] as number;
    if (p !== NONE) this.next[p] = q;
    else this.heads[this.bucketOf(this.day[slot] as number)] = q;
    if (q !== NONE) this.prev[q] = p;
  }

  /** Every TUNE_EVERY operations: a re-estimated width if scans or walks have grown long. */
  private tune(): void {
    const ops = this.ops;
    const long = this.scanned > TUNE_LIMIT * ops || this.walked > TUNE_LIMIT * ops;
    this.ops = 0;
    this.scanned = 0;
    this.walked = 0;
    if (long) return this.rebuild(this.mask + 1, this.sortedSlots());
    this.estimatesSum += this.estimateWidth(this.frontTimes());
    if (++this.estimates < STALE_CHECKS) return;
    const estimate = this.estimatesSum / this.estimates;
    this.estimates = 0;
    this.estimatesSum = 0;
    const width = 1 / this.invWidth;
    if (estimate > STALE_RATIO * width || STALE_RATIO * estimate < width)
      this.rebuild(this.mask + 1, this.sortedSlots(), estimate);
  }

  /** The first WIDTH_SAMPLE events' times (fewer if a year holds fewer), in order, with no sort. */
  private frontTimes(): Float64Array {
    const times = new Float64Array(WIDTH_SAMPLE);
    let n = 0;
    let bucket = this.currentBucket;
    let day = this.currentDay;
    for (let d = 0; d <= this.mask && n < WIDTH_SAMPLE; d++) {
      // No event has a day before currentDay, and a list is sorted: its events of `day` come first.
      for (
        let s = this.heads[bucket] as number;
        s !== NONE && this.day[s] === day;
        s = this.next[s] as number
      ) {
        times[n++] = this.time[s] as number;
        if (n === WIDTH_SAMPLE) break;
      }
      bucket = (bucket + 1) & this.mask;
      day++;
    }
    return times.subarray(0, n);
  }

  /**
   * Hashes every event (`slots`, in order) into `buckets` days of `width`, by default re-estimated from the
   * events at the front.
   */
  private rebuild(
    buckets: number,
    slots: Int32Array,
    width = this.estimateWidth(Float64Array.from(slots, (s) => this.time[s] as number)),
  ): void {
    this.invWidth = 1 / width;
    this.heads = new Int32Array(buckets).fill(NONE);
    this.mask = buckets - 1;
    // Linking from the latest event back makes every insertion land at its list's head: O(n), no walks.
    for (let i = slots.length - 1; i >= 0; i--) {
      const s = slots[i] as number;
      this.day[s] = this.dayOf(this.time[s] as number);
      this.link(s);
    }
    const first = slots[0];
    this.currentDay = first === undefined ? 0 : (this.day[first] as number);
    this.currentBucket = this.bucketOf(this.currentDay);
    this.earliest = NONE;
    this.ops = 0;
    this.scanned = 0;
    this.walked = 0;
    this.estimates = 0;
    this.estimatesSum = 0;
  }

  /** Brown's estimate: three times the mean gap between the first events, ignoring gaps over twice the mean. */
  private estimateWidth(sortedTimes: Float64Array): number {
    const n = Math.min(sortedTimes.length, WIDTH_SAMPLE);
    const current = 1 / this.invWidth;
    if (n < 2) return current;
    const last = sortedTimes[n - 1] as number;
    const first = sortedTimes[0] as number;
    if (!(last - first < Infinity)) return current;
    const mean = (last - first) / (n - 1);
    let sum = 0;
    let gaps = 0;
    for (let i = 1; i < n; i++) {
      const gap = (sortedTimes[i] as number) - (sortedTimes[i - 1] as number);
      if (gap <= 2 * mean) {
        sum += gap;
        gaps++;
      }
    }
    const width = gaps > 0 ? (3 * sum) / gaps : 0;
    return width > 0 && width < Infinity ? width : current;
  }

  private grow(capacity: number): void {
    if (capacity > FAR_SLOT) throw new SimulationError(`EventQueue: more than ${FAR_SLOT} near events`);
    this.time = grown(this.time, capacity);
    this.order = grown(this.order, capacity);
    this.heap = grown(this.heap, capacity);
    this.pos = grown(this.pos, capacity);
    this.day = grown(this.day, capacity);
    this.next = grown(this.next, capacity);
    this.prev = grown(this.prev, capacity);
    this.generation = grown(this.generation, capacity);
    this.free = grown(this.free, capacity);
    this.capacity = capacity;
  }
}

/** A reusable record that `popInto` fills, so the run loop allocates nothing per event. */
export interface PoppedEvent {
  time: SimTime;
  handler: EventHandler<unknown>;
  data: unknown;
}
