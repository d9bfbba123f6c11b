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
import { RoundRobinCursor, collectUsable, pickHost, type LbPolicy } from './load-balancer.js';
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
  readonly ejectedCount: number;
  /** 1 per ejected host, indexed like the upstream's hosts. */
  readonly ejectedMask: Uint8Array;
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
  /** Per level, a view of all its hosts, and of the ones not ejected (filled by recomputeLoad). */
  private readonly levelHosts: Int32Array[];
  private readonly levelUsable: Int32Array[];
  /** Host weights, or undefined when all are equal (Envoy then uses P2C, not weighted scheduling). */
  private readonly weights: Float64Array | undefined;
  private readonly cursor: RoundRobinCursor;

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
    const weighted = hosts.some((h) => h.weight !== (hosts[0] as UpstreamHost).weight);
    this.weights = weighted ? Float64Array.from(hosts, (h) => h.weight) : undefined;
    const usable = new Int32Array(n);
    this.levelHosts = [];
    this.levelUsable = [];
    for (let p = 0; p < levels; p++) {
      this.levelHosts.push(
        this.byLevel.subarray(this.levelStart[p] as number, this.levelStart[p + 1] as number),
      );
      this.levelUsable.push(usable.subarray(this.levelStart[p] as number, this.levelStart[p + 1] as number));
    }
    // Envoy seeds each round-robin scheduler at a random position, so proxies do not move in lockstep.
    this.cursor = new RoundRobinCursor(Math.max(1, levels), Math.floor(rng() * Math.max(1, n)));
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
    const ejected = this.health?.ejectedMask;
    for (let p = 0; p < this.levels; p++) {
      const all = this.levelHosts[p] as Int32Array;
      const usable = this.levelUsable[p] as Int32Array;
      this.healthy[p] =
        ejected === undefined
          ? (usable.set(all), all.length)
          : collectUsable(all, all.length, ejected, usable);
      this.total[p] = all.length;
    }
    this.load.compute(this.healthy, this.total, this.levels, this.panicThreshold);
  }

  private pickOnce(): number {
    const level = this.levels <= 1 ? 0 : this.load.choosePriority(this.rng());
    // In panic Envoy balances over every host of the level, ejected or not (never with Istio's default).
    const panic = this.load.panic[level] === 1;
    const candidates = (panic ? this.levelHosts[level] : this.levelUsable[level]) as Int32Array;
    const count = panic ? candidates.length : (this.healthy[level] as number);
    return pickHost(this.policy, candidates, count, level, this.active, this.weights, this.cursor, this.rng);
  }
}
