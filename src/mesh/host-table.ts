/**
 * A sparse map from host index (a non-negative integer) to a non-zero integer, in an open-addressing table:
 * one Int32Array of (key, value) pairs, at most half full, and no object per entry, where a Map of records
 * would spend about 80 bytes and an allocation per entry. A proxy's per-host state is this sparse: active
 * requests exist for the handful of hosts with requests in flight, and pooled connections for the hosts
 * it has sent to (Envoy keeps one to every host it used until Istio's one-hour idle timeout).
 *
 * 0 is the absent value: `get` returns 0 for a host not in the table. A host whose value goes back to 0
 * keeps its entry (a try's count goes 0 -> 1 -> 0: no delete and re-insert per try) until the table, half
 * full, is rebuilt without its zero entries, at the same size when that makes room, else twice the size:
 * the table is bounded by the hosts with non-zero values, not by the hosts ever seen. Linear probing, no
 * deletion; nothing is allocated until the first entry. The first table is 8 slots, 64 bytes: V8 keeps a typed array
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
  /** The inline entry: its host, free while its value is 0 (a host is never non-zero both here and in the table). */
  private key0 = EMPTY;
  private value0 = 0;
  /** Hosts with a non-zero value, inline and in the table. */
  private count = 0;
  /** Slot i holds its key at 2i and its value at 2i + 1; EMPTY keys are free slots. */
  private slots: Int32Array | undefined = undefined;
  /** Entries in `slots`, those whose value went back to 0 included (dropped when the table is rebuilt). */
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

  /** Sets `host`'s value (0: absent). */
  set(host: number, value: number): void {
    this.add(host, value - this.get(host));
  }

  /**
   * Adds `delta` to `host`'s value (absent counts as 0), in one probe when the host has an entry. An entry
   * whose value goes back to 0 stays: a proxy's active counts go 0 -> 1 -> 0 on every try, and deleting
   * and re-inserting each time was most of the table's work; zero entries go when the table is rebuilt.
   */
  add(host: number, delta: number): void {
    checkHost(host);
    if (delta === 0) return;
    if (this.key0 === host) {
      this.value0 = this.counted(this.value0, this.value0 + delta);
      return;
    }
    const at = this.find(host);
    if (at >= 0) {
      const t = this.slots as Int32Array;
      t[at + 1] = this.counted(t[at + 1] as number, (t[at + 1] as number) + delta);
      return;
    }
    this.count++;
    if (this.value0 === 0) {
      this.key0 = host;
      this.value0 = delta;
    } else this.insert(host, delta);
  }

  /** Calls `visit` with every host of non-zero value and its value, in no particular order. */
  forEach(visit: (host: number, value: number) => void): void {
    if (this.value0 !== 0) visit(this.key0, this.value0);
    const t = this.slots;
    if (t === undefined) return;
    for (let i = 0; i < t.length; i += 2) {
      const k = t[i] as number;
      if (k !== EMPTY && (t[i + 1] as number) !== 0) visit(k, t[i + 1] as number);
    }
  }

  /** `now`, after counting a value going from `before` to `now` in and out of `count`. */
  private counted(before: number, now: number): number {
    if (before === 0) this.count++;
    else if (now === 0) this.count--;
    return now;
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

  /** Puts a host the table does not hold into it, rebuilding the table first if it is half full. */
  private insert(host: number, value: number): void {
    let t = this.slots;
    if (t === undefined || 4 * (this.inTable + 1) > t.length) t = this.rebuild();
    const mask = (t.length >> 1) - 1;
    let i = hash(host) & mask;
    while ((t[2 * i] as number) !== EMPTY) i = (i + 1) & mask;
    t[2 * i] = host;
    t[2 * i + 1] = value;
    this.inTable++;
  }

  /**
   * A new table holding the non-zero entries: the same size when dropping the zero entries made room,
   * else twice the size. Past the first table, a rebuilt table is at most a quarter full with the new
   * entry, so rebuilds are at least as many inserts apart as the table holds entries; the first (8 slots)
   * may be rebuilt as soon as it is half full again, which costs little at its size.
   */
  private rebuild(): Int32Array {
    const old = this.slots;
    let live = 0;
    if (old !== undefined)
      for (let i = 0; i < old.length; i += 2)
        if ((old[i] as number) !== EMPTY && (old[i + 1] as number) !== 0) live++;
    let size = old === undefined ? FIRST_TABLE_INTS : old.length;
    while (live + 1 > (size === FIRST_TABLE_INTS ? size / 4 : size / 8)) size *= 2;
    const t = new Int32Array(size).fill(EMPTY);
    for (let i = 1; i < t.length; i += 2) t[i] = 0;
    this.slots = t;
    this.inTable = 0;
    if (old !== undefined)
      for (let i = 0; i < old.length; i += 2)
        if ((old[i] as number) !== EMPTY && (old[i + 1] as number) !== 0)
          this.insert(old[i] as number, old[i + 1] as number);
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
