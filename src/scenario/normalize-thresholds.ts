/**
 * `thresholds:` (checked by check-thresholds.ts) to the resolved list, keys in the file's order.
 */
import type { ThresholdsInput } from './schema-thresholds.js';
import {
  THRESHOLD_METRICS,
  type Threshold,
  type ThresholdExpression,
  type ThresholdTag,
  parseThresholdExpression,
  parseThresholdKey,
} from './thresholds.js';

export function normalizeThresholds(input: ThresholdsInput | undefined): Threshold[] {
  return Object.entries(input ?? {}).map(([key, list]) => {
    const parsed = parseThresholdKey(key);
    const metric = 'error' in parsed ? undefined : THRESHOLD_METRICS[parsed.metric];
    if ('error' in parsed || metric === undefined) throw new Error(`unchecked thresholds key ${key}`);
    return {
      key,
      metric: parsed.metric,
      type: metric.type,
      tags: parsed.tags as [ThresholdTag, string][],
      expressions: list.map((entry): ThresholdExpression => {
        const e = parseThresholdExpression(typeof entry === 'string' ? entry : entry.threshold);
        if ('error' in e) throw new Error(`unchecked threshold ${key}: ${e.error}`);
        return e;
      }),
    };
  });
}
