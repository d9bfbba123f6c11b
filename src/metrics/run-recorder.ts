/**
 * Records one run: implements the mesh's observer and keeps only streaming state (histograms, counters,
 * per-window and per-batch sums), so memory depends on the scenario's shape and duration, never on the
 * number of requests.
 *
 * A request belongs to the statistics when it starts after warm-up; it is counted once its final response
 * arrives, whenever that is.
 */
import type { Call, MeshObserver, MeshRequest } from '../mesh/index.js';
import { formatResponseFlags, isFailure } from '../mesh/index.js';
import type { RunSummary, WindowSummary } from './run-summary.js';
import { LogHistogram, batchMeansStandardError } from './stats/index.js';
import { Tally, round, summarize } from './tally.js';

export interface RecorderShape {
  /** istiods in the deployment model (0 when the scenario has no control plane to report). */
  readonly istiods: number;
  readonly clusters: readonly string[];
  readonly services: readonly string[];
  readonly traffic: readonly string[];
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly windowMs: number;
}

/** Batches for batch-means errors: 32 is in the 20-50 range that trades bias of the variance for its noise. */
export const BATCHES = 32;

export class RunRecorder implements MeshObserver {
  private started = 0;
  private readonly all: Tally;
  private readonly failedLatency = new LogHistogram(0.01);
  private readonly byCluster: Tally[];
  private readonly byTraffic: Tally[];
  private readonly byService: Tally[];
  private readonly queueBySvc: { hist: LogHistogram; sums: Float64Array; counts: Float64Array }[];
  private readonly windows: Tally[];
  private readonly matrix: Float64Array;
  private readonly responses = new Map<string, { code: number; flags: string; count: number }>();
  private readonly batchMs: number;
  private readonly convergence = new LogHistogram(0.01);
  private staleCount = 0;
  private staleSinceMs = 0;
  private staleProxyMs = 0;
  private pushes = 0;
  private rejectedPods = 0;
  private expiredCerts = 0;

  constructor(private readonly shape: RecorderShape) {
    const tallies = (n: number) => Array.from({ length: n }, () => new Tally(BATCHES));
    this.all = new Tally(BATCHES);
    this.byCluster = tallies(shape.clusters.length);
    this.byTraffic = tallies(shape.traffic.length);
    this.byService = tallies(shape.services.length);
    this.queueBySvc = shape.services.map(() => ({
      hist: new LogHistogram(0.01),
      sums: new Float64Array(BATCHES),
      counts: new Float64Array(BATCHES),
    }));
    this.windows = Array.from(
      { length: Math.ceil((shape.durationMs - shape.warmupMs) / shape.windowMs) },
      () => new Tally(0),
    );
    this.matrix = new Float64Array(shape.clusters.length ** 2);
    this.batchMs = (shape.durationMs - shape.warmupMs) / BATCHES;
  }

  requestStarted(request: Readonly<MeshRequest>): void {
    if (request.startMs >= this.shape.warmupMs) this.started++;
  }

  requestCompleted(r: Readonly<MeshRequest>): void {
    if (r.startMs < this.shape.warmupMs) return;
    const ok = !isFailure(r.responseCode);
    const latency = r.endMs - r.startMs;
    const since = r.startMs - this.shape.warmupMs;
    const batch = Math.floor(since / this.batchMs);
    this.all.add(ok, latency, batch);
    if (!ok) this.failedLatency.record(latency);
    (this.byCluster[r.clientCluster] as Tally).add(ok, latency, batch);
    (this.byTraffic[r.traffic] as Tally).add(ok, latency, batch);
    this.windows[Math.floor(since / this.shape.windowMs)]?.add(ok, latency, -1);
    const key = `${r.responseCode} ${r.responseFlags}`;
    const entry = this.responses.get(key);
    if (entry) entry.count++;
    else
      this.responses.set(key, {
        code: r.responseCode,
        flags: formatResponseFlags(r.responseFlags),
        count: 1,
      });
  }

  converged(ms: number): void {
    this.convergence.record(ms);
  }

  staleProxies(count: number, nowMs: number): void {
    this.integrateStale(nowMs);
    this.staleCount = count;
  }

  pushed(): void {
    this.pushes++;
  }

  podCreationRejected(): void {
    this.rejectedPods++;
  }

  certExpired(): void {
    this.expiredCerts++;
  }

