/**
 * The `routing:` section of a scenario as users write it: Istio's own VirtualService and DestinationRule
 * shapes (`networking.istio.io/v1` spec fields, camelCase, same nesting), limited to what the simulator
 * models. Objects are strict, so an Istio field the simulator does not model is an error rather than a
 * silent no-op. Every default is stated with its source (istio-behaviour.md section 4); normalize-routing.ts
 * applies them.
 *
 * Contents: `VirtualServiceInput`, `DestinationRuleInput`, `RoutingInput` (schemas and inferred types).
 */
import { z } from 'zod';
import { Duration, durationAtLeast } from './schema-units.js';
import { ignoredShape } from './istio/fields.js';

/** Istio validates subset names as DNS-1123 labels (schema.ts keeps its own `Name` private, so copied). */
const SubsetName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    error: 'expected a DNS-1123 label: lower-case letters, digits and "-", starting and ending alphanumeric',
  })
  .max(63)
  .describe('Subset name (a DNS-1123 label), referenced by VirtualService destinations.');

const Host = z
  .string()
  .min(1)
  .max(253)
  .describe('A service: its name, or its FQDN such as reviews.default.svc.cluster.local.');

const Percent = z.number().min(0).max(100);

const ExportTo = z.array(z.string().max(253)).max(100);

const StringMatch = z
  .strictObject({
    exact: z.string().max(8192).optional().describe('The value equals this. Default: unset.'),
    prefix: z.string().max(8192).optional().describe('The value starts with this. Default: unset.'),
    regex: z
      .string()
      .max(8192)
      .optional()
      .describe('RE2 regular expression the whole value must match. Default: unset.'),
  })
  .refine((m) => [m.exact, m.prefix, m.regex].filter((x) => x !== undefined).length <= 1, {
    error: 'set at most one of exact, prefix, regex',
  })
  .meta({
    id: 'StringMatch',
    description:
      'Istio StringMatch: one of {exact}, {prefix}, {regex}; {} or regex "*" on a header only requires it present.',
  });

const HttpMatchRequest = z
  .strictObject({
    name: z.string().max(253).optional().describe('A label for the match, for humans. Default: none.'),
    uri: StringMatch.optional().describe(
      'Match on the path (exact and regex ignore the query string, as Envoy). Default: any path.',
    ),
    headers: z
      .record(z.string().max(253), StringMatch)
      .optional()
      .describe('Match on request headers by (lower-case) name; all must match. Default: any headers.'),
    gateways: z
      .array(z.string().max(253))
      .max(100)
      .optional()
      .describe(
        'Gateways this block applies to ("mesh" = sidecars, or Gateway names); a block without "mesh" never matches in sidecars, one without a Gateway never matches there. Default: the VirtualService gateways.',
      ),
    ...ignoredShape('HTTPMatchRequest'),
  })
  .describe('Conditions that must all hold (AND); a route matches if any of its match blocks does (OR).');

const Destination = z.strictObject({
  host: Host,
  subset: SubsetName.optional().describe(
    'A subset of the host defined in its DestinationRule; an undefined subset makes Envoy answer 503 NC. Default: every pod of the host.',
  ),
  ...ignoredShape('Destination'),
});

const HttpRouteDestination = z.strictObject({
  destination: Destination,
  weight: z
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .describe(
      'Share of the route traffic: weight/Σweights. Default: 100 when the route has one destination (it ' +
        'gets all traffic), else 0 (virtual_service.proto).',
    ),
  ...ignoredShape('HTTPRouteDestination'),
});

