/**
 * `models:` in scenario files: the deployment models to compare, in the shape of the install guides.
 * Omitted, meshsim compares every model that fits the clusters (normalize-models.ts).
 *
 * Contents: `ModelInput` (schema and inferred type).
 */
import { z } from 'zod';
import { Name } from './schema-units.js';

/** Cluster and region references are checked against the scenario's names, with a "did you mean". */
const Ref = z.string().min(1).max(253);

export const ModelInput = z
  .strictObject({
    name: Name.describe('Names the model in reports and for --model (a DNS-1123 name).'),
    controlPlane: z
      .enum(['multi-primary', 'primary-remote', 'hybrid', 'external'])
      .describe(
        'multi-primary: an istiod per cluster; primary-remote: one primary serves all; hybrid: several primaries, each remote attached to one; external: istiod outside the mesh.',
      ),
    network: z
      .enum(['single', 'multi'])
      .optional()
      .describe(
        "single: flat pod network across clusters; multi: cross-network traffic through east-west gateways. Default: multi when the clusters' network labels differ.",
      ),
    primary: Ref.optional().describe('primary-remote: the primary cluster (default: the first cluster).'),
    primaries: z
      .array(Ref)
      .min(1)
      .max(1000)
      .optional()
      .describe('hybrid: the primary clusters (default: the first cluster of each region).'),
    remotes: z
      .record(z.string().max(253), Ref)
      .optional()
      .describe(
        'hybrid: remote cluster -> its primary (default: a primary in the same region, else the first primary).',
      ),
    region: Ref.optional().describe(
      "external: region the external control plane runs in (default: the first cluster's).",
    ),
  })
  .meta({ id: 'Model', description: 'A deployment model: which istiod serves which cluster.' });

export type ModelInput = z.infer<typeof ModelInput>;
