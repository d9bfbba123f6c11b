/**
 * One proxy's view of one service or subset (an Envoy cluster `outbound|port|subset|host`): the shared,
 * immutable hosts and levels it was told about (priority-set.ts, one object for every proxy that sees the
 * same), and its own balancing, ejection and connection state, kept only for the hosts it has touched.
 *
 * Host choice follows Envoy: a priority level by priority load (overprovisioning 1.4, computed over hosts
 * not ejected), then, when `distribute` made the cluster locality-weighted, a locality by its weight times
 * its availability, then a host by the cluster's policy. Ejected hosts are skipped unless the level is in
 * panic (never, with Istio's minHealthPercent 0). On a retry, the route's retry predicates apply:
 * `previous_hosts` (re-draw while the host was already tried, up to host_selection_retry_max_attempts + 1
 * draws) and `previous_priorities` (levels already tried carry no load, every second try).
 *
 * Memory: a proxy holds one of these per cluster it calls (a few hundred bytes, its active-request count
 * for one host inline, or for a view of up to 16 hosts an int per host), 16-32 bytes per further host
 * with requests in flight (host-table.ts; 4 bytes per host of the view once that is no more, as for a
 * busy proxy calling a small service), and its pooled connections (Envoy keeps one to every host it sent
 * to) in a bitset of one bit per host of the view, or for a view of more than 4,096 hosts a set bounded by
 * that (connected-hosts.ts); the host arrays, level orderings and, while nothing is ejected, the priority
 * load are the PrioritySet's. Outlier detection keeps monitors for the hosts that failed only; a proxy with
 * ejected hosts keeps its own filtered candidate lists, rebuilt when an ejection changes.
 */
import type { StreamDraws } from '../des/index.js';
import type { Endpoint } from './endpoint.js';
import {
  LbPolicy,
  RoundRobinCursor,
  collectUsable,
  pickHost,
  pickLeastRequestAmong,
  type ActiveRequests,
  type EjectedHosts,
} from './traffic/load-balancer.js';
import type { PrioritySet, UpstreamHost } from './priority-set.js';
import { HostTable } from './host-table.js';
import {
  ConnectedHosts,
  ConnectionRows,
  directBitsetWords,
  forEachBit,
  hasBit,
  rowBase,
  setBit,
} from './connected-hosts.js';
import type { Attempt } from './request.js';
import type { AttemptOutcome } from './traffic/attempt-outcome.js';
import { PendingLine } from './pending-line.js';
import { PriorityLoad } from './traffic/priority-load.js';
import { directCandidates, sharedCandidates, type Usable } from './shared-candidates.js';
import type { RetryPolicy } from './traffic/retry-policy.js';
import { Admission, type ConnectionPool } from './traffic/connection-pool.js';

export type { UpstreamHost } from './priority-set.js';

