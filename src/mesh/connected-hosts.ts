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
 * Contents: `ConnectedHosts`.
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
    if (bits !== undefined) return hasBit(bits, host);
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
      setBit(bits, host, connected);
      return;
    }
    const sparse = this.sparse as HostTable;
    sparse.set(host, connected ? 1 : 0);
    // A table is at most half full, 8 bytes a slot: past the bitset's size, switch for good.
    if (16 * this.count > 4 * words(this.hosts)) {
      const b = new Int32Array(words(this.hosts));
      sparse.forEach((h) => setBit(b, h, true));
      this.bits = b;
      this.sparse = undefined;
    }
  }

  /** Calls `visit` with every connected host, in no particular order. */
  forEach(visit: (host: number) => void): void {
    if (this.bits === undefined) this.sparse?.forEach((h) => visit(h));
    else forEachBit(this.bits, visit);
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

export function hasBit(bits: Int32Array, host: number): boolean {
  return (((bits[host >>> 5] as number) >>> (host & 31)) & 1) === 1;
}

export function setBit(bits: Int32Array, host: number, on: boolean): void {
  const w = host >>> 5;
  const mask = 1 << (host & 31);
  bits[w] = on ? (bits[w] as number) | mask : (bits[w] as number) & ~mask;
}

/** Bits set (0 for no bitset). */
export function countBits(bits: Int32Array | undefined): number {
  let n = 0;
  if (bits !== undefined) forEachBit(bits, () => n++);
  return n;
}

/** Calls `visit` with every bit set, in increasing order. */
export function forEachBit(bits: Int32Array, visit: (bit: number) => void): void {
  for (let w = 0; w < bits.length; w++) {
    const word = bits[w] as number;
    if (word === 0) continue;
    for (let b = 0; b < 32; b++) if (((word >>> b) & 1) === 1) visit(w * 32 + b);
  }
}
