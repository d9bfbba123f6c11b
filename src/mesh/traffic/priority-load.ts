/**
 * Envoy's priority load: how much of a proxy's traffic to one upstream cluster each priority level gets,
 * given how many of each level's hosts are healthy (istio-behaviour.md 4.3; Envoy "Priority levels" docs).
 *
 * Contents:
 * - `PriorityLoad`: preallocated, reusable state; `compute()` reproduces Envoy's integer arithmetic
 *   (`LoadBalancerBase::recalculatePerPriorityState`, `recalculatePerPriorityPanic`,
 *   `recalculateLoadInTotalPanic` in `load_balancer_impl.cc`), `choosePriority()` its `choosePriority`.
 * - `OVERPROVISIONING_FACTOR`: Envoy's default 140 (percent).
 *
 * Envoy works in integer percents throughout: health = min(100, ⌊140·healthy/total⌋), each level's load is
 * ⌊health·100/normalizedTotal⌋ capped by what is left of 100, and the rounding remainder goes to the first
 * level with any healthy host. That remainder rule is why three levels at 25/25/20 % healthy get 37/35/28,
 * not the 36/36/28 printed in Envoy's docs table (the table rounds the real-valued shares; Envoy's own unit
 * test `GentleFailoverWithExtraLevels` expects the remainder on P0, e.g. 34/33/33).
 */

/** Envoy's default overprovisioning factor, in percent (`kDefaultOverProvisioningFactor` = 140, i.e. 1.4). */
export const OVERPROVISIONING_FACTOR = 140;

/**
 * Priority load of one upstream cluster as one proxy sees it. Allocate once per (proxy, cluster) with the
 * largest number of levels it may have; `compute()` then allocates nothing.
 */
export class PriorityLoad {
  /** Levels in the last `compute()`. */
  levels = 0;
  /** Envoy's health score per level, 0..100. */
  readonly health: Int32Array;
  /** Envoy's degraded score per level, 0..100. */
  readonly degradedHealth: Int32Array;
  /** Integer percent of requests sent to each level's healthy hosts (Envoy `healthy_priority_load`). */
  readonly healthyPercent: Int32Array;
  /** Integer percent of requests sent to each level's degraded hosts (Envoy `degraded_priority_load`). */
  readonly degradedPercent: Int32Array;
  /** Healthy plus degraded load per level as a fraction in [0, 1]; the levels sum to 1. */
  readonly load: Float64Array;
  /**
   * 1 where the level is in panic: Envoy balances over all of its hosts, healthy or not. Never set when the
   * panic threshold is 0, which is what Istio configures from `minHealthPercent` (istio-behaviour.md 4.3).
   */
  readonly panic: Uint8Array;
  /** Every level is in panic: loads follow host counts, not health (`recalculateLoadInTotalPanic`). */
  totalPanic = false;
  /** min(100, Σ health + Σ degraded health). */
  normalizedTotalAvailability = 0;
  /** Set by `choosePriority()`: whether the chosen level serves from its degraded hosts. */
  pickedDegraded = false;

  constructor(maxLevels: number) {
    this.health = new Int32Array(maxLevels);
    this.degradedHealth = new Int32Array(maxLevels);
    this.healthyPercent = new Int32Array(maxLevels);
    this.degradedPercent = new Int32Array(maxLevels);
    this.load = new Float64Array(maxLevels);
    this.panic = new Uint8Array(maxLevels);
  }

