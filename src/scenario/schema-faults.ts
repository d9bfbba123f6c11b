/**
 * `faults:` in scenario files: a timeline of failures and changes, each acting on the mesh at `at` for
 * `for` (omitted: until the end of the run).
 */
import { z } from 'zod';
import { DistributionInput, Duration, Fraction } from './schema-units.js';
import { RoutingInput } from './schema-routing.js';

const Name = z.string().min(1).max(63);
const timing = {
  at: Duration.describe('When the fault starts.'),
  for: Duration.optional().describe('How long it lasts; omitted: until the end of the run.'),
};

export const FaultInput = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      ...timing,
      type: z.literal('control-plane-outage'),
      cluster: Name.describe(
        'The istiod serving this cluster goes down (its own, its primary, or the external one).',
      ),
    }),
    z.strictObject({
      ...timing,
      type: z.literal('ca-outage'),
      cluster: Name.describe('The CA serving this cluster (istiod) is unreachable.'),
    }),
    z.strictObject({
      ...timing,
      type: z.literal('cluster-outage'),
      cluster: Name.describe('Workloads, API server, istiod and gateways of the cluster go down.'),
    }),
    z.strictObject({ ...timing, type: z.literal('zone-outage'), cluster: Name, zone: Name }),
    z.strictObject({ ...timing, type: z.literal('api-server-outage'), cluster: Name }),
    z.strictObject({
      ...timing,
      type: z.literal('gateway-outage'),
      cluster: Name,
      gateway: z.enum(['east-west', 'ingress']),
    }),
    z.strictObject({
      ...timing,
      type: z.literal('network-partition'),
      between: z.tuple([Name, Name]).describe('Two regions or clusters.'),
    }),
    z.strictObject({
      ...timing,
      type: z.literal('pod-failure'),
      service: Name,
      cluster: Name,
      count: z.number().int().min(1).max(100_000).optional().describe('Default 1.'),
    }),
    z.strictObject({
      ...timing,
      type: z.literal('pod-churn'),
      service: Name,
      cluster: Name,
      every: Duration.describe('One pod killed (and replaced) this often.'),
    }),
    z.strictObject({
      ...timing,
      type: z.literal('scale'),
      service: Name,
      cluster: Name,
      replicas: z.number().int().min(0).max(100_000),
    }),
    z.strictObject({
      ...timing,
      type: z.literal('latency-injection'),
      service: Name,
      cluster: Name.optional(),
      delay: DistributionInput,
      percent: Fraction.optional().describe('Default 100%.'),
    }),
    z.strictObject({
      ...timing,
      type: z.literal('error-injection'),
      service: Name,
      cluster: Name.optional(),
      httpStatus: z.number().int().min(400).max(599).optional().describe('Default 503.'),
      percent: Fraction.optional().describe('Default 100%.'),
    }),
    z.strictObject({
      ...timing,
      type: z.literal('config-push'),
      cluster: Name.describe(
        'The cluster the config is applied to; it reaches the proxies whose istiod reads config there.',
      ),
      virtualServices: RoutingInput.shape.virtualServices,
      destinationRules: RoutingInput.shape.destinationRules,
    }),
  ],
  {
    error:
      'expected type to be one of control-plane-outage, ca-outage, cluster-outage, zone-outage, api-server-outage, gateway-outage, network-partition, pod-failure, pod-churn, scale, latency-injection, error-injection, config-push',
  },
);

export type FaultInput = z.infer<typeof FaultInput>;
