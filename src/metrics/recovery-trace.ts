/**
 * A run's availability at a finer grain than its windows, for the time to recover: requests started and
 * requests answered well (without error, and within `slo.latency.p99` when the scenario sets one) per
 * slice of `RECOVERY_SLICES_PER_WINDOW` slices a window, by start time, over the whole mesh. Two arrays of
 * (measured time / slice) counters: memory grows with the run's length, never with its requests.
 *
 * Availability recovery (`availabilityRecovery`): from the fault's end (its start, for faults the mesh
 * routes around), the time until the faulted run's rolling availability stays within `errorRateRise` of
 * its paired baseline's for the rest of the run. Rolling: over `ROLLING_SLICES` slices, so that a
 * handful of requests does not decide it (a span counts only with `minRequests` in both runs). The
 * instant is the end of the last span that misses, so its resolution is one slice (a tenth of a window)
 * where the window-based time to recover resolves to one window: models that recover within one window
 * of each other are told apart when they differ by more than a slice.
 *
 * Contents: `RecoveryTrace`, `RecoveryTraceJSON`, `availabilityRecovery`, `RECOVERY_SLICES_PER_WINDOW`.
 */

/** Slices per `report.window`: the resolution of the availability recovery. */
export const RECOVERY_SLICES_PER_WINDOW = 10;
/** Slices a rolling span covers. */
export const ROLLING_SLICES = 2;

export interface RecoveryTraceJSON {
  readonly startMs: number;
  readonly sliceMs: number;
  readonly started: Float64Array;
  readonly good: Float64Array;
}

export class RecoveryTrace {
  readonly started: Float64Array;
  readonly good: Float64Array;

  constructor(
    readonly startMs: number,
    endMs: number,
    readonly sliceMs: number,
  ) {
    const n = Math.max(0, Math.ceil((endMs - startMs) / sliceMs));
    this.started = new Float64Array(n);
    this.good = new Float64Array(n);
  }

  private slice(startMs: number): number {
    return Math.floor((startMs - this.startMs) / this.sliceMs);
  }

  start(startMs: number): void {
    const s = this.slice(startMs);
    if (s >= 0 && s < this.started.length) this.started[s] = (this.started[s] as number) + 1;
  }

  /** A request that started at `startMs` was answered without error (and within the deadline, if any). */
  answeredWell(startMs: number): void {
    const s = this.slice(startMs);
    if (s >= 0 && s < this.good.length) this.good[s] = (this.good[s] as number) + 1;
  }

  toJSON(): RecoveryTraceJSON {
    return {
      startMs: this.startMs,
      sliceMs: this.sliceMs,
      started: this.started.slice(),
      good: this.good.slice(),
    };
  }

  static fromJSON(json: RecoveryTraceJSON): RecoveryTrace {
    const t = new RecoveryTrace(
      json.startMs,
      json.startMs + json.started.length * json.sliceMs,
      json.sliceMs,
    );
    if (json.good.length !== t.good.length)
      throw new RangeError('RecoveryTrace.fromJSON: arrays differ in length');
    t.started.set(json.started);
    t.good.set(json.good);
    return t;
  }
}

/**
 * Milliseconds from `referenceMs` until the faulted run's rolling availability stays within `rise` of the
 * baseline's: 0 when it never misses after `referenceMs`, null when the run's last span still misses.
 */
export function availabilityRecovery(
  faulted: RecoveryTrace,
  baseline: RecoveryTrace,
  referenceMs: number,
  fault: { readonly atMs: number },
  limits: { readonly errorRateRise: number; readonly minRequests: number },
): number | null {
  const n = Math.min(faulted.started.length, baseline.started.length);
  const first = Math.max(0, Math.floor((fault.atMs - faulted.startMs) / faulted.sliceMs));
  let lastMiss = -1;
  for (let s = first; s + ROLLING_SLICES <= n; s++) {
    let fs = 0;
    let fg = 0;
    let bs = 0;
    let bg = 0;
    for (let k = s; k < s + ROLLING_SLICES; k++) {
      fs += faulted.started[k] as number;
      fg += faulted.good[k] as number;
      bs += baseline.started[k] as number;
      bg += baseline.good[k] as number;
    }
    if (fs < limits.minRequests || bs < limits.minRequests) continue;
    if (bg / bs - fg / fs > limits.errorRateRise) lastMiss = s;
  }
  if (lastMiss < 0) return 0;
  if (lastMiss + ROLLING_SLICES >= n) return null;
  const end = faulted.startMs + (lastMiss + ROLLING_SLICES) * faulted.sliceMs;
  return Math.max(0, end - referenceMs);
}