/** Outlier detection as the upstream needs it (implemented by traffic/outlier-detector.ts). */
export interface HostHealth extends EjectedHosts {
  /** Applies sweeps due by `nowMs`; returns true if any ejection changed. */
  advance(nowMs: number): boolean;
  readonly ejectedCount: number;
  /** Calls `visit` with every ejected host (indexed like the upstream's hosts), in no particular order. */
  forEachEjected(visit: (host: number) => void): void;
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

/** Connections to one east-west gateway host, each bound to the backend the gateway chose for it. */
class GatewayConnections {
  /** HTTP/2: the backend the one shared connection is bound to. */
  pinned: Endpoint | undefined = undefined;
  /** HTTP/1.1: the idle connections' backends (last released on top). */
  idle: Endpoint[] = [];
}

/**
 * Views of up to this many hosts count active requests in an array of their own, one int per host (the
 * size of the dense table `activeMore` becomes at the first insert for such a view: host-table.ts). A
 * busy proxy calling a small service (the bench mesh: 6 hosts, 2 to 5 in flight) then counts by one
 * indexed add, where the inline entry and the table's general paths took ~650 instructions a request
 * (three tries) in ~2.8 KB of hot code (callgrind, s33: the mesh bench -480 instructions and -25 hot code
 * lines a request). Larger views, the 25,000-pod meshes', keep the inline entry.
 */
const SMALL_VIEW = 16;
/** A small view's `activeHost`: never a host (hosts are >= 0, the free inline entry is -1). */
const SMALL_COUNTS = -2;

/** Host `host`'s count in a small view's array; a host outside it is a caller's bug (refused, not read as 0). */
function smallCount(counts: Int32Array, host: number): number {
  const n = counts[host];
  if (n === undefined) throw new RangeError(`Upstream: host ${host} outside the view's ${counts.length}`);
  return n;
}

/** Adds `delta` to host `host`'s count in a small view's array (small enough for V8 to inline anywhere). */
function addSmall(counts: Int32Array, host: number, delta: number): void {
  counts[host] = smallCount(counts, host) + delta;
}

/** Non-round-robin clusters never read a cursor; they share this one instead of allocating their own. */
const NO_CURSOR = new RoundRobinCursor(0);

export class Upstream implements ActiveRequests {
  /*
   * Field order is V8's in-object layout order (8 bytes a field after a 24-byte header, Node's V8 has no
   * pointer compression): the constructor stores every field in that order, and with tsconfig's
   * useDefineForClassFields false a field exists from its first store. A view untouched for a second (a
   * sidecar of a 25,000-pod mesh sends about one request a second) is read from as few cache lines as its size allows, twice per try: at the pick and
   * again when the answer comes back, tens of milliseconds later, when it is cold again. So what the end of
   * a try reads comes first (`finished`, `recordSuccess`, `releaseAdmission`), then the rest of what a pick
   * and a start read, all fourteen in the 112 bytes after the header; what only failures, gateways, limited
   * pools, retries and views of more than 4,096 hosts read follows.
   */
  /** The view that replaced this one (set by `inherit`): late completions are counted there. */
  private successor: Upstream | undefined;
  /**
   * Active requests per host (Envoy `rq_active`, this proxy's own), in the view itself: one host inline
   * (`activeHost`, `activeN`), the others in a table made when a second host has requests in flight.
   * At 25,000 pods a sidecar nearly always has at most one; a separate table object was one more cold
   * cache line per pick, start and end. The inline entry is free while `activeN` is 0 and is kept, not
   * cleared, when a count drops to 0: the next start, to that host or another, takes it in one store.
   */
  private activeHost: number;
  private activeN: number;
  /**
   * Whether admissions are counted in the pool: not when it limits neither connections nor requests
   * (Istio's default, `ConnectionPool.limitsAdmission`), where every request is admitted and none waits
   * whatever the counts. On a large mesh the pool was one more cold object per try for nothing.
   */
  private readonly countsAdmission: boolean;
  private readonly health: HostHealth | undefined;
  /** Active requests of hosts other than the inline one (made when a second host has any). */
  private activeMore: HostTable | undefined;
  /** Which snapshot it was built for (the set may be shared with other snapshots of equal content). */
  readonly snapshotVersion: number;
  readonly set: PrioritySet;
  private usable: Usable;
  private readonly policy: LbPolicy;
  /** The proxy's balancing draws and its stream in them (drawn through `draws.next(stream)` per pick). */
  private readonly draws: StreamDraws;
  private readonly stream: number;
  /**
   * The hosts of a view of up to 4,096 hosts this proxy holds a pooled connection to: one bit per host
   * from word `bitsAt` of `bits`, made on the first connection: a row of the mesh's shared chunks while
   * the view is current (connected-hosts.ts ConnectionRows), an array of its own once it was replaced or
   * when the view has no row store. Larger views keep theirs in `wide`.
   */
  private bits: Int32Array | undefined;
  private bitsAt: number;
  /**
   * Active requests per host of a view of at most `SMALL_VIEW` hosts, indexed by host (undefined for a
   * larger view, which counts inline and in `activeMore`). A small view's `activeHost` is `SMALL_COUNTS`,
   * so a try asks that field, on the line the end of a try reads anyway, and a large view's tries never
   * read this one, past the fields they read.
   */
  private readonly small: Int32Array | undefined;
  /** The circuit-breaker counters (read per try only when `countsAdmission`). */
  private readonly admission: ConnectionPool;
  /** Pooled connections of a view of more than 4,096 hosts (sparse, then a bitset: connected-hosts.ts). */
  private readonly wide: ConnectedHosts | undefined;
  /** Where this view's row came from (undefined: the view's bits are its own array), and its id (-1: none). */
  private readonly rows: ConnectionRows | undefined;
  private row: number;
  /** ROUND_ROBIN's cursors (read by that policy only). */
  private readonly cursor: RoundRobinCursor;
  /** Connections per east-west gateway host, made on the first one (gateway hosts are few). */
  private gateways: Map<number, GatewayConnections> | undefined;
  /** Attempts waiting for a connection, made when the first one waits (most views never queue). */
  private pending: PendingLine<Attempt> | undefined;

