/**
 * `report.blastRadius:` in scenario files: when a unit counts as impacted by a fault, measured against
 * the fault's paired baseline (metrics.md; metrics/blast-radius.ts `BlastRadiusThresholds`, by the same
 * names). A unit is a (client cluster, traffic source) or a (caller cluster, service) pair. A key left out
 * keeps its default; the defaults live in metrics/, which scenario/ may not import, so each description
 * repeats its default and a test holds the two in step.
 *
 * Contents: `BlastRadiusInput` (schema and inferred type).
 */
import { z } from 'zod';
import { Fraction, Ratio } from './schema-units.js';

/** A sample floor: 0 would let one slow request in an otherwise empty window flag a unit. */
const atLeastOne = () => z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const BlastRadiusInput = z
  .strictObject({
    errorRateRise: Fraction.optional().describe(
      "A unit is impacted in a window when its error rate (failed or unanswered over started) rises by more than this over the baseline's: 1% is one percentage point. Default 1% (metrics.md).",
    ),
    p99Rise: Ratio.optional().describe(
      "A unit is also impacted in a window when its p99 of answered requests rises by more than this part of the baseline's: 50% is by half; may exceed 100%. Default 50% (metrics.md).",
    ),
    deadlineFactor: z
      .number()
      .gt(1)
      .max(1e6)
      .optional()
      .describe(
        "Without slo.latency.p99, a request counts as too slow (for blastRadius.traffic) past its baseline unit's p99 over the run times this; above 1. Default 1.5; with slo.latency.p99 set, that is the deadline instead.",
      ),
    minRequests: atLeastOne()
      .optional()
      .describe(
        'The error-rate test needs at least this many requests in the window in both runs, so that two failures of three do not flag a unit. Default 20.',
      ),
    minLatencySamples: atLeastOne()
      .optional()
      .describe(
        'The p99 test needs at least this many answered requests in the window in both runs: a p99 of a handful of requests is just their maximum. Default 100.',
      ),
  })
  .describe(
    'When a unit counts as impacted by a fault, against its paired baseline; the run report states the thresholds in force. Default: every key at its default.',
  );

export type BlastRadiusInput = z.infer<typeof BlastRadiusInput>;
