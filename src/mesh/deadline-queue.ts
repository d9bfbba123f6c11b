/**
 * Timeouts that all have the same length, as a FIFO: items expire in the order they were added, so one
 * engine event (for the oldest deadline) serves them all. A client timeout per request as its own event
 * would keep rate x timeout entries in the event heap (240,000 for 4,000 requests/s and 60 s) and make
 * every other event pay for them.
 *
 * An item that finishes first is taken out at once (`remove`, O(1): its slot is emptied). Leaving it in
 * until its deadline would keep every request of the last timeout length alive, and so promote them all
 * to the old generation: most of the garbage collector's work in a long run.
 */
import type { Engine, EventId } from '../des/index.js';

export class DeadlineQueue<T> {
  private items: (T | undefined)[] = [];
  private deadlines: number[] = [];
  private head = 0;
  /** Ticket of `items[0]`: tickets keep counting when the arrays are compacted. */
  private base = 0;
  private timer: EventId | undefined = undefined;

  constructor(
    private readonly engine: Engine,
    private readonly delayMs: number,
    private readonly expire: (item: T) => void,
  ) {}

  /** Starts `item`'s timeout; the ticket takes it out again (`remove`). */
  add(item: T): number {
    const ticket = this.base + this.items.length;
    this.items.push(item);
    this.deadlines.push(this.engine.now + this.delayMs);
    if (this.timer === undefined) this.timer = this.engine.schedule(this.delayMs, this.fire, undefined);
    return ticket;
  }

  /** The item of `ticket` finished before its deadline: it will not expire, and is no longer referenced. */
  remove(ticket: number): void {
    const i = ticket - this.base;
    if (i >= this.head && i < this.items.length) this.items[i] = undefined;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = this.engine.now;
    // Removed items are skipped whatever their deadline, so the next timer is for the oldest one still
    // waiting: with requests finishing in milliseconds, one timer serves thousands of them.
    while (this.head < this.items.length) {
      const item = this.items[this.head];
      if (item !== undefined && (this.deadlines[this.head] as number) > now) break;
      this.items[this.head] = undefined;
      this.head++;
      if (item !== undefined) this.expire(item);
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.deadlines = this.deadlines.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
    if (this.head < this.items.length) {
      this.timer = this.engine.scheduleAt(this.deadlines[this.head] as number, this.fire, undefined);
    }
  };
}
