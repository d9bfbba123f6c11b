/**
 * The round trip, end to end: a library scenario (scenarios/quickstart.yaml, its first model) is simulated
 * and exported as OpenMetrics; `promtool tsdb create-blocks-from openmetrics` loads it; a real Prometheus
 * serves it on 127.0.0.1; `meshsim calibrate` (the built CLI) queries that Prometheus's HTTP API and updates
 * a SKELETON of the scenario whose rates, probabilities, error rates and service times were all replaced
 * by wrong placeholders, so every calibrated value can only have come from the telemetry. The calibrated
 * scenario is then simulated with the same seed and compared with the original.
 *
 * The run is lengthened to 15 min (the library file's 2 min, then its 800/s step held): about 650,000
 * orders requests. Why: see the leaf latency rule below. The test runs in about 1.5-3 min on this machine
 * (two 15 min simulations, promtool, Prometheus, the CLI).
 *
 * Tolerances, derived from the run (the range runs from warm-up's end to the last sample before the run's
 * end, so `increase()` needs no extrapolation) and the buckets:
 * - Entry rate: the count is Poisson, SD sqrt(N): 4 SDs = 4/sqrt(N) relative (the issue's bound is 2%; the
 *   test asserts the derived one, and that it is below 2%).
 * - Call probability p from n caller requests: binomial, 4 sqrt(p(1-p)/n), plus calls whose caller's request
 *   straddles the range's edges (the rate times the caller's mean duration, ~25 calls, over n).
 * - Error rate e from n requests: 4 sqrt(e(1-e)/n) (the issue's: 0.2 points).
 * - Leaf latency p50/p90/p99 (the call as the caller sees it, summary.byService), held to the issue's 10%
 *   for every leaf, after checking that the derived bound is below it:
 *     4 · sqrt(2) · sqrt(p(1-p)/n) · dQ/dp / Q(p)   (each run's empirical quantile: binomial order statistic;
 *                                                    two independent runs, hence sqrt 2)
 *     + 2%  (DDSketch's 1% relative accuracy, once per run)
 *     + 2%  (the fit: on the law alone the right family places p50/p90/p99 within 0.5%,
 *            test/calibrate/fit.test.ts; the sidecar and network time inside every duration is taken off as
 *            a constant, not deconvolved, which this allows for).
 *   dQ/dp is the larger one-sided slope of the original service time's quantile function over
 *   p ± 4 sqrt(2) SE (a kink is where the bound is widest: orders' density drops 22-fold at its 15 ms p90, so
 *   dQ/dp is 22.5 ms below p90 and 500 ms above it), or the slope of the time outside the service
 *   (sidecars, network, queue), measured as recommendations' secants (its service time is constant, so its
 *   spread is that time's), whichever is larger. At the library file's 2 min (66,000 orders requests) the
 *   bound for orders' p90 is 23%, above 10%: hence the longer run, not a wider tolerance. The bound does
 *   not use the calibrated run, so it cannot be stretched to fit a result.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isSeq, parseDocument } from 'yaml';
import { runScenario, runScenarioWithTelemetry } from '../../src/experiment/index.js';
import type { RunSummary } from '../../src/metrics/index.js';
import { DEFAULT_METRICS_BASE_TIME_MS, openMetricsText } from '../../src/report/index.js';
import { loadScenarioFile, type Scenario } from '../../src/scenario/index.js';
import type { Distribution } from '../../src/des/index.js';
import { meshsim } from '../cli/spawn-meshsim.js';
import {
  type RunningPrometheus,
  promtool,
  requirePrometheus,
  startPrometheus,
} from '../helpers/prometheus.js';

const LIBRARY = 'scenarios/quickstart.yaml';
/** The library file's duration, lengthened (see the file comment). */
const DURATION = '15m';
let dir = '';
let prom: RunningPrometheus | undefined;
let original: Scenario;
let originalRun: RunSummary;
let calibrated: Scenario;
let calibratedRun: RunSummary;
let calibratedText = '';
let startMs = 0;
let endMs = 0;
let cliOut = { status: 0 as number | null, stdout: '', stderr: '' };

/** The quickstart with every value calibration owns replaced by a wrong placeholder. */
function skeleton(text: string): string {
  const doc = parseDocument(text);
  const services = doc.get('services');
  if (!isSeq(services)) throw new Error('no services');
  for (const s of services.items) {
    if (!isMap(s)) continue;
    s.set('serviceTime', '1ms');
    s.delete('errorRate');
    const calls = s.get('calls');
    if (isSeq(calls))
      for (const step of calls.items)
        for (const c of isSeq(step) ? step.items : [step]) if (isMap(c)) c.set('probability', 0.5);
  }
  const traffic = doc.get('traffic');
  if (isSeq(traffic))
    for (const t of traffic.items)
      if (isMap(t)) {
        t.set('rate', '1/s');
        t.delete('steps');
      }
  return doc.toString();
}

