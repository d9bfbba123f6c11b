/**
 * The scenario's k6-style `thresholds:` against one run: each key's scope picked from the threshold record
 * (requests per traffic source and client cluster, calls per service) or from the run's fault impacts, its
 * aggregations computed (k6's: avg, min, med, max, p(N) of a trend; rate of a rate; count and per-second
 * rate of a counter; value of a gauge), and each expression judged. Percentiles come from log histograms
 * (1% relative accuracy; k6 sorts every sample): a value within 1% of a limit can fall either side.
 *
 * Nothing passes by default: a scope with no sample, or a fault impact that was not measured, fails its
 * expressions with the reason; a `model:` scope naming another model than the run's is reported as not
 * evaluated (a run has one model), never as passed.
 *
 * Contents: `evaluateThresholds`, `ThresholdOutcome`, `thresholdsMissed`.
 */
import {
  LogHistogram,
  type RunSummary,
  type ThresholdCellJSON,
  type ThresholdRecord,
} from '../metrics/index.js';
import {
  THRESHOLD_METRICS,
  aggregationKey,
  compareThreshold,
  type Threshold,
  type ThresholdExpression,
  type ThresholdMetricType,
} from '../scenario/index.js';

export interface ThresholdResult {
  /** The expression as written. */
  readonly source: string;
  /** `p(95)`, `rate`, ...: the aggregation it compared. */
  readonly aggregation: string;
  /** The measured value; null when there was nothing to measure. */
  readonly measured: number | null;
  readonly ok: boolean;
  /** Why it could not be measured. */
  readonly reason?: string;
}

export interface ThresholdOutcome {
  readonly key: string;
  readonly metric: string;
  readonly type: ThresholdMetricType;
  /** k6's summary values of the scope (trend: avg, min, med, max, p(90), p(95) and each p(N) used). */
  readonly values: Readonly<Record<string, number>>;
  readonly results: readonly ThresholdResult[];
  /** Set when the key was not evaluated, and why (a `model:` scope of another model). */
  readonly notEvaluated?: string;
}

interface Scope {
  completed: number;
  failed: number;
  withinDeadline: number;
  answered: LogHistogram;
  failedDurations: LogHistogram;
}

function merged(cells: readonly ThresholdCellJSON[]): Scope {
  const s: Scope = {
    completed: 0,
    failed: 0,
    withinDeadline: 0,
    answered: new LogHistogram(0.01),
    failedDurations: new LogHistogram(0.01),
  };
  for (const c of cells) {
    s.completed += c.completed;
    s.failed += c.failed;
    s.withinDeadline += c.withinDeadline;
    s.answered.merge(LogHistogram.fromJSON(c.answered));
    s.failedDurations.merge(LogHistogram.fromJSON(c.failedDurations));
  }
  return s;
}

function tag(t: Threshold, name: string): string | undefined {
  return t.tags.find(([k]) => k === name)?.[1];
}

function requestScope(t: Threshold, r: ThresholdRecord): Scope {
  const service = tag(t, 'service');
  if (service !== undefined) {
    const i = r.services.indexOf(service);
    return merged(i < 0 ? [] : [r.calls[i] as ThresholdCellJSON]);
  }
  const traffic = tag(t, 'traffic');
  const cluster = tag(t, 'cluster');
  const cells: ThresholdCellJSON[] = [];
  r.traffic.forEach((name, ti) => {
    if (traffic !== undefined && name !== traffic) return;
    r.clusters.forEach((c, ci) => {
      if (cluster !== undefined && c !== cluster) return;
      cells.push(r.requests[ti * r.clusters.length + ci] as ThresholdCellJSON);
    });
  });
  return merged(cells);
}

function trendValues(h: LogHistogram, percentiles: readonly number[]): Record<string, number> {
  if (h.count === 0) return {};
  const out: Record<string, number> = {
    avg: h.mean ?? 0,
    min: h.min ?? 0,
    med: h.quantile(0.5) ?? 0,
    max: h.max ?? 0,
  };
  for (const p of [90, 95, ...percentiles]) out[`p(${p})`] = h.quantile(p / 100) ?? 0;
  return out;
}