  /** Stale proxy-time is counted after warm-up and up to the end of the run. */
  private integrateStale(nowMs: number): void {
    const from = Math.max(this.staleSinceMs, this.shape.warmupMs);
    const to = Math.min(nowMs, this.shape.durationMs);
    if (to > from) this.staleProxyMs += this.staleCount * (to - from);
    this.staleSinceMs = nowMs;
  }

  callCompleted(call: Readonly<Call>): void {
    if (call.sentMs < this.shape.warmupMs) return;
    const service = call.service.index;
    const ok = !isFailure(call.responseCode);
    const batch = Math.floor((call.sentMs - this.shape.warmupMs) / this.batchMs);
    (this.byService[service] as Tally).add(ok, call.endMs - call.sentMs, batch);
    const endpoint = call.endpoint;
    if (endpoint === undefined) return;
    const n = this.shape.clusters.length;
    this.matrix[call.source.cluster * n + endpoint.cluster] =
      (this.matrix[call.source.cluster * n + endpoint.cluster] as number) + 1;
    if (call.startedMs >= 0) {
      const wait = call.startedMs - call.arrivedMs;
      const q = this.queueBySvc[service];
      if (q !== undefined && wait >= 0) {
        q.hist.record(wait);
        if (batch < BATCHES) {
          q.sums[batch] = (q.sums[batch] as number) + wait;
          q.counts[batch] = (q.counts[batch] as number) + 1;
        }
      }
    }
  }

  summary(meta: {
    scenario: string;
    model?: string;
    seed: number;
    rerun: string;
    version: string;
  }): RunSummary {
    this.integrateStale(this.shape.durationMs);
    const all = this.all.breakdown();
    const c = this.convergence;
    const n = this.shape.clusters.length;
    return {
      scenario: meta.scenario,
      ...(meta.model === undefined ? {} : { model: meta.model }),
      seed: meta.seed,
      rerun: meta.rerun,
      meshsimVersion: meta.version,
      durationMs: this.shape.durationMs,
      warmupMs: this.shape.warmupMs,
      windowMs: this.shape.windowMs,
      requests: {
        total: this.started,
        succeeded: all.succeeded,
        failed: all.requests - all.succeeded,
        unfinished: this.started - all.requests,
      },
      availability: all.availability,
      latencyMs: all.latencyMs,
      failedLatencyMs: summarize(this.failedLatency, undefined),
      responses: [...this.responses.values()].sort(
        (a, b) => a.code - b.code || a.flags.localeCompare(b.flags),
      ),
      byCluster: this.shape.clusters.map((cluster, i) => ({
        cluster,
        ...(this.byCluster[i] as Tally).breakdown(),
      })),
      byTraffic: this.shape.traffic.map((traffic, i) => ({
        traffic,
        ...(this.byTraffic[i] as Tally).breakdown(),
      })),
      byService: this.shape.services.map((service, i) => {
        const q = this.queueBySvc[i] as { hist: LogHistogram; sums: Float64Array; counts: Float64Array };
        return {
          service,
          ...(this.byService[i] as Tally).breakdown(),
          queueMs: summarize(q.hist, batchMeansStandardError([...q.sums], [...q.counts])),
        };
      }),
      traffic: this.shape.clusters.flatMap((from, i) =>
        this.shape.clusters
          .map((to, j) => ({ from, to, requests: this.matrix[i * n + j] as number }))
          .filter((c) => c.requests > 0),
      ),
      ...(this.shape.istiods > 0
        ? {
            controlPlane: {
              istiods: this.shape.istiods,
              convergenceMs:
                c.count === 0
                  ? null
                  : {
                      p50: round(c.quantile(0.5) ?? 0, 3),
                      p99: round(c.quantile(0.99) ?? 0, 3),
                      max: round(c.max ?? 0, 3),
                    },
              staleProxySeconds: round(this.staleProxyMs / 1000, 3),
              pushes: this.pushes,
              rejectedPodCreations: this.rejectedPods,
              expiredCertProxies: this.expiredCerts,
            },
          }
        : {}),
      timeline: this.windows.map((w, i): WindowSummary => {
        const b = w.breakdown();
        const l = b.latencyMs;
        return {
          startMs: round(this.shape.warmupMs + i * this.shape.windowMs, 3),
          requests: b.requests,
          succeeded: b.succeeded,
          availability: b.availability,
          latencyMs: l === null ? null : { mean: l.mean, p50: l.p50, p99: l.p99 },
        };
      }),
    };
  }
}
