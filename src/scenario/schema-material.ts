/**
 * `report.material:` in scenario files: per criterion, the smallest difference between two models that
 * matters to a design review. Below it the verdict says "no material difference", even when the paired
 * interval excludes zero (with many replications a 0.02-point difference can be significant and still not
 * worth choosing a model for). The defaults live in experiment/material.ts, which scenario/ may not
 * import, so each description repeats its default and a test holds the two in step.
 *
 * Contents: `MaterialInput` (schema and inferred type).
 */
import { z } from 'zod';
import { Fraction, Ratio } from './schema-units.js';

export const MaterialInput = z
  .strictObject({
    availability: Fraction.optional().describe(
      'Smallest availability difference that matters, in percentage points: 0.05% is 0.05 points. Also used for within-SLO and for the single point of failure. Default 0.05% (half the error budget between 99.9% and 99.95%).',
    ),
    latency: Ratio.optional().describe(
      'Smallest latency difference that matters, as a share of the better model’s figure: 5% is one twentieth. Default 5% (below what users notice; well above the 2% the latency histograms resolve).',
    ),
    cost: Ratio.optional().describe(
      'Smallest control-plane cost difference that matters, as a share of the cheaper model’s vCPU. Default 5% (within the noise of capacity planning). Counts (istiods, config places) differ materially by any whole one.',
    ),
    blastRadius: Fraction.optional().describe(
      'Smallest blast-radius or collateral difference that matters, in percentage points of traffic. Default 1% (the error-rate rise that marks a unit impacted).',
    ),
    locality: Fraction.optional().describe(
      'Smallest difference in the share of calls served in another region (or cluster) that matters, in percentage points. Default 1%.',
    ),
  })
  .describe(
    'Per criterion, the smallest difference between models that matters; below it the verdict says "no material difference". Default: every key at its default.',
  );

export type MaterialInput = z.infer<typeof MaterialInput>;
