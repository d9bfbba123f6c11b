/**
 * Each traffic source's requests as Fortio would have recorded them: its fixed-bucket duration histogram
 * (all requests, and the failed ones apart), Counter sums, and return codes. Plain data out
 * (`FortioRecord`); report/fortio-json.ts writes Fortio's result document from it.
 *
 * Fortio's own histogram (fortio-histogram.ts), on durations in seconds with Fortio's default resolution
 * (Divider 0.001 s).
 *
 * Like the run summary, a request counts when it started after warm-up, whenever it finished. A request
 * that got no response (the client gave up) is Fortio's -1, its code for a socket error.
 */
import { isFailure } from '../mesh/index.js';
import {
  FORTIO_RESOLUTION_S,
  FortioHistogram,
  type FortioHistogramData,
  fortioHistogramData,
} from './fortio-histogram.js';
import type { RecordSink, RequestRecord } from './record-buffer.js';

export interface FortioTrafficRecord {
  readonly traffic: string;
  /** Every request (Fortio's `DurationHistogram`). */
  readonly durations: FortioHistogramData;
  /** Failed requests (Fortio's `ErrorsDurationHistogram`). */
  readonly errorDurations: FortioHistogramData;
  /** Response code (or -1) to count, codes ascending. */
  readonly retCodes: readonly (readonly [number, number])[];
}

export interface FortioRecord {
  /** Simulated time the measurement starts (the end of warm-up) and its length. */
  readonly startMs: number;
  readonly measuredMs: number;
  readonly traffic: readonly FortioTrafficRecord[];
}

/** Codes counted in an array: below this (HTTP's), and Fortio's -1. */
const CODES = 1000;

/** Records requests per traffic source; every other event passes by. */
export class FortioRecorder implements RecordSink {
  private readonly all: FortioHistogram[];
  private readonly errors: FortioHistogram[];
  /**
   * Count by `traffic * (CODES + 1) + code + 1` (codes -1 .. 999: Fortio's -1 and HTTP's), one array for
   * every traffic source; others in `otherCodes`.
   */
  private readonly codes: Float64Array;
  private readonly otherCodes: Map<number, number>[];
  /**
   * A request's duration (s) as the histograms take it (`FortioHistogram.recordCell`): a number passed to
   * a call TurboFan leaves out of line is boxed, a heap number per request.
   */
  private readonly valueCell = new Float64Array(1);

  constructor(
    private readonly traffic: readonly string[],
    private readonly warmupMs: number,
    private readonly durationMs: number,
  ) {
    this.all = traffic.map(() => new FortioHistogram(0, FORTIO_RESOLUTION_S));
    this.errors = traffic.map(() => new FortioHistogram(0, FORTIO_RESOLUTION_S));
    this.codes = new Float64Array(traffic.length * (CODES + 1));
    this.otherCodes = traffic.map(() => new Map());
  }

  requestStarted(): void {}

  /**
   * The warm-up test alone, the recording in a method of its own: a hook optimized during the warm-up,
   * when it returned early nearly every time, had its calls weighed as cold by TurboFan and none inlined
   * for the rest of the run, so each duration crossed `record` boxed (s30-box found this in the run
   * recorder's hooks).
   */
  requestCompleted(r: Readonly<RequestRecord>): void {
    if (r.startMs >= this.warmupMs) this.recordRequest(r);
  }

  private recordRequest(r: Readonly<RequestRecord>): void {
    const traffic = r.traffic;
    const code = r.responseCode;
    const cell = this.valueCell;
    cell[0] = (r.endMs - r.startMs) / 1000;
    (this.all[traffic] as FortioHistogram).recordCell(cell);
    if (isFailure(code)) (this.errors[traffic] as FortioHistogram).recordCell(cell);
    // Fortio's -1 (no response) and HTTP's codes in `codes`, anything else apart.
    if (code >= 0 && code < CODES && (code | 0) === code) {
      const at = traffic * (CODES + 1) + (code === 0 ? 0 : code + 1);
      this.codes[at] = (this.codes[at] as number) + 1;
    } else this.otherCode(traffic, code === 0 ? -1 : code);
  }

  /** A code outside `codes` (Fortio's -1 written as such, or one no HTTP response has). */
  private otherCode(traffic: number, code: number): void {
    if (code === -1) {
      const at = traffic * (CODES + 1);
      this.codes[at] = (this.codes[at] as number) + 1;
      return;
    }
    const others = this.otherCodes[traffic] as Map<number, number>;
    others.set(code, (others.get(code) ?? 0) + 1);
  }

  callCompleted(): void {}
  converged(): void {}
  staleProxies(): void {}
  pushed(): void {}
  xdsClients(): void {}
  podCreationRejected(): void {}
  certExpired(): void {}

  private retCodes(i: number): [number, number][] {
    const out: [number, number][] = [...(this.otherCodes[i] as Map<number, number>).entries()];
    const codes = this.codes.subarray(i * (CODES + 1), (i + 1) * (CODES + 1));
    for (const [slot, n] of codes.entries()) if (n > 0) out.push([slot - 1, n]);
    return out.sort((a, b) => a[0] - b[0]);
  }

  record(): FortioRecord {
    return {
      startMs: this.warmupMs,
      measuredMs: this.durationMs - this.warmupMs,
      traffic: this.traffic.map((traffic, i) => ({
        traffic,
        durations: fortioHistogramData((this.all[i] as FortioHistogram).state()),
        errorDurations: fortioHistogramData((this.errors[i] as FortioHistogram).state()),
        retCodes: this.retCodes(i),
      })),
    };
  }
}
