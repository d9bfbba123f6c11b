/**
 * `models:` in scenario files: the deployment models to compare, in the shape of the install guides.
 * Omitted, meshsim compares every model that fits the clusters (normalize-models.ts).
 */
import { z } from 'zod';

const Name = z.string().min(1).max(63);

export const ModelInput = z
  .strictObject({
    name: Name.describe('Names the model in reports.'),
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
    primary: Name.optional().describe('primary-remote: the primary cluster (default: the first cluster).'),
    primaries: z
      .array(Name)
      .min(1)
      .optional()
      .describe('hybrid: the primary clusters (default: the first cluster of each region).'),
    remotes: z
      .record(z.string(), Name)
      .optional()
      .describe(
        'hybrid: remote cluster -> its primary (default: a primary in the same region, else the first primary).',
      ),
    region: Name.optional().describe(
      "external: region the external control plane runs in (default: the first cluster's).",
    ),
  })
  .describe('A deployment model: which istiod serves which cluster.');

export type ModelInput = z.infer<typeof ModelInput>;
