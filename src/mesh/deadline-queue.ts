/**
 * Timeouts that all have the same length, as a FIFO: items expire in the order they were added, so one
 * engine event (for the oldest deadline) serves them all. A client timeout per request as its own event
 * would keep rate x timeout entries in the event heap (240,000 for 4,000 requests/s and 60 s) and make
 * every other event pay for them; here finished items are skipped when their deadline comes.
 */
import type { Engine, EventId } from '../des/index.js';

export class DeadlineQueue<T> {
  private items: T[] = [];
  private deadlines: number[] = [];
  private head = 0;
  private timer: EventId | undefined = undefined;

  constructor(
    private readonly engine: Engine,
    private readonly delayMs: number,
    /** Whether an item still needs its timeout (false once it finished). */
    private readonly pending: (item: T) => boolean,
    private readonly expire: (item: T) => void,
  ) {}

  add(item: T): void {
    this.items.push(item);
    this.deadlines.push(this.engine.now + this.delayMs);
    if (this.timer === undefined) this.timer = this.engine.schedule(this.delayMs, this.fire, undefined);
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = this.engine.now;
    // Finished items are dropped whatever their deadline, so the next timer is for the oldest unfinished
    // one: with requests finishing in milliseconds, one timer serves thousands of them.
    while (this.head < this.items.length) {
      const item = this.items[this.head] as T;
      const pending = this.pending(item);
      if (pending && (this.deadlines[this.head] as number) > now) break;
      this.items[this.head] = undefined as T;
      this.head++;
      if (pending) this.expire(item);
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.deadlines = this.deadlines.slice(this.head);
      this.head = 0;
    }
    if (this.head < this.items.length) {
      this.timer = this.engine.scheduleAt(this.deadlines[this.head] as number, this.fire, undefined);
    }
  };
}
