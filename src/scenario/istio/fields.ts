/**
 * Istio API fields meshsim accepts without modelling them (each gets one warning naming what is ignored),
 * and fields it refuses because ignoring them would change which requests match or what they are answered
 * (a located error instead). Everything else in schema-routing.ts is modelled. scenarios/README.md lists
 * the three groups; a test keeps it in step with these tables.
 *
 * Field names and meanings: istio/api networking/v1alpha3 virtual_service.proto and
 * destination_rule.proto (the v1 API is the same messages).
 *
 * Contents: `IGNORED`, `REJECTED`, `ignoredShape`, `checkIstioFields`, `IstioObject`.
 */
import { z } from 'zod';
import type { IssuePath } from '../issue.js';

/** The Istio messages whose fields the tables list, by their proto names. */
export type IstioObject =
  | 'VirtualService'
  | 'HTTPRoute'
  | 'HTTPMatchRequest'
  | 'HTTPRouteDestination'
  | 'Destination'
  | 'HTTPFaultInjection.Abort'
  | 'HTTPFaultInjection.Delay'
  | 'DestinationRule'
  | 'TrafficPolicy'
  | 'LoadBalancerSettings'
  | 'ConnectionPoolSettings.TCPSettings'
  | 'ConnectionPoolSettings.HTTPSettings'
  | 'OutlierDetection';

/** Accepted and ignored: what the run does instead. */
export const IGNORED: Readonly<Record<IstioObject, Readonly<Record<string, string>>>> = {
  VirtualService: {
    tls: 'TLS (SNI) routes are not modelled: meshsim routes HTTP only',
    tcp: 'TCP routes are not modelled: meshsim routes HTTP only',
  },
  HTTPRoute: {
    headers: 'header manipulation does not change timing or routing downstream',
    corsPolicy: 'CORS is enforced by browsers, not modelled',
    rewrite: 'path and authority rewrites are not modelled: the request keeps its uri',
    mirror: 'mirrored (shadow) traffic is not sent: the mirror target sees no load from it',
    mirrors: 'mirrored (shadow) traffic is not sent: the mirror targets see no load from it',
    mirrorPercentage: 'mirrored (shadow) traffic is not sent',
  },
  HTTPMatchRequest: {
    port: 'meshsim services have one port: every request is taken to arrive on it',
    statPrefix: 'stat prefixes name Envoy statistics only',
  },
  HTTPRouteDestination: { headers: 'header manipulation does not change timing or routing downstream' },
  Destination: { port: 'meshsim services have one port: the destination port is that one' },
  'HTTPFaultInjection.Abort': {},
  'HTTPFaultInjection.Delay': {},
  DestinationRule: {},
  TrafficPolicy: {
    tls: 'TLS settings are not modelled (mTLS cost is inside the sidecar latency)',
    portLevelSettings: 'meshsim services have one port: port-level policies are not applied',
    tunnel: 'tunnels are not modelled',
    proxyProtocol: 'the PROXY protocol is not modelled',
    retryBudget: 'retry budgets are not modelled: maxRetries bounds retries',
  },
  LoadBalancerSettings: {
    consistentHash: 'consistent hashing is not modelled: the default algorithm (LEAST_REQUEST) is used',
    warmupDurationSecs: 'slow-start warm-up is not modelled: new endpoints get their full share at once',
    warmup: 'slow-start warm-up is not modelled: new endpoints get their full share at once',
  },
  'ConnectionPoolSettings.TCPSettings': {
    tcpKeepalive: 'TCP keepalive is not modelled',
    maxConnectionDuration: 'connection lifetimes are not modelled',
    idleTimeout: 'idle connection timeouts are not modelled',
  },
  'ConnectionPoolSettings.HTTPSettings': {
    maxRequestsPerConnection: 'connection reuse limits are not modelled',
    idleTimeout: 'idle connection timeouts are not modelled',
    useClientProtocol: 'the upstream protocol choice is not modelled',
    maxConcurrentStreams: 'HTTP/2 stream limits are not modelled',
  },
  OutlierDetection: {
    splitExternalLocalOriginErrors: 'local-origin errors are counted with the others',
    consecutiveLocalOriginFailures: 'local-origin errors are counted with the others (consecutive5xxErrors)',
  },
};

