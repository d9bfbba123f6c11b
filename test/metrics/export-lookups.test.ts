/**
 * The table lookups the export's hot path uses instead of scanning bucket bounds give exactly what the scans
 * give: Istio's duration bucket (Envoy's `v > bound` moves on, so a value on a bound is in that bound's
 * bucket) and Fortio's bucket (fortio/fortio stats/stats.go `Histogram.record` at
 * 45e18710810d864a615618087228996a0a824b2f: intervals ]prev, cur] with its 1e-12 edge rule). And the
 * chunked text writer, which reuses a chunk's memory once the reader asks for the next, yields the same
 * bytes on every iteration.
 */
import { describe, expect, it } from 'vitest';
import { FORTIO_BUCKET_VALUES, fortioBucket } from '../../src/metrics/fortio-histogram.js';
import { ISTIO_DURATION_BUCKETS_MS, durationBucket } from '../../src/metrics/istio-telemetry-recorder.js';
import { ChunkWriter, chunksToString, textChunks } from '../../src/report/text-chunks.js';
import { fortioScan } from '../helpers/fortio-scan.js';

/** The Istio bucket scan the table replaces, as it was (Fortio's: helpers/fortio-scan.ts). */
function istioScan(v: number): number {
  let i = 0;
  while (i < ISTIO_DURATION_BUCKETS_MS.length && v > (ISTIO_DURATION_BUCKETS_MS[i] as number)) i++;
  return i;
}

/** Values on and next to every bound, on every half and whole number up to `max`, and a seeded spread. */
function probes(bounds: readonly number[], max: number): number[] {
  const out = [0, -0, -1, -1e-300, 1e-300, 1e-13, Number.NaN, Infinity, -Infinity, 1e12];
  for (const b of bounds)
    out.push(b, b - 1e-9, b + 1e-9, b * (1 - 1e-15), b * (1 + 1e-15), b - 1e-13, b + 1e-13);
  for (let k = 0; k <= 2 * max; k++) out.push(k / 2, k / 2 - 1e-12, k / 2 + 1e-12, k / 2 + 0.25);
  let x = 12345;
  for (let i = 0; i < 20_000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push((x / 2 ** 32) * max * 1.5);
  }
  return out;
}

describe('export bucket tables', () => {
  it("Istio's duration bucket by table equals the scan of Envoy's default bounds", () => {
    for (const v of probes(ISTIO_DURATION_BUCKETS_MS, 1100))
      expect([v, durationBucket(v)]).toEqual([v, istioScan(v)]);
  });

  it("Fortio's bucket by table equals stats.go's scan", () => {
    for (const v of probes(FORTIO_BUCKET_VALUES, 2000))
      expect([v, fortioBucket(v)]).toEqual([v, fortioScan(v)]);
  });
});

describe('ChunkWriter', () => {
  /** 6,000 lines of 200 bytes: five chunks, so chunks are recycled. */
  const chunks = textChunks(function* () {
    const w = new ChunkWriter();
    const piece = new TextEncoder().encode('x'.repeat(190));
    for (let i = 0; i < 6000; i++) {
      w.bytes(piece);
      w.ascii(`${i}\n`);
      if (w.ready.length > 0) yield* w.take();
    }
    yield* w.take(true);
  });
  const expected = Array.from({ length: 6000 }, (_, i) => `${'x'.repeat(190)}${i}\n`).join('');

  it('a reader that copies each chunk before asking for the next gets the text, every time', () => {
    expect(chunksToString(chunks)).toBe(expected);
    expect(chunksToString(chunks)).toBe(expected);
  });

  it('reuses a chunk only after the reader has asked for the next one', () => {
    const seen: Uint8Array[] = [];
    const copies: string[] = [];
    for (const c of chunks) {
      seen.push(c);
      copies.push(Buffer.from(c).toString('utf8'));
    }
    expect(copies.join('')).toBe(expected);
    expect(seen.length).toBeGreaterThan(3);
    // Memory is reused (the point of recycling): some chunk's buffer was handed out again.
    expect(new Set(seen.map((c) => c.buffer)).size).toBeLessThan(seen.length);
  });
});
