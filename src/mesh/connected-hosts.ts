/**
 * The hosts of one view a proxy holds a pooled connection to (Envoy keeps one to every host it sent to,
 * until Istio's one-hour idle timeout, which meshsim does not model: over a run the set only grows).
 *
 * Sparse while few: a hash table of the hosts (host-table.ts, 16-32 bytes each, nothing until the first).
 * Once that table would take more room than one bit per host of the view, a bitset instead, allocated once
 * and never grown: the memory of a (proxy, cluster) pair is bounded by hosts/8 bytes however long the run,
 * and a busy proxy stops regrowing (and rehashing) its table as it meets new hosts, which on a
 * 25,000-pod mesh was about 4% of the run's time. A view of at most 4,096 hosts gets its bitset (at most
 * 512 bytes, what the table takes at 16 hosts) on the first connection: on the 25,000-pod bench mesh the
 * tables' regrowth on the way there (8, 16, 32, 64 slots) was 29,200 allocations in 20 simulated seconds,
 * 3% of the profile, each a malloc past 64 bytes. Both answer the same: which representation holds the
 * set changes nothing but memory.
 *
 * Contents: `ConnectedHosts` (a large view's set), `ConnectionRows` (the shared rows of small views' bitsets) and
 * the bit helpers upstream.ts uses on a row.
 */
import { HostTable } from './host-table.js';

export class ConnectedHosts {
  private sparse: HostTable | undefined = new HostTable();
  /** Bit h set while host h is connected; undefined while the set is sparse. */
  private bits: Int32Array | undefined = undefined;
  private count = 0;

  /** `hosts`: the view's host count (host indices lie in [0, hosts)). */
  constructor(private readonly hosts: number) {
    if (directBitsetWords(hosts) > 0) this.sparse = undefined;
  }

  /** Hosts connected. */
  get size(): number {
    return this.count;
  }

  has(host: number): boolean {
    const bits = this.bits;
    if (bits !== undefined) return hasBit(bits, 0, host);
    // A small view's bitset is made by the first connection: until then nothing is connected.
    return this.sparse !== undefined && this.sparse.get(host) === 1;
  }

  set(host: number, connected: boolean): void {
    if (!(host >= 0 && host < this.hosts))
      throw new RangeError(`ConnectedHosts: host ${host} outside the view's ${this.hosts}`);
    if (this.has(host) === connected) return;
    this.count += connected ? 1 : -1;
    const bits = this.sparse === undefined ? (this.bits ??= new Int32Array(words(this.hosts))) : this.bits;
    if (bits !== undefined) {
      setBit(bits, 0, host, connected);
      return;
    }
    const sparse = this.sparse as HostTable;
    sparse.set(host, connected ? 1 : 0);
    // A table is at most half full, 8 bytes a slot: past the bitset's size, switch for good.
    if (16 * this.count > 4 * words(this.hosts)) {
      const b = new Int32Array(words(this.hosts));
      sparse.forEach((h) => setBit(b, 0, h, true));
      this.bits = b;
      this.sparse = undefined;
    }
  }

  /** Calls `visit` with every connected host, in no particular order. */
  forEach(visit: (host: number) => void): void {
    if (this.bits === undefined) this.sparse?.forEach((h) => visit(h));
    else forEachBit(this.bits, 0, this.bits.length, visit);
  }
}

/** Views up to 4,096 hosts (512 bytes of bits) skip the sparse table. */
const DIRECT_BITSET_WORDS = 128;

/** 32-bit words of a bitset of `n` bits. */
function words(n: number): number {
  return Math.max(1, Math.ceil(n / 32));
}

/**
 * The words of the bitset a view of `hosts` hosts starts with on its first connection, or 0 when it is
 * too large for one (then a ConnectedHosts, sparse first). upstream.ts keeps a small view's bitset itself.
 */
export function directBitsetWords(hosts: number): number {
  const n = words(hosts);
  return n <= DIRECT_BITSET_WORDS ? n : 0;
}

/** Bit `host` of the bitset starting at word `base` of `words`. */
export function hasBit(words: Int32Array, base: number, host: number): boolean {
  return (((words[base + (host >>> 5)] as number) >>> (host & 31)) & 1) === 1;
}

export function setBit(words: Int32Array, base: number, host: number, on: boolean): void {
  const w = base + (host >>> 5);
  const mask = 1 << (host & 31);
  words[w] = on ? (words[w] as number) | mask : (words[w] as number) & ~mask;
}

/** Calls `visit` with every bit set of the `n`-word bitset at word `base` of `words`, in increasing order. */
export function forEachBit(words: Int32Array, base: number, n: number, visit: (bit: number) => void): void {
  for (let w = 0; w < n; w++) {
    const word = words[base + w] as number;
    if (word === 0) continue;
    for (let b = 0; b < 32; b++) if (((word >>> b) & 1) === 1) visit(w * 32 + b);
  }
}

/** Words per chunk of `ConnectionRows`: 256 KB. */
const CHUNK_WORDS = 1 << 16;

/**
 * The connection bitsets of a mesh's current views of up to 4,096 hosts, as rows of shared Int32Array
 * chunks. A view holds its chunk and the row's first word: a bit lookup reads the chunk's header, which
 * every view shares and so stays in cache, and the row's one word, where a typed array per view was one
 * more cold cache line per try at 25,000 pods (its header), and about 300 bytes of array buffer, backing
 * store and their bookkeeping besides its bits. A view being replaced copies its row out to an array of
 * its own (`Upstream.retire`) and gives the row back; a freed row goes to the next view of its size.
 */
export class ConnectionRows {
  private readonly chunks: Int32Array[] = [];
  /** Words handed out of the last chunk. */
  private used = CHUNK_WORDS;
  /** Freed rows by size in words, the last freed on top. */
  private readonly free = new Map<number, number[]>();
  private inUse = 0;

  /** Rows handed out and not released. */
  get rows(): number {
    return this.inUse;
  }

  /** A zeroed row of `words` words (at most a chunk), as an id: its chunk's index and first word. */
  allocate(words: number): number {
    if (!(words > 0 && words <= CHUNK_WORDS)) throw new RangeError(`ConnectionRows: a row of ${words} words`);
    this.inUse++;
    const reused = this.free.get(words)?.pop();
    if (reused !== undefined) {
      const base = rowBase(reused);
      this.chunk(reused).fill(0, base, base + words);
      return reused;
    }
    if (this.used + words > CHUNK_WORDS) {
      this.chunks.push(new Int32Array(CHUNK_WORDS));
      this.used = 0;
    }
    const id = (this.chunks.length - 1) * CHUNK_WORDS + this.used;
    this.used += words;
    return id;
  }

  /** The chunk holding row `id`. */
  chunk(id: number): Int32Array {
    const c = this.chunks[Math.floor(id / CHUNK_WORDS)];
    if (c === undefined) throw new RangeError(`ConnectionRows: no row ${id}`);
    return c;
  }

  /** Row `id` (of `words` words) is no longer used. */
  release(id: number, words: number): void {
    this.inUse--;
    let stack = this.free.get(words);
    if (stack === undefined) {
      stack = [];
      this.free.set(words, stack);
    }
    stack.push(id);
  }
}

/** The first word of row `id` in its chunk. */
export function rowBase(id: number): number {
  return id % CHUNK_WORDS;
}
