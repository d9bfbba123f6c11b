/**
 * One proxy's view of one service or subset (an Envoy cluster `outbound|port|subset|host`): the hosts it
 * was told about, grouped in priority levels, and its own balancing, ejection and connection state.
 *
 * Host choice follows Envoy: a priority level by priority load (overprovisioning 1.4, computed over hosts
 * not ejected), then a host within the level by the cluster's policy. Ejected hosts are skipped unless the
 * level is in panic (never, with Istio's minHealthPercent 0). Envoy's previous_hosts retry predicate is
 * honoured by re-drawing up to 5 times (host_selection_retry_max_attempts).
 */
import type { Uniform } from '../des/index.js';
import type { Endpoint } from './endpoint.js';
import type { LbPolicy } from './load-balancer.js';
import { LEAST_REQUEST_CHOICES } from './load-balancer.js';
import type { Attempt, AttemptOutcome } from './request.js';
import { PriorityLoad } from './traffic/priority-load.js';
import type { ConnectionPool } from './traffic/connection-pool.js';

/** A host as a proxy knows it: a pod, or a remote network's east-west gateway standing for several pods. */
export interface UpstreamHost {
  /** Stable identity across rebuilds: the endpoint id, or -(1 + group) for a gateway group. */
  readonly key: number;
  readonly endpoint: Endpoint | undefined;
  /** Cluster whose east-west gateway this host is, or -1 for a direct pod. */
  readonly gatewayCluster: number;
  readonly cluster: number;
  readonly zone: number;
  readonly weight: number;
  readonly priority: number;
}

/** Outlier detection as the upstream needs it (implemented by traffic/outlier-detector.ts). */
export interface HostHealth {
  /** Applies sweeps due by `nowMs`; returns true if any ejection changed. */
  advance(nowMs: number): boolean;
  isEjected(host: number): boolean;
  readonly ejectedCount: number;
  recordSuccess(host: number): void;
  /** Returns true if the host was ejected by this failure. */
  recordFailure(host: number, code: number, outcome: AttemptOutcome, nowMs: number): boolean;
}

const HOST_SELECTION_RETRIES = 5;

export class Upstream {
  readonly active: Int32Array;
  private readonly connected: Uint8Array;
  private readonly pinned: (Endpoint | undefined)[];
  /** Hosts ordered by level; level p occupies [levelStart[p], levelStart[p+1]). */
  private readonly byLevel: Int32Array;
  private readonly levelStart: Int32Array;
  private readonly levels: number;
  private readonly load: PriorityLoad;
  private readonly healthy: Int32Array;
  private readonly total: Int32Array;
  private readonly weighted: boolean;
  private rr = 0;

  constructor(
    readonly hosts: readonly UpstreamHost[],
    /** Which snapshot it was built from. */
    readonly snapshotVersion: number,
    private readonly policy: LbPolicy,
    private readonly rng: Uniform,
    private readonly health: HostHealth | undefined,
    private readonly admission: ConnectionPool,
    readonly connectTimeoutMs: number,
    /** Envoy's healthy panic threshold (Istio: minHealthPercent with outlier detection, else 50%). */
    private readonly panicThreshold: number,
  ) {
    const n = hosts.length;
    this.active = new Int32Array(n);
    this.connected = new Uint8Array(n);
    this.pinned = new Array<Endpoint | undefined>(n).fill(undefined);
    let levels = 0;
    for (const h of hosts) levels = Math.max(levels, h.priority + 1);
    this.levels = levels;
    this.levelStart = new Int32Array(levels + 1);
    for (const h of hosts) this.levelStart[h.priority + 1] = (this.levelStart[h.priority + 1] as number) + 1;
    for (let p = 0; p < levels; p++)
      this.levelStart[p + 1] = (this.levelStart[p + 1] as number) + (this.levelStart[p] as number);
    this.byLevel = new Int32Array(n);
    const fill = Int32Array.from(this.levelStart);
    hosts.forEach((h, i) => {
      this.byLevel[fill[h.priority] as number] = i;
      fill[h.priority] = (fill[h.priority] as number) + 1;
    });
    this.weighted = hosts.some((h) => h.weight !== (hosts[0] as UpstreamHost).weight);
    this.load = new PriorityLoad(Math.max(1, levels));
    this.healthy = new Int32Array(Math.max(1, levels));
    this.total = new Int32Array(Math.max(1, levels));
    this.recomputeLoad();
  }

  /** Carries balancing and connection state over from the view this one replaces, host by host. */
  inherit(previous: Upstream): void {
    // The connection pool is the same Envoy cluster's: its waiting line carries over.
    this.pendingAttempts = previous.pendingAttempts;
    const byKey = new Map<number, number>();
    previous.hosts.forEach((h, i) => byKey.set(h.key, i));
    this.hosts.forEach((h, i) => {
      const j = byKey.get(h.key);
      if (j === undefined) return;
      this.active[i] = previous.active[j] as number;
      this.connected[i] = previous.connected[j] as number;
      this.pinned[i] = previous.pinned[j];
    });
  }

  /** The outlier state, handed on to the view that replaces this one. */
  get healthState(): HostHealth | undefined {
    return this.health;
  }

  /** The circuit-breaker counters, shared by every view of this cluster in this proxy. */
  get admissionState(): ConnectionPool {
    return this.admission;
  }

  get ejected(): number {
    return this.health?.ejectedCount ?? 0;
  }

