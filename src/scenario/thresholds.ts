/**
 * k6's thresholds, as a k6 user writes them: a metric (k6's names or meshsim's), optionally scoped by tags
 * (`http_req_duration{service:api}`), and expressions `<aggregation> <op> <number>`. The grammar follows
 * grafana/k6 metrics/thresholds_parser.go at 87883075ccd5e3d3fb961a860b3d6e422bbc353b: operators tried in
 * the order `<=`, `<`, `>=`, `>`, `===`, `==`, `!=`; aggregations `value`, `count`, `rate`, `avg`, `min`,
 * `med`, `max`, `p(N)` with 0 <= N <= 100; and per metric type the aggregations k6 allows (metrics/metric_type.go
 * `supportedAggregationMethods`): counter count|rate, gauge value, rate rate, trend avg|min|med|max|p(N).
 *
 * Contents: `THRESHOLD_METRICS`, `parseThresholdKey`, `parseThresholdExpression`, `Threshold`.
 */

export type ThresholdMetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** The tags a scope may name. */
export const THRESHOLD_TAGS = [
  'traffic',
  'cluster',
  'service',
  'model',
  'fault',
  'expected_response',
] as const;
export type ThresholdTag = (typeof THRESHOLD_TAGS)[number];

export interface ThresholdMetric {
  readonly type: ThresholdMetricType;
  /** What it measures, in words (for --help and messages). */
  readonly means: string;
  /** Tags it can be scoped by. */
  readonly tags: readonly ThresholdTag[];
}

const REQUEST_TAGS: readonly ThresholdTag[] = ['traffic', 'cluster', 'service', 'model'];
const FAULT_TAGS: readonly ThresholdTag[] = ['fault', 'model'];

/** Every metric a threshold may name: k6's HTTP metrics and meshsim's own. Times are in ms, as k6's. */
export const THRESHOLD_METRICS: Readonly<Record<string, ThresholdMetric>> = {
  http_req_duration: {
    type: 'trend',
    means: 'end-to-end duration of client requests, failed ones included (k6); with service: of calls to it',
    tags: [...REQUEST_TAGS, 'expected_response'],
  },
  http_req_failed: {
    type: 'rate',
    means: 'fraction of client requests (with service: calls) that failed: 5xx or no response',
    tags: REQUEST_TAGS,
  },
  http_reqs: {
    type: 'counter',
    means: 'client requests completed (with service: calls), count and per second of measured time',
    tags: [...REQUEST_TAGS, 'expected_response'],
  },
  availability: {
    type: 'rate',
    means: 'fraction of client requests (with service: calls) answered (not 5xx)',
    tags: REQUEST_TAGS,
  },
  within_slo: {
    type: 'rate',
    means: 'fraction of client requests answered within slo.latency.p99',
    tags: ['traffic', 'cluster', 'model'],
  },
  blast_radius: {
    type: 'gauge',
    means: "a fault's excess failed-or-slow requests over its paired baseline, as a fraction of traffic",
    tags: FAULT_TAGS,
  },
  blast_radius_clusters: {
    type: 'gauge',
    means: 'fraction of clusters with an impacted unit during the fault',
    tags: FAULT_TAGS,
  },
  blast_radius_services: {
    type: 'gauge',
    means: 'fraction of services with an impacted unit during the fault',
    tags: FAULT_TAGS,
  },
  collateral: {
    type: 'gauge',
    means: 'the part of blast_radius whose clients sit outside the failed domain',
    tags: FAULT_TAGS,
  },
  time_to_recover: {
    type: 'gauge',
    means: 'ms from the fault until every unit is back within thresholds',
    tags: FAULT_TAGS,
  },
};

const SUPPORTED: Readonly<Record<ThresholdMetricType, readonly string[]>> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'med', 'max', 'p(N)'],
};

export type ThresholdOperator = '<=' | '<' | '>=' | '>' | '===' | '==' | '!=';
const OPERATORS: readonly ThresholdOperator[] = ['<=', '<', '>=', '>', '===', '==', '!='];
const AGGREGATIONS = ['value', 'count', 'rate', 'avg', 'min', 'med', 'max'] as const;

