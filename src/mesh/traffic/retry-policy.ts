/**
 * Retries as Istio configures Envoy's router (istio-behaviour.md 4.1; `pilot/pkg/networking/core/route/retry/
 * retry.go`) and as Envoy decides them (`source/common/router/retry_state_impl.cc`).
 *
 * Contents:
 * - `RetryPolicy`, `DEFAULT_RETRY_POLICY`, `NO_RETRY_POLICY`, `retryPolicy()` (Istio's `ConvertPolicy`).
 * - `RetryOn`: Envoy's retry-on conditions as bits; `parseRetryOn()`.
 * - `shouldRetry()`: Envoy's `wouldRetryFromHeaders`/`wouldRetryFromReset`, over how the attempt ended
 *   (`AttemptOutcome`, attempt-outcome.ts: the vocabulary the data plane and outlier detection share).
 * - `backoffMs()`: Envoy's fully jittered exponential back-off.
 *
 * Not decided here: the retry budget (`ConnectionPool.tryAdmitRetry`) and the remaining-attempts count,
 * which the caller tracks against `numRetries`.
 */
import { ResponseFlag } from '../response-flag.js';
import { AttemptOutcome } from './attempt-outcome.js';
import type { HttpRetry } from '../routing-config.js';

/** Envoy's retry-on conditions (router `x-envoy-retry-on` / `x-envoy-retry-grpc-on` values) as bits. */
export const RetryOn = {
  '5xx': 1 << 0,
  'gateway-error': 1 << 1,
  'connect-failure': 1 << 2,
  'retriable-4xx': 1 << 3,
  'refused-stream': 1 << 4,
  'retriable-status-codes': 1 << 5,
  reset: 1 << 6,
  'reset-before-request': 1 << 7,
  'retriable-headers': 1 << 8,
  'envoy-ratelimited': 1 << 9,
  'http3-post-connect-failure': 1 << 10,
  // gRPC status conditions: they read `grpc-status`, which simulated HTTP responses never carry.
  cancelled: 1 << 11,
  'deadline-exceeded': 1 << 12,
  internal: 1 << 13,
  'resource-exhausted': 1 << 14,
  unavailable: 1 << 15,
} as const;
export type RetryOn = keyof typeof RetryOn;
export function isRetryOn(x: unknown): x is RetryOn {
  return typeof x === 'string' && Object.hasOwn(RetryOn, x);
}

/** A resolved retry policy, as Envoy's route `retry_policy` holds it. */
export interface RetryPolicy {
  /** Retries after the first try; 0 = no retries. */
  readonly numRetries: number;
  /** OR of `RetryOn` bits. */
  readonly retryOn: number;
  readonly retriableStatusCodes: readonly number[];
  /** 0 = none: each try may use the whole route timeout. */
  readonly perTryTimeoutMs: number;
  readonly backoffBaseMs: number;
  /** Envoy's default is 10 × base. */
  readonly backoffMaxMs: number;
  /** `previous_hosts` retry host predicate: a retry avoids hosts already tried. */
  readonly previousHosts: boolean;
  /** Envoy `host_selection_retry_max_attempts`: picks allowed to find a host the predicate accepts. */
  readonly hostSelectionMaxAttempts: number;
  /** `previous_priorities` with update frequency 2 (VS `retryRemoteLocalities`). */
  readonly retryRemoteLocalities: boolean;
}

/** Envoy's default base back-off (`upstream.base_retry_backoff_ms`). */
export const DEFAULT_BACKOFF_BASE_MS = 25;

/**
 * Istio's default outbound policy when a route sets no `retries`: 2 retries on connect-failure,
 * refused-stream, unavailable, cancelled and retriable-status-codes with no codes (503 left the list in
 * 1.24), previous-hosts predicate with 5 host-selection attempts, no per-try timeout (istio-behaviour.md 4.1).
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  numRetries: 2,
  retryOn:
    RetryOn['connect-failure'] |
    RetryOn['refused-stream'] |
    RetryOn.unavailable |
    RetryOn.cancelled |
    RetryOn['retriable-status-codes'],
  retriableStatusCodes: [],
  perTryTimeoutMs: 0,
  backoffBaseMs: DEFAULT_BACKOFF_BASE_MS,
  backoffMaxMs: 10 * DEFAULT_BACKOFF_BASE_MS,
  previousHosts: true,
  hostSelectionMaxAttempts: 5,
  retryRemoteLocalities: false,
};

/** No retries: VS `retries: {attempts: 0}` makes Istio send no retry policy at all. */
export const NO_RETRY_POLICY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, numRetries: 0, retryOn: 0 };

/**
 * The codes Go's `http.StatusText` knows: Istio takes a retryOn entry as a status code only if it has a
 * text (retry.go `parseRetryOn`; validation.go `ValidateHTTPRetry` rejects any other number), so 499 or
 * 520 is not a retriable status code. golang/go src/net/http/status.go (@ 1ad1d615), plus 103 Early Hints
 * (Go 1.19) and 425 Too Early (Go 1.12), which that stored copy predates.
 */
const GO_STATUS_TEXT_CODES: ReadonlySet<number> = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307,
  308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421,
  422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/** Whether a retryOn entry is an HTTP status code as Istio reads it (digits, and known to Go). */
