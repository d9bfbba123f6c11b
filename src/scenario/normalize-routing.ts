/**
 * The `routing:` section from what users write (`RoutingInput`, Istio's shapes) to what the mesh uses
 * (`RoutingConfig`: durations in ms, percentages as fractions, Istio's defaults applied), and the
 * cross-reference rules a schema cannot state.
 *
 * Contents: `normalizeRouting()`, `checkRouting()`, `RoutingProblem`.
 *
 * Presence is meaningful in Istio and is kept: a DestinationRule without `outlierDetection` has no ejection
 * and no locality failover (istio-behaviour.md 2.2), so an omitted block stays `undefined`; a block that is
 * present gets Istio's defaults for its omitted fields. Whole omitted blocks are resolved per Envoy cluster
 * by `effectiveTrafficPolicy` (mesh/traffic), which also lays subset policies over the rule's.
 */
import { hostMatches, IstioDefaults, isRetryOn, RetryOn, UNLIMITED } from '../mesh/traffic/index.js';
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
import type { LbPolicy } from '../mesh/load-balancer.js';
import type { IssueCode, IssuePath } from './issue.js';
import type { DestinationRuleInput, RoutingInput, VirtualServiceInput } from './schema-routing.js';
import { suggest } from './suggest.js';
import { parseDuration } from './units.js';

type VsRouteInput = NonNullable<VirtualServiceInput['http']>[number];
type TrafficPolicyInput = NonNullable<DestinationRuleInput['trafficPolicy']>;
type StringMatchInput = NonNullable<NonNullable<VsRouteInput['match']>[number]['uri']>;
type LocalityInput = NonNullable<NonNullable<TrafficPolicyInput['loadBalancer']>['localityLbSetting']>;