  constructor(
    set: PrioritySet,
    snapshotVersion: number,
    draws: StreamDraws,
    stream: number,
    health: HostHealth | undefined,
    admission: ConnectionPool,
    rows?: ConnectionRows,
  ) {
    const n = set.hosts.length;
    const small = n <= SMALL_VIEW ? new Int32Array(n) : undefined;
    const policy = set.policy.lbPolicy;
    // Envoy seeds each round-robin scheduler at a random position, so proxies do not move in lockstep. The
    // draw is made whatever the policy, so every view build takes one draw from the proxy's stream.
    const start = Math.floor(draws.next(stream) * Math.max(1, n));
    // In declaration order (the layout above).
    this.successor = undefined;
    this.activeHost = small !== undefined ? SMALL_COUNTS : -1;
    this.activeN = 0;
    this.countsAdmission = admission.limitsAdmission;
    this.health = health;
    this.activeMore = undefined;
    this.snapshotVersion = snapshotVersion;
    this.set = set;
    this.usable = sharedCandidates(set);
    this.policy = policy;
    this.draws = draws;
    this.stream = stream;
    this.bits = undefined;
    this.bitsAt = 0;
    this.small = small;
    this.admission = admission;
    this.wide = directBitsetWords(n) > 0 ? undefined : new ConnectedHosts(n);
    this.rows = rows;
    this.row = -1;
    this.cursor =
      policy === LbPolicy.ROUND_ROBIN ? new RoundRobinCursor(Math.max(1, set.levels), start) : NO_CURSOR;
    this.gateways = undefined;
    this.pending = undefined;
    this.recomputeLoad();
  }

  /** Envoy's connect timeout for this cluster (read on a failed connection only, so not kept per view). */
  get connectTimeoutMs(): number {
    return this.set.policy.connectionPool.connectTimeoutMs;
  }

  /** The hosts, shared with every proxy that sees the same (index = host number in every method). */
  get hosts(): readonly UpstreamHost[] {
    return this.set.hosts;
  }

  /** Hosts with requests in flight, and hosts with a pooled connection (what its memory grows with). */
  get touchedHosts(): { active: number; connected: number } {
    let active = (this.activeN !== 0 ? 1 : 0) + (this.activeMore?.size ?? 0);
    this.small?.forEach((n) => (active += n !== 0 ? 1 : 0));
    let connected = 0;
    this.forEachConnected(() => connected++);
    return { active, connected };
  }

