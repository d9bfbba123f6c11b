/**
 * The `routing:` section from what users write (`RoutingInput`, Istio's shapes) to what the mesh uses
 * (`RoutingConfig`: durations in ms, percentages as fractions, Istio's defaults applied).
 *
 * Contents: `normalizeRouting()`. The rules a schema cannot state are in check-routing.ts.
 *
 * Presence is meaningful in Istio and is kept: a DestinationRule without `outlierDetection` has no ejection
 * and no locality failover (istio-behaviour.md 2.2), so an omitted block stays `undefined`; a block that is
 * present gets Istio's defaults for its omitted fields. Whole omitted blocks are resolved per Envoy cluster
 * by `effectiveTrafficPolicy` (mesh/traffic), which also lays subset policies over the rule's.
 */
import { IstioDefaults, UNLIMITED } from '../mesh/traffic/index.js';
import type {
  ConnectionPool,
  DestinationRule,
  HttpFaultInjection,
  HttpMatchRequest,
  HttpRetry,
  HttpRoute,
  LocalityLbSetting,
  OutlierDetection,
  RoutingConfig,
  StringMatch,
  TrafficPolicy,
  VirtualService,
} from '../mesh/routing-config.js';
import type { LbPolicy } from '../mesh/traffic/load-balancer.js';
import type { ResolvedRoutingInput } from './istio/effective-routing.js';
import type { DestinationRuleInput, VirtualServiceInput } from './schema-routing.js';
import { parseDuration } from './units.js';

type VsRouteInput = NonNullable<VirtualServiceInput['http']>[number];
type TrafficPolicyInput = NonNullable<DestinationRuleInput['trafficPolicy']>;
type StringMatchInput = NonNullable<NonNullable<VsRouteInput['match']>[number]['uri']>;
type LocalityInput = NonNullable<NonNullable<TrafficPolicyInput['loadBalancer']>['localityLbSetting']>;

/** Resolves the `routing:` section: Istio's defaults for omitted fields, ms, fractions. */
export function normalizeRouting(input: ResolvedRoutingInput | undefined): RoutingConfig {
  const ingress = input?.ingress;
  return {
    virtualServices: (input?.virtualServices ?? []).map(normalizeVirtualService),
    destinationRules: (input?.destinationRules ?? []).map(normalizeDestinationRule),
    // Only when a Gateway routes something, so configs without one are as before.
    ...(ingress === undefined || ingress.length === 0
      ? {}
      : { ingress: ingress.map((h) => ({ domain: h.domain, http: h.http.map(normalizeRoute) })) }),
  };
}

function normalizeVirtualService(vs: VirtualServiceInput): VirtualService {
  return { hosts: vs.hosts, http: (vs.http ?? []).map(normalizeRoute) };
}

function normalizeRoute(r: VsRouteInput): HttpRoute {
  return {
    match: (r.match ?? []).map((m): HttpMatchRequest => ({
      headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, stringMatch(v)])),
      uri: m.uri === undefined ? undefined : stringMatch(m.uri),
    })),
    route: r.route.map((d) => ({
      host: d.destination.host,
      subset: d.destination.subset,
      // A lone destination takes all traffic; with several an omitted weight is 0 (virtual_service.proto).
      weight: d.weight ?? (r.route.length === 1 ? 100 : 0),
    })),
    timeoutMs: ms(r.timeout, 0),
    retries: r.retries === undefined ? undefined : normalizeRetry(r.retries),
    fault: r.fault === undefined ? undefined : normalizeFault(r.fault),
  };
}

function stringMatch(m: StringMatchInput): StringMatch {
  if (m.exact !== undefined) return { exact: m.exact };
  if (m.prefix !== undefined) return { prefix: m.prefix };
  if (m.regex !== undefined) return { regex: m.regex };
  return {};
}

function normalizeRetry(r: NonNullable<VsRouteInput['retries']>): HttpRetry {
  return {
    // Proto3 default 0: an omitted `attempts` disables retries (Istio ConvertPolicy).
    attempts: r.attempts ?? 0,
    perTryTimeoutMs: ms(r.perTryTimeout, 0),
    // Empty = not set: Istio keeps its default conditions.
    retryOn: splitRetryOn(r.retryOn ?? ''),
    retryRemoteLocalities: r.retryRemoteLocalities ?? false,
    backoffMs: r.backoff === undefined ? undefined : ms(r.backoff, 25),
    retryIgnorePreviousHosts: r.retryIgnorePreviousHosts,
  };
}

