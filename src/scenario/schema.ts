/**
 * The scenario file as users write it (`ScenarioInput`): every key, its form and its documentation. The
 * types are inferred from this schema and the editor JSON Schema (scenarios/meshsim.schema.json) and the
 * key reference of scenarios/README.md are generated from it, so the four never drift. Objects are strict:
 * an unknown key is an error, with a "did you mean" (a misspelt key silently ignored is the worst kind of
 * scenario bug). Every optional key's description states its default. Forms only; cross-references and
 * defaults live in check*.ts and normalize*.ts.
 *
 * Contents: `ScenarioInputSchema`, `ScenarioInput`, `ServiceInput`, `CallStepInput`, `MAX_PARALLEL_CALLS`.
 */
import { z } from 'zod';
import { DistributionInput, Duration, Fraction, Name, durationAtLeast } from './schema-units.js';
import { MaterialInput } from './schema-material.js';
import { BlastRadiusInput } from './schema-blast-radius.js';
import { CostInput } from './schema-cost.js';
import { FaultInput } from './schema-faults.js';
import { ModelInput } from './schema-models.js';
import { RoutingInput } from './schema-routing.js';
import { ExternalServiceInput } from './schema-external.js';
import { ThresholdsInput } from './schema-thresholds.js';
import { TrafficInput } from './schema-traffic.js';
import { parseFraction } from './units.js';

const Cluster = z
  .strictObject({
    name: Name,
    region: Name.describe('topology.kubernetes.io/region of the cluster nodes.'),
    zones: z
      .array(Name)
      .min(1)
      .max(64)
      .optional()
      .describe('topology.kubernetes.io/zone values; default: one zone named <region>-a.'),
    network: Name.optional().describe('topology.istio.io/network; default: "network1" (one flat network).'),
  })
  .meta({ id: 'Cluster', description: 'A Kubernetes cluster: its locality and network.' });

const Network = z
  .strictObject({
    sameZone: DistributionInput.optional().describe('One-way latency within a zone; default 0.1ms.'),
    crossZone: DistributionInput.optional().describe(
      'One-way latency across zones of a region; default 0.5ms.',
    ),
    crossRegion: DistributionInput.optional().describe('One-way latency across regions; default 39ms.'),
    pairs: z
      .record(z.string().max(300), DistributionInput)
      .optional()
      .describe(
        'Overrides by pair of regions or clusters: {"us-east<->eu-west": 38ms}; a cluster pair wins over ' +
          'a region pair. Default: none.',
      ),
    jitter: Fraction.optional().describe(
      'Each latency is scaled by a uniform factor in [1-jitter, 1+jitter]; default 0.',
    ),
  })
  .describe('One-way network latency by relation. Default: every key at its default.');

const ControlPlane = z
  .strictObject({
    debounceAfter: Duration.optional().describe(
      'PILOT_DEBOUNCE_AFTER: quiet period before a push; default 100ms.',
    ),
    debounceMax: Duration.optional().describe('PILOT_DEBOUNCE_MAX: longest debounce; default 10s.'),
    pushTime: DistributionInput.optional().describe(
      'Time to compute and send one proxy its push; default lognormal median 50ms, p99 1s (an assumption: no published distribution).',
    ),
    pushThrottle: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe(
        'PILOT_PUSH_THROTTLE: concurrent pushes per istiod; default min(15 + 5 x istiodCores, 100) (25 with 2 cores).',
      ),
    istiodCores: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .optional()
      .describe(
        "istiod's GOMAXPROCS: the chart sets no CPU limit, so the node's cores; sets the default pushThrottle and the xDS request rate limit, min(15 + 5 x cores, 100); default 2.",
      ),
    certTtl: durationAtLeast(10_000, 'each proxy rotates its certificate within every lifetime')
      .optional()
      .describe('Workload certificate lifetime (SECRET_TTL); default 24h; at least 10s.'),
    certRotation: Fraction.refine((f) => (parseFraction(f) ?? 0) >= 0.1, {
      error: 'expected at least 10%: rotation is attempted once per fraction of the lifetime',
      params: { code: 'out-of-range' },
    })
      .optional()
      .describe(
        'Fraction of the lifetime after which rotation starts (SECRET_GRACE_PERIOD_RATIO); default 50%; at least 10%.',
      ),
    reconnectInitial: durationAtLeast(1, 'a zero back-off would retry at the same instant for ever')
      .optional()
      .describe("Envoy's xDS reconnect backoff start; default 500ms."),
    reconnectMax: durationAtLeast(1, 'a zero back-off would retry at the same instant for ever')
      .optional()
      .describe("Envoy's xDS reconnect backoff cap; default 30s; at least reconnectInitial."),
    podStartup: DistributionInput.optional().describe(
      'Pod creation to container started, before the sidecar gets its certificate and config; default lognormal median 5s, p99 30s (an assumption).',
    ),
  })
  .describe('istiod, xDS and certificate timings. Default: Istio defaults for every key.');

