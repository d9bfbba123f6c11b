/**
 * How an attempt ended: one vocabulary for the data plane that ends attempts, the retry policy that
 * decides on them (Envoy `RetryStateImpl::wouldRetryFromHeaders` / `wouldRetryFromReset`), outlier
 * detection that counts them (Envoy `Outlier::Result`: an upstream status, or a local-origin failure) and
 * the response flag each leaves in the access log.
 *
 * Contents:
 * - `AttemptOutcome`: the classes Envoy's retry state and outlier detector tell apart;
 * - `AttemptEnd`: each way an attempt ends in the simulation, as its outcome and its response flag;
 * - `outlierFailureOf`: what outlier detection counts for an outcome.
 */
import { ResponseFlag } from '../response-flag.js';
import type { FailureKind } from './outlier-detector.js';

/** The classes of an attempt's end that Envoy's retry state and outlier detector tell apart. */
export const AttemptOutcome = {
  /** The upstream (or a proxy on the way) answered with a status code. */
  response: 0,
  /** No connection: refused, unreachable, connect timeout or a failed mTLS handshake. */
  connectFailure: 1,
  /** The stream was reset after the request was sent. */
  reset: 2,
  /** HTTP/2 REFUSED_STREAM from the upstream. */
  refusedStream: 3,
  /** The per-try (or route) timeout fired: a local-origin timeout. */
  perTryTimeout: 4,
  /** A circuit breaker refused the request locally. */
  overflow: 5,
} as const;
export type AttemptOutcome = (typeof AttemptOutcome)[keyof typeof AttemptOutcome];
export function isAttemptOutcome(x: unknown): x is AttemptOutcome {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= AttemptOutcome.overflow;
}

/** One way an attempt ends: how the retry policy and outlier detection see it, and its response flag. */
export interface AttemptEnd {
  readonly outcome: AttemptOutcome;
  /** The `ResponseFlag` bit the end sets (0: none). */
  readonly flag: number;
}

/** Every way an attempt ends in the simulation (data-plane files end attempts with these only). */
export const AttemptEnd = {
  /** The replica's answer (or a proxy's on the way) came back. */
  response: { outcome: AttemptOutcome.response, flag: 0 },
  /** No host could be picked: the source proxy answers 503 itself, judged as a 503 response. */
  noHealthyUpstream: { outcome: AttemptOutcome.response, flag: ResponseFlag.UH },
  /** Refused, unreachable, connect timeout, or an expired certificate at the handshake. */
  connectFailure: { outcome: AttemptOutcome.connectFailure, flag: ResponseFlag.UF },
  /** An established connection was reset: the pod is gone, or a dead gateway's address refuses it. */
  connectionReset: { outcome: AttemptOutcome.reset, flag: ResponseFlag.UC },
  /** The east-west gateway has no backend for the service: it closes the connection (flag of its reply). */
  gatewayNoBackend: { outcome: AttemptOutcome.reset, flag: ResponseFlag.UH },
  /** The per-try timeout fired. */
  perTryTimeout: { outcome: AttemptOutcome.perTryTimeout, flag: ResponseFlag.UT },
  /** A circuit breaker (`maxConnections` with no pending room, `http2MaxRequests`) refused it. */
  overflow: { outcome: AttemptOutcome.overflow, flag: ResponseFlag.UO },
} as const satisfies Record<string, AttemptEnd>;

/**
 * What outlier detection counts for an attempt's end, undefined for a success. Without
 * `splitExternalLocalOriginErrors` (Istio leaves it off) Envoy reports a local-origin failure (connect
 * failure, reset, timeout) as a 503 or 504: it counts toward both consecutive counters.
 */
export function outlierFailureOf(outcome: AttemptOutcome, code: number): FailureKind | undefined {
  if (outcome !== AttemptOutcome.response) return 'local-origin';
  if (code < 500) return undefined;
  return code >= 502 && code <= 504 ? 'gateway' : '5xx';
}
