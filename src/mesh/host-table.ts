/**
 * A sparse map from host index (a non-negative integer below the view's host count) to a non-zero integer,
 * in an open-addressing table: one Int32Array of (key, value) pairs, at most half full, and no object per
 * entry, where a Map of records would spend about 80 bytes and an allocation per entry. A proxy's per-host
 * state is this sparse: active requests exist for the handful of hosts with requests in flight, and pooled
 * connections for the hosts it has sent to (Envoy keeps one to every host it used until Istio's one-hour
 * idle timeout).
 *
 * 0 is the absent value: `get` returns 0 for a host not in the table and `set(host, 0)` removes it.
 * Linear probing with backward-shift deletion (no tombstones); the table doubles past half full and
 * allocates nothing until the first entry. The first table is 8 slots, 64 bytes: V8 keeps a typed array
 * that small inside the heap next to its object, where a larger one lives off the heap behind a pointer
 * (one more cache miss per access on a large mesh, and a malloc per allocation).
 *
 * Dense once that is no larger: given the view's host count (`universe`), a table that would need at least
 * as many ints as the view has hosts becomes one count per host, indexed by host. A busy proxy calling a
 * small service (the bench mesh: 6 hosts, 2 to 5 in flight at once) then counts by one indexed add, where
 * the hashed table inserted and deleted (backward shift) an entry per request as hosts came and went:
 * ~670 instructions per request. The dense array never takes more room than the table it replaces.
 */
const EMPTY = -1;
/** No bound given: 2^30 - 1, a small integer in every V8 build (see the constructor). */
const UNBOUNDED = 2 ** 30 - 1;
/** 8 slots of (key, value): 64 bytes, V8's largest on-heap typed array (`typed_array_max_size_in_heap`). */
const FIRST_TABLE_INTS = 16;

export class HostTable {
  /** Hosts with a non-zero value. */
  private count = 0;
  /**
   * Hashed: slot i holds its key at 2i and its value at 2i + 1, EMPTY keys are free slots. Dense: host h's
   * value at h, `universe` ints.
   */
  private slots: Int32Array | undefined = undefined;
  private dense = false;

  /**
   * `universe`: hosts lie in [0, universe). The default, 2^30 - 1, stands for unbounded (the table cannot
   * grow that far): a small integer, where Infinity would be a separate number object per table.
   */
  constructor(private readonly universe = UNBOUNDED) {}

  /** Whether the table holds one count per host of the universe (see the header). */
  get isDense(): boolean {
    // Against `true`, here and below: a bare boolean field test is a long truthiness check (request.ts).
    return this.dense === true;
  }

  /** Hosts with a non-zero value. */
  get size(): number {
    return this.count;
  }

  get(host: number): number {
    const t = this.slots;
    if (t === undefined) return 0;
    if (this.dense === true) return denseValue(t, host);
    if (this.count === 0) return 0;
    const mask = (t.length >> 1) - 1;
    for (let i = hash(host) & mask; ; i = (i + 1) & mask) {
      const k = t[2 * i] as number;
      if (k === host) return t[2 * i + 1] as number;
      if (k === EMPTY) return 0;
    }
  }

  /** Sets `host`'s value; 0 removes it. */
  set(host: number, value: number): void {
    this.checkHost(host);
    if (this.dense === true) {
      this.add(host, value - this.get(host));
      return;
    }
    if (value === 0) {
      this.delete(host);
      return;
    }
    const at = this.find(host);
    if (at >= 0) (this.slots as Int32Array)[at + 1] = value;
    else this.insertNew(host, value);
  }

  /** Adds `delta` to `host`'s value (absent counts as 0), in one probe when the host is present. */
  add(host: number, delta: number): void {
    this.checkHost(host);
    if (this.dense === true) {
      const t = this.slots as Int32Array;
      const old = denseValue(t, host);
      const v = old + delta;
      t[host] = v;
      this.count += (v !== 0 ? 1 : 0) - (old !== 0 ? 1 : 0);
      return;
    }
    const at = this.find(host);
    if (at < 0) {
      if (delta !== 0) this.insertNew(host, delta);
      return;
    }
    const t = this.slots as Int32Array;
    const v = (t[at + 1] as number) + delta;
    if (v === 0) this.delete(host);
    else t[at + 1] = v;
  }

