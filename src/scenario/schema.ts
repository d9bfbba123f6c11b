/**
 * The scenario file as users write it (`ScenarioInput`): every key, its form and its documentation. The
 * types are inferred from this schema and the editor JSON Schema is generated from it, so the three never
 * drift. Objects are strict: an unknown key is an error, with a "did you mean" (a misspelt key silently
 * ignored is the worst kind of scenario bug). Forms only; cross-references and defaults live in check.ts
 * and normalize.ts.
 */
import { z } from 'zod';
import { DistributionInput, Duration, Fraction, Name, Rate } from './schema-units.js';
import { FaultInput } from './schema-faults.js';
import { ModelInput } from './schema-models.js';
import { RoutingInput } from './schema-routing.js';

const Cluster = z.strictObject({
  name: Name,
  region: Name.describe('topology.kubernetes.io/region of the cluster nodes.'),
  zones: z
    .array(Name)
    .min(1)
    .max(64)
    .optional()
    .describe('topology.kubernetes.io/zone values; default: one zone named <region>-a.'),
  network: Name.optional().describe('topology.istio.io/network; default: "network1" (one flat network).'),
});

const Network = z.strictObject({
  sameZone: DistributionInput.optional().describe('One-way latency within a zone; default 0.1ms.'),
  crossZone: DistributionInput.optional().describe(
    'One-way latency across zones of a region; default 0.5ms.',
  ),
  crossRegion: DistributionInput.optional().describe('One-way latency across regions; default 39ms.'),
  pairs: z
    .record(z.string(), DistributionInput)
    .optional()
    .describe('Overrides by pair of regions or clusters: {"us-east<->eu-west": 38ms}.'),
  jitter: Fraction.optional().describe(
    'Each latency is scaled by a uniform factor in [1-jitter, 1+jitter]; default 0.',
  ),
});

const ControlPlane = z.strictObject({
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
    .describe('PILOT_PUSH_THROTTLE: concurrent pushes per istiod; default 25 = min(15 + 5 x 2 cores, 100).'),
  certTtl: Duration.optional().describe('Workload certificate lifetime (SECRET_TTL); default 24h.'),
  certRotation: Fraction.optional().describe(
    'Fraction of the lifetime after which rotation starts (SECRET_GRACE_PERIOD_RATIO); default 50%.',
  ),
  reconnectInitial: Duration.optional().describe("Envoy's xDS reconnect backoff start; default 500ms."),
  reconnectMax: Duration.optional().describe("Envoy's xDS reconnect backoff cap; default 30s."),
  podStartup: DistributionInput.optional().describe(
    'Pod creation to container started, before the sidecar gets its certificate and config; default lognormal median 5s, p99 30s (an assumption).',
  ),
});

const Gateway = z.strictObject({
  replicas: z.number().int().min(1).max(1000).optional().describe('Default 2 (the AKS add-on HPA minimum).'),
  latency: DistributionInput.optional().describe(
    'Latency the gateway (an Envoy) adds; default as a sidecar.',
  ),
});

const Mesh = z.strictObject({
  sidecar: z
    .strictObject({
      latency: DistributionInput.optional().describe(
        'Latency one sidecar adds to a request; default lognormal median 0.48ms, p99 1.35ms.',
      ),
    })
    .optional(),
  controlPlane: ControlPlane.optional(),
  eastWestGateway: Gateway.optional(),
  ingressGateway: Gateway.optional(),
});

const Deployment = z.strictObject({
  cluster: Name,
  replicas: z.number().int().min(0).max(100_000).optional().describe('Pods; default 1.'),
  zone: Name.optional().describe('Zone of every replica; default: spread over the cluster zones.'),
  labels: z.record(z.string(), z.string()).optional().describe('Pod labels, e.g. {version: v1}.'),
});

const Call = z.strictObject({
  service: Name,
  probability: Fraction.optional().describe('Chance the call is made; default 1.'),
});

const CallStep = z.union([Call, z.array(Call).min(1)], {
  error: 'expected a call {service: name} or a list of calls made in parallel',
});

const Service = z.strictObject({
  name: Name,
  deployments: z.array(Deployment).min(1),
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
  calls: z
    .array(CallStep)
    .optional()
    .describe('Downstream calls, in order; a nested list is a group called in parallel.'),
});

const RateStep = z.strictObject({ at: Duration, rate: Rate });

const Traffic = z.strictObject({
  name: Name,
  entry: Name.describe('The service clients call.'),
  from: z
    .union([Name, z.record(z.string(), Fraction)], {
      error: 'expected a cluster name or a map {cluster: share}',
    })
    .describe('Where clients run: a cluster name, or shares by cluster {us-east-1: 70%, us-east-2: 30%}.'),
  rate: Rate,
  arrival: z.enum(['poisson', 'constant']).optional().describe('Arrival process; default poisson.'),
  steps: z.array(RateStep).optional().describe('Rate changes: [{at: 5m, rate: 2000/s}].'),
  via: z
    .enum(['direct', 'ingress'])
    .optional()
    .describe(
      "direct (default): in-mesh clients with sidecars; ingress: through the ingress gateway of the client's cluster.",
    ),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .describe('Request headers, for VirtualService header matches.'),
  uri: z.string().max(2000).optional().describe('Request path, for uri matches; default "/".'),
  timeout: Duration.optional().describe(
    "The client gives up after this long (flag DC); default 60s (k6's default request timeout).",
  ),
});

const Report = z.strictObject({
  window: Duration.optional().describe('Width of time-series windows; default 10s.'),
  replications: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .describe('Replications per model for compare; default 10.'),
});

const Slo = z.strictObject({
  availability: Fraction.optional().describe('Minimum availability, e.g. 99.9%.'),
  latency: z
    .strictObject({ p50: Duration.optional(), p90: Duration.optional(), p99: Duration.optional() })
    .optional()
    .describe('Maximum end-to-end latency percentiles of successful requests.'),
});

export const ScenarioInputSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: Name.describe('Names the report folder.'),
    description: z.string().max(10_000).optional(),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().describe('Default 1.'),
    duration: Duration.describe('Simulated time.'),
    warmup: Duration.optional().describe('Excluded from statistics; default 0.'),
    clusters: z.array(Cluster).min(1).max(1000),
    network: Network.optional(),
    mesh: Mesh.optional(),
    services: z.array(Service).min(1).max(10_000),
    traffic: z.array(Traffic).min(1).max(1000),
    routing: RoutingInput.optional().describe(
      'VirtualServices and DestinationRules present in every cluster at the start.',
    ),
    models: z
      .array(ModelInput)
      .min(1)
      .max(32)
      .optional()
      .describe('Deployment models to compare; default: every model that fits the clusters.'),
    faults: z.array(FaultInput).max(10_000).optional().describe('A timeline of faults.'),
    slo: Slo.optional(),
    report: Report.optional(),
  })
  .describe('A meshsim scenario.');

export type ScenarioInput = z.infer<typeof ScenarioInputSchema>;
export type { DistributionInput } from './schema-units.js';
export { Duration, Rate, Fraction, Name } from './schema-units.js';
export type ServiceInput = ScenarioInput['services'][number];
export type CallStepInput = NonNullable<ServiceInput['calls']>[number];
