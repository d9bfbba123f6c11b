/**
 * Observations from Prometheus: the PromQL calibration runs (instant queries at the range's end over
 * `increase(...[range])`, which Prometheus corrects for counter resets), the HTTP API call, and the
 * reading of its JSON answers, live or saved (`--save-queries` writes them; `--from-json` reads them back).
 *
 * The queries keep Istio's labels that name an edge and a response (istio/proxy
 * source/extensions/filters/http/istio_stats/istio_stats.cc `all_tags_`); `le` for the buckets. Replicas
 * come from kube-state-metrics' `kube_deployment_spec_replicas` (namespace, deployment; `cluster` where the
 * Prometheus federates clusters) when it is scraped; an empty answer is not an error.
 */
import {
  CalibrationInputError,
  type EdgeSample,
  type Observations,
  type ReplicaSample,
  type WorkloadRef,
} from './observations.js';

/** Istio's standard labels an edge is keyed by, in the order queries group by them. */
const EDGE_LABEL_NAMES = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'source_canonical_service',
  'source_version',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_service_name',
  'destination_version',
  'destination_cluster',
  'response_code',
  'response_flags',
] as const;
const EDGE_LABELS = EDGE_LABEL_NAMES.join(', ');

/** The queries, by the name the saved file keeps each answer under. */
export function calibrationQueries(rangeSeconds: number): Record<QueryName, string> {
  const r = `${Math.round(rangeSeconds)}s`;
  return {
    requests: `sum by (${EDGE_LABELS}) (increase(istio_requests_total[${r}]))`,
    durationSum: `sum by (${EDGE_LABELS}) (increase(istio_request_duration_milliseconds_sum[${r}]))`,
    durationBuckets: `sum by (${EDGE_LABELS}, le) (increase(istio_request_duration_milliseconds_bucket[${r}]))`,
    replicas: `max by (namespace, deployment, cluster) (max_over_time(kube_deployment_spec_replicas[${r}]))`,
  };
}

export type QueryName = 'requests' | 'durationSum' | 'durationBuckets' | 'replicas';
const QUERY_NAMES: readonly QueryName[] = ['requests', 'durationSum', 'durationBuckets', 'replicas'];

/** What `--save-queries` writes and `--from-json` reads: each query's API answer, and the range. */
export interface SavedQueries {
  readonly meshsimCalibrate: 1;
  /** Evaluation time (seconds since the epoch) and range of every query. */
  readonly time: number;
  readonly rangeSeconds: number;
  readonly queries: Record<QueryName, string>;
  readonly results: Record<QueryName, unknown>;
}

interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x);

/** The samples of one API answer (`{status, data: {resultType: "vector", result}}`); throws, located. */
function vector(answer: unknown, where: string): VectorSample[] {
  if (!isObj(answer)) throw new CalibrationInputError(`${where}: expected a Prometheus API answer object`);
  if (answer['status'] !== 'success')
    throw new CalibrationInputError(
      `${where}.status: expected "success", got ${JSON.stringify(answer['status'])}${typeof answer['error'] === 'string' ? ` (${answer['error']})` : ''}`,
    );
  const data = answer['data'];
  if (!isObj(data) || data['resultType'] !== 'vector' || !Array.isArray(data['result']))
    throw new CalibrationInputError(
      `${where}.data: expected {resultType: "vector", result: [...]} (an instant query's answer)`,
    );
  return data['result'].map((s, i) => {
    const at = `${where}.data.result[${i}]`;
    if (!isObj(s) || !isObj(s['metric']) || !Array.isArray(s['value']) || s['value'].length !== 2)
      throw new CalibrationInputError(`${at}: expected {metric: {...}, value: [time, "number"]}`);
    const v = Number(s['value'][1]);
    if (!Number.isFinite(v))
      throw new CalibrationInputError(
        `${at}.value[1]: expected a number as a string, got ${JSON.stringify(s['value'][1])}`,
      );
    return { metric: s['metric'] as Record<string, string>, value: v };
  });
}

function ref(m: Record<string, string>, side: 'source' | 'destination'): WorkloadRef {
  const get = (k: string) => m[`${side}_${k}`] ?? 'unknown';
  return {
    workload: get('workload'),
    namespace: get('workload_namespace'),
    service: side === 'source' ? get('canonical_service') : get('service_name'),
    version: get('version'),
    cluster: get('cluster'),
  };
}

function edgeKey(m: Record<string, string>): string {
  return EDGE_LABEL_NAMES.map((k) => m[k] ?? '').join('\u0000');
}

