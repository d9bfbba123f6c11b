/**
 * The connection pool's pending line: attempts waiting for a connection, oldest first, as a ring buffer.
 * An attempt that gives up while waiting (its timeout, its caller gone) leaves from the middle in O(1) by
 * its ticket: its slot is emptied and skipped when the line reaches it. No `shift` or `splice`: both move
 * every element behind, and a saturated pool holds thousands.
 *
 * Contents: `PendingLine`.
 */
/** The ring of a line nothing has waited in yet (never written: the first push grows it). */
const NO_SLOTS: undefined[] = [];

export class PendingLine<T> {
  /** Allocated by the first push: every (proxy, upstream cluster) has a line, few ever hold anything. */
  private slots: (T | undefined)[] = NO_SLOTS;
  /** Ticket of the oldest slot (it may be empty). */
  private head = 0;
  /** Ticket the next item gets. */
  private tail = 0;
  private live = 0;

  /** Items waiting. */
  get length(): number {
    return this.live;
  }

  /** Adds `item` at the back; the ticket takes it out again (`remove`). */
  push(item: T): number {
    if (this.tail - this.head === this.slots.length) this.grow();
    const ticket = this.tail++;
    this.slots[ticket % this.slots.length] = item;
    this.live++;
    return ticket;
  }

  /** Takes the oldest item out; undefined when none waits. */
  shift(): T | undefined {
    const n = this.slots.length;
    while (this.head < this.tail) {
      const i = this.head % n;
      const item = this.slots[i];
      this.slots[i] = undefined;
      this.head++;
      if (item !== undefined) {
        this.live--;
        if (this.live === 0) this.head = this.tail = 0;
        return item;
      }
    }
    return undefined;
  }

  /** Takes out the item of `ticket`; a ticket not in the line is a programmer's error and throws. */
  remove(ticket: number): void {
    const i = ticket % this.slots.length;
    if (ticket < this.head || ticket >= this.tail || this.slots[i] === undefined)
      throw new Error(`PendingLine.remove(${ticket}): no such item waiting`);
    this.slots[i] = undefined;
    this.live--;
    if (this.live === 0) this.head = this.tail = 0;
  }

  /** Doubles the ring, keeping every ticket's item (slot = ticket mod size). */
  private grow(): void {
    const old = this.slots;
    const slots = new Array<T | undefined>(Math.max(8, old.length * 2)).fill(undefined);
    for (let t = this.head; t < this.tail; t++) slots[t % slots.length] = old[t % old.length];
    this.slots = slots;
  }
}