const HttpRetry = z
  .strictObject({
    attempts: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .describe(
        'Retries after the first try. 0, or leaving it out (proto default 0), disables retries: Istio ' +
          '`ConvertPolicy` sends no retry policy at all.',
      ),
    perTryTimeout: Duration.optional().describe('Timeout of each try; default none (virtual_service.proto).'),
    retryOn: z
      .string()
      .max(2000)
      .optional()
      .describe(
        'Comma-separated Envoy retry-on conditions (5xx, gateway-error, reset, connect-failure, ' +
          'refused-stream, retriable-4xx, retriable-status-codes, ...) and HTTP status codes such as 503. ' +
          'Default "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes" with no ' +
          'codes (Istio retry.go; 503 left the default in 1.24).',
      ),
    retryRemoteLocalities: z
      .boolean()
      .optional()
      .describe('Retry in other localities (Envoy previous_priorities, update frequency 2); default false.'),
    retryIgnorePreviousHosts: z
      .boolean()
      .optional()
      .describe('Avoid hosts already tried (Envoy previous_hosts predicate); default true (Istio retry.go).'),
    backoff: Duration.optional().describe(
      'Base interval of the jittered exponential back-off; default 25ms, capped at 10x base (Envoy router).',
    ),
  })
  .describe('Istio HTTPRetry. Without `retries` a route gets Istio default: 2 retries on connect failures.');

const HttpFaultInjection = z.strictObject({
  delay: z
    .strictObject({
      fixedDelay: Duration.describe('Delay added before the request is forwarded.'),
      percentage: z
        .strictObject({ value: Percent.describe('Percent of requests, 0-100.') })
        .optional()
        .describe('Requests delayed; unset = none (virtual_service.proto).'),
      ...ignoredShape('HTTPFaultInjection.Delay'),
    })
    .optional()
    .describe('Delay some requests before forwarding them. Default: none.'),
  abort: z
    .strictObject({
      httpStatus: z.number().int().min(200).max(599).describe('Status returned instead (flag FI).'),
      percentage: z
        .strictObject({ value: Percent.describe('Percent of requests, 0-100.') })
        .optional()
        .describe('Requests aborted; unset = none.'),
      ...ignoredShape('HTTPFaultInjection.Abort'),
    })
    .optional()
    .describe('Answer some requests at once with a status, without forwarding them. Default: none.'),
});

const HttpRoute = z
  .strictObject({
    name: z.string().max(253).optional().describe('A label for the route, for humans. Default: none.'),
    match: z
      .array(HttpMatchRequest)
      .max(1000)
      .optional()
      .describe('Match blocks, OR-ed; omitted = every request. Routes are tried in order, first match wins.'),
    route: z.array(HttpRouteDestination).min(1).max(1000).describe('Weighted destinations.'),
    timeout: Duration.optional().describe(
      'Route timeout covering all tries; default disabled (0; route.go).',
    ),
    retries: HttpRetry.optional().describe(
      "Istio HTTPRetry. Default (omitted): Istio's 2 retries on connect failures, other hosts.",
    ),
    fault: HttpFaultInjection.optional().describe(
      'Fault injection on the client side: an abort never reaches the upstream and is not retried. Default: none.',
    ),
    ...ignoredShape('HTTPRoute'),
  })
  .describe('Istio HTTPRoute.');

/** A VirtualService: the HTTP routes for its hosts. */
export const VirtualServiceInput = z
  .strictObject({
    hosts: z
      .array(Host)
      .min(1)
      .max(1000)
      .describe(
        'Hosts these routes apply to: short names resolve in the resource namespace, "*" and "*.ns.svc.cluster.local" match several.',
      ),
    gateways: z
      .array(z.string().max(253))
      .max(100)
      .optional()
      .describe(
        'Where the routes apply: "mesh" (every sidecar) and Gateway names (name, ns/name), whose routes serve traffic via: ingress that names a host. Without "mesh" the routes do not apply to sidecars. Default: ["mesh"].',
      ),
    exportTo: ExportTo.optional().describe(
      'Namespaces that see this VirtualService: "*" (all), "." (its own), or names. Default: "*".',
    ),
    ...ignoredShape('VirtualService'),
    http: z
      .array(HttpRoute)
      .max(1000)
      .optional()
      .describe('Ordered HTTP routes; a request no route matches gets 404 NR. Default: none.'),
  })
  .meta({ id: 'VirtualService', description: 'Istio VirtualService spec (HTTP routes only).' });
