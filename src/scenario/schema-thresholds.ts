/**
 * `thresholds:` as k6 writes them (its `options.thresholds`): a map from a metric, optionally scoped by tags,
 * to a list of expressions, each a string or `{ threshold, abortOnFail, delayAbortEval }`. The grammar and
 * the meaning checks live in thresholds.ts and check-thresholds.ts.
 */
import { z } from 'zod';

const ThresholdObject = z
  .object({
    threshold: z.string().max(200).describe("A k6 expression, e.g. 'p(95)<250'."),
    abortOnFail: z
      .boolean()
      .optional()
      .describe(
        'k6 stops the test on a miss; meshsim always runs to the end, so only false is accepted. Default: false.',
      ),
    delayAbortEval: z
      .string()
      .max(50)
      .optional()
      .describe(
        'k6: delay before abortOnFail is evaluated; meaningless without abortOnFail, refused. Default: none.',
      ),
  })
  .strict();

export const ThresholdsInput = z
  .record(
    z.string().max(500),
    z
      .array(z.union([z.string().max(200), ThresholdObject]))
      .min(1)
      .max(100),
  )
  .describe(
    "k6-style thresholds, checked after the run (--check-slo exits 3 on a miss): metric{tag:value}: ['p(95)<250', 'avg<100']. " +
      'Metrics: http_req_duration, http_req_failed, http_reqs (k6), availability, within_slo, blast_radius, ' +
      'blast_radius_clusters, blast_radius_services, collateral, time_to_recover. Tags: traffic, cluster, ' +
      'service, model, fault, expected_response. Default: none.',
  );
export type ThresholdsInput = z.infer<typeof ThresholdsInput>;