  /** Calls `visit` with every host and its value, in no particular order. */
  forEach(visit: (host: number, value: number) => void): void {
    const t = this.slots;
    if (t === undefined) return;
    if (this.dense === true) {
      for (let h = 0; h < t.length; h++) if ((t[h] as number) !== 0) visit(h, t[h] as number);
      return;
    }
    for (let i = 0; i < t.length; i += 2) {
      const k = t[i] as number;
      if (k !== EMPTY) visit(k, t[i + 1] as number);
    }
  }

  /** The index of `host`'s key in the (hashed) table, or -1 if the table does not hold it. */
  private find(host: number): number {
    if (this.count === 0) return -1;
    const t = this.slots as Int32Array;
    const mask = (t.length >> 1) - 1;
    for (let i = hash(host) & mask; ; i = (i + 1) & mask) {
      const k = t[2 * i] as number;
      if (k === host) return 2 * i;
      if (k === EMPTY) return -1;
    }
  }

  /** Adds a host the table does not hold (hashed; the table may turn dense on the way). */
  private insertNew(host: number, value: number): void {
    const t = this.slots;
    if (t === undefined || 4 * (this.count + 1) > t.length) {
      if (this.grow()) {
        this.add(host, value);
        return;
      }
    }
    this.insert(host, value);
    this.count++;
  }

  /** Puts a host the hashed table does not hold into it (room checked by the caller). */
  private insert(host: number, value: number): void {
    const t = this.slots as Int32Array;
    const mask = (t.length >> 1) - 1;
    let i = hash(host) & mask;
    while ((t[2 * i] as number) !== EMPTY) i = (i + 1) & mask;
    t[2 * i] = host;
    t[2 * i + 1] = value;
  }

  private delete(host: number): void {
    const found = this.find(host);
    if (found < 0) return;
    const t = this.slots as Int32Array;
    const mask = (t.length >> 1) - 1;
    let hole = found >> 1;
    // Backward shift: later entries of the probe run move into the hole when their home slot allows.
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const k = t[2 * j] as number;
      if (k === EMPTY) break;
      const home = hash(k) & mask;
      // The entry must stay unless its home lies cyclically outside (hole, j].
      const homeInRun = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!homeInRun) {
        t[2 * hole] = k;
        t[2 * hole + 1] = t[2 * j + 1] as number;
        hole = j;
      }
    }
    t[2 * hole] = EMPTY;
    t[2 * hole + 1] = 0;
    this.count--;
  }

  /**
   * A host outside [0, universe) is a caller's bug: a negative one would match the hashed table's free slots
   * (keyed -1), a dense table would drop it (a typed array ignores writes out of range), and a fraction
   * would be stored truncated. Refused.
   */
  private checkHost(host: number): void {
    if (!(host >= 0 && host < this.universe && (host | 0) === host))
      throw new RangeError(`HostTable: host ${host} outside [0, ${this.universe})`);
  }

  /** A larger table: hashed at twice the size, or dense if that would take no fewer ints; true if dense. */
  private grow(): boolean {
    const old = this.slots;
    const length = old === undefined ? FIRST_TABLE_INTS : old.length * 2;
    if (length >= this.universe) {
      const t = new Int32Array(this.universe);
      if (old !== undefined)
        for (let i = 0; i < old.length; i += 2) {
          const k = old[i] as number;
          // Every key was checked against the universe on its way in.
          if (k !== EMPTY) t[k] = old[i + 1] as number;
        }
      this.slots = t;
      this.dense = true;
      return true;
    }
    const t = new Int32Array(length).fill(EMPTY);
    for (let i = 1; i < t.length; i += 2) t[i] = 0;
    this.slots = t;
    if (old !== undefined)
      for (let i = 0; i < old.length; i += 2)
        if ((old[i] as number) !== EMPTY) this.insert(old[i] as number, old[i + 1] as number);
    return false;
  }
}

/** Host `host`'s value in a dense table; a host outside it is a caller's bug (refused, not read as 0). */
function denseValue(t: Int32Array, host: number): number {
  const v = t[host];
  if (v === undefined) throw new RangeError(`HostTable: host ${host} outside [0, ${t.length})`);
  return v;
}

/** Spreads host indices (an integer mix) so runs of consecutive hosts do not cluster in the table. */
function hash(host: number): number {
  const h = Math.imul(host ^ (host >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}
