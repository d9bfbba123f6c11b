/**
 * Timeouts that all have the same length, as a FIFO: items expire in the order they were added, so one
 * engine event (for the oldest deadline) serves them all. A client timeout per request as its own event
 * would keep rate x timeout entries in the event heap (240,000 for 4,000 requests/s and 60 s) and make
 * every other event pay for them.
 *
 * The FIFO is a ring (deadlines in a Float64Array, items beside them) whose front skips finished items as
 * new ones come in: with requests finishing in milliseconds, it holds only the span from the oldest
 * request still waiting to the newest, a few hundred slots that stay in cache, instead of every request of
 * the last timeout length (growing arrays of 240,000 slots, compacted once per timeout: 2% of the mesh
 * bench's profile). An item that finishes first is taken out at once (`remove`, O(1): its slot is
 * emptied), so a finished request is never kept alive, nor promoted to the old generation, by its timeout.
 */
import type { Engine, EventId } from '../des/index.js';

export class DeadlineQueue<T> {
  /** Slot `ticket & mask` holds the item of `ticket` for tickets in [head, tail); capacity a power of 2. */
  private items: (T | undefined)[];
  private deadlines: Float64Array;
  private mask: number;
  /** Ticket of the oldest slot still in the ring (its item may have finished). */
  private head = 0;
  /** Ticket the next item gets. */
  private tail = 0;
  private timer: EventId | undefined = undefined;

  constructor(
    private readonly engine: Engine,
    private readonly delayMs: number,
    private readonly expire: (item: T) => void,
    initialCapacity = 256,
  ) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.items = new Array<T | undefined>(capacity).fill(undefined);
    this.deadlines = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  /** Slots in use, from the oldest item not yet known to be finished to the newest (for tests). */
  get span(): number {
    return this.tail - this.head;
  }

  /** Starts `item`'s timeout; the ticket takes it out again (`remove`). */
  add(item: T): number {
    // Finished items at the front go first: the ring then spans only requests still waiting.
    while (this.head < this.tail && this.items[this.head & this.mask] === undefined) this.head++;
    if (this.tail - this.head > this.mask) this.grow();
    const ticket = this.tail++;
    this.items[ticket & this.mask] = item;
    this.deadlines[ticket & this.mask] = this.engine.now + this.delayMs;
    if (this.timer === undefined) this.timer = this.engine.schedule(this.delayMs, this.fire, undefined);
    return ticket;
  }

  /** The item of `ticket` finished before its deadline: it will not expire, and is no longer referenced. */
  remove(ticket: number): void {
    // A ticket behind the front has expired or was removed already; one not yet given out is a bug.
    if (ticket >= this.tail) throw new Error(`DeadlineQueue.remove: ticket ${ticket} was never given out`);
    if (ticket >= this.head) this.items[ticket & this.mask] = undefined;
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const items = new Array<T | undefined>(capacity).fill(undefined);
    const deadlines = new Float64Array(capacity);
    const mask = capacity - 1;
    for (let t = this.head; t < this.tail; t++) {
      items[t & mask] = this.items[t & this.mask];
      deadlines[t & mask] = this.deadlines[t & this.mask] as number;
    }
    this.items = items;
    this.deadlines = deadlines;
    this.mask = mask;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = this.engine.now;
    // Removed items are skipped whatever their deadline, so the next timer is for the oldest one still
    // waiting: with requests finishing in milliseconds, one timer serves thousands of them.
    while (this.head < this.tail) {
      const slot = this.head & this.mask;
      const item = this.items[slot];
      if (item !== undefined && (this.deadlines[slot] as number) > now) break;
      this.items[slot] = undefined;
      this.head++;
      if (item !== undefined) this.expire(item);
    }
    if (this.head < this.tail) {
      this.timer = this.engine.scheduleAt(
        this.deadlines[this.head & this.mask] as number,
        this.fire,
        undefined,
      );
    }
  };
}
