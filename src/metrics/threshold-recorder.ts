/**
 * What k6-style thresholds read, per scope a threshold can name: client requests per (traffic source,
 * client cluster) and calls per service, each with completed, failed and within-deadline counts and the
 * durations of answered and failed ones apart (log histograms, 1% relative accuracy, mergeable so a scope
 * over several cells is exact in counts and within 1% in quantiles). After warm-up only, like every figure.
 *
 * Plain data out (`ThresholdRecord`); experiment/thresholds.ts evaluates the expressions.
 */
import { isFailure } from '../mesh/index.js';
import type { CallRecord, RecordSink, RequestRecord } from './record-buffer.js';
import { LogHistogram, type LogHistogramJSON } from './stats/index.js';

export interface ThresholdCellJSON {
  readonly completed: number;
  readonly failed: number;
  /** Answered (not 5xx) within the deadline (`slo.latency.p99`); equals answered without one. */
  readonly withinDeadline: number;
  readonly answered: LogHistogramJSON;
  readonly failedDurations: LogHistogramJSON;
}

export interface ThresholdRecord {
  readonly measuredMs: number;
  readonly traffic: readonly string[];
  readonly clusters: readonly string[];
  readonly services: readonly string[];
  /** By `traffic * clusters.length + cluster`. */
  readonly requests: readonly ThresholdCellJSON[];
  /** By service index. */
  readonly calls: readonly ThresholdCellJSON[];
}

class Cell {
  completed = 0;
  failed = 0;
  withinDeadline = 0;
  readonly answered = new LogHistogram(0.01);
  readonly failedDurations = new LogHistogram(0.01);

  add(ok: boolean, ms: number, deadlineMs: number): void {
    this.completed++;
    if (ok) {
      this.answered.record(ms);
      if (ms <= deadlineMs) this.withinDeadline++;
    } else {
      this.failed++;
      this.failedDurations.record(ms);
    }
  }

  toJSON(): ThresholdCellJSON {
    return {
      completed: this.completed,
      failed: this.failed,
      withinDeadline: this.withinDeadline,
      answered: this.answered.toJSON(),
      failedDurations: this.failedDurations.toJSON(),
    };
  }
}

export class ThresholdRecorder implements RecordSink {
  private readonly requests: Cell[];
  private readonly calls: Cell[];

  constructor(
    private readonly shape: {
      readonly traffic: readonly string[];
      readonly clusters: readonly string[];
      readonly services: readonly string[];
      readonly warmupMs: number;
      readonly durationMs: number;
      /** `slo.latency.p99`, or Infinity. */
      readonly deadlineMs: number;
    },
  ) {
    this.requests = Array.from({ length: shape.traffic.length * shape.clusters.length }, () => new Cell());
    this.calls = shape.services.map(() => new Cell());
  }

  requestStarted(): void {}

  /*
   * Each hook holds the warm-up test alone and records in a method of its own, as the run and Fortio
   * recorders do: a hook optimized during the warm-up, when it returned early nearly every time, had its
   * calls weighed as cold by TurboFan and none inlined for the rest of the run (s30-box).
   */
  requestCompleted(r: Readonly<RequestRecord>): void {
    if (r.startMs >= this.shape.warmupMs) this.recordRequest(r);
  }

  callCompleted(call: Readonly<CallRecord>): void {
    if (call.sentMs >= this.shape.warmupMs) this.recordCall(call);
  }

  private recordRequest(r: Readonly<RequestRecord>): void {
    const cell = this.requests[r.traffic * this.shape.clusters.length + r.clientCluster];
    cell?.add(!isFailure(r.responseCode), r.endMs - r.startMs, this.shape.deadlineMs);
  }

  private recordCall(call: Readonly<CallRecord>): void {
    this.calls[call.service.index]?.add(!isFailure(call.responseCode), call.endMs - call.sentMs, Infinity);
  }

  converged(): void {}
  staleProxies(): void {}
  pushed(): void {}
  xdsClients(): void {}
  podCreationRejected(): void {}
  certExpired(): void {}

  record(): ThresholdRecord {
    return {
      measuredMs: this.shape.durationMs - this.shape.warmupMs,
      traffic: this.shape.traffic,
      clusters: this.shape.clusters,
      services: this.shape.services,
      requests: this.requests.map((c) => c.toJSON()),
      calls: this.calls.map((c) => c.toJSON()),
    };
  }
}