const Gateway = z.strictObject({
  replicas: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe('Gateway pods per cluster; default 2 (the AKS add-on HPA minimum).'),
  latency: DistributionInput.optional().describe(
    'Latency the gateway (an Envoy) adds; default as a sidecar.',
  ),
});

const Mesh = z
  .strictObject({
    sidecar: z
      .strictObject({
        latency: DistributionInput.optional().describe(
          'Latency one sidecar adds to a request; default lognormal median 0.48ms, p99 1.35ms.',
        ),
      })
      .optional()
      .describe('The Envoy sidecar of every workload. Default: every key at its default.'),
    controlPlane: ControlPlane.optional(),
    eastWestGateway: Gateway.optional().describe(
      'The east-west gateway of each cluster (multi-network models). Default: every key at its default.',
    ),
    ingressGateway: Gateway.optional().describe(
      'The ingress gateway of each cluster (traffic via: ingress). Default: every key at its default.',
    ),
  })
  .describe("Mesh figures; default: Istio's published figures for every key.");

const Deployment = z
  .strictObject({
    cluster: Name.describe('The cluster the pods run in.'),
    replicas: z.number().int().min(0).max(100_000).optional().describe('Pods; default 1.'),
    zone: Name.optional().describe('Zone of every replica; default: spread over the cluster zones.'),
    labels: z
      .record(z.string().max(253), z.string().max(63))
      .optional()
      .describe('Pod labels, e.g. {version: v1}, for DestinationRule subsets. Default: none.'),
  })
  .meta({ id: 'Deployment', description: 'Pods of a service in one cluster (and optionally one zone).' });

/** Application retries per call; more is a retry storm, not a policy. */
export const MAX_APP_RETRIES = 10;

const Call = z
  .strictObject({
    service: Name.describe('The service called.'),
    probability: Fraction.optional().describe('Chance the call is made; default 1.'),
    onError: z
      .union(
        [z.enum(['fail', 'continue']), z.strictObject({ respond: z.number().int().min(200).max(599) })],
        {
          error: 'expected fail, continue, or {respond: status}',
        },
      )
      .optional()
      .describe(
        'What the application does when the call fails (after Envoy retries): fail answers 500, continue ' +
          'carries on without it (graceful degradation), {respond: status} answers that status. Default: fail.',
      ),
    timeout: durationAtLeast(1, 'a call given up on at once is never made')
      .optional()
      .describe(
        "The application's own timeout for the call (its HTTP client's, outside Envoy): when it expires the " +
          'application closes the connection (Envoy sees a downstream disconnect, DC), then retries or applies ' +
          'onError. Default: none (the application waits as long as Envoy does).',
      ),
    retries: z
      .strictObject({
        attempts: z
          .number()
          .int()
          .min(0)
          .max(MAX_APP_RETRIES)
          .describe('Retries after the first try (as Istio HTTPRetry.attempts counts them).'),
        backoff: Duration.optional().describe('Wait before each retry. Default 0.'),
      })
      .optional()
      .describe(
        'The application retrying the call itself (outside Envoy, on top of its retries): a try that fails ' +
          '(5xx, a reset, or the timeout above) is made again, up to `attempts` more times; onError applies ' +
          'to the last. Default: no application retries.',
      ),
  })
  .meta({ id: 'Call', description: 'A downstream call.' });

/** Fan-out of one parallel group; more is a broadcast, not a call graph. */
export const MAX_PARALLEL_CALLS = 100;

const CallStep = z.union([Call, z.array(Call).min(1).max(MAX_PARALLEL_CALLS)], {
  error: 'expected a call {service: name} or a list of calls made in parallel',
});

const Version = z
  .strictObject({
    serviceTime: DistributionInput.optional().describe(
      "This version's service time. Default: the service's.",
    ),
    errorRate: Fraction.optional().describe("This version's error rate. Default: the service's."),
    calls: z
      .array(CallStep)
      .max(1000)
      .optional()
      .describe("This version's calls, in order ([] for none). Default: the service's."),
  })
  .meta({ id: 'Version', description: 'How the pods of one version behave.' });

