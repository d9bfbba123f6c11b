/**
 * The records a run keeps besides its summary, as one recorder for the record buffer (record-buffer.ts) to
 * replay into: Istio telemetry, Fortio's per-source record and the thresholds' cells, each optional. One
 * object calling concrete classes (no chain of tees, no calls to the no-op methods) keeps the replay loop
 * small (npm run bench measures it).
 */
import type { FortioRecorder } from './fortio-recorder.js';
import type { IstioTelemetryRecorder } from './istio-telemetry-recorder.js';
import type { CallRecord, RecordSink, RequestRecord, StartedRequestRecord } from './record-buffer.js';
import type { RunRecorder } from './run-recorder.js';
import type { ThresholdRecorder } from './threshold-recorder.js';

/** Where a completed call goes besides the run's recorder. */
interface CallRecorder {
  callCompleted(call: Readonly<CallRecord>): void;
}

const NO_CALL_RECORDER: CallRecorder = { callCompleted() {} };

/** Where a completed request goes besides the run's recorder. */
interface RequestRecorder {
  requestCompleted(r: Readonly<RequestRecord>): void;
}

const NO_REQUEST_RECORDER: RequestRecorder = { requestCompleted() {} };

export class ExportRecorders implements RecordSink {
  /**
   * The call's other recorders as one, chosen once: `callCompleted` is then two calls with no test, small
   * enough that V8, inlining it into its caller, still inlines the run recorder's `callCompleted` too
   * (with two optional calls it did not, and that call cost ~155 instructions a request out of line:
   * callgrind, the bench mesh, when the caller was the mesh's attemptEnded).
   */
  private readonly calls: CallRecorder;
  /**
   * The request's other recorders as one, chosen once, as `calls`: the record buffer's replay loop inlines
   * `requestCompleted`, and TurboFan's inlining budget for that loop is spent by the bytecode of each hook it
   * inlines (the run recorder's too). With two optional calls it was 57 bytes, and the last callee in line,
   * Fortio's histogram record, was left out of line, its duration boxed at each call.
   */
  private readonly requests: RequestRecorder;

  constructor(
    readonly run: RunRecorder,
    readonly telemetry: IstioTelemetryRecorder | undefined,
    readonly fortio: FortioRecorder | undefined,
    readonly thresholds: ThresholdRecorder | undefined,
  ) {
    this.calls =
      telemetry === undefined
        ? (thresholds ?? NO_CALL_RECORDER)
        : thresholds === undefined
          ? telemetry
          : {
              callCompleted(call) {
                telemetry.callCompleted(call);
                thresholds.callCompleted(call);
              },
            };
    this.requests =
      fortio === undefined
        ? (thresholds ?? NO_REQUEST_RECORDER)
        : thresholds === undefined
          ? fortio
          : {
              requestCompleted(r) {
                fortio.requestCompleted(r);
                thresholds.requestCompleted(r);
              },
            };
  }

  requestStarted(r: Readonly<StartedRequestRecord>): void {
    this.run.requestStarted(r);
  }

  callCompleted(call: Readonly<CallRecord>): void {
    this.run.callCompleted(call);
    this.calls.callCompleted(call);
  }

  requestCompleted(r: Readonly<RequestRecord>): void {
    this.run.requestCompleted(r);
    this.requests.requestCompleted(r);
  }

  converged(ms: number): void {
    // The summary's convergence only: the exported pilot_proxy_convergence_time is istiod's per-proxy
    // push time, recorded from pushed().
    this.run.converged(ms);
  }

  staleProxies(count: number, nowMs: number): void {
    this.run.staleProxies(count, nowMs);
  }

  pushed(sinceStartMs: number | undefined): void {
    this.run.pushed();
    this.telemetry?.pushed(sinceStartMs);
  }

  xdsClients(istiod: string, count: number): void {
    this.run.xdsClients();
    this.telemetry?.xdsClients(istiod, count);
  }

  podCreationRejected(): void {
    this.run.podCreationRejected();
  }

  certExpired(): void {
    this.run.certExpired();
  }
}
