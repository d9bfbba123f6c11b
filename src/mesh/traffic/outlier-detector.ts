/**
 * Envoy's outlier detection for one (proxy, upstream cluster): consecutive-error ejection with Envoy's exact
 * counters, max-ejection check, back-off and interval sweeps (istio-behaviour.md 4.4;
 * `source/common/upstream/outlier_detection_impl.cc`).
 *
 * Contents: `OutlierDetector` (the state machine) and `FailureKind` (what a failed attempt was).
 *
 * Semantics reproduced from Envoy:
 * - A 5xx increments the consecutive-5xx counter; a 502/503/504 also the consecutive-gateway counter (any
 *   other 5xx resets that one); anything else resets both. Without `splitExternalLocalOriginErrors` (Istio
 *   leaves it off) a local-origin failure is reported as 503 (connect failure) or 504 (timeout): both
 *   counters. A counter *reaching* its threshold (`++counter == threshold`) triggers ejection at once.
 * - The ejection is refused unless 100·(ejected+1)/hosts ≤ maxEjectionPercent, over all hosts of the cluster
 *   (every priority). Refused or not, the counter that triggered is reset; a host already ejected is skipped
 *   without reset. With the default 10 % a cluster of fewer than 10 hosts never ejects (Envoy PR #27909;
 *   Istio does not set `always_eject_one_host`).
 * - Each ejection bumps the host's back-off multiplier (while base·multiplier < max + base); the ejection
 *   lasts min(base·multiplier, max) with max = max(300 s, base), and ends only at an interval sweep. Sweeps
 *   run every `interval` from the detector's creation. At a sweep, a host that is not ejected and was last
 *   un-ejected at least one interval ago has its multiplier decremented.
 * - Un-ejection resets the host's counters.
 */
import type { OutlierDetection } from '../routing-config.js';

/** How an attempt to a host failed, for outlier detection. */
export const FailureKind = {
  /** An upstream 5xx other than 502/503/504. */
  '5xx': '5xx',
  /** An upstream 502, 503 or 504. */
  gateway: 'gateway',
  /** Connect failure, connect timeout or reset: Envoy reports it as 503/504, so it counts as both. */
  'local-origin': 'local-origin',
} as const;
export type FailureKind = keyof typeof FailureKind;
export function isFailureKind(x: unknown): x is FailureKind {
  return typeof x === 'string' && Object.hasOwn(FailureKind, x);
}

/** Envoy `DEFAULT_MAX_EJECTION_TIME_MS`. */
export const DEFAULT_MAX_EJECTION_TIME_MS = 300_000;

/** Outlier detection state of one proxy's view of one upstream cluster. */
export class OutlierDetector {
  /** 1 where the host is ejected; read it directly on the hot path. */
  ejected: Uint8Array;
  /** Hosts ejected now. */
  ejectedCount = 0;
  /** Time of the next interval sweep. */
  nextSweepAt: number;
  /** Increases whenever a host is ejected or returns, or the host set changes: cache keys for healthy lists. */
  version = 0;

  private consecutive5xx: Int32Array;
  private consecutiveGateway: Int32Array;
  /** Envoy `ejectTimeBackoff`: the multiplier of the next ejection's duration. */
  private backoff: Int32Array;
  private lastEjectionMs: Float64Array;
  /** NaN until the host first returns from an ejection. */
  private lastUnejectionMs: Float64Array;
  /** Hosts whose multiplier is above 0: when none and nothing is ejected, sweeps change nothing. */
  private backoffHosts = 0;
  private readonly maxEjectionPercent: number;
  private readonly maxEjectionTimeMs: number;

