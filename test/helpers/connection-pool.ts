/**
 * A connection pool as a proxy holds it when its DestinationRule sets no `connectionPool`: Istio's limits
 * of 2^32-1 each over HTTP/1.1. src always builds pools from resolved settings (upstream-views.ts), so
 * this fixture lives with the tests rather than as a constructor default.
 */
import { ConnectionPool, UNLIMITED } from '../../src/mesh/traffic/connection-pool.js';

export const NO_LIMITS = {
  maxConnections: UNLIMITED,
  http1MaxPendingRequests: UNLIMITED,
  http2MaxRequests: UNLIMITED,
  maxRetries: UNLIMITED,
} as const;

export function unlimitedPool(): ConnectionPool {
  return new ConnectionPool(NO_LIMITS, false);
}
