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

/** UTF-8 bytes of `s`, for pieces encoded once and written many times. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
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
   * A sample's lines `starts[j] values[j] end`, j < n (e.g. `name_bucket{` labels `,le="5"} ` in one start,
   * 12, ` 1767225600.000\n`): every sample line of the export is written here, two copies and a number per
   * line. One small function that V8 compiles cheaply, where a line writer inlined into each renderer was
   * compiled again per caller (an export's first text paid more in compiling than in writing).
   */
  lines(starts: readonly Uint8Array[], values: ArrayLike<number>, n: number, end: Uint8Array): void {
    for (let j = 0; j < n; j++) {
      const start = starts[j] as Uint8Array;
      this.room(start.length + MAX_NUMBER_CHARS + end.length);
      this.put(start);
      this.number(values[j] as number);
      this.put(end);
    }
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

  /** A number as `String(v)` writes it; non-negative integers below 2^53 without making a string. */
  number(v: number): void {
    if (!(v >= 0 && v <= Number.MAX_SAFE_INTEGER && Math.floor(v) === v)) {
      this.ascii(String(v));
      return;
    }
    this.room(MAX_NUMBER_CHARS);
    const c = this.chunk;
    let digits = 1;
    for (let p = 10; p <= v; p *= 10) digits++;
    let at = this.at + digits;
    this.at = at;
    do {
      const q = Math.floor(v / 10);
      c[--at] = 48 + (v - q * 10);
      v = q;
    } while (v > 0);
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
