/**
 * One proxy's view of one service or subset (an Envoy cluster `outbound|port|subset|host`): the hosts it
 * was told about, grouped in priority levels, and its own balancing, ejection and connection state.
 *
 * Host choice follows Envoy: a priority level by priority load (overprovisioning 1.4, computed over hosts
 * not ejected), then, when `distribute` made the cluster locality-weighted, a locality by its weight times
 * its availability, then a host by the cluster's policy. Ejected hosts are skipped unless the level is in
 * panic (never, with Istio's minHealthPercent 0). On a retry, the route's retry predicates apply:
 * `previous_hosts` (re-draw while the host was already tried, up to host_selection_retry_max_attempts + 1
 * draws) and `previous_priorities` (levels already tried carry no load, every second try).
 */
import type { Uniform } from '../des/index.js';
import type { Endpoint } from './endpoint.js';
import { RoundRobinCursor, collectUsable, pickHost, type LbPolicy } from './load-balancer.js';
import type { Attempt } from './request.js';
import type { AttemptOutcome } from './traffic/attempt-outcome.js';
import { PendingLine } from './pending-line.js';
import { PriorityLoad } from './traffic/priority-load.js';
import type { RetryPolicy } from './traffic/retry-policy.js';
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
  /**
   * Locality group of a locality-weighted cluster (`distribute`), 0.. within the view, or -1 when the cluster
   * is not locality-weighted.
   */
  readonly locality: number;
  /** The locality's weight (Envoy `LocalityLbEndpoints.load_balancing_weight`); 0 without `distribute`. */
  readonly localityWeight: number;
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

/** Envoy's default overprovisioning factor, as a fraction (`kDefaultOverProvisioningFactor` 140). */
const OVERPROVISIONING = 1.4;

/**
 * Envoy's `previous_priorities` update frequency as Istio configures it (`buildPreviousPrioritiesConfig`,
 * istio/istio pilot/pkg/networking/core/route/retry/retry.go, commit 86c9f01f).
 */
export const PREVIOUS_PRIORITIES_UPDATE_FREQUENCY = 2;