/** Requests the original's traffic sends in [from, to) ms: its rate and steps integrated. */
function expectedRequests(s: Scenario, from: number, to: number): number {
  let total = 0;
  for (const t of s.mesh.traffic) {
    const points = [{ atMs: 0, ratePerMs: t.ratePerMs }, ...t.steps];
    points.forEach((p, i) => {
      const next = points[i + 1]?.atMs ?? Infinity;
      const a = Math.max(from, p.atMs);
      const b = Math.min(to, next);
      if (b > a) total += (b - a) * p.ratePerMs;
    });
  }
  return total;
}

/** The quantile function of a scenario distribution (the quickstart leaves' kinds; others refused). */
function quantileOf(d: Distribution): (p: number) => number {
  switch (d.dist) {
    case 'constant':
      return () => d.value;
    case 'exponential':
      return (p) => -d.mean * Math.log1p(-p);
    case 'empirical': {
      // meshsim's law (src/des/distribution.ts): linear between (0,0) and the knots, exponential tail.
      const ps = [0, ...d.percentiles.map((k) => k[0])];
      const vs = [0, ...d.percentiles.map((k) => k[1])];
      const n = ps.length - 1;
      const at = (i: number) => [ps[i] as number, vs[i] as number] as const;
      const [pA, vA] = at(n - 1);
      const [pB, vB] = at(n);
      const tail = (vB - vA) / Math.log((1 - pA) / (1 - pB));
      return (p) => {
        if (p >= pB) return vB + tail * Math.log((1 - pB) / (1 - p));
        let i = 1;
        while ((ps[i] as number) <= p) i++;
        const [p0, v0] = at(i - 1);
        const [p1, v1] = at(i);
        return v0 + ((v1 - v0) * (p - p0)) / (p1 - p0);
      };
    }
    default:
      throw new Error(`quantileOf: ${d.dist} not needed by this test`);
  }
}

const LEVELS = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p99', 0.99],
] as const;

/** The derived relative tolerance of a leaf's quantile (see the file comment). */
function latencyTolerance(d: Distribution, p: number, n: number, q: number, outsideSlope: number): number {
  const Q = quantileOf(d);
  const se = Math.sqrt((p * (1 - p)) / n);
  const w = 4 * Math.SQRT2 * se;
  const slope = Math.max((Q(Math.min(p + w, 1 - 1e-9)) - Q(p)) / w, (Q(p) - Q(p - w)) / w, outsideSlope);
  return (4 * Math.SQRT2 * se * slope) / q + 0.02 + 0.02;
}

