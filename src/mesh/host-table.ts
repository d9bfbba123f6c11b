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
 */
const EMPTY = -1;
/** 8 slots of (key, value): 64 bytes, V8's largest on-heap typed array (`typed_array_max_size_in_heap`). */
const FIRST_TABLE_INTS = 16;

export class HostTable {
  /** Slot i holds its key at 2i and its value at 2i + 1; EMPTY keys are free slots. */
  private slots: Int32Array | undefined = undefined;
  private count = 0;

  /** Hosts with a non-zero value. */
  get size(): number {
    return this.count;
  }

  get(host: number): number {
    const t = this.slots;
    if (t === undefined) return 0;
    const mask = (t.length >> 1) - 1;
    for (let i = hash(host) & mask; ; i = (i + 1) & mask) {
      const k = t[2 * i] as number;
      if (k === host) return t[2 * i + 1] as number;
      if (k === EMPTY) return 0;
    }
  }

  /** Sets `host`'s value; 0 removes it. */
  set(host: number, value: number): void {
    if (value === 0) {
      this.delete(host);
      return;
    }
    if (!(host >= 0)) throw new RangeError(`HostTable: host ${host} must be >= 0`);
    let t = this.slots;
    if (t === undefined || 4 * (this.count + 1) > t.length) t = this.grow();
    const mask = (t.length >> 1) - 1;
    for (let i = hash(host) & mask; ; i = (i + 1) & mask) {
      const k = t[2 * i] as number;
      if (k === host) {
        t[2 * i + 1] = value;
        return;
      }
      if (k === EMPTY) {
        t[2 * i] = host;
        t[2 * i + 1] = value;
        this.count++;
        return;
      }
    }
  }

  /** Adds `delta` to `host`'s value (absent counts as 0), in one probe when the host is present. */
  add(host: number, delta: number): void {
    const t = this.slots;
    if (t !== undefined) {
      const mask = (t.length >> 1) - 1;
      for (let i = hash(host) & mask; ; i = (i + 1) & mask) {
        const k = t[2 * i] as number;
        if (k === host) {
          const v = (t[2 * i + 1] as number) + delta;
          if (v === 0) this.delete(host);
          else t[2 * i + 1] = v;
          return;
        }
        if (k === EMPTY) break;
      }
    }
    this.set(host, delta);
  }

  /** Calls `visit` with every host and its value, in no particular order. */
  forEach(visit: (host: number, value: number) => void): void {
    const t = this.slots;
    if (t === undefined) return;
    for (let i = 0; i < t.length; i += 2) {
      const k = t[i] as number;
      if (k !== EMPTY) visit(k, t[i + 1] as number);
    }
  }

  private delete(host: number): void {
    const t = this.slots;
    if (t === undefined) return;
    const mask = (t.length >> 1) - 1;
    let hole = hash(host) & mask;
    for (; ; hole = (hole + 1) & mask) {
      const k = t[2 * hole] as number;
      if (k === EMPTY) return;
      if (k === host) break;
    }
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

  private grow(): Int32Array {
    const old = this.slots;
    const t = new Int32Array(old === undefined ? FIRST_TABLE_INTS : old.length * 2).fill(EMPTY);
    for (let i = 1; i < t.length; i += 2) t[i] = 0;
    this.slots = t;
    this.count = 0;
    if (old !== undefined)
      for (let i = 0; i < old.length; i += 2)
        if ((old[i] as number) !== EMPTY) this.set(old[i] as number, old[i + 1] as number);
    return t;
  }
}

/** Spreads host indices (an integer mix) so runs of consecutive hosts do not cluster in the table. */
function hash(host: number): number {
  const h = Math.imul(host ^ (host >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}
