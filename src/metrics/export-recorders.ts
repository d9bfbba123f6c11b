/**
 * The records a run keeps besides its summary, as one observer: Istio telemetry, Fortio's per-source
 * record and the thresholds' cells, each optional. One object calling concrete classes (no chain of tees,
 * no calls to the no-op methods) keeps what they add to the hot path small (npm run bench measures it).
 */
import type { Call, MeshObserver, MeshRequest } from '../mesh/index.js';
import type { FortioRecorder } from './fortio-recorder.js';
import type { IstioTelemetryRecorder } from './istio-telemetry-recorder.js';
import type { ThresholdRecorder } from './threshold-recorder.js';

/** Where a completed call goes besides the run's recorder. */
interface CallRecorder {
  callCompleted(call: Readonly<Call>): void;
}

const NO_CALL_RECORDER: CallRecorder = { callCompleted() {} };

export class ExportRecorders implements MeshObserver {
  /**
   * The call's other recorders as one, chosen once: `callCompleted` is then two calls with no test, small
   * enough that V8, inlining it into the mesh's attemptEnded, still inlines the run recorder's
   * `callCompleted` too (with two optional calls it did not, and that call cost ~155 instructions a
   * request out of line: callgrind, the bench mesh).
   */
  private readonly calls: CallRecorder;

  constructor(
    private readonly run: MeshObserver,
    private readonly telemetry: IstioTelemetryRecorder | undefined,
    private readonly fortio: FortioRecorder | undefined,
    private readonly thresholds: ThresholdRecorder | undefined,
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
  }

  requestStarted(r: Readonly<MeshRequest>): void {
    this.run.requestStarted(r);
  }

  callCompleted(call: Readonly<Call>): void {
    this.run.callCompleted(call);
    this.calls.callCompleted(call);
  }

  requestCompleted(r: Readonly<MeshRequest>): void {
    this.run.requestCompleted(r);
    this.fortio?.requestCompleted(r);
    this.thresholds?.requestCompleted(r);
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
    this.run.pushed(sinceStartMs);
    this.telemetry?.pushed(sinceStartMs);
  }

  xdsClients(istiod: string, count: number): void {
    this.run.xdsClients(istiod, count);
    this.telemetry?.xdsClients(istiod, count);
  }

  podCreationRejected(): void {
    this.run.podCreationRejected();
  }

  certExpired(): void {
    this.run.certExpired();
  }
}