  constructor(
    readonly config: OutlierDetection,
    hostCount: number,
    startMs: number,
  ) {
    if (!(config.intervalMs > 0))
      throw new RangeError(`OutlierDetector: interval ${config.intervalMs} ms must be > 0`);
    // Istio's field is an integer percent; routing-config keeps it as a fraction.
    this.maxEjectionPercent = Math.min(100, Math.round(config.maxEjectionPercent * 100));
    this.maxEjectionTimeMs = Math.max(DEFAULT_MAX_EJECTION_TIME_MS, config.baseEjectionTimeMs);
    this.nextSweepAt = startMs + config.intervalMs;
    this.ejected = new Uint8Array(hostCount);
    this.consecutive5xx = new Int32Array(hostCount);
    this.consecutiveGateway = new Int32Array(hostCount);
    this.backoff = new Int32Array(hostCount);
    this.lastEjectionMs = new Float64Array(hostCount);
    this.lastUnejectionMs = new Float64Array(hostCount).fill(NaN);
  }

  /** Number of hosts tracked (all priorities). */
  get hostCount(): number {
    return this.ejected.length;
  }

  /** Whether `host` is ejected now (call `advance(now)` first if sweeps are not scheduled). */
  isEjected(host: number): boolean {
    return this.ejected[host] === 1;
  }

  /** A non-5xx response from `host`: resets its consecutive counters. */
  recordSuccess(host: number): void {
    this.consecutive5xx[host] = 0;
    this.consecutiveGateway[host] = 0;
  }

  /**
   * A failed attempt to `host` at `nowMs`. Runs any sweeps due first. Returns true when this failure ejected
   * the host.
   */
  recordFailure(host: number, kind: FailureKind, nowMs: number): boolean {
    this.advance(nowMs);
    let ejected = false;
    // Envoy checks the gateway counter before the 5xx counter (putHttpResponseCode).
    if (kind === 'gateway' || kind === 'local-origin') {
      const c = (this.consecutiveGateway[host] as number) + 1;
      this.consecutiveGateway[host] = c;
      if (c === this.config.consecutiveGatewayErrors)
        ejected = this.onConsecutive(host, nowMs, this.consecutiveGateway);
    } else {
      this.consecutiveGateway[host] = 0;
    }
    const c = (this.consecutive5xx[host] as number) + 1;
    this.consecutive5xx[host] = c;
    if (c === this.config.consecutive5xxErrors)
      ejected = this.onConsecutive(host, nowMs, this.consecutive5xx) || ejected;
    return ejected;
  }

  /** Convenience: an HTTP status from `host` (0 = no response, a local-origin failure). */
  recordResponse(host: number, code: number, nowMs: number): boolean {
    if (code === 0) return this.recordFailure(host, 'local-origin', nowMs);
    if (code < 500) {
      this.recordSuccess(host);
      return false;
    }
    return this.recordFailure(host, code >= 502 && code <= 504 ? 'gateway' : '5xx', nowMs);
  }

  /**
   * Runs every sweep due at or before `nowMs`, each at its own time. Cheap when nothing is due; when no host
   * is ejected or carries a back-off multiplier, skips the idle sweeps in O(1). Returns whether any host
   * returned.
   */
  advance(nowMs: number): boolean {
    let returned = false;
    while (this.nextSweepAt <= nowMs) {
      if (this.ejectedCount === 0 && this.backoffHosts === 0) {
        const interval = this.config.intervalMs;
        this.nextSweepAt += Math.floor((nowMs - this.nextSweepAt) / interval + 1) * interval;
        break;
      }
      returned = this.sweep(this.nextSweepAt) || returned;
    }
    return returned;
  }

