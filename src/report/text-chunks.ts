/**
 * Large report texts (an OpenMetrics export runs to tens of MB) written as bytes into fixed-size chunks
 * instead of one JavaScript string: no string of the whole file is ever built, a writer of the file holds
 * one chunk at a time, and the repeated pieces (label sets, timestamps) are encoded once and copied.
 *
 * `TextChunks` is an `Iterable<Uint8Array>` that produces the chunks afresh on every iteration (a report
 * writer that iterates twice gets the same bytes twice, never an empty second pass). A chunk is valid until
 * the next one is asked for: its memory is then reused for later text (a fresh 256 KB array per chunk costs
 * the system a page fault per 4 KB, tens of ms for a long run's export). A reader that keeps chunks copies
 * them (`chunksToString` does).
 */

/** Chunk size: large enough that per-chunk costs vanish, small enough to stay out of the old generation. */
const CHUNK_BYTES = 1 << 18;

/** The longest `String(v)` of a number (`-1.2345678901234567e+308`), rounded up. */
const MAX_NUMBER_CHARS = 32;

/**
 * Bytes of a text, re-iterable: each iteration runs `produce` anew; a chunk is valid until the next.
 * `maxBytes`: an upper bound of the text's size, when the producer states one (a free-space check).
 */
export type TextChunks = Iterable<Uint8Array> & { readonly maxBytes?: number };

/** Chunks from `produce`; `maxBytes`, when given, is asked only when read (a free-space check). */
export function textChunks(
  produce: () => Generator<Uint8Array, void, undefined>,
  maxBytes?: () => number,
): TextChunks {
  if (maxBytes === undefined) return { [Symbol.iterator]: produce };
  return {
    [Symbol.iterator]: produce,
    get maxBytes() {
      return maxBytes();
    },
  };
}

/** The whole text as one string (tests, small outputs). */
export function chunksToString(chunks: TextChunks): string {
  const parts: Uint8Array[] = [];
  for (const c of chunks) parts.push(c.slice());
  return Buffer.concat(parts).toString('utf8');
}

const encoder = new TextEncoder();

/**
 * `Uint8Array.prototype.set`, called as `copy.call(to, from, at)` where a line's bytes are copied: V8's
 * optimized code looks `to.set` up anew at every call on a typed array (an inline cache's call, ~150
 * instructions a copy, two copies a line), and calls a function it holds directly.
 */
export const copy = Uint8Array.prototype.set;

/** UTF-8 bytes of `s`, for pieces encoded once and written many times. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * The largest integer `samples` writes by its digits (larger ones by `String`). Below it a digit is exact
 * from doubles: `v / 10` is within 1/128 of its true value, so its floor is the quotient and ten times its
 * fraction rounds to the digit.
 */
const MAX_DIGITS_VALUE = 1e15;

/**
 * Sets value `i` of a sample table (`SampleLines.values`, `decimals` 0 until set) to `v` rounded to 6
 * decimals, which `samples` then writes as `num(v)` (openmetrics-lines.ts) does: `String` of the rounded
 * value. A fraction below 1e9 is stored as its digits without the point (`values`) and how many of them
 * follow it (`decimals`): the rounded value `r` is the double nearest to the decimal `round(v * 1e6) /
 * 10^6` of at most 15 digits, and no other decimal of 15 digits or fewer is nearest to `r`, so that
 * decimal, less its trailing zeros, is `r`'s shortest round trip: what `String(r)` writes (in fixed
 * notation from 1e-6 on). So integers and fractions share one digit loop in `samples`.
 */
export function setRounded(values: Float64Array, decimals: Uint8Array, i: number, v: number): void {
  const r = Number.isInteger(v) ? v : Math.round(v * 1e6) / 1e6;
  if (!(r > 0 && r < 1e9) || Number.isInteger(r)) {
    values[i] = r;
    decimals[i] = 0;
    return;
  }
  let digits = Math.round(r * 1e6);
  let after = 6;
  while (digits % 10 === 0) {
    digits /= 10;
    after--;
  }
  values[i] = digits;
  decimals[i] = after;
}

/** The starts of a label set's lines (`name{labels} `, one per line of a sample) and their bytes together. */
export interface LineStarts {
  readonly starts: readonly Uint8Array[];
  readonly bytes: number;
}

/** A label set's sample values: each written as `String` writes it, or as `setRounded` says. */
export interface SampleValues {
  readonly values: Float64Array;
  readonly decimals: Uint8Array;
}

/** A label set's sample lines, as `ChunkWriter.samples` writes them (openmetrics-lines.ts makes them). */
export class SampleLines {
  /** The next sample to write. */
  k: number;
  /** Per line of a sample, its text up to the value. */
  readonly starts: readonly Uint8Array[];
  /** The starts' bytes together. */
  readonly startBytes: number;
  /** Sample `k`'s values from `(k - from) * starts.length`, one per start. */
  readonly values: Float64Array;
  /** Per value, how many of its digits follow the point (see `setRounded`). */
  readonly decimals: Uint8Array;

  constructor(
    starts: LineStarts,
    values: SampleValues,
    /** Per sample, what follows each value: ` timestamp\n` (`\n` alone in a final scrape). */
    readonly times: readonly Uint8Array[],
    /** The first sample written (0, or the last for a final scrape). */
    readonly from: number,
    /** The last sample. */
    readonly last: number,
  ) {
    this.starts = starts.starts;
    this.startBytes = starts.bytes;
    this.values = values.values;
    this.decimals = values.decimals;
    this.k = from;
  }
}

