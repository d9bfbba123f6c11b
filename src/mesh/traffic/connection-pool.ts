/**
 * Envoy's circuit-breaker counters for one (proxy, upstream cluster) (istio-behaviour.md 4.5): active
 * requests against `http2MaxRequests`, requests waiting for a connection against `http1MaxPendingRequests`,
 * busy HTTP/1.1 connections against `tcp.maxConnections`, and retries in flight against `maxRetries`.
 * Istio sets every threshold to 2^32-1 unless the DestinationRule says otherwise.
 *
 * Contents: `ConnectionPool`, `Admission` (+ `isAdmission`), `OVERFLOW_STATUS`, `UNLIMITED`.
 *
 * The pool only counts; the caller keeps its FIFO of pending requests. Overflow is Envoy's local 503 with
 * flag UO, which no retry policy retries (see retry-policy.ts).
 */
import type { ConnectionPool as ConnectionPoolSettings } from '../routing-config.js';

/** Istio's "unlimited" circuit-breaker threshold (`getDefaultCircuitBreakerThresholds`). */
export const UNLIMITED = 4_294_967_295;

/** Status of Envoy's local reply when a circuit breaker trips (with flag UO). */
export const OVERFLOW_STATUS = 503;

/** What `tryAdmit` decided. */
export const Admission = {
  /** The request has a connection and goes upstream now. */
  admitted: 0,
  /** All connections are busy: the request waits for one (pending). */
  pending: 1,
  /** A circuit breaker tripped: answer 503 UO now. */
  overflow: 2,
} as const;
export type Admission = (typeof Admission)[keyof typeof Admission];
export function isAdmission(x: unknown): x is Admission {
  return x === Admission.admitted || x === Admission.pending || x === Admission.overflow;
}

/** The thresholds a pool counts against (a DestinationRule's connection pool settings). */
type Limits = Pick<
  ConnectionPoolSettings,
  'maxConnections' | 'http1MaxPendingRequests' | 'http2MaxRequests' | 'maxRetries'
>;

/**
 * Circuit-breaker counters of one proxy towards one upstream cluster.
 *
 * HTTP/1.1 (Istio's default `h2UpgradePolicy: DO_NOT_UPGRADE`): a request holds one connection while
 * active; with all `maxConnections` busy it waits as pending, if `http1MaxPendingRequests` allows, else
 * overflows. HTTP/2: requests share connections, so only `http2MaxRequests` limits them. In both, an
 * admission beyond `http2MaxRequests` active requests overflows (Envoy's `requests().canCreate()` when a
 * stream is attached).
 */
export class ConnectionPool {
  /*
   * Field order is V8's in-object layout order (8 bytes a field after a 24-byte header; the constructor
   * stores them in that order, and with useDefineForClassFields false a field exists from its first store):
   * what every admission and release reads (http2, active, the limits, pending) comes first, so on a large mesh,
   * where a sidecar's pool is untouched for about a second between requests, they are one cache line with
   * the header more often than when the retry and overflow counters came between them.
   */
  /** true when the upstream speaks HTTP/2 (requests multiplexed, connections never the limit). */
  readonly http2: boolean;
  /** Requests sent upstream and not finished (counted only when `limitsAdmission`). */
  active: number;
  /**
   * The thresholds, read from the DestinationRule's settings rather than copied: every proxy calling the
   * cluster shares one settings object, where four copied limits (2^32-1 is no small integer, so each a
   * boxed double) cost ~100 bytes and three cache lines per proxy and cluster on every admission.
   */
  private readonly limits: Limits;
  /** Requests waiting for a connection. */
  pending: number;
  /** Retries scheduled or in flight. */
  retries: number;
  /** Requests refused by a circuit breaker so far. */
  overflows: number;

  constructor(limits: Limits, http2: boolean) {
    this.http2 = http2;
    this.active = 0;
    this.limits = limits;
    this.pending = 0;
    this.retries = 0;
    this.overflows = 0;
  }

  /**
   * Whether a view built under `limits` and `http2` is the same Envoy cluster as far as circuit breakers go:
   * equal thresholds and protocol. Envoy rebuilds a cluster whose config changed, with new resource
   * managers (new thresholds, counters from zero; ClusterInfoImpl in envoy source/common/upstream/
   * upstream_impl.cc), and skips an update whose config is unchanged (ClusterManagerImpl::addOrUpdateCluster
   * in cluster_manager_impl.cc at envoyproxy/envoy 008ca2de6a8e6b24f595f38d07921597e26da107).
   * Compared by value: a push that rewrites a DestinationRule without changing its pool is no change.
   */
  hasSettings(limits: Limits, http2: boolean): boolean {
    const own = this.limits;
    return (
      this.http2 === http2 &&
      own.maxConnections === limits.maxConnections &&
      own.http1MaxPendingRequests === limits.http1MaxPendingRequests &&
      own.http2MaxRequests === limits.http2MaxRequests &&
      own.maxRetries === limits.maxRetries
    );
  }

  get maxConnections(): number {
    return this.limits.maxConnections;
  }
  get maxPending(): number {
    return this.limits.http1MaxPendingRequests;
  }
  get maxRequests(): number {
    return this.limits.http2MaxRequests;
  }
  get maxRetries(): number {
    return this.limits.maxRetries;
  }

  /**
   * Whether admission can ever be refused or wait: false when neither connections nor requests are limited
   * (UNLIMITED, 2^32-1, cannot be reached), where `tryAdmit` always admits and `release` never starts a
   * pending request. A view then skips both (upstream.ts), and `active` stays 0: read it only when this
   * is true.
   */
  get limitsAdmission(): boolean {
    return this.maxConnections !== UNLIMITED || this.maxRequests !== UNLIMITED;
  }

  /** Admits a new request (or a retry's new attempt): `Admission.admitted`, `.pending` or `.overflow`. */
  tryAdmit(): Admission {
    if (this.http2 || this.active < this.maxConnections) {
      if (this.active >= this.maxRequests) {
        this.overflows++;
        return Admission.overflow;
      }
      this.active++;
      return Admission.admitted;
    }
    if (this.pending < this.maxPending) {
      this.pending++;
      return Admission.pending;
    }
    this.overflows++;
    return Admission.overflow;
  }

  /**
   * An active request finished. If a request is pending and may now run, counts it as active and returns
   * true: the caller starts its oldest pending request.
   */
  release(): boolean {
    this.active--;
    if (this.pending > 0 && this.active < this.maxRequests) {
      this.pending--;
      this.active++;
      return true;
    }
    return false;
  }

  /** A pending request gave up (its timeout fired, or the client went away). */
  cancelPending(): void {
    this.pending--;
  }

  /** Whether a retry may be scheduled (Envoy `retries().canCreate()`); counts it if so. */
  tryAdmitRetry(): boolean {
    if (this.retries >= this.maxRetries) return false;
    this.retries++;
    return true;
  }

  /** The retried attempt ended (its outcome is known), or the retry was abandoned. */
  releaseRetry(): void {
    this.retries--;
  }
}
