/**
 * The control-plane half of a run's record: convergence of each change, stale proxy-time, pushes, refused
 * pods and expired certificates, each counted after warm-up only.
 */
import type { ControlPlaneSummary } from './run-summary.js';
import { LogHistogram } from './stats/index.js';
import { round } from './tally.js';

/** Streaming record of the control plane's events during one run. */
export class ControlPlaneRecorder {
  private readonly convergence = new LogHistogram(0.01);
  private staleCount = 0;
  private staleSinceMs = 0;
  private staleProxyMs = 0;
  private pushes = 0;
  private rejectedPods = 0;
  private expiredCerts = 0;
  private unconverged = 0;

  constructor(
    private readonly warmupMs: number,
    private readonly durationMs: number,
    /** The simulation clock: the observer's control-plane events carry no time of their own. */
    private readonly now: () => number,
  ) {}

  /** A change made at `now - ms` reached every proxy; changes made during warm-up are not measured. */
  converged(ms: number): void {
    if (this.now() - ms >= this.warmupMs) this.convergence.record(ms);
  }

  staleProxies(count: number, nowMs: number): void {
    this.integrateStale(nowMs);
    this.staleCount = count;
  }

  pushed(): void {
    if (this.now() >= this.warmupMs) this.pushes++;
  }

  podCreationRejected(): void {
    if (this.now() >= this.warmupMs) this.rejectedPods++;
  }

  certExpired(): void {
    if (this.now() >= this.warmupMs) this.expiredCerts++;
  }

  /** Changes still pending when the run ended: their convergence time is unknown, only bounded below. */
  endOfRun(pendingChanges: number): void {
    this.unconverged = pendingChanges;
  }

  /** Histogram buckets held (memory accounting). */
  get bucketCount(): number {
    return this.convergence.bucketCount;
  }

  summary(istiods: number): ControlPlaneSummary {
    this.integrateStale(this.durationMs);
    const c = this.convergence;
    return {
      istiods,
      convergenceMs:
        c.count === 0
          ? null
          : {
              p50: round(c.quantile(0.5) ?? 0, 3),
              p99: round(c.quantile(0.99) ?? 0, 3),
              max: round(c.max ?? 0, 3),
            },
      staleProxySeconds: round(this.staleProxyMs / 1000, 3),
      pushes: this.pushes,
      rejectedPodCreations: this.rejectedPods,
      expiredCertProxies: this.expiredCerts,
      unconvergedChanges: this.unconverged,
    };
  }

  /** Stale proxy-time is counted after warm-up and up to the end of the run (not the drain after it). */
  private integrateStale(nowMs: number): void {
    const from = Math.max(this.staleSinceMs, this.warmupMs);
    const to = Math.min(nowMs, this.durationMs);
    if (to > from) this.staleProxyMs += this.staleCount * (to - from);
    this.staleSinceMs = Math.max(this.staleSinceMs, nowMs);
  }
}
