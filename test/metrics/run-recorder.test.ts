import { describe, expect, it } from 'vitest';
import { Engine, RngStreams } from '../../src/des/index.js';
import { Mesh, MeshRequest } from '../../src/mesh/index.js';
import {
  RecordBuffer,
  RunRecorder,
  type RecorderShape,
  type RecorderStateSize,
} from '../../src/metrics/index.js';
import { call, meshConfig, service, traffic } from '../helpers/mesh-config.js';

const SHAPE: RecorderShape = {
  istiods: 1,
  clusters: ['a', 'b'],
  services: ['api'],
  traffic: ['web'],
  warmupMs: 1000,
  durationMs: 21_000,
  windowMs: 10_000,
};

function request(r: RunRecorder, cluster: number, startMs: number, latencyMs: number, code: number): void {
  const m = new MeshRequest(0, 0, cluster, startMs, {}, '/');
  r.requestStarted(m);
  m.responseCode = code;
  m.endMs = startMs + latencyMs;
  r.requestCompleted(m);
}

const meta = { scenario: 's', seed: 1, rerun: '', version: '' };

describe('metrics/run-recorder', () => {
  it('summary() keeps failed latency apart and leaves warm-up requests out', () => {
    const r = new RunRecorder(SHAPE);
    request(r, 0, 500, 1, 200); // warm-up
    request(r, 0, 2000, 10, 200);
    request(r, 1, 3000, 20, 200);
    request(r, 1, 4000, 2, 503);
    const s = r.summary(meta);
    expect(s.requests).toEqual({ total: 3, succeeded: 2, failed: 1, unfinished: 0 });
    expect(s.latencyMs?.count).toBe(2);
    expect(s.failedLatencyMs?.count).toBe(1);
    expect(s.failedLatencyMs?.max).toBe(2);
    expect(s.byCluster.map((c) => [c.cluster, c.requests, c.failedLatencyMs?.count ?? 0])).toEqual([
      ['a', 1, 0],
      ['b', 2, 1],
    ]);
    expect(s.timeline[0]?.failedLatencyMs?.p50).toBe(2);
    expect(s.slo).toBeUndefined();
  });

  it('summary() with a latency SLO keeps availability as it is and reports within-SLO beside it', () => {
    const shape = { ...SHAPE, sloAvailability: 0.9 };
    const feed = (r: RunRecorder) => {
      // Window 1 (1 s to 11 s): 10 requests answered, one of them after the 15 ms deadline.
      for (let i = 0; i < 9; i++) request(r, 0, 2000 + i, 10, 200);
      request(r, 0, 2500, 30, 200);
      // Window 2 (11 s to 21 s): 2 requests, one failed: 50%, below the 90% objective.
      request(r, 0, 12_000, 10, 200);
      request(r, 0, 12_001, 10, 500);
    };
    const withDeadline = new RunRecorder({ ...shape, deadlineMs: 15 });
    const without = new RunRecorder(shape);
    feed(withDeadline);
    feed(without);
    const s = withDeadline.summary(meta);
    const plain = without.summary(meta);
    // The late answer is an answer: availability is the same with and without the latency objective.
    expect(s.availability).toBe(plain.availability);
    expect(s.availability).toBeCloseTo(11 / 12, 8);
    expect(s.requests).toEqual({
      total: 12,
      succeeded: 11,
      failed: 1,
      unfinished: 0,
      late: 1,
      withinSlo: 10,
    });
    expect(s.withinSlo).toBeCloseTo(10 / 12, 8);
    expect(plain.withinSlo).toBeUndefined();
    // Late answers are still latency.
    expect(s.latencyMs?.count).toBe(11);
    expect(s.byCluster[0]?.late).toBe(1);
    expect(s.byCluster[0]?.availability).toBe(plain.byCluster[0]?.availability);
    expect(s.byCluster[0]?.withinSloRequests).toBe(10);
    expect(s.timeline.map((w) => w.availability)).toEqual([1, 0.5]);
    expect(s.timeline.map((w) => w.withinSlo)).toEqual([0.9, 0.5]);
    // slo.availability is judged on availability, window by window.
    expect(s.timeline.map((w) => w.belowSlo)).toEqual([false, true]);
    expect(s.slo).toEqual({ availability: 0.9, deadlineMs: 15, windows: 2, violatingWindows: 1 });
  });

  it('a request is recorded once, in its cell: window and run-wide means are its own sums in arrival order', () => {
    const r = new RunRecorder(SHAPE);
    // Latencies whose sum depends on the order of addition (0.1 + 0.2 + 0.3 !== 0.3 + 0.2 + 0.1).
    const ms = [0.1, 0.2, 0.3, 1e-3, 7.7, 0.7];
    ms.forEach((x, i) => request(r, i % 2, 2000 + i, x, 200));
    request(r, 1, 2500, 4, 503);
    request(r, 0, 12_000, 3, 200);
    const s = r.summary(meta);
    let sum = 0;
    for (const x of ms) sum += x;
    expect(s.timeline[0]?.latencyMs?.mean).toBe(Math.round((sum / ms.length) * 1e4) / 1e4);
    expect(s.timeline.map((w) => [w.requests, w.succeeded])).toEqual([
      [7, 6],
      [1, 1],
    ]);
    expect(s.timeline[0]?.failedLatencyMs).toEqual({ mean: 4, p50: 4, p99: 4 });
    // Cells merge into the run-wide histogram: min and max exact, counts per cluster.
    expect(s.latencyMs).toMatchObject({ count: 7, min: 0.001, max: 7.7 });
    expect(s.byCluster.map((c) => c.latencyMs?.count)).toEqual([4, 3]);
  });

  it('summary() throws when a completed request has no cell (it started past the last window)', () => {
    const r = new RunRecorder(SHAPE);
    request(r, 0, 2000, 10, 200);
    request(r, 0, SHAPE.durationMs + 5, 10, 200);
    expect(() => r.summary(meta)).toThrow(/parts hold 1 answered/);
  });

  it('summary() leaves control-plane events of the warm-up out of the figures', () => {
    let now = 0;
    const r = new RunRecorder({ ...SHAPE, now: () => now });
    r.pushed();
    r.podCreationRejected();
    r.converged(100); // a change at 0 ms: warm-up
    now = 1500;
    r.converged(600); // a change at 900 ms: warm-up
    r.converged(400); // a change at 1100 ms
    r.pushed();
    r.staleProxies(2, 1500);
    r.staleProxies(0, 2500);
    r.endOfRun({ pendingChanges: 3 });
    expect(r.summary(meta).controlPlane).toEqual({
      istiods: 1,
      convergenceMs: { p50: 400, p99: 400, max: 400 },
      staleProxySeconds: 2,
      pushes: 1,
      rejectedPodCreations: 0,
      expiredCertProxies: 0,
      unconvergedChanges: 3,
    });
  });

  it('stateSize() grows with windows, not with requests (10x the rate, then 10x the time)', () => {
    const base = recorderState(200, 20);
    const tenTimesTheRate = recorderState(2000, 20);
    const tenTimesTheTime = recorderState(200, 200);
    expect(tenTimesTheRate.requests).toBeGreaterThan(9 * base.requests);
    expect(tenTimesTheTime.requests).toBeGreaterThan(9 * base.requests);
    // Same windows: the same cells, and histogram buckets bounded by the latency range, not the count.
    expect(tenTimesTheRate.size.windows).toBe(base.size.windows);
    expect(tenTimesTheRate.size.unitWindowCells).toBe(base.size.unitWindowCells);
    expect(tenTimesTheRate.size.histogramBuckets).toBeLessThan(1.5 * base.size.histogramBuckets);
    // 10x the windows: at most 10x the state (run-wide histograms do not grow with windows at all).
    expect(tenTimesTheTime.size.windows).toBe(10 * base.size.windows);
    expect(tenTimesTheTime.size.unitWindowCells).toBe(10 * base.size.unitWindowCells);
    expect(tenTimesTheTime.size.histogramBuckets).toBeLessThan(10 * base.size.histogramBuckets);
  });
});