/** Observations from the four answers; `where` names the file (or URL) in messages. */
export function observationsFromSaved(saved: unknown, where: string): Observations {
  if (!isObj(saved) || saved['meshsimCalibrate'] !== 1)
    throw new CalibrationInputError(
      `${where}: expected the file "meshsim calibrate --save-queries" writes ({meshsimCalibrate: 1, time, rangeSeconds, results})`,
    );
  const range = saved['rangeSeconds'];
  if (typeof range !== 'number' || !(range > 0))
    throw new CalibrationInputError(`${where}: rangeSeconds: expected a number of seconds above 0`);
  const results = saved['results'];
  if (!isObj(results)) throw new CalibrationInputError(`${where}: results: expected an object`);
  const answers = {} as Record<QueryName, VectorSample[]>;
  for (const name of QUERY_NAMES) {
    if (results[name] === undefined) {
      if (name === 'replicas') {
        answers.replicas = [];
        continue;
      }
      throw new CalibrationInputError(
        `${where}: results.${name}: missing (the answer to: ${calibrationQueries(range)[name]})`,
      );
    }
    answers[name] = vector(results[name], `${where}: results.${name}`);
  }
  for (const k of Object.keys(results))
    if (!(QUERY_NAMES as readonly string[]).includes(k))
      throw new CalibrationInputError(
        `${where}: results.${k}: unknown query name (expected ${QUERY_NAMES.join(', ')})`,
      );
  return observationsFromAnswers(
    answers,
    range,
    typeof saved['origin'] === 'string' ? saved['origin'] : where,
  );
}

function observationsFromAnswers(
  a: Record<QueryName, VectorSample[]>,
  rangeSeconds: number,
  origin: string,
): Observations {
  const sums = new Map<string, number>();
  for (const s of a.durationSum) sums.set(edgeKey(s.metric), s.value);
  const buckets = new Map<string, { le: number; count: number }[]>();
  for (const s of a.durationBuckets) {
    const le = s.metric['le'];
    if (le === undefined || le === '+Inf') continue;
    const bound = Number(le);
    if (!Number.isFinite(bound)) continue;
    const key = edgeKey(s.metric);
    const list = buckets.get(key) ?? [];
    list.push({ le: bound, count: s.value });
    buckets.set(key, list);
  }
  const edges: EdgeSample[] = a.requests.map((s) => {
    const m = s.metric;
    const key = edgeKey(m);
    const reporter = m['reporter'] === 'destination' ? 'destination' : 'source';
    const code = Number(m['response_code'] ?? 0);
    const list = buckets.get(key)?.sort((x, y) => x.le - y.le);
    const sum = sums.get(key);
    return {
      reporter,
      source: ref(m, 'source'),
      destination: ref(m, 'destination'),
      responseCode: Number.isFinite(code) ? code : 0,
      responseFlags: m['response_flags'] ?? '-',
      requests: s.value,
      ...(sum === undefined ? {} : { durationSumMs: sum }),
      ...(list === undefined ? {} : { durationBuckets: list }),
    };
  });
  const replicas: ReplicaSample[] = a.replicas.flatMap((s) => {
    const ns = s.metric['namespace'];
    const dep = s.metric['deployment'];
    if (ns === undefined || dep === undefined) return [];
    const cluster = s.metric['cluster'];
    return [
      { namespace: ns, deployment: dep, ...(cluster === undefined ? {} : { cluster }), replicas: s.value },
    ];
  });
  return { origin, rangeSeconds, edges, replicas };
}

/** Runs the queries against `url` at `endS` over `rangeSeconds`; the answers as a saved file would hold them. */
export async function queryPrometheus(
  url: string,
  endS: number,
  rangeSeconds: number,
): Promise<SavedQueries> {
  const queries = calibrationQueries(rangeSeconds);
  const results = {} as Record<QueryName, unknown>;
  for (const name of QUERY_NAMES) {
    const endpoint = `${url.replace(/\/+$/, '')}/api/v1/query`;
    let body: unknown;
    try {
      const r = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: queries[name], time: String(endS) }).toString(),
      });
      const text = await r.text();
      try {
        body = JSON.parse(text);
      } catch {
        throw new CalibrationInputError(
          `${endpoint}: HTTP ${r.status}, not a Prometheus API answer: ${text.slice(0, 200)}`,
        );
      }
    } catch (e) {
      if (e instanceof CalibrationInputError) throw e;
      throw new CalibrationInputError(
        `${endpoint}: cannot reach Prometheus (${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}). Check --prometheus.`,
      );
    }
    results[name] = body;
  }
  return {
    meshsimCalibrate: 1,
    time: endS,
    rangeSeconds,
    queries,
    results,
  };
}

/** The saved file's text, with where it came from. */
export function savedQueriesText(saved: SavedQueries, origin: string): string {
  return `${JSON.stringify({ ...saved, origin }, null, 2)}\n`;
}
