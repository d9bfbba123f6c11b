export { PriorityLoad, OVERPROVISIONING_FACTOR } from './priority-load.js';
export {
  localityPriority,
  TopologyLabel,
  isTopologyLabel,
  type WorkloadLocality,
  type LocalityPriority,
} from './locality-priority.js';
export {
  OutlierDetector,
  FailureKind,
  isFailureKind,
  DEFAULT_MAX_EJECTION_TIME_MS,
} from './outlier-detector.js';
export {
  RetryOn,
  isRetryOn,
  isRetriableStatusCode,
  type RetryPolicy,
  DEFAULT_RETRY_POLICY,
  NO_RETRY_POLICY,
  DEFAULT_BACKOFF_BASE_MS,
  parseRetryOn,
  retryPolicy,
  shouldRetry,
  backoffMs,
} from './retry-policy.js';
export { AttemptOutcome, AttemptEnd, isAttemptOutcome, outlierFailureOf } from './attempt-outcome.js';
export {
  RouteTable,
  NO_ROUTE,
  NO_ROUTE_STATUS,
  HEADER_PRESENT_REGEX,
  hostMatches,
  type RouteRequest,
} from './route-table.js';
export { ConnectionPool, Admission, isAdmission, OVERFLOW_STATUS, UNLIMITED } from './connection-pool.js';
export { IstioDefaults } from './istio-defaults.js';
export { effectiveTrafficPolicy, type ResolvedTrafficPolicy } from './effective-traffic-policy.js';