  /**
   * One interval sweep at `nowMs` (Envoy `onIntervalTimer`): un-ejects hosts whose time is up, decrements
   * the multipliers of hosts that stayed in, and arms the next sweep at `nowMs + interval`. Returns whether
   * any host returned.
   */
  sweep(nowMs: number): boolean {
    const base = this.config.baseEjectionTimeMs;
    const interval = this.config.intervalMs;
    let returned = false;
    const n = this.ejected.length;
    for (let h = 0; h < n; h++) {
      if (this.ejected[h] !== 1) continue;
      const duration = Math.min(base * (this.backoff[h] as number), this.maxEjectionTimeMs);
      if (duration <= nowMs - (this.lastEjectionMs[h] as number)) {
        this.uneject(h, nowMs);
        returned = true;
      }
    }
    for (let h = 0; h < n; h++) {
      if (this.ejected[h] === 1 || (this.backoff[h] as number) === 0) continue;
      // NaN (never returned) compares false: only hosts back for a full interval count down.
      if (nowMs - (this.lastUnejectionMs[h] as number) >= interval) {
        this.backoff[h] = (this.backoff[h] as number) - 1;
        if (this.backoff[h] === 0) this.backoffHosts--;
      }
    }
    this.nextSweepAt = nowMs + interval;
    return returned;
  }

  /**
   * The host set changed (an EDS update). `previousIndex[i]` is the old index of new host `i`, or -1 for a
   * new host; hosts that persist keep their counters, ejection and multiplier, as Envoy keeps a monitor per
   * host. Without `previousIndex` every host starts fresh (use it only when the hosts are all new).
   */
  resize(hostCount: number, previousIndex?: ArrayLike<number>): void {
    const old = {
      ejected: this.ejected,
      c5: this.consecutive5xx,
      gw: this.consecutiveGateway,
      backoff: this.backoff,
      ej: this.lastEjectionMs,
      unej: this.lastUnejectionMs,
    };
    this.ejected = new Uint8Array(hostCount);
    this.consecutive5xx = new Int32Array(hostCount);
    this.consecutiveGateway = new Int32Array(hostCount);
    this.backoff = new Int32Array(hostCount);
    this.lastEjectionMs = new Float64Array(hostCount);
    this.lastUnejectionMs = new Float64Array(hostCount).fill(NaN);
    this.ejectedCount = 0;
    this.backoffHosts = 0;
    for (let i = 0; i < hostCount; i++) {
      const j = previousIndex === undefined ? -1 : (previousIndex[i] as number);
      if (j < 0 || j >= old.ejected.length) continue;
      this.ejected[i] = old.ejected[j] as number;
      this.consecutive5xx[i] = old.c5[j] as number;
      this.consecutiveGateway[i] = old.gw[j] as number;
      this.backoff[i] = old.backoff[j] as number;
      this.lastEjectionMs[i] = old.ej[j] as number;
      this.lastUnejectionMs[i] = old.unej[j] as number;
      this.ejectedCount += this.ejected[i] as number;
      if ((this.backoff[i] as number) > 0) this.backoffHosts++;
    }
    this.version++;
  }

  /** Envoy `onConsecutiveErrorWorker`: skip an ejected host; else try to eject and reset the counter. */
  private onConsecutive(host: number, nowMs: number, counter: Int32Array): boolean {
    if (this.ejected[host] === 1) return false;
    const ejected = this.tryEject(host, nowMs);
    counter[host] = 0;
    return ejected;
  }

  /** Envoy `ejectHost`, with `ejected_percent` over all hosts and the strict `<=` check. */
  private tryEject(host: number, nowMs: number): boolean {
    const percent = (100 * (this.ejectedCount + 1)) / this.ejected.length;
    if (percent > this.maxEjectionPercent) return false;
    this.ejected[host] = 1;
    this.ejectedCount++;
    this.lastEjectionMs[host] = nowMs;
    const base = this.config.baseEjectionTimeMs;
    const b = this.backoff[host] as number;
    if (b * base < this.maxEjectionTimeMs + base) {
      this.backoff[host] = b + 1;
      if (b === 0) this.backoffHosts++;
    }
    this.version++;
    return true;
  }

  private uneject(host: number, nowMs: number): void {
    this.ejected[host] = 0;
    this.ejectedCount--;
    this.consecutive5xx[host] = 0;
    this.consecutiveGateway[host] = 0;
    this.lastUnejectionMs[host] = nowMs;
    this.version++;
  }
}