  /**
   * Recomputes the loads from per-level host counts (or host weights: Envoy's `weighted_priority_health`
   * uses the same formula over weights).
   *
   * @param healthy - healthy hosts per level (not ejected, ready)
   * @param total - all hosts per level; a level with 0 hosts is empty and gets no load
   * @param levels - how many entries of the arrays to read
   * @param panicThreshold - fraction in [0, 1]; Envoy rounds it to an integer percent. 0 disables panic
   * @param degraded - degraded hosts per level (Envoy `degraded_hosts`); Istio never marks hosts degraded
   */
  compute(
    healthy: ArrayLike<number>,
    total: ArrayLike<number>,
    levels: number,
    panicThreshold: number,
    degraded?: ArrayLike<number>,
  ): this {
    if (levels > this.health.length)
      throw new RangeError(`PriorityLoad(${this.health.length}): ${levels} levels`);
    this.levels = levels;
    this.totalPanic = false;
    let availability = 0;
    for (let p = 0; p < levels; p++) {
      const hosts = total[p] as number;
      let h = 0;
      let d = 0;
      if (hosts > 0) {
        // Integer division, as Envoy's uint64 arithmetic (load_balancer_impl.cc).
        h = Math.min(100, Math.floor((OVERPROVISIONING_FACTOR * (healthy[p] as number)) / hosts));
        d =
          degraded === undefined
            ? 0
            : Math.min(100, Math.floor((OVERPROVISIONING_FACTOR * (degraded[p] as number)) / hosts));
      }
      this.health[p] = h;
      this.degradedHealth[p] = d;
      this.healthyPercent[p] = 0;
      this.degradedPercent[p] = 0;
      this.panic[p] = 0;
      availability += h + d;
    }
    const normalized = Math.min(100, availability);
    this.normalizedTotalAvailability = normalized;
    if (normalized > 0) this.distribute(normalized);

    // Envoy's panic threshold is an integer percent (PROTOBUF_PERCENT_TO_ROUNDED_INTEGER_OR_DEFAULT).
    const threshold = Math.min(100, Math.round(panicThreshold * 100));
    if (threshold === 0 && normalized === 0) {
      // Nothing is available and panic is off: Envoy puts 100 % on P0, where no host will be found (503 UH).
      if (levels > 0) this.healthyPercent[0] = 100;
    } else if (levels > 0) {
      let allPanic = true;
      for (let p = 0; p < levels; p++) {
        // Never panic when the levels together can carry all traffic (recalculatePerPriorityPanic).
        const inPanic = normalized !== 100 && this.isLevelInPanic(healthy, total, degraded, p, threshold);
        this.panic[p] = inPanic ? 1 : 0;
        allPanic &&= inPanic;
      }
      if (allPanic) this.distributeByHostCount(total);
    }
    for (let p = 0; p < levels; p++)
      this.load[p] = ((this.healthyPercent[p] as number) + (this.degradedPercent[p] as number)) / 100;
    return this;
  }

  /**
   * Picks a level the way Envoy's `choosePriority` does, from a uniform draw `u` in [0, 1): the hash is
   * ⌊100u⌋ + 1 in 1..100, walked over the healthy loads, then the degraded ones.
   */
  choosePriority(u: number): number {
    const hash = Math.floor(u * 100) + 1;
    let sum = 0;
    for (let p = 0; p < this.levels; p++) {
      sum += this.healthyPercent[p] as number;
      if (hash <= sum) {
        this.pickedDegraded = false;
        return p;
      }
    }
    for (let p = 0; p < this.levels; p++) {
      sum += this.degradedPercent[p] as number;
      if (hash <= sum) {
        this.pickedDegraded = true;
        return p;
      }
    }
    this.pickedDegraded = false;
    return 0;
  }

  /**
   * Envoy's `previous_priorities` retry priority (VS `retryRemoteLocalities`, update frequency 2 in Istio):
   * recomputes the loads with the `excluded` levels' availability set to 0. Returns false, leaving the loads
   * untouched, when nothing would be left; Envoy then forgets the exclusions and uses the original load.
   * Call it on a copy (`copyFrom`) so the proxy's own load stays intact.
   */
  excludeLevels(excluded: ArrayLike<number>): boolean {
    let availability = 0;
    for (let p = 0; p < this.levels; p++) {
      if (excluded[p] === 1) continue;
      availability += (this.health[p] as number) + (this.degradedHealth[p] as number);
    }
    if (availability === 0) return false;
    for (let p = 0; p < this.levels; p++) {
      if (excluded[p] === 1) {
        this.health[p] = 0;
        this.degradedHealth[p] = 0;
      }
      this.healthyPercent[p] = 0;
      this.degradedPercent[p] = 0;
    }
    this.normalizedTotalAvailability = Math.min(100, availability);
    this.distribute(this.normalizedTotalAvailability);
    for (let p = 0; p < this.levels; p++)
      this.load[p] = ((this.healthyPercent[p] as number) + (this.degradedPercent[p] as number)) / 100;
    return true;
  }