export function isRetriableStatusCode(entry: string): boolean {
  return /^\d{3}$/.test(entry) && GO_STATUS_TEXT_CODES.has(Number(entry));
}

/**
 * Istio's `parseRetryOn`: comma-separated conditions; entries that are HTTP status codes become retriable
 * status codes (and switch on `retriable-status-codes`). Unknown names are ignored, as Envoy's route config
 * ignores them (Istio's validation rejects them: `checkRouting` reports them).
 */
export function parseRetryOn(entries: readonly string[]): { retryOn: number; codes: number[] } {
  let retryOn = 0;
  const codes: number[] = [];
  for (const raw of entries) {
    const part = raw.trim();
    if (part === '') continue;
    if (isRetriableStatusCode(part)) codes.push(Number(part));
    else if (isRetryOn(part)) retryOn |= RetryOn[part];
  }
  if (codes.length > 0) retryOn |= RetryOn['retriable-status-codes'];
  return { retryOn, codes };
}

/**
 * Istio's `ConvertPolicy`: no `retries` → the default policy; `attempts` ≤ 0 → no retries (an omitted
 * `attempts` is 0 in the proto, so it disables retries too); otherwise the default with `attempts`, and
 * `retryOn`, `perTryTimeout`, `retryIgnorePreviousHosts`, `retryRemoteLocalities` and `backoff` where set.
 */
export function retryPolicy(retries: HttpRetry | undefined): RetryPolicy {
  if (retries === undefined) return DEFAULT_RETRY_POLICY;
  if (retries.attempts <= 0) return NO_RETRY_POLICY;
  let retryOn = DEFAULT_RETRY_POLICY.retryOn;
  let codes: readonly number[] = DEFAULT_RETRY_POLICY.retriableStatusCodes;
  if (retries.retryOn.length > 0) ({ retryOn, codes } = parseRetryOn(retries.retryOn));
  const base = retries.backoffMs ?? DEFAULT_BACKOFF_BASE_MS;
  return {
    ...DEFAULT_RETRY_POLICY,
    numRetries: retries.attempts,
    retryOn,
    retriableStatusCodes: codes,
    perTryTimeoutMs: retries.perTryTimeoutMs,
    backoffBaseMs: base,
    backoffMaxMs: 10 * base,
    previousHosts: retries.retryIgnorePreviousHosts ?? true,
    retryRemoteLocalities: retries.retryRemoteLocalities,
  };
}

/**
 * Whether Envoy would retry an attempt that ended with `outcome` (`code` for a response, `flags` the
 * `ResponseFlag` bits already set) under `policy`, before counting attempts left and the retry circuit
 * breaker.
 *
 * - Never: overflow (Envoy short-circuits `Overflow` resets and `x-envoy-overloaded` replies), and a fault
 *   abort (FI), which the fault filter answers before the router sees the request.
 * - Response: 5xx → any 5xx; gateway-error → 502/503/504; retriable-4xx → 409; retriable-status-codes → the
 *   listed codes.
 * - Connect failure: connect-failure; else as a reset (reset-before-request too, since nothing was sent).
 * - Reset, refused stream, per-try timeout: reset, 5xx and gateway-error all retry them ("we count an
 *   upstream reset as a 5xx"); refused-stream retries a refused stream.
 */
export function shouldRetry(
  policy: RetryPolicy,
  outcome: AttemptOutcome,
  code: number,
  flags: number,
): boolean {
  const on = policy.retryOn;
  if (on === 0 || outcome === AttemptOutcome.overflow) return false;
  if ((flags & (ResponseFlag.UO | ResponseFlag.FI)) !== 0) return false;
  if (outcome === AttemptOutcome.response) {
    if ((on & RetryOn['5xx']) !== 0 && code >= 500 && code <= 599) return true;
    if ((on & RetryOn['gateway-error']) !== 0 && code >= 502 && code <= 504) return true;
    if ((on & RetryOn['retriable-4xx']) !== 0 && code === 409) return true;
    return (on & RetryOn['retriable-status-codes']) !== 0 && policy.retriableStatusCodes.includes(code);
  }
  // wouldRetryFromReset, in Envoy's order.
  if (outcome === AttemptOutcome.connectFailure) {
    if ((on & RetryOn['connect-failure']) !== 0) return true;
    if ((on & RetryOn['reset-before-request']) !== 0) return true;
  }
  if ((on & (RetryOn.reset | RetryOn['5xx'] | RetryOn['gateway-error'])) !== 0) return true;
  return outcome === AttemptOutcome.refusedStream && (on & RetryOn['refused-stream']) !== 0;
}

/**
 * Envoy's `JitteredExponentialBackOffStrategy`: the wait before retry `retryIndex` (0 = first retry) is a
 * whole number of ms drawn uniformly from [0, interval), interval = base·2^retryIndex capped at `maxMs`
 * (25, 50, 100, 200, 250, 250 … ms by default). `u` is the jitter's uniform draw on [0, 1).
 */
export function backoffMs(retryIndex: number, u: number, baseMs: number, maxMs: number): number {
  const interval = Math.min(baseMs * 2 ** retryIndex, maxMs);
  return Math.floor(u * interval);
}
