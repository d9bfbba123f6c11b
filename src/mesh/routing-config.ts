/**
 * VirtualService and DestinationRule as the mesh uses them: Istio's field names, durations in ms,
 * percentages as fractions. Semantics and defaults: istio-behaviour.md section 4.
 */
import type { LbPolicy } from './traffic/load-balancer.js';

export interface StringMatch {
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: string;
}

export interface HttpMatchRequest {
  readonly headers: Readonly<Record<string, StringMatch>>;
  readonly uri: StringMatch | undefined;
}

export interface HttpRouteDestination {
  readonly host: string;
  readonly subset: string | undefined;
  readonly weight: number;
}

export interface HttpRetry {
  /** Retries after the first try (Istio's `attempts`). */
  readonly attempts: number;
  readonly perTryTimeoutMs: number;
  /** Envoy retry-on conditions: 5xx, gateway-error, connect-failure, refused-stream, unavailable, cancelled, reset, retriable-status-codes. */
  readonly retryOn: readonly string[];
  readonly retryRemoteLocalities: boolean;
  /**
   * Base interval of Envoy's jittered exponential back-off (VS `retries.backoff`); undefined = Envoy's 25 ms
   * (istio-behaviour.md 4.1). Numeric `retryOn` entries such as "503" are status codes, as Istio reads them.
   */
  readonly backoffMs?: number | undefined;
  /** VS `retries.retryIgnorePreviousHosts`; undefined = Istio's default (true: previous_hosts predicate). */
  readonly retryIgnorePreviousHosts?: boolean | undefined;
}

export interface HttpFaultInjection {
  readonly delay: { readonly fixedDelayMs: number; readonly fraction: number } | undefined;
  readonly abort: { readonly httpStatus: number; readonly fraction: number } | undefined;
}

export interface HttpRoute {
  /** OR of blocks; an empty list matches everything. */
  readonly match: readonly HttpMatchRequest[];
  readonly route: readonly HttpRouteDestination[];
  /** 0 = disabled (Istio's default). */
  readonly timeoutMs: number;
  /** undefined = Istio's default retry policy. */
  readonly retries: HttpRetry | undefined;
  readonly fault: HttpFaultInjection | undefined;
}

export interface VirtualService {
  readonly hosts: readonly string[];
  readonly http: readonly HttpRoute[];
}

export interface LocalityLbSetting {
  readonly enabled: boolean;
  readonly distribute: readonly { readonly from: string; readonly to: Readonly<Record<string, number>> }[];
  readonly failover: readonly { readonly from: string; readonly to: string }[];
  readonly failoverPriority: readonly string[];
}

export interface OutlierDetection {
  readonly consecutive5xxErrors: number;
  readonly consecutiveGatewayErrors: number;
  readonly intervalMs: number;
  readonly baseEjectionTimeMs: number;
  /** Fraction of all hosts that may be ejected at once (Istio's default 10%). */
  readonly maxEjectionPercent: number;
  readonly minHealthPercent: number;
}

export interface ConnectionPool {
  readonly maxConnections: number;
  readonly connectTimeoutMs: number;
  readonly http1MaxPendingRequests: number;
  readonly http2MaxRequests: number;
  readonly maxRetries: number;
  /**
   * HTTP/2 to the upstream (`h2UpgradePolicy: UPGRADE`): requests share one connection. Istio's mesh default
   * is DO_NOT_UPGRADE (HTTP/1.1 between sidecars: one connection per concurrent request).
   */
  readonly http2: boolean;
}

export interface TrafficPolicy {
  readonly loadBalancer:
    { readonly simple: LbPolicy; readonly localityLbSetting: LocalityLbSetting | undefined } | undefined;
  readonly outlierDetection: OutlierDetection | undefined;
  readonly connectionPool: ConnectionPool | undefined;
}

export interface Subset {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly trafficPolicy: TrafficPolicy | undefined;
}

export interface DestinationRule {
  readonly host: string;
  readonly trafficPolicy: TrafficPolicy | undefined;
  readonly subsets: readonly Subset[];
}

/**
 * One virtual host of the ingress gateway (a domain of a Gateway server's hosts), with the routes of the
 * VirtualServices bound to that Gateway, in istiod's order (scenario/istio/gateway-routes.ts).
 */
export interface IngressVirtualHost {
  /** `example.com`, `*.example.com` or `*`, lower-case. */
  readonly domain: string;
  readonly http: readonly HttpRoute[];
}

export interface RoutingConfig {
  readonly virtualServices: readonly VirtualService[];
  readonly destinationRules: readonly DestinationRule[];
  /**
   * The ingress gateway's routes, from Gateways and the VirtualServices bound to them. Requests that name
   * a host (traffic `host:`) are routed by these at the ingress gateway; undefined or empty: no Gateway.
   */
  readonly ingress?: readonly IngressVirtualHost[] | undefined;
}
