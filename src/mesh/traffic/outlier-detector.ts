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

/**
 * One host's monitor (Envoy keeps a `DetectorHostMonitorImpl` per host). Only hosts with something to
 * remember have one: a failure count, an ejection or a back-off multiplier; a host back at all zeros is
 * forgotten, so a proxy's detector holds the handful of hosts that failed, not every host of the cluster.
 */
class HostMonitor {
  ejected = false;
  consecutive5xx = 0;
  consecutiveGateway = 0;
  /** Envoy `ejectTimeBackoff`: the multiplier of the next ejection's duration. */
  backoff = 0;
  lastEjectionMs = 0;
  /** NaN until the host first returns from an ejection. */
  lastUnejectionMs = NaN;

  /** Whether the monitor holds nothing a fresh one would not (the host can be forgotten). */
  get idle(): boolean {
    return !this.ejected && this.consecutive5xx === 0 && this.consecutiveGateway === 0 && this.backoff === 0;
  }
}

/** Outlier detection state of one proxy's view of one upstream cluster. */
export class OutlierDetector {
  /** Hosts ejected now. */
  ejectedCount = 0;
  /** Time of the next interval sweep. */
  nextSweepAt: number;
  /** Increases whenever a host is ejected or returns, or the host set changes: cache keys for healthy lists. */
  version = 0;

  /** Monitors by host index, only for hosts with state (see HostMonitor). */
  private monitors = new Map<number, HostMonitor>();
  private hosts: number;
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
    this.hosts = hostCount;
  }

  /** Number of hosts tracked (all priorities). */
  get hostCount(): number {
    return this.hosts;
  }

  /** Hosts with a monitor (something remembered): what this detector's memory grows with. */
  get monitoredCount(): number {
    return this.monitors.size;
  }

  /** Whether `host` is ejected now (call `advance(now)` first if sweeps are not scheduled). */
  isEjected(host: number): boolean {
    return this.monitors.get(host)?.ejected === true;
  }

  /** Calls `visit` with every host ejected now (in no particular order). */
  forEachEjected(visit: (host: number) => void): void {
    if (this.ejectedCount === 0) return;
    for (const [h, m] of this.monitors) if (m.ejected) visit(h);
  }

  /** A non-5xx response from `host`: resets its consecutive counters. */
  recordSuccess(host: number): void {
    const m = this.monitors.get(host);
    if (m === undefined) return;
    m.consecutive5xx = 0;
    m.consecutiveGateway = 0;
    if (m.idle) this.monitors.delete(host);
  }

  /**
   * A failed attempt to `host` at `nowMs`. Runs any sweeps due first. Returns true when this failure ejected
   * the host.
   */
  recordFailure(host: number, kind: FailureKind, nowMs: number): boolean {
    this.advance(nowMs);
    let m = this.monitors.get(host);
    if (m === undefined) {
      m = new HostMonitor();
      this.monitors.set(host, m);
    }
    let ejected = false;
    // Envoy checks the gateway counter before the 5xx counter (putHttpResponseCode).
    if (kind === 'gateway' || kind === 'local-origin') {
      m.consecutiveGateway++;
      if (m.consecutiveGateway === this.config.consecutiveGatewayErrors && !m.ejected) {
        ejected = this.tryEject(m, nowMs);
        m.consecutiveGateway = 0;
      }
    } else {
      m.consecutiveGateway = 0;
    }
    m.consecutive5xx++;
    if (m.consecutive5xx === this.config.consecutive5xxErrors && !m.ejected) {
      ejected = this.tryEject(m, nowMs) || ejected;
      m.consecutive5xx = 0;
    }
    if (m.idle) this.monitors.delete(host);
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
   * any host returned. Visits the monitored hosts only; each host's change depends on its own state alone,
   * so the order of the visit does not matter.
   */
  sweep(nowMs: number): boolean {
    const base = this.config.baseEjectionTimeMs;
    const interval = this.config.intervalMs;
    let returned = false;
    for (const m of this.monitors.values()) {
      if (!m.ejected) continue;
      const duration = Math.min(base * m.backoff, this.maxEjectionTimeMs);
      if (duration <= nowMs - m.lastEjectionMs) {
        this.uneject(m, nowMs);
        returned = true;
      }
    }
    for (const [h, m] of this.monitors) {
      if (m.ejected || m.backoff === 0) continue;
      // NaN (never returned) compares false: only hosts back for a full interval count down.
      if (nowMs - m.lastUnejectionMs >= interval) {
        m.backoff--;
        if (m.backoff === 0) {
          this.backoffHosts--;
          if (m.idle) this.monitors.delete(h);
        }
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
    const newIndex = new Map<number, number>();
    if (previousIndex !== undefined)
      for (let i = 0; i < hostCount; i++) {
        const j = previousIndex[i] as number;
        if (j >= 0) newIndex.set(j, i);
      }
    this.remap(hostCount, (old) => newIndex.get(old) ?? -1);
  }

  /**
   * The host set changed: `newIndexOf(old)` is the new index of old host `old`, or -1 when it left. Hosts
   * that persist keep their monitor; costs the monitored hosts, not the cluster's size.
   */
  remap(hostCount: number, newIndexOf: (old: number) => number): void {
    const old = this.monitors;
    this.monitors = new Map();
    this.hosts = hostCount;
    this.ejectedCount = 0;
    this.backoffHosts = 0;
    for (const [j, m] of old) {
      const i = newIndexOf(j);
      if (i < 0 || i >= hostCount) continue;
      this.monitors.set(i, m);
      if (m.ejected) this.ejectedCount++;
      if (m.backoff > 0) this.backoffHosts++;
    }
    this.version++;
  }

  /**
   * Envoy `onConsecutiveErrorWorker` then `ejectHost`: a counter reached its threshold on a host not
   * ejected (an ejected host is skipped and its counter kept); the ejection is allowed while
   * `ejected_percent` over all hosts stays within the maximum (strict `<=` check). The caller resets the
   * counter, ejected or not.
   */
  private tryEject(m: HostMonitor, nowMs: number): boolean {
    const percent = (100 * (this.ejectedCount + 1)) / this.hosts;
    if (percent > this.maxEjectionPercent) return false;
    m.ejected = true;
    this.ejectedCount++;
    m.lastEjectionMs = nowMs;
    const base = this.config.baseEjectionTimeMs;
    const b = m.backoff;
    if (b * base < this.maxEjectionTimeMs + base) {
      m.backoff = b + 1;
      if (b === 0) this.backoffHosts++;
    }
    this.version++;
    return true;
  }

  private uneject(m: HostMonitor, nowMs: number): void {
    m.ejected = false;
    this.ejectedCount--;
    m.consecutive5xx = 0;
    m.consecutiveGateway = 0;
    m.lastUnejectionMs = nowMs;
    this.version++;
  }
}
