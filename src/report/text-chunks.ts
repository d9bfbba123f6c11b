/**
 * Large report texts (an OpenMetrics export runs to tens of MB) written as bytes into fixed-size chunks
 * instead of one JavaScript string: no string of the whole file is ever built, a writer of the file holds
 * one chunk at a time, and the repeated pieces (label sets, timestamps) are encoded once and copied.
 *
 * `TextChunks` is an `Iterable<Uint8Array>` that produces the chunks afresh on every iteration (a report
 * writer that iterates twice gets the same bytes twice, never an empty second pass).
 */

/** Chunk size: large enough that per-chunk costs vanish, small enough to stay out of the old generation. */
const CHUNK_BYTES = 1 << 18;

/** Bytes of a text, re-iterable: each iteration runs `produce` anew. */
export type TextChunks = Iterable<Uint8Array>;

export function textChunks(produce: () => Generator<Uint8Array, void, undefined>): TextChunks {
  return { [Symbol.iterator]: produce };
}

/** The whole text as one string (tests, small outputs). */
export function chunksToString(chunks: TextChunks): string {
  const parts: Uint8Array[] = [];
  for (const c of chunks) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

const encoder = new TextEncoder();

/** UTF-8 bytes of `s`, for pieces encoded once and written many times. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Appends bytes to the current chunk; full chunks wait in `ready` until the producer yields them. */
export class ChunkWriter {
  private chunk = new Uint8Array(CHUNK_BYTES);
  private at = 0;
  /** Chunks filled and not yet handed out. */
  readonly ready: Uint8Array[] = [];

  private room(n: number): void {
    if (this.at + n <= this.chunk.length) return;
    if (this.at > 0) this.ready.push(this.chunk.subarray(0, this.at));
    this.chunk = new Uint8Array(Math.max(CHUNK_BYTES, n));
    this.at = 0;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
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
    this.room(16);
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
    if (all && this.at > 0) {
      this.ready.push(this.chunk.subarray(0, this.at));
      this.chunk = new Uint8Array(CHUNK_BYTES);
      this.at = 0;
    }
    return this.ready.splice(0, this.ready.length);
  }
}