export interface ThresholdExpression {
  /** `p` with `percentile` set, or one of the plain methods. */
  readonly aggregation: (typeof AGGREGATIONS)[number] | 'p';
  readonly percentile?: number;
  readonly operator: ThresholdOperator;
  readonly value: number;
  /** As written, k6's key for it in summaries. */
  readonly source: string;
}

export interface Threshold {
  /** The key as written, e.g. `http_req_duration{service:api}`. */
  readonly key: string;
  readonly metric: string;
  readonly type: ThresholdMetricType;
  /** Tag scope, tags in the order written. */
  readonly tags: readonly (readonly [ThresholdTag, string])[];
  readonly expressions: readonly ThresholdExpression[];
}

/** k6's `SinkKey`: `p(95)`, `avg`, ... */
export function aggregationKey(e: ThresholdExpression): string {
  return e.aggregation === 'p' ? `p(${e.percentile ?? 0})` : e.aggregation;
}

/** `name{tag:value,...}` → its parts, or a message saying what is wrong. */
export function parseThresholdKey(
  key: string,
): { metric: string; tags: [string, string][] } | { error: string } {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\{(.*)\})?\s*$/.exec(key);
  if (m === null)
    return { error: `expected a metric name, optionally with tags, e.g. http_req_duration{service:api}` };
  const metric = m[1] as string;
  const inner = m[2];
  if (inner === undefined) return { metric, tags: [] };
  const tags: [string, string][] = [];
  for (const part of inner.split(',')) {
    const colon = part.indexOf(':');
    if (colon < 0) return { error: `tag "${part.trim()}" has no value; write tag:value, e.g. {service:api}` };
    const tag = part.slice(0, colon).trim();
    const value = part
      .slice(colon + 1)
      .trim()
      .replace(/^(["'])(.*)\1$/, '$2');
    if (tag === '' || value === '') return { error: `empty tag or value in "{${inner}}"` };
    tags.push([tag, value]);
  }
  return { metric, tags };
}

/** One k6 expression, e.g. `p(95)<250`; or a message saying what is wrong. */
export function parseThresholdExpression(input: string): ThresholdExpression | { error: string } {
  let found: [string, ThresholdOperator, string] | undefined;
  for (const op of OPERATORS) {
    const at = input.indexOf(op);
    if (at < 0) continue;
    const right = input.slice(at + op.length);
    if (right !== '') {
      found = [input.slice(0, at).trim(), op, right.trim()];
      break;
    }
  }
  if (found === undefined)
    return {
      error: `malformed threshold expression "${input}"; expected e.g. p(95)<250, rate<0.01, count>0`,
    };
  const [method, operator, rhs] = found;
  const value = Number(rhs);
  if (rhs === '' || !Number.isFinite(value))
    return { error: `"${input}": the right-hand side "${rhs}" is not a number` };
  if ((AGGREGATIONS as readonly string[]).includes(method))
    return { aggregation: method as ThresholdExpression['aggregation'], operator, value, source: input };
  const p = /^p\((.*)\)$/.exec(method);
  if (p !== null) {
    const percentile = Number(p[1]);
    if ((p[1] ?? '').trim() === '' || !Number.isFinite(percentile) || percentile < 0 || percentile > 100)
      return { error: `"${input}": malformed percentile value, provide a number between 0 and 100` };
    return { aggregation: 'p', percentile, operator, value, source: input };
  }
  return {
    error: `"${input}": unknown aggregation "${method}"; k6's are value, count, rate, avg, min, med, max, p(N)`,
  };
}

/** Whether the metric type takes the aggregation (k6's rule); the list it takes, for the message. */
export function aggregationAllowed(
  type: ThresholdMetricType,
  e: ThresholdExpression,
): { ok: boolean; allowed: readonly string[] } {
  const allowed = SUPPORTED[type];
  const name = e.aggregation === 'p' ? 'p(N)' : e.aggregation;
  return { ok: allowed.includes(name), allowed };
}

/** k6's comparison, `===` and `==` alike on numbers. */
export function compareThreshold(measured: number, e: ThresholdExpression): boolean {
  switch (e.operator) {
    case '<=':
      return measured <= e.value;
    case '<':
      return measured < e.value;
    case '>=':
      return measured >= e.value;
    case '>':
      return measured > e.value;
    case '===':
    case '==':
      return measured === e.value;
    case '!=':
      return measured !== e.value;
  }
}