  /** Carries balancing and connection state over from the view this one replaces, host by host. */
  inherit(previous: Upstream): void {
    // The same connection pool (same settings: upstream-views.ts `build`) is the same Envoy cluster's: its
    // waiting line carries over. A new pool starts with none: the old line's attempts wait for the old
    // pool's requests to finish, as in Envoy's old cluster.
    if (previous.admission === this.admission) this.pending = previous.pending;
    // Attempts sent on the old view end later: their counts and outlier reports must land here, where
    // the active counts were carried over and the shared outlier detector now uses this view's indices.
    previous.successor = this;
    const moved = (j: number) => this.set.indexOfKey((previous.hosts[j] as UpstreamHost).key);
    // Copies: the old view keeps its own values for the attempts still on it.
    previous.forEachActive((j, n) => {
      const i = moved(j);
      if (i >= 0) this.addActive(i, n);
    });
    previous.forEachConnected((j) => {
      const i = moved(j);
      if (i >= 0) this.setConnected(i, true);
    });
    previous.retire();
    // The gateway connections themselves carry over (the idle stack is shared with the old view).
    previous.gateways?.forEach((c, j) => {
      const i = moved(j);
      if (i < 0) return;
      const copy = new GatewayConnections();
      copy.pinned = c.pinned;
      copy.idle = c.idle;
      (this.gateways ??= new Map()).set(i, copy);
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

  /** Active requests this proxy has on `host` (0 for a host it never sent to). */
  activeRequests(host: number): number {
    if (this.activeHost === SMALL_COUNTS) return smallCount(this.small as Int32Array, host);
    if (host === this.activeHost) return this.activeN;
    const more = this.activeMore;
    return more === undefined ? 0 : more.get(host);
  }

  /**
   * Adds `delta` to `host`'s active count. A host with a non-zero count is in one place only: inline, or
   * in the table; the inline entry goes to a host not in the table once its own count is 0.
   */
  private addActive(host: number, delta: number): void {
    if (this.activeHost === SMALL_COUNTS) {
      addSmall(this.small as Int32Array, host, delta);
      return;
    }
    if (host === this.activeHost) {
      this.activeN += delta;
      return;
    }
    const more = this.activeMore;
    if (this.activeN === 0 && (more === undefined || more.get(host) === 0)) {
      this.activeHost = host;
      this.activeN = delta;
    } else {
      const table = (this.activeMore ??= new HostTable(this.set.hosts.length));
      table.add(host, delta);
      // An empty hashed table is dropped: most views of a large mesh have a second host in flight only
      // now and then, and kept tables (an array each) were ~27 bytes a pod at 100,000 pods. A dense one
      // (a small view, or many hosts in flight) is kept: busy proxies would remake it every few requests.
      if (table.size === 0 && !table.isDense) this.activeMore = undefined;
    }
  }

  private forEachActive(visit: (host: number, n: number) => void): void {
    const small = this.small;
    if (small !== undefined) {
      for (let h = 0; h < small.length; h++) if ((small[h] as number) !== 0) visit(h, small[h] as number);
      return;
    }
    if (this.activeN !== 0) visit(this.activeHost, this.activeN);
    this.activeMore?.forEach(visit);
  }

  private forEachConnected(visit: (host: number) => void): void {
    if (this.wide !== undefined) this.wide.forEach(visit);
    else if (this.bits !== undefined)
      forEachBit(this.bits, this.bitsAt, directBitsetWords(this.set.hosts.length), visit);
  }

  /** Circuit breakers: admitted (0), pending a connection (1) or overflow (2), as traffic/connection-pool.ts. */
  admit(): number {
    // Against `true`, here and in `releaseAdmission`: a bare boolean field test is a long truthiness
    // check, per try (request.ts).
    return this.countsAdmission === true ? this.admission.tryAdmit() : Admission.admitted;
  }

  /** The request finished; returns true if a pending one may now start. */
  releaseAdmission(): boolean {
    return this.countsAdmission === true && this.admission.release();
  }

  /** Attempts waiting for a connection (HTTP/1.1 with maxConnections reached), oldest first. */
  get pendingAttempts(): PendingLine<Attempt> {
    // One line per Envoy cluster, whichever view asks: a view replaced before its line was made uses its
    // successor's (`inherit` shares a line made earlier).
    this.pending ??=
      this.successor === undefined || this.successor.admission !== this.admission
        ? new PendingLine<Attempt>()
        : this.successor.pendingAttempts;
    return this.pending;
  }

  cancelPending(): void {
    // Nothing waits for a pool that is not counted (see `countsAdmission`): a caller's bug.
    if (!this.countsAdmission) throw new Error('Upstream: a pending request left a pool that admits all');
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
    // A set with direct candidates has hosts (more than one): the host list, a cold object on a large
    // mesh, is read only for the others. (Ejections change the candidates, never the set's hosts.)
    if (this.usable.direct === undefined && this.set.hosts.length === 0) return -1;
    if (this.health !== undefined && this.health.advance(nowMs)) this.recomputeLoad();
    const base = this.usable.load;
    if (tried === undefined || retry === undefined) return this.pickOnce(base);
    const load = retry.retryRemoteLocalities ? this.loadForRetry(tried) : base;
    if (!retry.previousHosts) return this.pickOnce(load);
    let host = -1;
    for (let draw = 0; draw <= retry.hostSelectionMaxAttempts; draw++) {
      host = this.pickOnce(load);
      if (host < 0 || !tried.includes((this.set.hosts[host] as UpstreamHost).key)) break;
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
    const load = this.usable.load;
    const counted = tried.length - (tried.length % PREVIOUS_PRIORITIES_UPDATE_FREQUENCY);
    if (counted < PREVIOUS_PRIORITIES_UPDATE_FREQUENCY || this.set.levels <= 1) return load;
    const { excluded, retryLoad } = this.usable.scratch;
    excluded.fill(0);
    for (let i = 0; i < counted; i++) {
      const h = this.set.indexOfKey(tried[i] as number);
      if (h >= 0) excluded[this.set.priorities[h] as number] = 1;
    }
    retryLoad.copyFrom(load);
    return retryLoad.excludeLevels(excluded) ? retryLoad : load;
  }

  /** The newest view of this cluster and `host`'s index in it (-1 if the host left it). */
  private latest(host: number): { view: Upstream; index: number } | undefined {
    let view = this.successor;
    if (view === undefined) return undefined;
    while (view.successor !== undefined) view = view.successor;
    return { view, index: view.set.indexOfKey((this.set.hosts[host] as UpstreamHost).key) };
  }

  started(host: number): void {
    // A negative host would match the free inline entry's key (-1): the caller's bug, refused.
    if (!(host >= 0)) throw new RangeError(`Upstream: started on host ${host}`);
    // A small view's count here, not in `addActive`: that call, with the larger views' paths, is not
    // inlined (~50 instructions a try for the call alone).
    if (this.activeHost === SMALL_COUNTS) addSmall(this.small as Int32Array, host, 1);
    else this.addActive(host, 1);
  }

  /** An attempt sent to `host` of this view ended (counted in the newest view if this one was replaced). */
  finished(host: number): void {
    if (this.activeHost === SMALL_COUNTS && this.successor === undefined) {
      addSmall(this.small as Int32Array, host, -1);
      return;
    }
    if (this.successor === undefined) {
      // The count may go below 0: an attempt started before its host left a view and ended after the host
      // came back is counted off a view that never counted it (as the dense arrays did).
      this.addActive(host, -1);
      return;
    }
    const now = this.latest(host);
    if (now !== undefined && now.index >= 0) now.view.finished(now.index);
  }

  /**
   * An attempt sent to `host` ended with a response that is no failure: `finished` then `recordSuccess`,
   * in one call. That is every try of a healthy mesh, and the two calls, neither inlined where a try ends,
   * were ~100 instructions a request in the mesh bench.
   */
  succeeded(host: number): void {
    if (this.successor !== undefined) {
      this.finished(host);
      this.recordSuccess(host);
      return;
    }
    if (this.activeHost === SMALL_COUNTS) addSmall(this.small as Int32Array, host, -1);
    else this.addActive(host, -1);
    this.health?.recordSuccess(host);
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

  /**
   * Whether this proxy holds a pooled connection to `host`, a host of this view (the caller checked it
   * against `hosts`: past the view's words a shared row would read its neighbour's).
   */
  isConnected(host: number): boolean {
    const bits = this.bits;
    if (bits !== undefined) return hasBit(bits, this.bitsAt, host);
    return this.wide !== undefined && this.wide.has(host);
  }

  setConnected(host: number, connected: boolean): void {
    if (host < 0) return;
    // `bits` and `wide` never both exist (`wide` only for views of more than 4,096 hosts, which never make
    // bits): asking `bits` first keeps `wide`, past the hop's fields, out of a hop that has bits.
    if (this.bits === undefined && this.wide !== undefined) {
      this.wide.set(host, connected);
      return;
    }
    const n = this.set.hosts.length;
    if (!(host < n)) throw new RangeError(`Upstream: host ${host} outside the view's ${n}`);
    // Nothing connected yet: a reset of a host never connected changes nothing.
    if (this.bits === undefined) {
      if (!connected) return;
      const words = directBitsetWords(n);
      if (this.rows === undefined || this.successor !== undefined) this.bits = new Int32Array(words);
      else {
        this.row = this.rows.allocate(words);
        this.bits = this.rows.chunk(this.row);
        this.bitsAt = rowBase(this.row);
      }
    }
    setBit(this.bits, this.bitsAt, host, connected);
  }

  /**
   * The view was replaced: its connections move from the shared row to an array of its own (attempts
   * still on it may read and reset them), and the row goes back to the store.
   */
  private retire(): void {
    if (this.row < 0) return;
    const words = directBitsetWords(this.set.hosts.length);
    const own = (this.bits as Int32Array).slice(this.bitsAt, this.bitsAt + words);
    (this.rows as ConnectionRows).release(this.row, words);
    this.bits = own;
    this.bitsAt = 0;
    this.row = -1;
  }

  private gatewayOf(host: number): GatewayConnections {
    const gateways = (this.gateways ??= new Map());
    let c = gateways.get(host);
    if (c === undefined) {
      c = new GatewayConnections();
      gateways.set(host, c);
    }
    return c;
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
    const c = this.gateways?.get(host);
    if (c === undefined) return undefined;
    if (this.admission.http2) return c.pinned;
    return c.idle.pop();
  }

  /** A new connection to gateway host `host` was bound to `backend`. */
  openedGatewayConnection(host: number, backend: Endpoint): void {
    if (this.admission.http2) this.gatewayOf(host).pinned = backend;
  }

  /** The connection is closed (its backend is gone): HTTP/2 forgets it; HTTP/1.1 already took it. */
  closeGatewayConnection(host: number, backend: Endpoint): void {
    if (!this.admission.http2) return;
    const c = this.gateways?.get(host);
    if (c !== undefined && c.pinned === backend) c.pinned = undefined;
  }

  /** An HTTP/1.1 request to gateway host `host` completed cleanly: its connection goes back to the pool. */
  releaseGatewayConnection(host: number, backend: Endpoint): void {
    if (this.admission.http2) return;
    if (this.successor !== undefined) {
      const now = this.latest(host);
      if (now !== undefined && now.index >= 0) now.view.releaseGatewayConnection(now.index, backend);
      return;
    }
    this.gatewayOf(host).idle.push(backend);
  }

  /**
   * The candidate lists after an ejection changed: the shared ones when nothing is ejected, else, per level
   * and locality holding an ejected host, this proxy's own list without it (Envoy's healthy host set).
   * Runs when ejections change, never per request.
   */
  private recomputeLoad(): void {
    const common = sharedCandidates(this.set);
    const health = this.health;
    if (health === undefined || health.ejectedCount === 0) {
      this.usable = common;
      return;
    }
    const set = this.set;
    const levels = Math.max(1, set.levels);
    const touchedLevel = new Uint8Array(levels);
    const touchedLocality = new Uint8Array(set.localityHosts.length);
    health.forEachEjected((h) => {
      touchedLevel[set.priorities[h] as number] = 1;
      const locality = set.localities[h] as number;
      if (locality >= 0) touchedLocality[locality] = 1;
    });
    const healthy = Int32Array.from(common.healthy);
    const levelUsable = common.levelUsable.map((all, p) => {
      if (touchedLevel[p] !== 1) return all;
      const usable = new Int32Array(all.length);
      healthy[p] = collectUsable(all, all.length, health, usable);
      return usable;
    });
    const localityUsableCount = Int32Array.from(common.localityUsableCount);
    const localityUsable = common.localityUsable.map((all, l) => {
      if (touchedLocality[l] !== 1) return all;
      const usable = new Int32Array(all.length);
      localityUsableCount[l] = collectUsable(all, all.length, health, usable);
      return usable;
    });
    const load = new PriorityLoad(levels).compute(
      healthy,
      common.healthy,
      set.levels,
      set.policy.panicThreshold,
    );
    const scratch = common.scratch;
    const direct = directCandidates(set, load, levelUsable, healthy);
    const directCount = direct === undefined ? 0 : (healthy[0] as number);
    this.usable = {
      load,
      levelUsable,
      healthy,
      localityUsable,
      localityUsableCount,
      scratch,
      direct,
      directCount,
    };
  }

  private pickOnce(load: PriorityLoad): number {
    // Istio's default on one level: straight to P2C over the level's usable hosts (shared-candidates.ts).
    const usable = this.usable;
    const direct = usable.direct;
    if (direct !== undefined && load === usable.load)
      return pickLeastRequestAmong(direct, usable.directCount, this, this.draws, this.stream);
    const set = this.set;
    const level = set.levels <= 1 ? 0 : load.choosePriority(this.draws.next(this.stream));
    // In panic Envoy balances over every host of the level, ejected or not (never with Istio's default),
    // and ignores localities (`hostSourceToUse` returns AllHosts).
    const panic = load.panic[level] === 1;
    if (!panic && set.localityHosts.length > 0) return this.pickInLocality(level);
    const candidates = (panic ? set.levelHosts[level] : this.usable.levelUsable[level]) as Int32Array;
    const count = panic ? candidates.length : (this.usable.healthy[level] as number);
    // Istio's default, least request with equal weights: straight to P2C, the call pickHost makes for this
    // case with the same draws (its policy switch and the pickAmong call cost ~300 instructions a request).
    if (this.policy === LbPolicy.LEAST_REQUEST && this.set.weights === undefined && count > 1)
      return pickLeastRequestAmong(candidates, count, this, this.draws, this.stream);
    return this.pickAmong(candidates, count, level);
  }

  /** The cluster's policy over the first `count` of `candidates` (hosts of priority `level`). */
  private pickAmong(candidates: Int32Array, count: number, level: number): number {
    return pickHost(
      this.policy,
      candidates,
      count,
      level,
      this,
      this.set.weights,
      this.policy === LbPolicy.ROUND_ROBIN ? this.cursor : NO_CURSOR,
      this.draws,
      this.stream,
    );
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
    const set = this.set;
    const { localityUsable, localityUsableCount } = this.usable;
    const effective = this.usable.scratch.localityEffective;
    let total = 0;
    const n = set.localityHosts.length;
    for (let l = 0; l < n; l++) {
      const hosts = (set.localityHosts[l] as Int32Array).length;
      const usable = localityUsableCount[l] as number;
      const w =
        set.localityLevel[l] !== level || hosts === 0
          ? 0
          : (set.localityWeights[l] as number) * Math.min(1, (OVERPROVISIONING * usable) / hosts);
      effective[l] = w;
      total += w;
    }
    if (total <= 0) return -1;
    let x = this.draws.next(this.stream) * total;
    let chosen = -1;
    for (let l = 0; l < n; l++) {
      const w = effective[l] as number;
      if (w <= 0) continue;
      chosen = l;
      x -= w;
      if (x < 0) break;
    }
    const candidates = localityUsable[chosen] as Int32Array;
    const count = localityUsableCount[chosen] as number;
    return this.pickAmong(candidates, count, level);
  }
}