export class Upstream {
  readonly active: Int32Array;
  private readonly connected: Uint8Array;
  /**
   * Connections to an east-west gateway host, each bound to the backend the gateway chose for it: HTTP/2,
   * the one shared connection's backend; HTTP/1.1, the idle connections' backends (last released on top).
   */
  private readonly pinned: (Endpoint | undefined)[];
  private readonly idle: (Endpoint[] | undefined)[];
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
  /** Locality groups of a locality-weighted cluster (empty otherwise): hosts, usable hosts and weights. */
  private readonly localityHosts: Int32Array[] = [];
  private readonly localityUsable: Int32Array[] = [];
  private readonly localityUsableCount: Int32Array;
  private readonly localityLevel: Int32Array;
  private readonly localityWeights: Float64Array;
  /** Scratch for locality choice: effective weight per locality. */
  private readonly localityEffective: Float64Array;
  /** Scratch for `previous_priorities`: a copy of the load with tried levels excluded, and the mask. */
  private readonly retryLoad: PriorityLoad;
  private readonly excluded: Uint8Array;
  /** Host index by key, built on the first retry that needs it. */
  private byKey: Map<number, number> | undefined = undefined;
  /** The view that replaced this one (set by `inherit`): late completions are counted there. */
  private successor: Upstream | undefined = undefined;

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
    this.idle = new Array<Endpoint[] | undefined>(n).fill(undefined);
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
    this.retryLoad = new PriorityLoad(Math.max(1, levels));
    this.excluded = new Uint8Array(Math.max(1, levels));
    let localities = 0;
    for (const h of hosts) localities = Math.max(localities, h.locality + 1);
    this.localityUsableCount = new Int32Array(localities);
    this.localityLevel = new Int32Array(localities);
    this.localityWeights = new Float64Array(localities);
    this.localityEffective = new Float64Array(localities);
    for (let l = 0; l < localities; l++) {
      const members = Int32Array.from(hosts.flatMap((h, i) => (h.locality === l ? [i] : [])));
      const first = hosts[members[0] ?? -1];
      this.localityHosts.push(members);
      this.localityUsable.push(new Int32Array(members.length));
      this.localityLevel[l] = first?.priority ?? 0;
      this.localityWeights[l] = first?.localityWeight ?? 0;
    }
    this.healthy = new Int32Array(Math.max(1, levels));
    this.total = new Int32Array(Math.max(1, levels));
    this.recomputeLoad();
  }

  /** Carries balancing and connection state over from the view this one replaces, host by host. */
  inherit(previous: Upstream): void {
    // The connection pool is the same Envoy cluster's: its waiting line carries over.
    this.pendingAttempts = previous.pendingAttempts;
    // Attempts sent on the old view end later: their counts and outlier reports must land here, where
    // the active counts were carried over and the shared outlier detector now uses this view's indices.
    previous.successor = this;
    const byKey = new Map<number, number>();
    previous.hosts.forEach((h, i) => byKey.set(h.key, i));
    this.hosts.forEach((h, i) => {
      const j = byKey.get(h.key);
      if (j === undefined) return;
      this.active[i] = previous.active[j] as number;
      this.connected[i] = previous.connected[j] as number;
      this.pinned[i] = previous.pinned[j];
      this.idle[i] = previous.idle[j];
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
  pendingAttempts = new PendingLine<Attempt>();

  cancelPending(): void {
    this.admission.cancelPending();
  }

  /**
   * Chooses a host; -1 when none can be chosen (503 UH). `tried` holds the keys of the hosts this call's
   * earlier tries went to (undefined on a first try), `retry` the route's retry policy.
   *
   * Envoy `LoadBalancerBase::chooseHost` (envoyproxy/envoy source/common/upstream/load_balancer_impl.cc):
   * up to `hostSelectionRetryCount() + 1` draws while the retry host predicate says
   * `shouldSelectAnotherHost`; if every draw is rejected the last one is used. The router's
   * `hostSelectionRetryCount()` is the policy's `host_selection_retry_max_attempts` on a retry (Istio
   * sets 5); `previous_hosts` (source/extensions/retry/host/previous_hosts/previous_hosts.h) rejects every
   * host in its `attempted_hosts_`, all the tries so far, not only the last. Without the predicate
   * (`retryIgnorePreviousHosts: false`) nothing is rejected: each try is an independent draw.
   */
  pick(retry: RetryPolicy | undefined, tried: readonly number[] | undefined, nowMs: number): number {
    if (this.hosts.length === 0) return -1;
    if (this.health !== undefined && this.health.advance(nowMs)) this.recomputeLoad();
    if (tried === undefined || retry === undefined) return this.pickOnce(this.load);
    const load = retry.retryRemoteLocalities ? this.loadForRetry(tried) : this.load;
    if (!retry.previousHosts) return this.pickOnce(load);
    let host = -1;
    for (let draw = 0; draw <= retry.hostSelectionMaxAttempts; draw++) {
      host = this.pickOnce(load);
      if (host < 0 || !tried.includes((this.hosts[host] as UpstreamHost).key)) break;
    }
    return host;
  }

  /**
   * Envoy `PreviousPrioritiesRetryPriority::determinePriorityLoad` (envoyproxy/envoy
   * source/extensions/retry/priority/previous_priorities/previous_priorities.cc, commit 01f8613d) with
   * Istio's update frequency 2: before two tries the original load; the exclusions are recomputed when the
   * number of hosts tried is a multiple of 2 and kept in between, so the first floor(n/2)·2 tries count.
   * The levels those hosts are in (in this view) get no load; if nothing would be left, Envoy forgets the
   * tried hosts and uses the original load.
   */
  private loadForRetry(tried: readonly number[]): PriorityLoad {
    const counted = tried.length - (tried.length % PREVIOUS_PRIORITIES_UPDATE_FREQUENCY);
    if (counted < PREVIOUS_PRIORITIES_UPDATE_FREQUENCY || this.levels <= 1) return this.load;
    const byKey = this.keyIndex();
    this.excluded.fill(0);
    for (let i = 0; i < counted; i++) {
      const h = byKey.get(tried[i] as number);
      if (h !== undefined) this.excluded[(this.hosts[h] as UpstreamHost).priority] = 1;
    }
    this.retryLoad.copyFrom(this.load);
    return this.retryLoad.excludeLevels(this.excluded) ? this.retryLoad : this.load;
  }

  private keyIndex(): Map<number, number> {
    if (this.byKey === undefined) {
      this.byKey = new Map();
      this.hosts.forEach((h, i) => (this.byKey as Map<number, number>).set(h.key, i));
    }
    return this.byKey;
  }

  /** The newest view of this cluster and `host`'s index in it (-1 if the host left it). */
  private latest(host: number): { view: Upstream; index: number } | undefined {
    let view = this.successor;
    if (view === undefined) return undefined;
    while (view.successor !== undefined) view = view.successor;
    return { view, index: view.keyIndex().get((this.hosts[host] as UpstreamHost).key) ?? -1 };
  }

  started(host: number): void {
    this.active[host] = (this.active[host] as number) + 1;
  }

  /** An attempt sent to `host` of this view ended (counted in the newest view if this one was replaced). */
  finished(host: number): void {
    if (this.successor === undefined) {
      this.active[host] = (this.active[host] as number) - 1;
      return;
    }
    const now = this.latest(host);
    if (now !== undefined && now.index >= 0) now.view.finished(now.index);
  }

  recordSuccess(host: number): void {
    if (this.successor === undefined) {
      this.health?.recordSuccess(host);
      return;
    }
    const now = this.latest(host);
    if (now !== undefined && now.index >= 0) now.view.recordSuccess(now.index);
  }

  recordFailure(host: number, code: number, outcome: AttemptOutcome, nowMs: number): void {
    if (this.successor !== undefined) {
      const now = this.latest(host);
      if (now !== undefined && now.index >= 0) now.view.recordFailure(now.index, code, outcome, nowMs);
      return;
    }
    if (this.health !== undefined && this.health.recordFailure(host, code, outcome, nowMs))
      this.recomputeLoad();
  }

  isConnected(host: number): boolean {
    return this.connected[host] === 1;
  }

  setConnected(host: number, connected: boolean): void {
    if (host >= 0) this.connected[host] = connected ? 1 : 0;
  }

  /** Whether requests to this cluster share HTTP/2 connections (`h2UpgradePolicy: UPGRADE`). */
  get http2(): boolean {
    return this.admission.http2;
  }

  /**
   * A connection to gateway host `host` for one request, as the backend the gateway bound it to; undefined
   * when a new connection must be opened. The gateway's AUTO_PASSTHROUGH listener forwards the mTLS stream
   * as TCP, choosing the backend once per connection (istio/istio#31549). HTTP/2: the one shared connection.
   * HTTP/1.1: an idle connection, taken off the pool (Envoy's HTTP/1 pool reuses the most recently
   * released one first, `ready_clients_.front()`); none idle means each concurrent request opens its own.
   */
  takeGatewayConnection(host: number): Endpoint | undefined {
    if (this.admission.http2) return this.pinned[host];
    return this.idle[host]?.pop();
  }

  /** A new connection to gateway host `host` was bound to `backend`. */
  openedGatewayConnection(host: number, backend: Endpoint): void {
    if (this.admission.http2) this.pinned[host] = backend;
  }

  /** The connection is closed (its backend is gone): HTTP/2 forgets it; HTTP/1.1 already took it. */
  closeGatewayConnection(host: number, backend: Endpoint): void {
    if (this.admission.http2 && this.pinned[host] === backend) this.pinned[host] = undefined;
  }

  /** An HTTP/1.1 request to gateway host `host` completed cleanly: its connection goes back to the pool. */
  releaseGatewayConnection(host: number, backend: Endpoint): void {
    if (this.admission.http2) return;
    if (this.successor !== undefined) {
      const now = this.latest(host);
      if (now !== undefined && now.index >= 0) now.view.releaseGatewayConnection(now.index, backend);
      return;
    }
    const stack = this.idle[host];
    if (stack === undefined) this.idle[host] = [backend];
    else stack.push(backend);
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
    for (let l = 0; l < this.localityHosts.length; l++) {
      const all = this.localityHosts[l] as Int32Array;
      const usable = this.localityUsable[l] as Int32Array;
      this.localityUsableCount[l] =
        ejected === undefined
          ? (usable.set(all), all.length)
          : collectUsable(all, all.length, ejected, usable);
    }
  }

  private pickOnce(load: PriorityLoad): number {
    const level = this.levels <= 1 ? 0 : load.choosePriority(this.rng());
    // In panic Envoy balances over every host of the level, ejected or not (never with Istio's default),
    // and ignores localities (`hostSourceToUse` returns AllHosts).
    const panic = load.panic[level] === 1;
    if (!panic && this.localityHosts.length > 0) return this.pickInLocality(level);
    const candidates = (panic ? this.levelHosts[level] : this.levelUsable[level]) as Int32Array;
    const count = panic ? candidates.length : (this.healthy[level] as number);
    return pickHost(this.policy, candidates, count, level, this.active, this.weights, this.cursor, this.rng);
  }

  /**
   * Locality-weighted balancing (Istio sets `locality_weighted_lb_config` with `distribute`): Envoy first
   * picks a locality of the level, each with effective weight weight × min(1, 1.4 × usable/hosts)
   * (`HostSetImpl::effectiveLocalityWeight`, envoyproxy/envoy source/common/upstream/upstream_impl.cc), then
   * a host inside it by the cluster's policy. Envoy walks an EDF schedule of those weights; a draw in
   * proportion gives the same shares. Active-request counts only act inside a locality, so they never move
   * traffic between localities.
   */
  private pickInLocality(level: number): number {
    let total = 0;
    const n = this.localityHosts.length;
    for (let l = 0; l < n; l++) {
      const hosts = (this.localityHosts[l] as Int32Array).length;
      const usable = this.localityUsableCount[l] as number;
      const w =
        this.localityLevel[l] !== level || hosts === 0
          ? 0
          : (this.localityWeights[l] as number) * Math.min(1, (OVERPROVISIONING * usable) / hosts);
      this.localityEffective[l] = w;
      total += w;
    }
    if (total <= 0) return -1;
    let x = this.rng() * total;
    let chosen = -1;
    for (let l = 0; l < n; l++) {
      const w = this.localityEffective[l] as number;
      if (w <= 0) continue;
      chosen = l;
      x -= w;
      if (x < 0) break;
    }
    const candidates = this.localityUsable[chosen] as Int32Array;
    const count = this.localityUsableCount[chosen] as number;
    return pickHost(this.policy, candidates, count, level, this.active, this.weights, this.cursor, this.rng);
  }
}