/** k6's values of a request-type metric over its scope. */
function requestValues(t: Threshold, r: ThresholdRecord): Record<string, number> {
  const s = requestScope(t, r);
  const expected = tag(t, 'expected_response');
  const seconds = r.measuredMs / 1000;
  switch (t.metric) {
    case 'http_req_duration': {
      let h = s.answered;
      if (expected === 'false') h = s.failedDurations;
      else if (expected === undefined) {
        h = s.answered.clone();
        h.merge(s.failedDurations);
      }
      const ps = t.expressions.flatMap((e) => (e.aggregation === 'p' ? [e.percentile ?? 0] : []));
      return trendValues(h, ps);
    }
    case 'http_reqs': {
      const count =
        expected === 'true' ? s.completed - s.failed : expected === 'false' ? s.failed : s.completed;
      return { count, rate: count / seconds };
    }
    case 'http_req_failed':
      return s.completed === 0
        ? {}
        : { rate: s.failed / s.completed, passes: s.failed, fails: s.completed - s.failed };
    case 'availability': {
      const ok = s.completed - s.failed;
      return s.completed === 0 ? {} : { rate: ok / s.completed, passes: ok, fails: s.failed };
    }
    case 'within_slo':
      return s.completed === 0
        ? {}
        : {
            rate: s.withinDeadline / s.completed,
            passes: s.withinDeadline,
            fails: s.completed - s.withinDeadline,
          };
    default:
      throw new Error(`requestValues: ${t.metric} is not a request metric`);
  }
}

/** A gauge over the faults the scope names: the worst (largest) of them. */
function faultValues(t: Threshold, summary: RunSummary): { values: Record<string, number>; reason?: string } {
  const which = tag(t, 'fault');
  const faults = (summary.faults ?? []).filter(
    (f, i) => which === undefined || which === String(i) || which === f.type,
  );
  if (faults.length === 0) return { values: {}, reason: 'no fault in scope' };
  const pick: Record<string, (f: (typeof faults)[number]) => number | null> = {
    blast_radius: (f) => f.blastRadius?.traffic ?? null,
    blast_radius_clusters: (f) => f.blastRadius?.clusters ?? null,
    blast_radius_services: (f) => f.blastRadius?.services ?? null,
    collateral: (f) => f.blastRadius?.collateral ?? null,
    // Never recovered within the run: longer than any limit.
    time_to_recover: (f) => (f.blastRadius === null ? null : (f.timeToRecoverMs ?? Infinity)),
  };
  const get = pick[t.metric];
  if (get === undefined) throw new Error(`faultValues: ${t.metric} is not a fault metric`);
  const vs = faults.map(get);
  if (vs.some((v) => v === null))
    return { values: {}, reason: 'blast radius not measured (run without paired baselines)' };
  const nums = vs as number[];
  return { values: { value: Math.max(...nums), min: Math.min(...nums), max: Math.max(...nums) } };
}

function judge(e: ThresholdExpression, values: Record<string, number>, reason: string): ThresholdResult {
  const key = aggregationKey(e);
  const measured = values[key];
  if (measured === undefined)
    return { source: e.source, aggregation: key, measured: null, ok: false, reason };
  return { source: e.source, aggregation: key, measured, ok: compareThreshold(measured, e) };
}

/** Every threshold of the scenario against one run of model `model`. */
export function evaluateThresholds(
  thresholds: readonly Threshold[],
  record: ThresholdRecord,
  summary: RunSummary,
): ThresholdOutcome[] {
  return thresholds.map((t): ThresholdOutcome => {
    const base = { key: t.key, metric: t.metric, type: t.type };
    const model = tag(t, 'model');
    if (model !== undefined && model !== summary.model)
      return {
        ...base,
        values: {},
        results: [],
        notEvaluated: `model ${model} is not this run's (${summary.model ?? 'none'})`,
      };
    const meta = THRESHOLD_METRICS[t.metric];
    if (meta === undefined) throw new Error(`evaluateThresholds: unknown metric ${t.metric}`);
    const { values, reason } = meta.tags.includes('fault')
      ? faultValues(t, summary)
      : { values: requestValues(t, record), reason: 'no samples in scope' };
    return { ...base, values, results: t.expressions.map((e) => judge(e, values, reason ?? 'not measured')) };
  });
}

/** Whether any evaluated expression failed. */
export function thresholdsMissed(outcomes: readonly ThresholdOutcome[]): boolean {
  return outcomes.some((o) => o.results.some((r) => !r.ok));
}
