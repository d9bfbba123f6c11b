/**
 * Istio's defaults for the DestinationRule blocks the simulator models, in one place so the scenario
 * normalizer and the traffic modules agree (istio-behaviour.md 4.2–4.5).
 *
 * Contents: `IstioDefaults`.
 */
import type { ConnectionPool, LocalityLbSetting, OutlierDetection } from '../routing-config.js';
import { UNLIMITED } from './connection-pool.js';

/** Istio's defaults; each cites where it comes from. */
export const IstioDefaults = {
  /** LEAST_REQUEST since Istio 1.14 (`cluster_traffic_policy.go` `defaultLBAlgorithm`; 4.2). */
  lbPolicy: 'LEAST_REQUEST',
  /**
   * Mesh `localityLbSetting`: enabled, no rules (`pkg/config/mesh/mesh.go`; 2.2). It only has an effect when
   * the DestinationRule also has `outlierDetection`.
   */
  localityLbSetting: {
    enabled: true,
    distribute: [],
    failover: [],
    failoverPriority: [],
  } satisfies LocalityLbSetting,
  /**
   * Values of an `outlierDetection` block's omitted fields: Envoy's consecutive_5xx 5, interval 10 s, base
   * ejection 30 s, max ejection 10 %; gateway errors off (Envoy enforcing 0); `minHealthPercent` 0 = panic
   * disabled (`applyOutlierDetection`; 4.4). Percentages as fractions.
   */
  outlierDetection: {
    consecutive5xxErrors: 5,
    consecutiveGatewayErrors: 0,
    intervalMs: 10_000,
    baseEjectionTimeMs: 30_000,
    maxEjectionPercent: 0.1,
    minHealthPercent: 0,
  } satisfies OutlierDetection,
  /**
   * Circuit breakers at 2^32-1 (`getDefaultCircuitBreakerThresholds`), connect timeout 10 s (mesh
   * `connectTimeout`; 4.5).
   */
  connectionPool: {
    maxConnections: UNLIMITED,
    connectTimeoutMs: 10_000,
    http1MaxPendingRequests: UNLIMITED,
    http2MaxRequests: UNLIMITED,
    maxRetries: UNLIMITED,
    // Mesh `h2UpgradePolicy` DO_NOT_UPGRADE: sidecars speak HTTP/1.1 to each other unless a
    // DestinationRule says UPGRADE (`shouldH2Upgrade`, istio/istio
    // pilot/pkg/networking/core/cluster_traffic_policy.go, commit 86c9f01f).
    http2: false,
  } satisfies ConnectionPool,
  /** Envoy's healthy panic threshold when Istio leaves it unset (no `outlierDetection`): 50 % (4.3). */
  envoyPanicThreshold: 0.5,
} as const;