/** Refused: ignoring them would change which requests match or what they get. */
export const REJECTED: Readonly<Partial<Record<IstioObject, Readonly<Record<string, string>>>>> = {
  HTTPRoute: {
    redirect: 'a redirect answers instead of routing; meshsim would route the request',
    directResponse: 'a direct response answers instead of routing; meshsim would route the request',
    delegate: 'delegate VirtualServices are not modelled; inline the delegate routes',
  },
  HTTPMatchRequest: {
    method:
      'matching on the method is not modelled (traffic has no method); the route would match every request',
    authority: 'matching on the authority is not modelled; the route would match every request',
    scheme: 'matching on the scheme is not modelled; the route would match every request',
    queryParams: 'matching on query parameters is not modelled; the route would match every request',
    withoutHeaders: 'negative header matches are not modelled; the route would match every request',
    ignoreUriCase: 'case-insensitive uri matching is not modelled',
    sourceLabels: 'matching on the client workload is not modelled; the route would match every client',
    sourceNamespace: 'matching on the client namespace is not modelled; the route would match every client',
  },
  'HTTPFaultInjection.Abort': {
    grpcStatus: 'gRPC aborts are not modelled; use httpStatus',
    http2Error: 'HTTP/2 error aborts are not modelled; use httpStatus',
  },
  'HTTPFaultInjection.Delay': {
    exponentialDelay: 'exponential delays are not modelled; use fixedDelay',
  },
  DestinationRule: {
    workloadSelector:
      'a DestinationRule for selected clients only is not modelled; it would apply to every client',
  },
};

/** The zod fields of `object`'s ignored and rejected keys, so the schema (and the editor's) knows them. */
export function ignoredShape(object: IstioObject): Record<string, z.ZodOptional<z.ZodUnknown>> {
  const out: Record<string, z.ZodOptional<z.ZodUnknown>> = {};
  for (const [k, why] of Object.entries(IGNORED[object]))
    out[k] = z
      .unknown()
      .optional()
      .describe(`Accepted and ignored (a warning says so): ${why}. Default: none.`);
  for (const [k, why] of Object.entries(REJECTED[object] ?? {}))
    out[k] = z.unknown().optional().describe(`Refused (an error says so): ${why}. Default: none.`);
  return out;
}

export interface FieldFinding {
  readonly path: IssuePath;
  readonly object: IstioObject;
  readonly field: string;
  readonly reason: string;
  readonly rejected: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x);
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

/** Every ignored or rejected field set in a VirtualService or DestinationRule spec (paths from `base`). */
export function checkIstioFields(
  kind: 'VirtualService' | 'DestinationRule',
  spec: unknown,
  base: IssuePath,
): FieldFinding[] {
  const out: FieldFinding[] = [];
  const visit = (object: IstioObject, value: unknown, path: IssuePath): void => {
    if (!isObj(value)) return;
    for (const [field, reason] of Object.entries(IGNORED[object]))
      if (value[field] !== undefined)
        out.push({ path: [...path, field], object, field, reason, rejected: false });
    for (const [field, reason] of Object.entries(REJECTED[object] ?? {}))
      if (value[field] !== undefined)
        out.push({ path: [...path, field], object, field, reason, rejected: true });
  };
  const policy = (tp: unknown, path: IssuePath): void => {
    if (!isObj(tp)) return;
    visit('TrafficPolicy', tp, path);
    visit('LoadBalancerSettings', tp['loadBalancer'], [...path, 'loadBalancer']);
    visit('OutlierDetection', tp['outlierDetection'], [...path, 'outlierDetection']);
    const pool = tp['connectionPool'];
    if (isObj(pool)) {
      visit('ConnectionPoolSettings.TCPSettings', pool['tcp'], [...path, 'connectionPool', 'tcp']);
      visit('ConnectionPoolSettings.HTTPSettings', pool['http'], [...path, 'connectionPool', 'http']);
    }
  };
  if (!isObj(spec)) return out;
  if (kind === 'VirtualService') {
    visit('VirtualService', spec, base);
    list(spec['http']).forEach((r, ri) => {
      const at = [...base, 'http', ri];
      visit('HTTPRoute', r, at);
      if (!isObj(r)) return;
      list(r['match']).forEach((m, mi) => visit('HTTPMatchRequest', m, [...at, 'match', mi]));
      list(r['route']).forEach((d, di) => {
        visit('HTTPRouteDestination', d, [...at, 'route', di]);
        if (isObj(d)) visit('Destination', d['destination'], [...at, 'route', di, 'destination']);
      });
      const fault = r['fault'];
      if (isObj(fault)) {
        visit('HTTPFaultInjection.Abort', fault['abort'], [...at, 'fault', 'abort']);
        visit('HTTPFaultInjection.Delay', fault['delay'], [...at, 'fault', 'delay']);
      }
    });
  } else {
    visit('DestinationRule', spec, base);
    policy(spec['trafficPolicy'], [...base, 'trafficPolicy']);
    list(spec['subsets']).forEach((s, si) => {
      if (isObj(s)) policy(s['trafficPolicy'], [...base, 'subsets', si, 'trafficPolicy']);
    });
  }
  return out;
}
