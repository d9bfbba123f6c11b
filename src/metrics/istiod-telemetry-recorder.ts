/**
 * istiod's own series, where meshsim models the same thing as istiod measures (names, types and buckets
 * from istio/istio pilot/pkg/xds/monitoring.go at 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c):
 * `pilot_xds_pushes` (pushes per window), `pilot_proxy_convergence_time` (istiod's per-proxy push time)
 * and `pilot_xds` (connected proxies per istiod, sampled). Kept for the OpenMetrics export beside the
 * sidecars' metrics (istio-telemetry-recorder.ts), which owns the windows and forwards istiod's events.
 */
import type { TelemetryShape } from './istio-telemetry.js';

/** istio/istio pilot/pkg/xds/monitoring.go at 86c9f01f: `pilot_proxy_convergence_time` (seconds). */
export const PILOT_CONVERGENCE_BUCKETS_S: readonly number[] = [0.1, 0.5, 1, 3, 5, 10, 20, 30];

const CB = PILOT_CONVERGENCE_BUCKETS_S.length + 1;

export interface IstiodTelemetry {
  /** Per window: pushes to proxies (`pilot_xds_pushes{type="eds"}`). */
  readonly pushes: number[];
  readonly convergenceBucketsS: readonly number[];
  readonly convergenceCounts: number[];
  readonly convergenceSumsS: number[];
  /** Per window, `convergenceBucketsS.length + 1` counts, flattened. */
  readonly convergenceBuckets: number[];
  /**
   * istiod's `pilot_xds` gauge per istiod (its server: a cluster, or "external"): the proxies with an
   * xDS stream to it at each sample (`windows + 1` values, sample k at `startMs + k * windowMs`).
   */
  readonly xdsClients: readonly { readonly istiod: string; readonly samples: ArrayLike<number> }[];
}

function bucketOf(bounds: readonly number[], v: number): number {
  let i = 0;
  while (i < bounds.length && v > (bounds[i] as number)) i++;
  return i;
}

export class IstiodTelemetryRecorder {
  private readonly pushes: Float64Array;
  private readonly convCounts: Float64Array;
  private readonly convSums: Float64Array;
  private readonly convBuckets: Float64Array;
  /** Per istiod (as `shape.istiods`): connected proxies now, and the samples taken so far. */
  private readonly xdsNow: number[];
  private readonly xdsSamples: Float64Array[];
  private xdsFilled = 0;

  constructor(
    private readonly shape: TelemetryShape,
    private readonly windows: number,
    /** The window of a simulated time (the sidecar recorder's, which tracks the last one used). */
    private readonly windowOf: (ms: number) => number,
  ) {
    this.pushes = new Float64Array(windows);
    this.convCounts = new Float64Array(windows);
    this.convSums = new Float64Array(windows);
    this.convBuckets = new Float64Array(windows * CB);
    this.xdsNow = shape.istiods.map(() => 0);
    this.xdsSamples = shape.istiods.map(() => new Float64Array(windows + 1));
  }

  /**
   * One push to one proxy completed. `pilot_proxy_convergence_time` gets what istiod records there: one
   * observation per proxy per debounced push, from the push's start to this proxy's push (istio/istio
   * pilot/pkg/xds/ads.go at 86c9f01f, pushConnection: `time.Since(pushRequest.Start)`; Start set in
   * StartPush after debounce); initial pushes on connect record none. Not meshsim's summary convergence
   * (a change, debounce included, until the last proxy has it). Both counted when the push completes, as
   * a scrape after it would see them.
   */
  pushed(sinceStartMs: number | undefined): void {
    const now = this.shape.now();
    if (now < this.shape.warmupMs) return;
    const w = this.windowOf(now);
    this.pushes[w] = (this.pushes[w] as number) + 1;
    if (sinceStartMs === undefined) return;
    const s = sinceStartMs / 1000;
    this.convCounts[w] = (this.convCounts[w] as number) + 1;
    this.convSums[w] = (this.convSums[w] as number) + s;
    const i = w * CB + bucketOf(PILOT_CONVERGENCE_BUCKETS_S, s);
    this.convBuckets[i] = (this.convBuckets[i] as number) + 1;
  }

  /**
   * A gauge is sampled, not summed: sample k holds the count after every event at or before its time
   * (the mesh as built at time 0 included). Samples whose time has passed are filled with the count they
   * saw before this change is applied.
   */
  xdsClients(istiod: string, count: number): void {
    const i = this.shape.istiods.indexOf(istiod);
    if (i < 0) throw new Error(`telemetry: xDS clients of ${istiod}, not one of the model's istiods`);
    this.fillXds(this.shape.now());
    this.xdsNow[i] = count;
  }

  /** Fills every sample whose time is before `nowMs` with the current counts. */
  private fillXds(nowMs: number): void {
    const { warmupMs, windowMs } = this.shape;
    while (this.xdsFilled <= this.windows && warmupMs + this.xdsFilled * windowMs < nowMs) {
      for (const [i, samples] of this.xdsSamples.entries())
        samples[this.xdsFilled] = this.xdsNow[i] as number;
      this.xdsFilled++;
    }
  }

  /** The series as plain data, windows 0 .. n - 1 (samples 0 .. n). */
  telemetry(n: number): IstiodTelemetry {
    const slice = (a: Float64Array, width = 1) => Array.from(a.subarray(0, n * width));
    // Samples up to the last one exported hold the counts at the end (nothing changed since).
    this.fillXds(Infinity);
    return {
      pushes: slice(this.pushes),
      convergenceBucketsS: PILOT_CONVERGENCE_BUCKETS_S,
      convergenceCounts: slice(this.convCounts),
      convergenceSumsS: slice(this.convSums),
      convergenceBuckets: slice(this.convBuckets, CB),
      xdsClients: this.shape.istiods.map((istiod, i) => ({
        istiod,
        samples: (this.xdsSamples[i] as Float64Array).subarray(0, n + 1),
      })),
    };
  }
}
