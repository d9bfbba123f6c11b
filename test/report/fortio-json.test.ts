/**
 * The Fortio result document against Fortio's Go structs (fortio/fortio at
 * 45e18710810d864a615618087228996a0a824b2f): periodic/periodic.go `RunnerResults`, fhttp/httprunner.go
 * `HTTPRunnerResults`, fhttp/http_client.go `HTTPOptions`, stats/stats.go `HistogramData`, `Bucket`,
 * `Interval`, `Percentile`. Field names are the Go names (no json tags but `Percentiles,omitempty`); the
 * JSON kind follows the Go type. And the numbers in it against the run's own summary.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenarioWithTelemetry, type RunWithTelemetry } from '../../src/experiment/index.js';
import { fortioPercentile } from '../../src/metrics/index.js';
import { fortioResult, goDuration } from '../../src/report/index.js';
import { loadScenarioFile } from '../../src/scenario/index.js';

type Kind = 'string' | 'int' | 'float' | 'bool' | 'object' | 'map' | 'array' | 'nullable';

/** Exported fields of the Go structs, in declaration order (embedded structs flattened), as JSON kinds. */
const RUNNER_RESULTS: [string, Kind][] = [
  ['RunType', 'string'],
  ['Labels', 'string'],
  ['StartTime', 'string'], // time.Time: RFC 3339
  ['RequestedQPS', 'string'],
  ['RequestedDuration', 'string'],
  ['ActualQPS', 'float'],
  ['ActualDuration', 'int'], // time.Duration: nanoseconds
  ['NumThreads', 'int'],
  ['Version', 'string'],
  ['DurationHistogram', 'object'], // *stats.HistogramData
  ['ErrorsDurationHistogram', 'object'],
  ['Exactly', 'int'],
  ['Jitter', 'bool'],
  ['Uniform', 'bool'],
  ['NoCatchUp', 'bool'],
  ['RunID', 'int'],
  ['AccessLoggerInfo', 'string'],
  ['ID', 'string'],
];
const HTTP_RUNNER_RESULTS: [string, Kind][] = [
  ['RetCodes', 'map'], // map[int]int64
  ['IPCountMap', 'nullable'], // map[string]int, nil
  // HTTPOptions (embedded), the fields meshsim can speak for:
  ['URL', 'string'],
  ['NumConnections', 'int'],
  ['HTTPReqTimeOut', 'int'], // time.Duration
  ['Resolution', 'float'],
  ['Sizes', 'nullable'], // *stats.HistogramData
  ['HeaderSizes', 'nullable'],
  ['Sockets', 'nullable'], // []int64
  ['SocketCount', 'int'],
  ['ConnectionStats', 'nullable'],
  ['AbortOn', 'int'],
];
const HISTOGRAM_DATA = ['Count', 'Min', 'Max', 'Sum', 'Avg', 'StdDev', 'Data', 'Percentiles'];
const BUCKET = ['Start', 'End', 'Percent', 'Count'];

function kindOf(v: unknown, expected: Kind): boolean {
  switch (expected) {
    case 'string':
      return typeof v === 'string';
    case 'int':
      return Number.isSafeInteger(v);
    case 'float':
      return typeof v === 'number' && Number.isFinite(v);
    case 'bool':
      return typeof v === 'boolean';
    case 'object':
    case 'map':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'nullable':
      return v === null;
  }
}

let run: RunWithTelemetry;
let doc: Record<string, unknown>;

