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
  /** Per traffic source, count by code + 1 (codes -1 .. 999: Fortio's -1 and HTTP's); others in `otherCodes`. */
  private readonly codes: Float64Array[];
  private readonly otherCodes: Map<number, number>[];

  constructor(
    private readonly traffic: readonly string[],
    private readonly warmupMs: number,
    private readonly durationMs: number,
  ) {
    this.all = traffic.map(() => new FortioHistogram(0, FORTIO_RESOLUTION_S));
    this.errors = traffic.map(() => new FortioHistogram(0, FORTIO_RESOLUTION_S));
    this.codes = traffic.map(() => new Float64Array(CODES + 1));
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
    const s = (r.endMs - r.startMs) / 1000;
    (this.all[r.traffic] as FortioHistogram).record(s);
    if (isFailure(r.responseCode)) (this.errors[r.traffic] as FortioHistogram).record(s);
    const code = r.responseCode === 0 ? -1 : r.responseCode;
    if (code >= -1 && code < CODES && Number.isInteger(code)) {
      const codes = this.codes[r.traffic] as Float64Array;
      codes[code + 1] = (codes[code + 1] as number) + 1;
    } else {
      const others = this.otherCodes[r.traffic] as Map<number, number>;
      others.set(code, (others.get(code) ?? 0) + 1);
    }
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
    for (const [slot, n] of (this.codes[i] as Float64Array).entries()) if (n > 0) out.push([slot - 1, n]);
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
