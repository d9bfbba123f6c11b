/**
 * A run exported as Istio's standard metrics, checked by Prometheus's own tools: `promtool check metrics`
 * lints the final scrape, `promtool tsdb create-blocks-from openmetrics` loads every window into a TSDB, a
 * Prometheus on 127.0.0.1 serves it, and PromQL of the kind the Istio dashboards run must give meshsim's
 * own summary: counts exactly, means to rounding, quantiles within the Istio bucket that holds them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarioWithTelemetry, type RunWithTelemetry } from '../../src/experiment/index.js';
import { ISTIO_DURATION_BUCKETS_MS } from '../../src/metrics/index.js';
import {
  DEFAULT_METRICS_BASE_TIME_MS,
  openMetricsChunks,
  openMetricsText,
  prometheusChunks,
  prometheusText,
} from '../../src/report/index.js';
import { loadScenarioFile } from '../../src/scenario/index.js';
import {
  type RunningPrometheus,
  promtool,
  requirePrometheus,
  startPrometheus,
} from '../helpers/prometheus.js';

let dir = '';
let run: RunWithTelemetry;
let prom: RunningPrometheus | undefined;
/** Evaluation time: the last sample (counters hold the whole run there). */
let atS = 0;

beforeAll(async () => {
  requirePrometheus();
  const loaded = await loadScenarioFile('test/fixtures/telemetry/shop.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  run = runScenarioWithTelemetry(loaded.scenario);
  dir = await mkdtemp(join(tmpdir(), 'meshsim-prom-'));
  await writeFile(join(dir, 'run.om.txt'), openMetricsText(run.telemetry));
  const t = run.telemetry;
  atS = (DEFAULT_METRICS_BASE_TIME_MS + t.startMs + t.windows * t.windowMs) / 1000;
}, 120_000);

afterAll(async () => {
  await prom?.stop();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** The bounds [lo, hi] of the Istio bucket holding `v`. */
function bucketAround(bounds: readonly number[], v: number): [number, number] {
  let lo = 0;
  for (const b of bounds) {
    if (v <= b) return [lo, b];
    lo = b;
  }
  return [lo, Infinity];
}

describe('OpenMetrics export through Prometheus', () => {
  it('the size bound a free-space check reads holds the text, and is not wildly above it', () => {
    for (const [chunks, text] of [
      [openMetricsChunks(run.telemetry), openMetricsText(run.telemetry)],
      [prometheusChunks(run.telemetry), prometheusText(run.telemetry)],
    ] as const) {
      const bytes = Buffer.byteLength(text);
      expect(chunks.maxBytes).toBeGreaterThanOrEqual(bytes);
      expect(chunks.maxBytes).toBeLessThan(1.5 * bytes + 16384);
    }
  });

  it('promtool check metrics finds no problem but Istio’s own names (ms unit, istiod’s counter without _total)', () => {
    const r = promtool(['check', 'metrics'], prometheusText(run.telemetry));
    // Exit 3 is promtool's "lint problems" (1 would be a parse error); Istio names its histogram in ms,
    // and istiod exposes its sums without _total (WithoutCounterSuffixes: istio/istio
    // pkg/monitoring/monitoring.go at 86c9f01f), so promtool says the same of a real istiod's /metrics.
    const problems = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
    expect(problems).toEqual([
      'istio_request_duration_milliseconds use base unit "seconds" instead of "milliseconds"',
      'pilot_xds_pushes counter metrics should have "_total" suffix',
    ]);
    expect(r.code).toBe(3);
  });

  it('promtool tsdb create-blocks-from openmetrics loads every window, and Prometheus serves it on loopback', async () => {
    const r = promtool([
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      join(dir, 'run.om.txt'),
      join(dir, 'data'),
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    prom = await startPrometheus(join(dir, 'data'));
    const up = await prom.query('count(istio_requests_total)', atS);
    expect(up[0]?.value).toBe(run.telemetry.series.length);
  }, 120_000);

  it('requests per destination service (source reporter) equal the summary’s calls per service, exactly', async () => {
    const p = prom as RunningPrometheus;
    const total = await p.query(
      'sum by (destination_service_name) (istio_requests_total{reporter="source"})',
      atS,
    );
    const ok = await p.query(
      'sum by (destination_service_name) (istio_requests_total{reporter="source",response_code!~"5..|0"})',
      atS,
    );
    const of = (v: typeof total, s: string) => v.find((x) => x.metric.destination_service_name === s)?.value;
    for (const s of run.summary.byService) {
      expect(of(total, s.service), s.service).toBe(s.requests);
      expect(of(ok, s.service) ?? 0, s.service).toBe(s.succeeded);
    }
  });

  it('rate() over the run equals calls per second of simulated time', async () => {
    const p = prom as RunningPrometheus;
    const t = run.telemetry;
    const spanS = (t.windows * t.windowMs) / 1000;
    const [r] = await p.query(
      `sum(rate(istio_requests_total{reporter="source",destination_service_name="frontend"}[${spanS}s]))`,
      atS,
    );
    const calls = run.summary.byService.find((s) => s.service === 'frontend')?.requests ?? NaN;
    // The range holds the sample at its start (all zeros) and at its end: no extrapolation, so exact.
    expect(r?.value).toBeCloseTo(calls / spanS, 9);
  });

  it('mean and p50/p90/p99 of answered calls agree with the summary (quantiles within their Istio bucket)', async () => {
    const p = prom as RunningPrometheus;
    for (const service of ['catalog', 'orders', 'reviews']) {
      const s = run.summary.byService.find((x) => x.service === service)?.latencyMs;
      if (s === undefined || s === null) throw new Error(`no latency for ${service}`);
      const sel = `{reporter="source",destination_service_name="${service}",response_code="200"}`;
      const [mean] = await p.query(
        `sum(istio_request_duration_milliseconds_sum${sel}) / sum(istio_request_duration_milliseconds_count${sel})`,
        atS,
      );
      expect(mean?.value, `${service} mean`).toBeCloseTo(s.mean, 3);
      for (const [q, mine] of [
        [0.5, s.p50],
        [0.9, s.p90],
        [0.99, s.p99],
      ] as const) {
        const [r] = await p.query(
          `histogram_quantile(${q}, sum by (le) (istio_request_duration_milliseconds_bucket${sel}))`,
          atS,
        );
        const [lo, hi] = bucketAround(ISTIO_DURATION_BUCKETS_MS, r?.value ?? NaN);
        // meshsim's own quantile is within 1% (its histogram's stated accuracy) of the true one.
        expect(mine, `${service} p${q * 100}: PromQL ${r?.value} in (${lo}, ${hi}]`).toBeGreaterThanOrEqual(
          lo * 0.99,
        );
        expect(mine, `${service} p${q * 100}`).toBeLessThanOrEqual(hi * 1.01);
      }
    }
  });

  it('the VirtualService abort shows as 500 FI at the source reporter only, at its 5%', async () => {
    const p = prom as RunningPrometheus;
    const [fi] = await p.query(
      'sum(istio_requests_total{reporter="source",response_code="500",response_flags="FI",destination_service_name="reviews"})',
      atS,
    );
    const calls = run.summary.byService.find((s) => s.service === 'reviews')?.requests ?? NaN;
    // Binomial: within 4 standard deviations of 5% of the calls.
    const sd = Math.sqrt(calls * 0.05 * 0.95);
    expect(Math.abs((fi?.value ?? 0) - 0.05 * calls)).toBeLessThan(4 * sd);
    expect(await p.query('istio_requests_total{reporter="destination",response_flags="FI"}', atS)).toEqual(
      [],
    );
  });

  it('requests per version (destination reporter) follow the 80/20 split', async () => {
    const p = prom as RunningPrometheus;
    const v = await p.query(
      'sum by (destination_version) (istio_requests_total{reporter="destination",destination_service_name="reviews"})',
      atS,
    );
    const v1 = v.find((x) => x.metric.destination_version === 'v1')?.value ?? 0;
    const v2 = v.find((x) => x.metric.destination_version === 'v2')?.value ?? 0;
    const n = v1 + v2;
    expect(Math.abs(v2 / n - 0.2)).toBeLessThan(4 * Math.sqrt((0.2 * 0.8) / n));
  });

  it('istiod series under istiod’s names: pilot_xds_pushes equals the summary’s pushes, pilot_xds the connected proxies; pilot_proxy_convergence_time one observation per proxy per debounced push', async () => {
    const p = prom as RunningPrometheus;
    const cp = run.summary.controlPlane;
    if (cp === undefined || cp.convergenceMs === null) throw new Error('the fixture must converge changes');
    // The Istio Control Plane dashboard's own queries: sum by (type) (irate(pilot_xds_pushes[...])) and
    // sum (pilot_xds) (istio/istio manifests/addons/dashboards/pilot-dashboard.gen.json at 86c9f01f).
    const [pushes] = await p.query('sum(pilot_xds_pushes{type="eds"})', atS);
    expect(await p.query('pilot_xds_pushes_total', atS)).toEqual([]);
    const [xds] = await p.query('sum (pilot_xds)', atS);
    const last = (cp2: NonNullable<typeof run.telemetry.controlPlane>) =>
      cp2.xdsClients.reduce((n, x) => n + (x.samples[run.telemetry.windows] ?? 0), 0);
    const exported = run.telemetry.controlPlane;
    if (exported === null) throw new Error('no control plane exported');
    expect(xds?.value).toBe(last(exported));
    expect(xds?.value).toBeGreaterThan(0);
    expect(pushes?.value).toBe(cp.pushes);
    // istiod records one observation per proxy per debounced push (ads.go pushConnection), none for the
    // initial push on connect: so fewer observations than pushes, but several per push start. The
    // per-proxy definition itself is tested in test/mesh/istio/debounce.test.ts.
    const [observed] = await p.query('sum(pilot_proxy_convergence_time_count)', atS);
    const exportedCount = exported.convergenceCounts.reduce((a, b) => a + b, 0);
    expect(observed?.value).toBe(exportedCount);
    expect(exportedCount).toBeGreaterThan(0);
    expect(exportedCount).toBeLessThanOrEqual(cp.pushes);
    // Not meshsim's summary convergence (a change, debounce included, until the LAST proxy): istiod's
    // starts after the debounce and ends at each proxy, so its mean cannot exceed the summary's max.
    const [sumS] = await p.query('sum(pilot_proxy_convergence_time_sum)', atS);
    expect((sumS?.value ?? NaN) / exportedCount).toBeLessThanOrEqual(cp.convergenceMs.max / 1000);
  });
});