/**
 * Appends bytes to the current chunk; full chunks wait in `ready` until the producer yields them (`take`).
 * Chunks handed out by one `take` are reused from the next `take` on: the reader has finished with them
 * once the producer runs again (see the file comment).
 */
export class ChunkWriter {
  private chunk: Uint8Array = new Uint8Array(CHUNK_BYTES);
  private at = 0;
  /** Chunks filled and not yet handed out. */
  readonly ready: Uint8Array[] = [];
  /** Handed out by the last `take`, and free to fill again. */
  private handedOut: Uint8Array[] = [];
  private readonly free: Uint8Array[] = [];

  private room(n: number): void {
    if (this.at + n > this.chunk.length) this.next(n);
  }

  private next(n: number): void {
    if (this.at > 0) this.ready.push(this.chunk.subarray(0, this.at));
    const spare = this.free.pop();
    this.chunk = spare !== undefined && spare.length >= n ? spare : new Uint8Array(Math.max(CHUNK_BYTES, n));
    this.at = 0;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.put(b);
  }

  /**
   * Writes `rows`' samples from `rows.k` on, each sample's lines `starts[j] value end` (e.g. `name_bucket{`
   * labels `,le="5"} ` in one start, 12, ` 1767225600.000\n`): every sample line of an export is written
   * here. Returns 0 after the last sample, or the room the next sample needs when the chunk has not that
   * much left: the caller then makes it (`makeRoom`, which puts the filled chunk in `ready`) and calls
   * again, from `rows.k`. (Switching chunks here had V8 inline the switch and its allocation into this
   * function, a larger compile for a path taken once per 256 KB.)
   *
   * One function with no calls but the copies, and room made once per sample: an export's first text runs
   * much of this before V8 has optimized it, and every line's calls and checks cost there; and each helper
   * it called was compiled on its own and again inlined into it (an export's first text paid more in
   * compiling than in writing).
   */
  samples(rows: SampleLines): number {
    const { starts, values, decimals, times } = rows;
    const n = starts.length;
    for (let k = rows.k; k <= rows.last; k = rows.k) {
      const end = times[k] as Uint8Array;
      const endBytes = end.length;
      const need = rows.startBytes + n * (MAX_NUMBER_CHARS + endBytes);
      if (this.at + need > this.chunk.length) return need;
      const c = this.chunk;
      let at = this.at;
      let value = (k - rows.from) * n;
      for (let j = 0; j < n; j++) {
        const start = starts[j] as Uint8Array;
        copy.call(c, start, at);
        at += start.length;
        const after = decimals[value] as number;
        let v = values[value++] as number;
        if (!(v >= 0 && v <= MAX_DIGITS_VALUE && Math.floor(v) === v)) {
          const text = String(v);
          for (let i = 0; i < text.length; i++) c[at++] = text.charCodeAt(i);
        } else {
          // One loop for integers and fractions (see `setRounded`): the counters that come first in a
          // text are all integers, and a path of its own for fractions, first taken at the first
          // histogram sum after V8 had optimized this function on the counters, deoptimized it (and
          // it was compiled again: ~20 M instructions). Digits are counted by dividing, not by powers
          // of 10: a power past 2^31 (a fraction's digits) overflowed the small integers V8 had seen.
          let digits = 1;
          for (let rest = v; rest >= 10; rest = Math.floor(rest / 10)) digits++;
          digits = Math.max(digits, after + 1);
          const numberEnd = at + digits + (after > 0 ? 1 : 0);
          const point = numberEnd - after - 1;
          c[point] = 46; // '.', which the last digit overwrites when there are no decimals
          for (let i = numberEnd; digits > 0; digits--) {
            i -= i - 1 === point && after > 0 ? 2 : 1;
            // Not `v - q * 10`: that product outgrew the small integers V8 had seen (the counters'), and
            // deoptimized this function at the first fraction's digits.
            const tenth = v / 10;
            const q = Math.floor(tenth);
            c[i] = 48 + Math.round((tenth - q) * 10);
            v = q;
          }
          at = numberEnd;
        }
        copy.call(c, end, at);
        at += endBytes;
      }
      this.at = at;
      rows.k = k + 1;
    }
    return 0;
  }

  /** A chunk with at least `n` bytes free: the current one, filled, waits in `ready` (see `samples`). */
  makeRoom(n: number): void {
    this.next(n);
  }

  /**
   * Copies `b`, room already made. Always by `set` (~170 instructions a call): a byte loop costs ~30 a
   * byte in optimized code and more before, and a second path deoptimized the writer when first taken.
   */
  private put(b: Uint8Array): void {
    this.chunk.set(b, this.at);
    this.at += b.length;
  }

  /** Text without a non-ASCII character (numbers, fixed words). */
  ascii(s: string): void {
    this.room(s.length);
    const c = this.chunk;
    let at = this.at;
    for (let i = 0; i < s.length; i++) c[at++] = s.charCodeAt(i);
    this.at = at;
  }

  /** Hands out the chunks filled so far, the partly filled one too when `all`. */
  take(all = false): Uint8Array[] {
    // The reader is done with the chunks of the last take (it asked for more, so the producer runs).
    for (const c of this.handedOut) if (c.byteOffset === 0) this.free.push(new Uint8Array(c.buffer));
    if (all && this.at > 0) {
      this.ready.push(this.chunk.subarray(0, this.at));
      this.chunk = new Uint8Array(0);
      this.at = 0;
    }
    this.handedOut = this.ready.splice(0, this.ready.length);
    return this.handedOut;
  }
}
