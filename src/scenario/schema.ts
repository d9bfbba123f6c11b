/**
 * The scenario file as users write it (`ScenarioInput`): every key, its form and its documentation. The
 * types are inferred from this schema and the editor JSON Schema is generated from it, so the three never
 * drift. Objects are strict: an unknown key is an error, with a "did you mean" (a misspelt key silently
 * ignored is the worst kind of scenario bug). Forms only; cross-references and defaults live in check.ts
 * and normalize.ts.
 */
import { z } from 'zod';
import { DURATION_PATTERN, PERCENT_PATTERN, RATE_PATTERN, parseFraction } from './units.js';

const NAME_PATTERN = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';
const Name = z
  .string()
  .regex(new RegExp(NAME_PATTERN), {
    error:
      'expected a DNS-1123 name: lower-case letters, digits, "-" and ".", starting and ending alphanumeric',
  })
  .max(63)
  .describe('A Kubernetes-style name (DNS-1123 label).');

const DURATION_FORM =
  'expected a duration such as "250ms", "1.5s", "10m", "24h", or a number of milliseconds';
const RATE_FORM = 'expected a rate such as "500/s", "30000/m", or a number per second';
const FRACTION_FORM = 'expected a fraction between 0 and 1, or a percentage such as "25%"';
/** A text of the right form is checked against the pattern: say what was expected, not the regex. */
const got = (form: string) => (issue: { input?: unknown }) => `${form}; got "${String(issue.input)}"`;

export const Duration = z
  .union(
    [
      z.number().nonnegative().max(1e12),
      z.string().regex(new RegExp(DURATION_PATTERN), { error: got(DURATION_FORM) }),
    ],
    { error: DURATION_FORM },
  )
  .describe('A duration: "250ms", "1.5s", "10m", "24h", or a number of milliseconds.');

const PositiveDuration = Duration;

export const Rate = z
  .union(
    [
      z.number().nonnegative().max(1e9),
      z.string().regex(new RegExp(RATE_PATTERN), { error: got(RATE_FORM) }),
    ],
    { error: RATE_FORM },
  )
  .describe('A rate: "500/s", "30000/m", or a number per second.');

const PERCENT_RE = new RegExp(PERCENT_PATTERN);
export const Fraction = z
  .union(
    [
      z.number().min(0).max(1),
      z
        .string()
        .regex(PERCENT_RE, { error: got(FRACTION_FORM) })
        .refine((s) => !PERCENT_RE.test(s) || parseFraction(s) !== undefined, {
          error: got('expected a percentage from 0% to 100%'),
          params: { code: 'out-of-range' },
        }),
    ],
    { error: FRACTION_FORM },
  )
  .describe('A fraction: 0.25 or "25%".');

const PercentileKey = z
  .string()
  .regex(/^p(\d+(\.\d+)?)$/, { error: 'expected a percentile key such as p50, p99 or p99.9' });

const DistributionObject = z.discriminatedUnion(
  'dist',
  [
    z.strictObject({ dist: z.literal('constant'), value: Duration }),
    z.strictObject({ dist: z.literal('exponential'), mean: Duration }),
    z.strictObject({ dist: z.literal('lognormal'), median: Duration, p99: Duration }),
    z.strictObject({ dist: z.literal('normal'), mean: Duration, stddev: Duration }),
    z.strictObject({ dist: z.literal('uniform'), min: Duration, max: Duration }),
    z.strictObject({
      dist: z.literal('pareto'),
      scale: Duration,
      shape: z.number().positive().max(1e6),
    }),
    z.strictObject({ dist: z.literal('empirical'), percentiles: z.record(PercentileKey, Duration) }),
  ],
  {
    error: 'expected dist to be one of constant, exponential, lognormal, normal, uniform, pareto, empirical',
  },
);

export const DistributionInput = z
  .union([Duration, DistributionObject])
  .describe(
    'A distribution: a duration (constant), or {dist: exponential, mean} | {dist: lognormal, median, p99} | ' +
      '{dist: normal, mean, stddev} | {dist: uniform, min, max} | {dist: pareto, scale, shape} | ' +
      '{dist: empirical, percentiles: {p50: 3ms, p90: 8ms, p99: 30ms}}.',
  );

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

const Mesh = z.strictObject({
  sidecar: z
    .strictObject({
      latency: DistributionInput.optional().describe(
        'Latency one sidecar adds to a request; default lognormal median 0.48ms, p99 1.35ms.',
      ),
    })
    .optional(),
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
});

const Report = z.strictObject({
  window: PositiveDuration.optional().describe('Width of time-series windows; default 10s.'),
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
    report: Report.optional(),
  })
  .describe('A meshsim scenario.');

export type ScenarioInput = z.infer<typeof ScenarioInputSchema>;
export type DistributionInput = z.infer<typeof DistributionInput>;
export type ServiceInput = ScenarioInput['services'][number];
export type CallStepInput = NonNullable<ServiceInput['calls']>[number];
