/**
 * A sparse map from host index (a non-negative integer) to a non-zero integer, in an open-addressing table:
 * one Int32Array of (key, value) pairs, at most half full, and no object per entry, where a Map of records
 * would spend about 80 bytes and an allocation per entry. A proxy's per-host state is this sparse: active
 * requests exist for the handful of hosts with requests in flight, and pooled connections for the hosts
 * it has sent to (Envoy keeps one to every host it used until Istio's one-hour idle timeout).
 *
 * 0 is the absent value: `get` returns 0 for a host not in the table and `set(host, 0)` removes it.
 * Linear probing with backward-shift deletion (no tombstones); the table doubles past half full and
 * allocates nothing until the first entry. The first table is 8 slots, 64 bytes: V8 keeps a typed array
 * that small inside the heap next to its object, where a larger one lives off the heap behind a pointer
 * (one more cache miss per access on a large mesh, and a malloc per allocation). A proxy's active requests
 * rarely exceed 4 hosts, so most tables never leave it.
 *
 * One entry lives in the object itself (`key0`, `value0`), the table holding the others: on a large mesh a
 * proxy has at most one host in flight nearly always (at 25,000 pods a sidecar sends about one request a
 * second and each lasts milliseconds), and its table, allocated on its first request and untouched for a
 * second since, is two cold cache lines (the typed array and its elements) that every pick, start and
 * end read. The inline entry spares them; an empty table answers `get` from its count alone.
 */
const EMPTY = -1;
/** 8 slots of (key, value): 64 bytes, V8's largest on-heap typed array (`typed_array_max_size_in_heap`). */
const FIRST_TABLE_INTS = 16;

export class HostTable {
  /** The inline entry: its host, or EMPTY while it is free (a host is never both here and in the table). */
  private key0 = EMPTY;
  private value0 = 0;
  private count = 0;
  /** Slot i holds its key at 2i and its value at 2i + 1; EMPTY keys are free slots. */
  private slots: Int32Array | undefined = undefined;
  /** Entries in `slots`. */
  private inTable = 0;

  /** Hosts with a non-zero value. */
  get size(): number {
    return this.count;
  }

  get(host: number): number {
    if (this.count === 0) return 0;
    if (this.key0 === host) return this.value0;
    if (this.inTable === 0) return 0;
    const t = this.slots as Int32Array;
    const mask = (t.length >> 1) - 1;
    for (let i = hash(host) & mask; ; i = (i + 1) & mask) {
      const k = t[2 * i] as number;
      if (k === host) return t[2 * i + 1] as number;
      if (k === EMPTY) return 0;
    }
  }

  /** Sets `host`'s value; 0 removes it. */
  set(host: number, value: number): void {
    checkHost(host);
    if (value === 0) {
      this.delete(host);
      return;
    }
    if (this.key0 === host) {
      this.value0 = value;
      return;
    }
    const at = this.find(host);
    if (at >= 0) (this.slots as Int32Array)[at + 1] = value;
    else this.addNew(host, value);
  }

  /** Adds `delta` to `host`'s value (absent counts as 0), in one probe when the host is present. */
  add(host: number, delta: number): void {
    checkHost(host);
    if (this.key0 === host) {
      const v = this.value0 + delta;
      if (v === 0) this.delete(host);
      else this.value0 = v;
      return;
    }
    const at = this.find(host);
    if (at < 0) {
      if (delta !== 0) this.addNew(host, delta);
      return;
    }
    const t = this.slots as Int32Array;
    const v = (t[at + 1] as number) + delta;
    if (v === 0) this.delete(host);
    else t[at + 1] = v;
  }

  /** Calls `visit` with every host and its value, in no particular order. */
  forEach(visit: (host: number, value: number) => void): void {
    if (this.key0 !== EMPTY) visit(this.key0, this.value0);
    const t = this.slots;
    if (t === undefined) return;
    for (let i = 0; i < t.length; i += 2) {
      const k = t[i] as number;
      if (k !== EMPTY) visit(k, t[i + 1] as number);
    }
  }

  /** The index of `host`'s key in the table, or -1 if the table does not hold it. */
  private find(host: number): number {
    if (this.inTable === 0) return -1;
    const t = this.slots as Int32Array;
    const mask = (t.length >> 1) - 1;
    for (let i = hash(host) & mask; ; i = (i + 1) & mask) {
      const k = t[2 * i] as number;
      if (k === host) return 2 * i;
      if (k === EMPTY) return -1;
    }
  }

  /** Adds a host held nowhere yet: inline if that entry is free, else in the table. */
  private addNew(host: number, value: number): void {
    this.count++;
    if (this.key0 === EMPTY) {
      this.key0 = host;
      this.value0 = value;
    } else this.insert(host, value);
  }

  /** Puts a host the table does not hold into it. */
  private insert(host: number, value: number): void {
    let t = this.slots;
    if (t === undefined || 4 * (this.inTable + 1) > t.length) t = this.grow();
    const mask = (t.length >> 1) - 1;
    let i = hash(host) & mask;
    while ((t[2 * i] as number) !== EMPTY) i = (i + 1) & mask;
    t[2 * i] = host;
    t[2 * i + 1] = value;
    this.inTable++;
  }

  private delete(host: number): void {
    if (this.key0 === host) {
      this.key0 = EMPTY;
      this.value0 = 0;
      this.count--;
      return;
    }
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
    this.inTable--;
    this.count--;
  }

  private grow(): Int32Array {
    const old = this.slots;
    const t = new Int32Array(old === undefined ? FIRST_TABLE_INTS : old.length * 2).fill(EMPTY);
    for (let i = 1; i < t.length; i += 2) t[i] = 0;
    this.slots = t;
    this.inTable = 0;
    if (old !== undefined)
      for (let i = 0; i < old.length; i += 2)
        if ((old[i] as number) !== EMPTY) this.insert(old[i] as number, old[i + 1] as number);
    return t;
  }
}

/** A negative host would match the free inline entry's key: a caller's bug, refused. */
function checkHost(host: number): void {
  if (!(host >= 0)) throw new RangeError(`HostTable: host ${host} must be >= 0`);
}

/** Spreads host indices (an integer mix) so runs of consecutive hosts do not cluster in the table. */
function hash(host: number): number {
  const h = Math.imul(host ^ (host >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}