/** Runs a two-cluster mesh at `ratePerSecond` for `seconds` with 2 s windows; its recorder's state size. */
function recorderState(
  ratePerSecond: number,
  seconds: number,
): { requests: number; size: RecorderStateSize } {
  const durationMs = seconds * 1000;
  const config = meshConfig(
    [
      service('front', {
        serviceTime: { dist: 'exponential', mean: 2 },
        calls: [[call('back')]],
        deployments: [
          { cluster: 'c1', zone: undefined, replicas: 2, labels: {} },
          { cluster: 'c2', zone: undefined, replicas: 2, labels: {} },
        ],
      }),
      service('back', { serviceTime: { dist: 'lognormal', median: 3, p99: 30 } }),
    ],
    [
      traffic('front', ratePerSecond, {
        from: [
          { cluster: 'c1', weight: 0.5 },
          { cluster: 'c2', weight: 0.5 },
        ],
      }),
    ],
    { sidecar: { latency: { dist: 'lognormal', median: 0.5, p99: 1.4 } } },
  );
  const engine = new Engine(4096);
  const buffer = new RecordBuffer(
    () =>
      new RunRecorder({
        istiods: 2,
        clusters: ['c1', 'c2'],
        services: ['front', 'back'],
        traffic: ['t'],
        warmupMs: 0,
        durationMs,
        windowMs: 2000,
        now: () => engine.now,
      }),
  );
  const mesh = new Mesh(engine, new RngStreams(3), config, buffer);
  mesh.start(durationMs);
  engine.run(durationMs + 10_000);
  const recorder = buffer.drained();
  return { requests: recorder.summary(meta).requests.total, size: recorder.stateSize() };
}