  /** Circuit breakers: admitted (0), pending a connection (1) or overflow (2), as traffic/connection-pool.ts. */
  admit(): number {
    return this.admission.tryAdmit();
  }

  /** The request finished; returns true if a pending one may now start. */
  releaseAdmission(): boolean {
    return this.admission.release();
  }

  /** Attempts waiting for a connection (HTTP/1.1 with maxConnections reached), oldest first. */
  pendingAttempts: Attempt[] = [];

  cancelPending(): void {
    this.admission.cancelPending();
  }

  /** Chooses a host, avoiding `previousHost` when another is available; -1 when none can be chosen. */
  pick(previousHost: number, nowMs: number): number {
    if (this.hosts.length === 0) return -1;
    if (this.health !== undefined && this.health.advance(nowMs)) this.recomputeLoad();
    let host = -1;
    for (let tries = 0; tries < HOST_SELECTION_RETRIES; tries++) {
      host = this.pickOnce();
      if (host !== previousHost || previousHost < 0) break;
    }
    return host;
  }

  started(host: number): void {
    this.active[host] = (this.active[host] as number) + 1;
  }

  finished(host: number): void {
    this.active[host] = (this.active[host] as number) - 1;
  }

  recordSuccess(host: number): void {
    this.health?.recordSuccess(host);
  }

  recordFailure(host: number, code: number, outcome: AttemptOutcome, nowMs: number): void {
    if (this.health !== undefined && this.health.recordFailure(host, code, outcome, nowMs))
      this.recomputeLoad();
  }

  isConnected(host: number): boolean {
    return this.connected[host] === 1;
  }

  setConnected(host: number, connected: boolean): void {
    if (host >= 0) this.connected[host] = connected ? 1 : 0;
  }

  /** The backend a gateway pinned this proxy's connection to (per-connection balancing, istio#31549). */
  pinnedBackend(host: number): Endpoint | undefined {
    return this.pinned[host];
  }

  pin(host: number, backend: Endpoint | undefined): void {
    this.pinned[host] = backend;
  }

  private recomputeLoad(): void {
    for (let p = 0; p < this.levels; p++) {
      let healthy = 0;
      const end = this.levelStart[p + 1] as number;
      for (let k = this.levelStart[p] as number; k < end; k++)
        if (!this.isEjected(this.byLevel[k] as number)) healthy++;
      this.healthy[p] = healthy;
      this.total[p] = end - (this.levelStart[p] as number);
    }
    this.load.compute(this.healthy, this.total, this.levels, this.panicThreshold);
  }

  private isEjected(host: number): boolean {
    return this.health !== undefined && this.health.isEjected(host);
  }

  private pickOnce(): number {
    const level = this.levels <= 1 ? 0 : this.load.choosePriority(this.rng());
    const start = this.levelStart[level] as number;
    const count = (this.levelStart[level + 1] as number) - start;
    if (count === 0) return -1;
    const skipEjected = this.ejected > 0 && this.load.panic[level] !== 1;
    if (skipEjected && this.healthy[level] === 0) return -1;
    switch (this.policy) {
      case 'ROUND_ROBIN':
        return this.roundRobin(start, count, skipEjected);
      case 'RANDOM':
        return this.draw(start, count, skipEjected);
      default: {
        let best = this.draw(start, count, skipEjected);
        for (let c = 1; c < LEAST_REQUEST_CHOICES; c++) {
          const other = this.draw(start, count, skipEjected);
          if (this.lessLoaded(other, best)) best = other;
        }
        return best;
      }
    }
  }

  /** Envoy's weighted least request compares active / weight (active_request_bias 1.0). */
  private lessLoaded(a: number, b: number): boolean {
    if (!this.weighted) return (this.active[a] as number) < (this.active[b] as number);
    const ha = this.hosts[a] as UpstreamHost;
    const hb = this.hosts[b] as UpstreamHost;
    return ((this.active[a] as number) + 1) / ha.weight < ((this.active[b] as number) + 1) / hb.weight;
  }

  /** A host of the level drawn by weight, skipping ejected hosts when asked. */
  private draw(start: number, count: number, skipEjected: boolean): number {
    for (let tries = 0; tries < 16; tries++) {
      const host = this.weighted
        ? this.drawWeighted(start, count)
        : (this.byLevel[start + Math.floor(this.rng() * count)] as number);
      if (!skipEjected || !this.isEjected(host)) return host;
    }
    // Most hosts are ejected: take the first one that is not.
    for (let k = start; k < start + count; k++)
      if (!this.isEjected(this.byLevel[k] as number)) return this.byLevel[k] as number;
    return this.byLevel[start] as number;
  }

  private drawWeighted(start: number, count: number): number {
    let total = 0;
    for (let k = start; k < start + count; k++)
      total += (this.hosts[this.byLevel[k] as number] as UpstreamHost).weight;
    let x = this.rng() * total;
    for (let k = start; k < start + count; k++) {
      const host = this.byLevel[k] as number;
      x -= (this.hosts[host] as UpstreamHost).weight;
      if (x < 0) return host;
    }
    return this.byLevel[start + count - 1] as number;
  }

  private roundRobin(start: number, count: number, skipEjected: boolean): number {
    for (let k = 0; k < count; k++) {
      const host = this.byLevel[start + (this.rr++ % count)] as number;
      if (!skipEjected || !this.isEjected(host)) return host;
    }
    return -1;
  }
}