/** Resolves the `routing:` section: Istio's defaults for omitted fields, ms, fractions. */
export function normalizeRouting(input: RoutingInput | undefined): RoutingConfig {
  return {
    virtualServices: (input?.virtualServices ?? []).map(normalizeVirtualService),
    destinationRules: (input?.destinationRules ?? []).map(normalizeDestinationRule),
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

function splitRetryOn(text: string): string[] {
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
    maxEjectionPercent:
      o.maxEjectionPercent === undefined ? d.maxEjectionPercent : o.maxEjectionPercent / 100,
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
  };
}

function ms(value: number | string | undefined, fallback: number): number {
  return value === undefined ? fallback : (parseDuration(value) ?? fallback);
}

/** A problem found by `checkRouting`, in the shape of the scenario checker's problems. */
export interface RoutingProblem {
  readonly path: IssuePath;
  readonly code: IssueCode;
  readonly message: string;
  readonly suggestion?: string;
}

/** Texts of routing problems (kept here until scenario/messages.ts takes them in). */
const routingMessage = {
  unknown: (kind: string, name: string, known: readonly string[]) =>
    `unknown ${kind} "${name}"; known ${kind}s: ${known.length === 0 ? '(none)' : known.slice(0, 12).join(', ')}`,
  duplicateSubset: (name: string) => `subset "${name}" is defined more than once in this DestinationRule`,
  routeWeights: (sum: number) =>
    `the weights of a route with several destinations must add up to 100, they add up to ${sum}`,
  distributeWeights: (sum: number) => `distribute weights must add up to 100, they add up to ${sum}`,
  distributeWithFailover: () =>
    'distribute cannot be combined with failover or failoverPriority (Istio sets one or the other)',
  failoverSameRegion: (region: string) =>
    `failover from "${region}" to itself has no effect; name another region`,
  badRegex: (pattern: string, reason: string) => `invalid regular expression "${pattern}": ${reason}`,
  badRetryOn: (value: string) =>
    `"${value}" is not a retry condition or HTTP status code (retryOn takes e.g. "5xx,connect-failure,503")`,
} as const;

/**
 * Cross-references of the `routing:` section: hosts name known services, subsets are unique, weights add up,
 * failover and distribute name known regions, cluster labels name known clusters, regexes compile, retry
 * conditions exist. Paths start at `base` (the section's place in the scenario file).
 */
export function checkRouting(
  input: RoutingInput,
  knownServices: readonly string[],
  knownClusters: readonly string[],
  regions: readonly string[],
  base: IssuePath = ['routing'],
): RoutingProblem[] {
  const problems: RoutingProblem[] = [];
  const add = (path: IssuePath, code: IssueCode, text: string, hint?: string) =>
    problems.push({
      path: [...base, ...path],
      code,
      message: text,
      ...(hint === undefined ? {} : { suggestion: hint }),
    });
  const host = (path: IssuePath, name: string) => {
    if (!knownServices.some((s) => hostMatches(name, s)))
      add(
        path,
        'unknown-reference',
        routingMessage.unknown('service', name, knownServices),
        suggest(name, knownServices),
      );
  };
  const region = (path: IssuePath, name: string) => {
    if (name !== '*' && !regions.includes(name))
      add(path, 'unknown-reference', routingMessage.unknown('region', name, regions), suggest(name, regions));
  };

  (input.virtualServices ?? []).forEach((vs, v) => {
    const at: IssuePath = ['virtualServices', v];
    vs.hosts.forEach((h, k) => host([...at, 'hosts', k], h));
    (vs.http ?? []).forEach((r, ri) => {
      const rat: IssuePath = [...at, 'http', ri];
      r.route.forEach((d, di) => host([...rat, 'route', di, 'destination', 'host'], d.destination.host));
      if (r.route.length > 1) {
        const sum = r.route.reduce((s, d) => s + (d.weight ?? 0), 0);
        if (sum !== 100) add([...rat, 'route'], 'invalid-value', routingMessage.routeWeights(sum));
      }
      (r.match ?? []).forEach((m, mi) => {
        if (m.uri?.regex !== undefined) checkRegex([...rat, 'match', mi, 'uri', 'regex'], m.uri.regex, add);
        for (const [name, hm] of Object.entries(m.headers ?? {}))
          if (hm.regex !== undefined)
            checkRegex([...rat, 'match', mi, 'headers', name, 'regex'], hm.regex, add);
      });
      splitRetryOn(r.retries?.retryOn ?? '').forEach((token) => {
        const isCode = /^\d+$/.test(token) && Number(token) >= 100 && Number(token) <= 599;
        if (!isCode && !isRetryOn(token))
          add(
            [...rat, 'retries', 'retryOn'],
            'invalid-value',
            routingMessage.badRetryOn(token),
            suggest(token, Object.keys(RetryOn)),
          );
      });
    });
  });

  (input.destinationRules ?? []).forEach((dr, di) => {
    const at: IssuePath = ['destinationRules', di];
    host([...at, 'host'], dr.host);
    checkPolicy([...at, 'trafficPolicy'], dr.trafficPolicy);
    const seen = new Set<string>();
    (dr.subsets ?? []).forEach((s, si) => {
      if (seen.has(s.name))
        add([...at, 'subsets', si, 'name'], 'duplicate-name', routingMessage.duplicateSubset(s.name));
      seen.add(s.name);
      const cluster = s.labels?.['topology.istio.io/cluster'];
      if (cluster !== undefined && !knownClusters.includes(cluster))
        add(
          [...at, 'subsets', si, 'labels', 'topology.istio.io/cluster'],
          'unknown-reference',
          routingMessage.unknown('cluster', cluster, knownClusters),
          suggest(cluster, knownClusters),
        );
      checkPolicy([...at, 'subsets', si, 'trafficPolicy'], s.trafficPolicy);
    });
  });
  return problems;

  function checkPolicy(at: IssuePath, tp: TrafficPolicyInput | undefined): void {
    const l = tp?.loadBalancer?.localityLbSetting;
    if (l === undefined) return;
    const lat: IssuePath = [...at, 'loadBalancer', 'localityLbSetting'];
    if (
      (l.distribute?.length ?? 0) > 0 &&
      ((l.failover?.length ?? 0) > 0 || (l.failoverPriority?.length ?? 0) > 0)
    )
      add(lat, 'invalid-value', routingMessage.distributeWithFailover());
    (l.distribute ?? []).forEach((d, k) => {
      region([...lat, 'distribute', k, 'from'], d.from.split('/')[0] ?? '');
      let sum = 0;
      for (const [locality, w] of Object.entries(d.to)) {
        region([...lat, 'distribute', k, 'to', locality], locality.split('/')[0] ?? '');
        sum += w;
      }
      if (sum !== 100)
        add([...lat, 'distribute', k, 'to'], 'invalid-value', routingMessage.distributeWeights(sum));
    });
    (l.failover ?? []).forEach((f, k) => {
      region([...lat, 'failover', k, 'from'], f.from);
      region([...lat, 'failover', k, 'to'], f.to);
      if (f.from === f.to)
        add([...lat, 'failover', k], 'invalid-value', routingMessage.failoverSameRegion(f.from));
    });
    (l.failoverPriority ?? []).forEach((entry, k) => {
      const [label, value] = entry.split('=');
      if (value === undefined) return;
      if (label === 'topology.istio.io/cluster' && !knownClusters.includes(value))
        add(
          [...lat, 'failoverPriority', k],
          'unknown-reference',
          routingMessage.unknown('cluster', value, knownClusters),
          suggest(value, knownClusters),
        );
      if (label === 'topology.kubernetes.io/region') region([...lat, 'failoverPriority', k], value);
    });
  }
}

function checkRegex(
  path: IssuePath,
  pattern: string,
  add: (path: IssuePath, code: IssueCode, text: string) => void,
): void {
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    add(path, 'invalid-value', routingMessage.badRegex(pattern, e instanceof Error ? e.message : String(e)));
  }
}