  /** Copies another load's state (same or smaller number of levels). */
  copyFrom(other: PriorityLoad): this {
    this.levels = other.levels;
    this.health.set(other.health.subarray(0, other.levels));
    this.degradedHealth.set(other.degradedHealth.subarray(0, other.levels));
    this.healthyPercent.set(other.healthyPercent.subarray(0, other.levels));
    this.degradedPercent.set(other.degradedPercent.subarray(0, other.levels));
    this.load.set(other.load.subarray(0, other.levels));
    this.panic.set(other.panic.subarray(0, other.levels));
    this.totalPanic = other.totalPanic;
    this.normalizedTotalAvailability = other.normalizedTotalAvailability;
    return this;
  }

  /** Envoy `distributeLoad` twice (healthy, then degraded), remainder to the first available level. */
  private distribute(normalized: number): void {
    let remaining = 100;
    let firstHealthy = -1;
    for (let p = 0; p < this.levels; p++) {
      const h = this.health[p] as number;
      if (firstHealthy < 0 && h > 0) firstHealthy = p;
      const share = Math.min(remaining, Math.floor((h * 100) / normalized));
      this.healthyPercent[p] = share;
      remaining -= share;
    }
    let firstDegraded = -1;
    for (let p = 0; p < this.levels; p++) {
      const d = this.degradedHealth[p] as number;
      if (firstDegraded < 0 && d > 0) firstDegraded = p;
      const share = Math.min(remaining, Math.floor((d * 100) / normalized));
      this.degradedPercent[p] = share;
      remaining -= share;
    }
    if (remaining === 0) return;
    if (firstHealthy >= 0)
      this.healthyPercent[firstHealthy] = (this.healthyPercent[firstHealthy] as number) + remaining;
    else if (firstDegraded >= 0)
      this.degradedPercent[firstDegraded] = (this.degradedPercent[firstDegraded] as number) + remaining;
  }

  /** Envoy `isHostSetInPanic`: (healthy + degraded) % of the level's hosts below the threshold. */
  private isLevelInPanic(
    healthy: ArrayLike<number>,
    total: ArrayLike<number>,
    degraded: ArrayLike<number> | undefined,
    p: number,
    threshold: number,
  ): boolean {
    const hosts = total[p] as number;
    const usable = (healthy[p] as number) + (degraded === undefined ? 0 : (degraded[p] as number));
    const percent = hosts === 0 ? 0 : (100 * usable) / hosts;
    return percent < threshold;
  }

  /** Envoy `recalculateLoadInTotalPanic`: load by host count, remainder to the first non-empty level. */
  private distributeByHostCount(total: ArrayLike<number>): void {
    this.totalPanic = true;
    let hosts = 0;
    for (let p = 0; p < this.levels; p++) hosts += total[p] as number;
    for (let p = 0; p < this.levels; p++) {
      this.healthyPercent[p] = 0;
      this.degradedPercent[p] = 0;
    }
    if (hosts === 0) {
      this.healthyPercent[0] = 100;
      return;
    }
    let remaining = 100;
    let firstNonEmpty = -1;
    for (let p = 0; p < this.levels; p++) {
      const n = total[p] as number;
      if (firstNonEmpty < 0 && n > 0) firstNonEmpty = p;
      const share = Math.floor((100 * n) / hosts);
      this.healthyPercent[p] = share;
      remaining -= share;
    }
    this.healthyPercent[firstNonEmpty] = (this.healthyPercent[firstNonEmpty] as number) + remaining;
  }
}