export type VirtualServiceInput = z.infer<typeof VirtualServiceInput>;

const LocalityLbSetting = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .describe('Default true (mesh localityLbSetting); false puts every endpoint at priority 0.'),
    distribute: z
      .array(
        z.strictObject({
          from: z.string().max(300).describe('Client locality "region/zone/subzone"; "*" matches any part.'),
          to: z
            .record(z.string().max(300), z.number().int().min(0).max(100))
            .describe(
              'Weight (summing to 100) per destination locality; unlisted localities get no traffic.',
            ),
        }),
      )
      .optional()
      .describe(
        'Locality weights; needs no outlier detection and never fails over (issue #33470). Default: none.',
      ),
    failover: z
      .array(
        z.strictObject({
          from: z.string().max(253).describe('Client region.'),
          to: z.string().max(253).describe('Region.'),
        }),
      )
      .optional()
      .describe(
        'Region to fail over to; needs outlierDetection in the DestinationRule. Default: none (any region, nearest first).',
      ),
    failoverPriority: z
      .array(z.string().max(600))
      .max(16)
      .optional()
      .describe(
        'Ordered labels (or label=value): endpoints matching the client on more of them come first. ' +
          'topology.istio.io/network, topology.istio.io/cluster, topology.kubernetes.io/region and zone ' +
          'are set from the topology. Needs outlierDetection. Default: none.',
      ),
  })
  .describe(
    'Istio LocalityLoadBalancerSetting; distribute cannot be combined with failover or failoverPriority. Default: enabled, no rules (the mesh default).',
  );

const OutlierDetection = z
  .strictObject({
    consecutive5xxErrors: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Consecutive 5xx (incl. connect failures) that eject a host; default 5, 0 disables (Envoy).'),
    consecutiveGatewayErrors: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Consecutive 502/503/504 that eject a host; default disabled (Envoy enforcing 0).'),
    interval: durationAtLeast(1, 'Istio rejects an interval under 1ms')
      .optional()
      .describe('Time between ejection sweeps; default 10s (Envoy); at least 1ms.'),
    baseEjectionTime: Duration.optional().describe(
      'Ejection time, times the number of ejections, capped at max(300s, base); default 30s (Envoy).',
    ),
    maxEjectionPercent: z
      .number()
      .int()
      .min(0)
      .max(100)
      .optional()
      .describe(
        'Max percent of all hosts ejected at once, enforced strictly; default 10 (Envoy); 0 means unset, as in Istio (10).',
      ),
    ...ignoredShape('OutlierDetection'),
    minHealthPercent: z
      .number()
      .int()
      .min(0)
      .max(100)
      .optional()
      .describe('Becomes the Envoy panic threshold; default 0 = panic disabled (destination_rule.proto).'),
  })
  .describe(
    'Istio OutlierDetection; its presence also turns on locality failover. Default (omitted): no ejection, no locality failover.',
  );

const ConnectionPool = z
  .strictObject({
    tcp: z
      .strictObject({
        maxConnections: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe('Max connections to the service; default 2^32-1 (Istio), 0 = default.'),
        connectTimeout: Duration.optional().describe(
          'TCP connect timeout; default 10s (mesh connectTimeout).',
        ),
        ...ignoredShape('ConnectionPoolSettings.TCPSettings'),
      })
      .optional()
      .describe('TCP settings. Default: every key at its default.'),
    http: z
      .strictObject({
        http1MaxPendingRequests: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe('Max requests waiting for a connection; default 2^32-1 (Istio), 0 = default.'),
        http2MaxRequests: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe('Max active requests; default 2^32-1 (Istio), 0 = default.'),
        maxRetries: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe('Max retries in flight; default 2^32-1 (Istio; Envoy alone would say 3), 0 = default.'),
        h2UpgradePolicy: z
          .enum(['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE'])
          .optional()
          .describe(
            "UPGRADE: HTTP/2 to the service (requests share one connection; an east-west gateway then sends all of a proxy's requests to one backend). Default (and DEFAULT): the mesh h2UpgradePolicy, DO_NOT_UPGRADE: HTTP/1.1, one connection per concurrent request, balanced per connection by a gateway.",
          ),
        ...ignoredShape('ConnectionPoolSettings.HTTPSettings'),
      })
      .optional()
      .describe('HTTP settings. Default: every key at its default.'),
  })
  .describe(
    'Istio ConnectionPoolSettings: Envoy circuit breakers; overflow answers 503 UO. Default: no limits.',
  );