/** `"5xx, connect-failure"` as its conditions; empty when unset. */
export function splitRetryOn(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function normalizeFault(f: NonNullable<VsRouteInput['fault']>): HttpFaultInjection {
  return {
    // An omitted percentage means no request is affected (virtual_service.proto).
    delay:
      f.delay === undefined
        ? undefined
        : { fixedDelayMs: ms(f.delay.fixedDelay, 0), fraction: (f.delay.percentage?.value ?? 0) / 100 },
    abort:
      f.abort === undefined
        ? undefined
        : { httpStatus: f.abort.httpStatus, fraction: (f.abort.percentage?.value ?? 0) / 100 },
  };
}

function normalizeDestinationRule(dr: DestinationRuleInput): DestinationRule {
  return {
    host: dr.host,
    trafficPolicy: normalizeTrafficPolicy(dr.trafficPolicy),
    subsets: (dr.subsets ?? []).map((s) => ({
      name: s.name,
      labels: s.labels ?? {},
      trafficPolicy: normalizeTrafficPolicy(s.trafficPolicy),
    })),
  };
}

function normalizeTrafficPolicy(tp: TrafficPolicyInput | undefined): TrafficPolicy | undefined {
  if (tp === undefined) return undefined;
  const lb = tp.loadBalancer;
  return {
    loadBalancer:
      lb === undefined
        ? undefined
        : {
            simple: lbPolicy(lb.simple),
            localityLbSetting:
              lb.localityLbSetting === undefined ? undefined : normalizeLocality(lb.localityLbSetting),
          },
    outlierDetection: tp.outlierDetection === undefined ? undefined : normalizeOutlier(tp.outlierDetection),
    connectionPool: tp.connectionPool === undefined ? undefined : normalizePool(tp.connectionPool),
  };
}

/** UNSPECIFIED and LEAST_CONN are LEAST_REQUEST in Istio (cluster_traffic_policy.go). */
function lbPolicy(simple: NonNullable<TrafficPolicyInput['loadBalancer']>['simple']): LbPolicy {
  return simple === 'ROUND_ROBIN' || simple === 'RANDOM' ? simple : IstioDefaults.lbPolicy;
}

function normalizeLocality(l: LocalityInput): LocalityLbSetting {
  return {
    enabled: l.enabled ?? IstioDefaults.localityLbSetting.enabled,
    distribute: (l.distribute ?? []).map((d) => ({ from: d.from, to: d.to })),
    failover: (l.failover ?? []).map((f) => ({ from: f.from, to: f.to })),
    failoverPriority: l.failoverPriority ?? [],
  };
}

function normalizeOutlier(o: NonNullable<TrafficPolicyInput['outlierDetection']>): OutlierDetection {
  const d = IstioDefaults.outlierDetection;
  return {
    consecutive5xxErrors: o.consecutive5xxErrors ?? d.consecutive5xxErrors,
    consecutiveGatewayErrors: o.consecutiveGatewayErrors ?? d.consecutiveGatewayErrors,
    intervalMs: ms(o.interval, d.intervalMs),
    baseEjectionTimeMs: ms(o.baseEjectionTime, d.baseEjectionTimeMs),
    // Istio only sets max_ejection_percent when the field is > 0 (`applyOutlierDetection`, istio/istio
    // pilot/pkg/networking/core/cluster_traffic_policy.go, commit 86c9f01f): 0 leaves Envoy's 10 %.
    maxEjectionPercent:
      o.maxEjectionPercent === undefined || o.maxEjectionPercent === 0
        ? d.maxEjectionPercent
        : o.maxEjectionPercent / 100,
    minHealthPercent: o.minHealthPercent === undefined ? d.minHealthPercent : o.minHealthPercent / 100,
  };
}

function normalizePool(p: NonNullable<TrafficPolicyInput['connectionPool']>): ConnectionPool {
  const d = IstioDefaults.connectionPool;
  // Istio only sets a threshold when the field is > 0 (applyConnectionPool): 0 means the default.
  const limit = (v: number | undefined) => (v === undefined || v === 0 ? UNLIMITED : v);
  return {
    maxConnections: limit(p.tcp?.maxConnections),
    connectTimeoutMs: ms(p.tcp?.connectTimeout, d.connectTimeoutMs),
    http1MaxPendingRequests: limit(p.http?.http1MaxPendingRequests),
    http2MaxRequests: limit(p.http?.http2MaxRequests),
    maxRetries: limit(p.http?.maxRetries),
    // `shouldH2Upgrade`: UPGRADE upgrades, DO_NOT_UPGRADE does not, DEFAULT follows the mesh (DO_NOT_UPGRADE).
    http2: p.http?.h2UpgradePolicy === undefined ? d.http2 : p.http.h2UpgradePolicy === 'UPGRADE',
  };
}

function ms(value: number | string | undefined, fallback: number): number {
  return value === undefined ? fallback : (parseDuration(value) ?? fallback);
}