beforeAll(async () => {
  const loaded = await loadScenarioFile('test/fixtures/telemetry/shop.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  run = runScenarioWithTelemetry(loaded.scenario);
  const record = run.fortio.traffic[0];
  if (record === undefined) throw new Error('no traffic record');
  doc = fortioResult(record, {
    scenario: 'telemetry-shop',
    model: run.summary.model,
    seed: run.summary.seed,
    version: '0.1.0',
    baseTimeMs: Date.UTC(2026, 0, 1),
    startMs: run.fortio.startMs,
    measuredMs: run.fortio.measuredMs,
    url: 'http://frontend.default.svc.cluster.local/',
    requestedQps: 200,
    numThreads: 0,
    timeoutMs: Infinity,
  });
}, 120_000);

describe('Fortio result JSON', () => {
  it('has exactly the Go structs’ field names, in their order, with the JSON kinds of their Go types', () => {
    const fields = [...RUNNER_RESULTS, ...HTTP_RUNNER_RESULTS];
    expect(Object.keys(doc)).toEqual(fields.map(([name]) => name));
    for (const [name, kind] of fields) expect([name, kindOf(doc[name], kind)]).toEqual([name, true]);
    for (const h of [doc.DurationHistogram, doc.ErrorsDurationHistogram] as Record<string, unknown>[]) {
      expect(Object.keys(h)).toEqual(HISTOGRAM_DATA);
      expect(Number.isSafeInteger(h.Count)).toBe(true);
      for (const b of h.Data as Record<string, unknown>[]) {
        expect(Object.keys(b)).toEqual(BUCKET);
        expect(Number.isSafeInteger(b.Count)).toBe(true);
      }
      for (const p of h.Percentiles as Record<string, unknown>[])
        expect(Object.keys(p)).toEqual(['Percentile', 'Value']);
    }
    for (const [code, n] of Object.entries(doc.RetCodes as Record<string, unknown>)) {
      expect(String(Number.parseInt(code, 10))).toBe(code); // map[int]int64 keys
      expect(Number.isSafeInteger(n)).toBe(true);
    }
    expect(doc.StartTime).toBe('2026-01-01T00:00:10Z');
    expect(doc.RequestedDuration).toBe('1m0s');
    expect(doc.ActualDuration).toBe(60e9);
    expect(doc.ID).toBe('2026-01-01-000010_meshsim_telemetry_shop_multi_primary_web_seed_11');
  });

  it('counts, codes and errors are the run summary’s for that traffic source', () => {
    const web = run.summary.byTraffic.find((t) => t.traffic === 'web');
    if (web === undefined) throw new Error('no web traffic');
    const all = doc.DurationHistogram as { Count: number; Data: { Count: number }[] };
    const errors = doc.ErrorsDurationHistogram as { Count: number };
    const codes = doc.RetCodes as Record<string, number>;
    expect(all.Count).toBe(web.requests);
    expect(all.Data.reduce((s, b) => s + b.Count, 0)).toBe(web.requests);
    expect(errors.Count).toBe(web.requests - web.succeeded);
    expect(codes['200']).toBe(web.succeeded);
    expect(Object.values(codes).reduce((a, b) => a + b, 0)).toBe(web.requests);
    expect(doc.ActualQPS).toBeCloseTo(web.requests / 60, 9);
  });

  it('percentiles are Fortio’s defaults (-p 50,75,90,99,99.9), rising within [Min, Max]', () => {
    const h = doc.DurationHistogram as Parameters<typeof fortioPercentile>[0] & {
      Percentiles: { Percentile: number; Value: number }[];
    };
    expect(h.Percentiles.map((p) => p.Percentile)).toEqual([50, 75, 90, 99, 99.9]);
    const values = h.Percentiles.map((p) => p.Value);
    expect(values).toEqual(h.Percentiles.map((p) => fortioPercentile(h, p.Percentile)));
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(values[0]).toBeGreaterThanOrEqual(h.Min);
    expect(values[values.length - 1]).toBeLessThanOrEqual(h.Max);
  });

  it('goDuration writes Go’s time.Duration.String()', () => {
    expect([0, 500, 1000, 60_000, 90_000, 3_600_000, 5_430_500].map(goDuration)).toEqual([
      '0s',
      '500ms',
      '1s',
      '1m0s',
      '1m30s',
      '1h0m0s',
      '1h30m30.5s',
    ]);
  });
});