const TrafficPolicy = z
  .strictObject({
    loadBalancer: z
      .strictObject({
        simple: z
          .enum(['UNSPECIFIED', 'LEAST_REQUEST', 'LEAST_CONN', 'ROUND_ROBIN', 'RANDOM'])
          .optional()
          .describe(
            'Default LEAST_REQUEST (Istio >= 1.14); UNSPECIFIED and the deprecated LEAST_CONN mean LEAST_REQUEST.',
          ),
        localityLbSetting: LocalityLbSetting.optional(),
        ...ignoredShape('LoadBalancerSettings'),
      })
      .optional()
      .describe('Load balancing. Default: LEAST_REQUEST, locality settings as the mesh default.'),
    outlierDetection: OutlierDetection.optional(),
    connectionPool: ConnectionPool.optional(),
    ...ignoredShape('TrafficPolicy'),
  })
  .meta({ id: 'TrafficPolicy', description: 'Istio TrafficPolicy of a host or a subset.' });

/** A DestinationRule: traffic policy and subsets of one host. */
export const DestinationRuleInput = z
  .strictObject({
    host: Host,
    trafficPolicy: TrafficPolicy.optional().describe(
      "Policy for every subset. Default: Istio's (no outlier detection, no limits).",
    ),
    subsets: z
      .array(
        z.strictObject({
          name: SubsetName,
          labels: z
            .record(z.string().max(253), z.string().max(63))
            .optional()
            .describe('Pod labels selecting the subset. Default: none (every pod).'),
          trafficPolicy: TrafficPolicy.optional().describe(
            'Overrides the rule-level policy block by block (a block set here replaces the whole block). Default: the rule-level policy.',
          ),
        }),
      )
      .max(1000)
      .optional()
      .describe('Named subsets of the host, by pod labels. Default: none.'),
    exportTo: ExportTo.optional().describe(
      'Namespaces that see this DestinationRule: "*" (all), "." (its own), or names. Default: "*".',
    ),
    ...ignoredShape('DestinationRule'),
  })
  .meta({ id: 'DestinationRule', description: 'Istio DestinationRule spec.' });
export type DestinationRuleInput = z.infer<typeof DestinationRuleInput>;

/** The `routing:` section: VirtualServices and DestinationRules, Istio's shapes. */
export const RoutingInput = z
  .strictObject({
    virtualServices: z
      .array(VirtualServiceInput)
      .max(1000)
      .optional()
      .describe('Istio VirtualServices. Default: none (one default route per host).'),
    destinationRules: z
      .array(DestinationRuleInput)
      .max(1000)
      .optional()
      .describe('Istio DestinationRules. Default: none.'),
    include: z
      .array(z.string().min(1).max(4096))
      .max(1000)
      .optional()
      .describe(
        'Istio resource files or folders (their .yaml, .yml and .json files, sorted), relative to the scenario: ' +
          'VirtualServices and DestinationRules as kubectl applies them, in this order, after the ones above. Default: none.',
      ),
  })
  .describe('Istio routing config, applied per the model config scope.');
export type RoutingInput = z.infer<typeof RoutingInput>;
