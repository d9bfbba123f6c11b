/**
 * The round trip, end to end: a library scenario (scenarios/quickstart.yaml, its first model) is simulated
 * and exported as OpenMetrics; `promtool tsdb create-blocks-from openmetrics` loads it; a real Prometheus
 * serves it on 127.0.0.1; `meshsim calibrate` (the built CLI) queries that Prometheus's HTTP API and updates
 * a SKELETON of the scenario whose rates, probabilities, error rates and service times were all replaced
 * by wrong placeholders, so every calibrated value can only have come from the telemetry. The calibrated
 * scenario is then simulated with the same seed and compared with the original.
 *
 * Tolerances, derived from the run (about 62,000 client requests in the 100 s range, 15 s to 115 s; the
 * range ends on a sample so `increase()` needs no extrapolation) and the buckets:
 * - Entry rate: the count is Poisson, SD sqrt(N): 4 SDs = 4/sqrt(N) relative, 1.6% at N = 62,000 (the
 *   issue's bound is 2%; the test asserts the derived one, and that it is below 2%).
 * - Call probability p from n caller requests: binomial, 4 sqrt(p(1-p)/n), plus calls whose caller's request
 *   straddles the range's edges (the rate times the caller's mean duration, ~25 calls, over n): 0.008 for
 *   recommendations' 0.3 (the issue's bound: 0.02).
 * - Error rate e from n requests: 4 sqrt(e(1-e)/n) = 0.05 points for orders' 0.1% (the issue's: 0.2 points).
 * - Leaf latency (the call as the caller sees it, summary.byService): each run's quantile has a sampling SE of
 *   sqrt(p(1-p)/n)·dQ/dp — for catalog's exponential p99 at n = 62,000, 0.8% — plus DDSketch's 1% per
 *   run, plus the fit's own error (no larger than the empirical quantile's for the right family): together
 *   under 6% at 4 SEs, so the issue's 10% holds where the family is identifiable from the buckets
 *   (catalog: exponential; recommendations: a constant, all of it in the 1-5 ms bucket, recovered from the
 *   exact mean). Orders' service time is an empirical law with a knot at 15 ms inside Istio's (10, 25] ms
 *   bucket: every distribution with the same bucket masses is equally likely, so no fit can place its p90
 *   inside that bucket better than the bucket itself (test/calibrate/fit.test.ts shows it on the law alone).
 *   For orders the derived tolerance is therefore the Istio bucket holding the original quantile.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isSeq, parseDocument } from 'yaml';
import { runScenario, runScenarioWithTelemetry } from '../../src/experiment/index.js';
import type { RunSummary } from '../../src/metrics/index.js';
import { ISTIO_DURATION_BUCKETS_MS } from '../../src/metrics/index.js';
import { DEFAULT_METRICS_BASE_TIME_MS, openMetricsText } from '../../src/report/index.js';
import { loadScenarioFile, type Scenario } from '../../src/scenario/index.js';
import { meshsim } from '../cli/spawn-meshsim.js';
import {
  type RunningPrometheus,
  promtool,
  requirePrometheus,
  startPrometheus,
} from '../helpers/prometheus.js';

const LIBRARY = 'scenarios/quickstart.yaml';
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

function bucketOf(v: number): [number, number] {
  let lo = 0;
  for (const b of ISTIO_DURATION_BUCKETS_MS) {
    if (v <= b) return [lo, b];
    lo = b;
  }
  return [lo, Infinity];
}

beforeAll(async () => {
  requirePrometheus();
  const loaded = await loadScenarioFile(LIBRARY);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  original = loaded.scenario;
  const run = runScenarioWithTelemetry(original);
  originalRun = run.summary;
  dir = await mkdtemp(join(tmpdir(), 'meshsim-calibrate-'));
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
  await writeFile(join(dir, 'skeleton.yaml'), skeleton(await readFile(LIBRARY, 'utf8')));
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
}, 300_000);

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

  it('leaf latency p50/p90/p99 of the calibrated run: within 10% where the buckets identify the law, within the Istio bucket where they cannot', () => {
    const leaves = { catalog: 'identified', recommendations: 'identified', orders: 'bucket' } as const;
    for (const [name, rule] of Object.entries(leaves)) {
      const a = originalRun.byService.find((b) => b.service === name)?.latencyMs;
      const b = calibratedRun.byService.find((x) => x.service === name)?.latencyMs;
      for (const q of ['p50', 'p90', 'p99'] as const) {
        const want = a?.[q] ?? NaN;
        const got = b?.[q] ?? NaN;
        if (rule === 'identified')
          expect(Math.abs(got / want - 1), `${name} ${q}: ${got} vs ${want}`).toBeLessThan(0.1);
        else expect(bucketOf(got), `${name} ${q}: ${got} vs ${want}`).toEqual(bucketOf(want));
      }
    }
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
