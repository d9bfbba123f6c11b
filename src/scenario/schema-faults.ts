/**
 * `faults:` in scenario files: a timeline of failures and changes, each acting on the mesh at `at` for
 * `for` (omitted: until the end of the run).
 *
 * Contents: `FaultInput` (schema and inferred type), `FAULT_TYPES`.
 */
import { z } from 'zod';
import { DistributionInput, Duration, Fraction, durationAtLeast } from './schema-units.js';
import { RoutingInput } from './schema-routing.js';

/** References are checked against the scenario's names by check-model-faults.ts, with a "did you mean". */
const Ref = z.string().min(1).max(253);
const cluster = Ref.describe('A cluster of the scenario.');
const service = Ref.describe('A service of the scenario.');
const timing = {
  at: Duration.describe('When the fault starts; inside the run.'),
  for: Duration.optional().describe(
    'How long it lasts, then it is undone; default: until the end of the run.',
  ),
};

/** A Kubernetes int-or-percent: `1` or `"25%"`. */
const IntOrPercent = z.union([
  z.number().int().min(0).max(1_000_000),
  z.string().regex(/^\d{1,3}%$/, { error: 'expected a count or a percent such as 25%' }),
]);

function isZero(v: number | string | undefined): boolean {
  return v === 0 || v === '0%';
}

export const FAULT_TYPES = [
  'control-plane-outage',
  'ca-outage',
  'cluster-outage',
  'zone-outage',
  'api-server-outage',
  'gateway-outage',
  'network-partition',
  'pod-failure',
  'pod-churn',
  'rollout',
  'scale',
  'latency-injection',
  'error-injection',
  'config-push',
] as const;

export const FaultInput = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({
        ...timing,
        type: z.literal('control-plane-outage'),
        cluster: Ref.describe(
          'The istiod serving this cluster goes down (its own, its primary, or the external one).',
        ),
      }),
      z.strictObject({
        ...timing,
        type: z.literal('ca-outage'),
        cluster: Ref.describe('The CA serving this cluster (istiod) cannot sign; xDS goes on.'),
      }),
      z.strictObject({
        ...timing,
        type: z.literal('cluster-outage'),
        cluster: Ref.describe('Workloads, API server, istiod and gateways of the cluster go down.'),
      }),
      z.strictObject({
        ...timing,
        type: z.literal('zone-outage'),
        cluster,
        zone: Ref.describe('A zone of that cluster: its pods and nodes go down.'),
      }),
      z.strictObject({
        ...timing,
        type: z.literal('api-server-outage'),
        cluster: Ref.describe('Its Kubernetes API server is unreachable: istiods see no changes there.'),
      }),
      z.strictObject({
        ...timing,
        type: z.literal('gateway-outage'),
        cluster,
        gateway: z.enum(['east-west', 'ingress']).describe('Which gateway of the cluster goes down.'),
      }),
      z.strictObject({
        ...timing,
        type: z.literal('network-partition'),
        between: z.tuple([Ref, Ref]).describe('Two regions or clusters that cannot reach each other.'),
      }),
      z.strictObject({
        ...timing,
        type: z.literal('pod-failure'),
        service,
        cluster,
        count: z.number().int().min(1).max(100_000).optional().describe('Pods killed at once; default 1.'),
      }),
      z.strictObject({
        ...timing,
        type: z.literal('pod-churn'),
        service,
        cluster,
        every: durationAtLeast(100, 'faster churn is an API-server load test, not a scenario').describe(
          'One pod killed (and replaced by its ReplicaSet) this often; at least 100ms.',
        ),
      }),
      z
        .strictObject({
          ...timing,
          type: z.literal('rollout'),
          service,
          cluster,
          maxSurge: IntOrPercent.optional().describe(
            'Pods above the desired count while rolling (a count or a percent, rounded up); default 25% (Kubernetes).',
          ),
          maxUnavailable: IntOrPercent.optional().describe(
            'Pods below the desired count that may be unready while rolling (a count or a percent, rounded down); default 25% (Kubernetes).',
          ),
          terminationDrainDuration: Duration.optional().describe(
            "How long an old pod's sidecar keeps serving after it is deleted (Istio ProxyConfig); default 5s.",
          ),
          terminationGracePeriod: Duration.optional().describe(
            'Pod terminationGracePeriodSeconds: the kubelet kills the pod at the latest after this; default 30s.',
          ),
        })
        .refine((f) => f.for === undefined, {
          error: 'a rollout ends when every pod is replaced: remove `for`',
          path: ['for'],
          params: { code: 'invalid-value' },
        })
        .refine((f) => !(isZero(f.maxSurge) && isZero(f.maxUnavailable)), {
          error:
            'maxSurge and maxUnavailable cannot both be 0: the rollout could never progress (Kubernetes refuses it)',
          params: { code: 'invalid-value' },
        })
        .describe(
          'A Deployment rolling update: every pod replaced by a new one, maxSurge/maxUnavailable respected, old pods unlisted before they stop and drained; it ends when done (no `for`).',
        ),
      z.strictObject({
        ...timing,
        type: z.literal('scale'),
        service,
        cluster,
        replicas: z
          .number()
          .int()
          .min(0)
          .max(100_000)
          .describe('New replica count; new pods need injection, a certificate and config.'),
      }),
      z.strictObject({
        ...timing,
        type: z.literal('latency-injection'),
        service,
        cluster: Ref.optional().describe('Only the pods in this cluster; default: every cluster.'),
        delay: DistributionInput.describe('Added before the service works on the request.'),
        percent: Fraction.optional().describe('Share of requests delayed; default 100%.'),
      }),
      z.strictObject({
        ...timing,
        type: z.literal('error-injection'),
        service,
        cluster: Ref.optional().describe('Only the pods in this cluster; default: every cluster.'),
        httpStatus: z.number().int().min(400).max(599).optional().describe('Status answered; default 503.'),
        percent: Fraction.optional().describe('Share of requests failed; default 100%.'),
      }),
      z.strictObject({
        ...timing,
        type: z.literal('config-push'),
        cluster: Ref.optional().describe(
          'The cluster the config is applied to; it reaches the proxies whose istiod reads config there. Give this or `clusters`. Default: none.',
        ),
        clusters: z
          .union([z.literal('all'), z.array(Ref).min(1).max(1000)])
          .optional()
          .describe(
            'Several clusters (or all) the config is applied to at once: one rollout, one fault, one blast radius (every target cluster inside it). Give this or `cluster`. Default: none.',
          ),
        include: z
          .array(z.string().min(1).max(4096))
          .max(1000)
          .optional()
          .describe(
            'Istio resource files or folders (relative to the scenario) applied with this push, after its inline entries: VirtualServices and DestinationRules as kubectl applies them (resolved in their namespaces). Default: none.',
          ),
        virtualServices: RoutingInput.shape.virtualServices.describe(
          'VirtualServices applied (kubectl apply): each replaces the one with the same hosts in that ' +
            'cluster; the others stay. Default: none.',
        ),
        destinationRules: RoutingInput.shape.destinationRules.describe(
          'DestinationRules applied: each replaces the one for the same host in that cluster; the others ' +
            'stay. Default: none.',
        ),
      }),
    ],
    { error: `expected type to be one of ${FAULT_TYPES.join(', ')}` },
  )
  .meta({
    id: 'Fault',
    description: 'A fault or change on the timeline, chosen by `type`; `for` omitted = until the end.',
  });

export type FaultInput = z.infer<typeof FaultInput>;
