/**
 * `externalServices:` in scenario files: how the hosts a ServiceEntry brings into the mesh behave. Istio
 * knows such a host by its ServiceEntry (`location: MESH_EXTERNAL`, the default, or MESH_INTERNAL); what
 * it answers and how far away it is are not Istio config, so they are said here, one entry per host.
 *
 * Contents: `ExternalServiceInput` (schema and inferred type).
 */
import { z } from 'zod';
import { DistributionInput, Fraction, Name } from './schema-units.js';

export const ExternalServiceInput = z
  .strictObject({
    host: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
        error: 'expected a host name as a ServiceEntry lists it: lower-case letters, digits, "-" and "."',
      })
      .max(253)
      .describe(
        'A host of a ServiceEntry applied to the mesh (routing.include or --istio-config). Services call it by this name (`calls: [{service: HOST}]`), VirtualServices and DestinationRules name it as Istio does.',
      ),
    namespace: Name.optional().describe(
      "The ServiceEntry's namespace (where DestinationRules for the host are looked up first). Default: default.",
    ),
    latency: DistributionInput.describe(
      "Round trip on the network from a calling proxy to the host and back (the host's locality as seen from the mesh), e.g. 40ms or {dist: lognormal, median: 40ms, p99: 120ms}.",
    ),
    latencyFrom: z
      .record(z.string().max(253), DistributionInput)
      .optional()
      .describe(
        'The round trip from callers in a region (a cluster region of this scenario), overriding `latency` for them: {us-east-1: 2ms, eu-west-1: 80ms}. Default: none.',
      ),
    serviceTime: DistributionInput.optional().describe(
      'Time the host takes to answer, after the round trip. Default 0.',
    ),
    errorRate: Fraction.optional().describe(
      'Share of requests the host answers with `errorStatus`. Default 0.',
    ),
    errorStatus: z
      .int()
      .min(400)
      .max(599)
      .optional()
      .describe('The status of its errors. Default 503 (an external API shedding load).'),
  })
  .meta({
    id: 'ExternalService',
    description:
      'A host outside the clusters (a ServiceEntry host): one destination with its own latency, errors and locality. Envoy reaches it from the calling proxy directly (no east-west gateway, no pods).',
  });
export type ExternalServiceInput = z.infer<typeof ExternalServiceInput>;