const Service = z
  .strictObject({
    name: Name,
    namespace: Name.optional().describe(
      'Kubernetes namespace: its FQDN is name.namespace.svc.cluster.local, and short hosts in Istio resources resolve in their own namespace. Default: "default".',
    ),
    deployments: z.array(Deployment).min(1).max(1000).describe('Where its pods run.'),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe('Requests one replica works on at once; more wait in its queue. Default 16.'),
    queueLimit: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Longest queue per replica before it answers 503 at once; default unlimited.'),
    blocking: z
      .boolean()
      .optional()
      .describe(
        'true (default): a request holds its slot while awaiting downstream calls (thread per request); ' +
          'false: only during its service time (event loop).',
      ),
    serviceTime: DistributionInput.describe('Time a replica works on one request, queueing excluded.'),
    errorRate: Fraction.optional().describe('Fraction the application answers with 500; default 0.'),
    versions: z
      .record(Name, Version)
      .optional()
      .describe(
        'Behaviour of the pods of one version (the deployments whose labels.version is the key), in place of the service-level serviceTime, errorRate and calls. Default: every version behaves as the service.',
      ),
    calls: z
      .array(CallStep)
      .max(1000)
      .optional()
      .describe(
        'Downstream calls, in order; a nested list is a group called in parallel (one level only). Default: none.',
      ),
  })
  .meta({ id: 'Service', description: 'A service: its deployments, its work and its downstream calls.' });

const Report = z
  .strictObject({
    window: Duration.optional().describe('Width of time-series windows; default 10s.'),
    replications: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe('Replications per model for compare; default 10.'),
    maxRequests: z
      .number()
      .int()
      .min(1)
      .max(Number.MAX_SAFE_INTEGER)
      .optional()
      .describe(
        'Refuse the file when rate x duration x models x replications exceeds this many client ' +
          'requests (a safety net against a stray zero); default 50000000. The API option allowLarge ' +
          '(CLI --allow-large) lifts it.',
      ),
    blastRadius: BlastRadiusInput.optional(),
    material: MaterialInput.optional(),
  })
  .describe('Report, measurement and run-size settings. Default: every key at its default.');

const Slo = z
  .strictObject({
    availability: Fraction.optional().describe('Minimum availability, e.g. 99.9%. Default: none.'),
    latency: z
      .strictObject({
        p50: Duration.optional().describe('Maximum median latency. Default: none.'),
        p90: Duration.optional().describe('Maximum 90th percentile. Default: none.'),
        p99: Duration.optional().describe('Maximum 99th percentile. Default: none.'),
        p999: Duration.optional().describe('Maximum 99.9th percentile. Default: none.'),
      })
      .optional()
      .describe('Maximum end-to-end latency percentiles of successful requests. Default: none.'),
  })
  .describe('Service-level objectives, checked by --check-slo. Default: none.');

export const ScenarioInputSchema = z
  .strictObject({
    $schema: z
      .string()
      .max(2000)
      .optional()
      .describe('JSON Schema of this file, for editors (ignored by meshsim). Default: none.'),
    name: Name.describe('Names the scenario and its report folder.'),
    description: z
      .string()
      .max(10_000)
      .optional()
      .describe('One line on what the scenario is about, for reports. Default: empty.'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .optional()
      .describe('Seed of every random stream; --seed overrides it. Default 1.'),
    duration: durationAtLeast(1, 'a run needs some simulated time').describe(
      'Simulated time; arrivals stop then.',
    ),
    warmup: Duration.optional().describe('Excluded from statistics; shorter than duration. Default 0.'),
    clusters: z.array(Cluster).min(1).max(1000).describe('The Kubernetes clusters of the mesh.'),
    network: Network.optional(),
    mesh: Mesh.optional(),
    services: z.array(Service).min(1).max(10_000).describe('The services and their call graph.'),
    traffic: z.array(TrafficInput).min(1).max(1000).describe('Where requests come from.'),
    externalServices: z
      .array(ExternalServiceInput)
      .max(1000)
      .optional()
      .describe(
        'Hosts outside the clusters that a ServiceEntry declares: their latency, errors and locality. Default: none.',
      ),
    routing: RoutingInput.optional().describe(
      'VirtualServices and DestinationRules present in every cluster at the start. Default: none (Istio defaults).',
    ),
    models: z
      .array(ModelInput)
      .min(1)
      .max(32)
      .optional()
      .describe('Deployment models to compare; default: every model that fits the clusters.'),
    faults: z
      .array(FaultInput)
      .max(10_000)
      .optional()
      .describe('A timeline of faults and changes. Default: none.'),
    slo: Slo.optional(),
    report: Report.optional(),
    cost: CostInput.optional(),
    thresholds: ThresholdsInput.optional(),
  })
  .meta({ title: 'meshsim scenario', description: 'A meshsim scenario file (YAML or JSON).' });

export type ScenarioInput = z.infer<typeof ScenarioInputSchema>;
export type { DistributionInput } from './schema-units.js';
export { Duration, Rate, Fraction, Name } from './schema-units.js';
export type ServiceInput = ScenarioInput['services'][number];
export type CallStepInput = NonNullable<ServiceInput['calls']>[number];