beforeAll(async () => {
  requirePrometheus();
  dir = await mkdtemp(join(tmpdir(), 'meshsim-calibrate-'));
  const libraryText = await readFile(LIBRARY, 'utf8');
  if (!/^duration: 2m$/m.test(libraryText)) throw new Error(`${LIBRARY}: expected duration: 2m`);
  const text = libraryText.replace(/^duration: 2m$/m, `duration: ${DURATION}`);
  await writeFile(join(dir, 'original.yaml'), text);
  const loaded = await loadScenarioFile(join(dir, 'original.yaml'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  original = loaded.scenario;
  const run = runScenarioWithTelemetry(original);
  originalRun = run.summary;
  await writeFile(join(dir, 'run.om.txt'), openMetricsText(run.telemetry));
  const blocks = promtool([
    'tsdb',
    'create-blocks-from',
    'openmetrics',
    join(dir, 'run.om.txt'),
    join(dir, 'data'),
  ]);
  if (blocks.code !== 0) throw new Error(blocks.stderr);
  prom = await startPrometheus(join(dir, 'data'));
  const t = run.telemetry;
  // The range: warm-up's end to the last sample before the run's end (whole windows).
  const windows = Math.floor((original.durationMs - original.warmupMs) / t.windowMs);
  startMs = t.startMs;
  endMs = t.startMs + windows * t.windowMs;
  const iso = (ms: number) => new Date(DEFAULT_METRICS_BASE_TIME_MS + ms).toISOString();
  await writeFile(join(dir, 'skeleton.yaml'), skeleton(text));
  cliOut = await meshsim([
    'calibrate',
    '--prometheus',
    prom.url,
    '--start',
    iso(startMs),
    '--end',
    iso(endMs),
    '--scenario',
    join(dir, 'skeleton.yaml'),
    '--save-queries',
    join(dir, 'answers.json'),
    '--out',
    join(dir, 'calibrated.yaml'),
  ]);
  if (cliOut.status !== 0) throw new Error(`calibrate failed: ${cliOut.stderr}`);
  calibratedText = await readFile(join(dir, 'calibrated.yaml'), 'utf8');
  const c = await loadScenarioFile(join(dir, 'calibrated.yaml'));
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  calibrated = c.scenario;
  calibratedRun = runScenario(calibrated);
}, 600_000);

afterAll(async () => {
  await prom?.stop();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

const service = (s: Scenario, name: string) => {
  const x = s.mesh.services.find((v) => v.name === name);
  if (x === undefined) throw new Error(`no ${name}`);
  return x;
};

describe('calibrate round trip through a real Prometheus', () => {
  it('meshsim calibrate reads the Prometheus, writes a valid scenario, and says what it assumed', () => {
    expect(cliOut.stdout).toMatch(
      /calibrated\.yaml: 4 services, traffic frontend-ingress|calibrated\.yaml: 4 services, traffic web/,
    );
    expect(calibratedText).toMatch(/# Calibrated by meshsim calibrate from http:\/\/127\.0\.0\.1:\d+/);
    expect(calibratedText).toMatch(/ASSUMED: queue wait is inside every measured duration/);
    expect(calibratedText).toMatch(
      /recommendations: probability 0\.\d+ = \d+ calls \/ \d+ requests that could make them/,
    );
    expect(calibratedText).toMatch(
      /catalog: .*\n.*\n.*serviceTime: a leaf: fitted to its destination-reporter durations/,
    );
  });

  it('entry rate within 4/sqrt(N) of the original’s mean rate over the range (≤ 2%)', () => {
    const n = expectedRequests(original, startMs, endMs);
    const tolerance = 4 / Math.sqrt(n);
    expect(tolerance).toBeLessThan(0.02);
    const rate = (calibrated.mesh.traffic[0]?.ratePerMs ?? 0) * (endMs - startMs);
    expect(Math.abs(rate / n - 1)).toBeLessThan(tolerance);
    // The clients' clusters, 60/40 in the original.
    const from = calibrated.mesh.traffic[0]?.from ?? [];
    expect(Math.abs((from.find((f) => f.cluster === 'us-east-1')?.weight ?? 0) - 0.6)).toBeLessThan(
      4 * Math.sqrt(0.24 / n),
    );
  });

  it('call probabilities within the binomial bound (≤ 0.02) of the original’s', () => {
    const calls = (s: Scenario) => service(s, 'frontend').calls.flat();
    const n = originalRun.byService.find((b) => b.service === 'frontend')?.requests ?? 0;
    for (const o of calls(original)) {
      const c = calls(calibrated).find((x) => x.service === o.service);
      const p = o.probability;
      const tolerance = 4 * Math.sqrt((p * (1 - p)) / n) + 25 / n;
      expect(tolerance).toBeLessThan(0.02);
      expect(Math.abs((c?.probability ?? -1) - p), o.service).toBeLessThan(tolerance);
    }
  });

  it('error rates within the binomial bound (≤ 0.2 points) of the original’s', () => {
    for (const o of original.mesh.services) {
      const n = originalRun.byService.find((b) => b.service === o.name)?.requests ?? 0;
      const e = Math.max(o.errorRate, 1 / n);
      const tolerance = 4 * Math.sqrt((e * (1 - e)) / n);
      expect(tolerance).toBeLessThan(0.002);
      expect(Math.abs(service(calibrated, o.name).errorRate - o.errorRate), o.name).toBeLessThan(tolerance);
    }
  });

  it('leaf latency p50/p90/p99 of the calibrated run within the issue’s 10% for every leaf, the derived bound below it', () => {
    const latency = (run: RunSummary, name: string) => {
      const l = run.byService.find((b) => b.service === name)?.latencyMs;
      if (l === undefined || l === null) throw new Error(`no ${name} latency in the summary`);
      return l;
    };
    // The time outside the service, from recommendations (constant service time): secants to the next quantile.
    const r = latency(originalRun, 'recommendations');
    const outside = {
      p50: (r.p90 - r.p50) / 0.4,
      p90: (r.p99 - r.p90) / 0.09,
      p99: (r.p999 - r.p99) / 0.009,
    };
    const seen: string[] = [];
    for (const name of ['catalog', 'orders', 'recommendations']) {
      const a = latency(originalRun, name);
      const b = latency(calibratedRun, name);
      for (const [q, p] of LEVELS) {
        const tolerance = latencyTolerance(service(original, name).serviceTime, p, a.count, a[q], outside[q]);
        const error = b[q] / a[q] - 1;
        seen.push(
          `${name} ${q}: ${b[q]} vs ${a[q]} (${(100 * error).toFixed(1)}%, bound ${(100 * tolerance).toFixed(1)}%)`,
        );
        expect(tolerance, `${name} ${q}: derived bound`).toBeLessThan(0.1);
        expect(Math.abs(error), `${name} ${q}: ${b[q]} vs ${a[q]}`).toBeLessThan(0.1);
      }
    }
    console.log(seen.join('\n'));
  });

  it('the saved answers give the same scenario offline (--from-json), byte for byte', async () => {
    const r = await meshsim([
      'calibrate',
      '--from-json',
      join(dir, 'answers.json'),
      '--scenario',
      join(dir, 'skeleton.yaml'),
      '--out',
      join(dir, 'again.yaml'),
    ]);
    expect(r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('note:'))).toEqual([]);
    expect(r.status).toBe(0);
    expect(await readFile(join(dir, 'again.yaml'), 'utf8')).toBe(calibratedText);
  }, 60_000);
});
