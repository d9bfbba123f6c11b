/**
 * Meaning checks for `thresholds:`: every key names a known metric and tags it can be scoped by, with values
 * that exist in the file (traffic sources, clusters, services, models, faults); every expression parses as
 * k6's and uses an aggregation the metric's type allows. What meshsim cannot honour is refused, not
 * dropped: `abortOnFail: true` (a simulation runs to its end), `service` with `traffic` or `cluster` (calls
 * are not broken down by client), `within_slo` without `slo.latency.p99` (no deadline to be within).
 *
 * Contents: `checkThresholds`.
 */
import type { Problem } from './check.js';
import type { IssuePath } from './issue.js';
import { defaultModels } from './normalize-models.js';
import { problemCollector } from './problem-collector.js';
import type { ScenarioInput } from './schema.js';
import { suggest } from './suggest.js';
import {
  THRESHOLD_METRICS,
  type ThresholdTag,
  aggregationAllowed,
  parseThresholdExpression,
  parseThresholdKey,
} from './thresholds.js';

export function checkThresholds(input: ScenarioInput): Problem[] {
  const { problems, add, reference } = problemCollector();
  const thresholds = input.thresholds;
  if (thresholds === undefined) return problems;
  const models = (
    input.models ??
    defaultModels(
      input.clusters.map((c) => ({
        name: c.name,
        region: c.region,
        zones: c.zones ?? [],
        network: c.network ?? '',
      })),
    )
  ).map((m) => m.name);
  const faults = input.faults ?? [];
  const known: Record<ThresholdTag, readonly string[]> = {
    traffic: input.traffic.map((t) => t.name),
    cluster: input.clusters.map((c) => c.name),
    service: input.services.map((s) => s.name),
    model: models,
    fault: [...faults.map((_, i) => String(i)), ...new Set(faults.map((f) => f.type))],
    expected_response: ['true', 'false'],
  };
  const metricNames = Object.keys(THRESHOLD_METRICS);
  for (const [key, list] of Object.entries(thresholds)) {
    const at: IssuePath = ['thresholds', key];
    const parsed = parseThresholdKey(key);
    if ('error' in parsed) {
      add(at, 'invalid-value', `thresholds key "${key}": ${parsed.error}`);
      continue;
    }
    const metric = THRESHOLD_METRICS[parsed.metric];
    if (metric === undefined) {
      add(
        at,
        'unknown-reference',
        `unknown metric "${parsed.metric}"; meshsim's thresholds take ${metricNames.join(', ')}`,
        suggest(parsed.metric, metricNames),
      );
      continue;
    }
    const tags = new Set<string>();
    for (const [tag, value] of parsed.tags) {
      if (!(metric.tags as readonly string[]).includes(tag)) {
        add(
          at,
          'invalid-value',
          `${parsed.metric} cannot be scoped by "${tag}"; it takes ${metric.tags.join(', ')}`,
        );
        continue;
      }
      if (tags.has(tag)) add(at, 'invalid-value', `tag "${tag}" is given twice in "${key}"`);
      tags.add(tag);
      reference(
        at,
        tag === 'expected_response' ? 'expected_response value' : tag,
        value,
        known[tag as ThresholdTag],
      );
    }
    if (tags.has('service') && (tags.has('traffic') || tags.has('cluster')))
      add(
        at,
        'invalid-value',
        `"${key}": calls to a service are not broken down by traffic source or client cluster; scope by service alone, or by traffic/cluster alone`,
      );
    if (parsed.metric === 'within_slo' && input.slo?.latency?.p99 === undefined)
      add(
        at,
        'invalid-value',
        `within_slo needs slo.latency.p99: the deadline a request must be answered within`,
      );
    list.forEach((entry, i) => {
      const path: IssuePath = [...at, i];
      const text = typeof entry === 'string' ? entry : entry.threshold;
      if (typeof entry !== 'string') {
        if (entry.abortOnFail === true)
          add(
            [...path, 'abortOnFail'],
            'invalid-value',
            'abortOnFail: a simulation always runs to its end; remove it or set false',
          );
        if (entry.delayAbortEval !== undefined)
          add(
            [...path, 'delayAbortEval'],
            'invalid-value',
            'delayAbortEval: meaningless without abortOnFail; remove it',
          );
      }
      const e = parseThresholdExpression(text);
      if ('error' in e) {
        add(path, 'invalid-value', e.error);
        return;
      }
      const rule = aggregationAllowed(metric.type, e);
      if (!rule.ok)
        add(
          path,
          'invalid-value',
          `"${text}": ${parsed.metric} is a ${metric.type} metric; its aggregations are ${rule.allowed.join(', ')}`,
        );
    });
  }
  return problems;
}
