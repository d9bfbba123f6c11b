/**
 * Istio's standard metrics as a mesh of sidecars would have reported them: per window, per label set, the
 * counts and latency buckets behind `istio_requests_total` and `istio_request_duration_milliseconds`, and
 * the istiod series meshsim models (`pilot_xds_pushes`, `pilot_proxy_convergence_time`, `pilot_xds`). Plain data out
 * (`IstioTelemetry`); report/openmetrics.ts turns it into text.
 *
 * What each report means, and where it departs from a real mesh (said once here, and in the HELP lines):
 * - reporter="source": one sample per call, as the calling proxy (client sidecar or ingress gateway) saw
 *   its final response after retries, with Envoy's response flags; duration from send to final response.
 * - reporter="destination": the final attempt of a call that reached a replica, as its sidecar saw it:
 *   the replica's code, flags the server side can set only (a caller that timed out shows as code 0, DC,
 *   as Envoy logs a downstream reset). Earlier attempts of a retried call are not reported (meshsim keeps
 *   the final attempt only), and the duration runs to the caller's receipt (it includes the return hop).
 * - Windows are by completion time, as a proxy increments its counters when a response ends; calls sent in
 *   warm-up are left out, as the run summary leaves them out, so final counts equal the summary's.
 * - Sampling continues through the drain after the run's duration, so calls finishing then are counted.
 *
 * Memory grows with windows times label sets, never with requests. The hot path does array indexing per
 * report and a scan of the bucket bounds below the duration (see the class comment).
 */
import type { Call, Endpoint, MeshObserver, MeshRequest } from '../mesh/index.js';
import { formatResponseFlags, ResponseFlag } from '../mesh/index.js';

/**
 * Envoy's default histogram buckets, which Istio's sidecars use for `istio_request_duration_milliseconds`
 * unless `sidecar.istio.io/statsHistogramBuckets` overrides them (istio/istio pkg/bootstrap/config.go at
 * 86c9f01f): envoyproxy/envoy source/common/stats/histogram_impl.cc `HistogramSettingsImpl::defaultBuckets`
 * at 35db8c4732b26208ccab8ac8b9ebeda58b571f93.
 */
export const ISTIO_DURATION_BUCKETS_MS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
];

/** istio/istio pilot/pkg/xds/monitoring.go at 86c9f01f: `pilot_proxy_convergence_time` (seconds). */
export const PILOT_CONVERGENCE_BUCKETS_S: readonly number[] = [0.1, 0.5, 1, 3, 5, 10, 20, 30];

/** Flags only the calling proxy sets; the server's sidecar never reports them. */
const SOURCE_ONLY_FLAGS =
  ResponseFlag.UH |
  ResponseFlag.UF |
  ResponseFlag.UO |
  ResponseFlag.NR |
  ResponseFlag.URX |
  ResponseFlag.UT |
  ResponseFlag.NC |
  ResponseFlag.FI |
  ResponseFlag.DI;

/** A workload as Istio's labels name it. */
export interface TelemetryWorkload {
  /** Kubernetes workload (Deployment) name: the service, with `-<version>` when its pods carry one. */
  readonly workload: string;
  readonly namespace: string;
  readonly canonicalService: string;
  /** `service.istio.io/canonical-revision`: the version label, else Istio's default "latest". */
  readonly canonicalRevision: string;
  /** The `version` label, else "unknown" (as Istio's stats filter reports a missing label). */
  readonly version: string;
  readonly app: string;
  /** Istio's CLUSTER_ID. */
  readonly cluster: string;
  /** SPIFFE identity (service account named after the service). */
  readonly principal: string;
}

export interface TelemetrySeries {
  readonly reporter: 'source' | 'destination';
  /** Indexes into `IstioTelemetry.workloads`; -1: unknown (no upstream host was picked). */
  readonly source: number;
  readonly destination: number;
  /** The service the caller addressed (destination_service), by name. */
  readonly destinationService: string;
  readonly responseCode: number;
  readonly responseFlags: string;
  /** Per window: completions. */
  readonly counts: ArrayLike<number>;
  /** Per window: sum of durations, ms. */
  readonly sumsMs: ArrayLike<number>;
  /** Per window, `buckets.length + 1` counts (the last: above every bound), flattened. */
  readonly buckets: ArrayLike<number>;
}

export interface IstioTelemetry {
  /** Simulated time of the first sample (the end of warm-up): every counter is 0 there. */
  readonly startMs: number;
  readonly windowMs: number;
  /** Windows sampled; sample k (0..windows) is at `startMs + k * windowMs`. */
  readonly windows: number;
  readonly namespace: string;
  readonly durationBucketsMs: readonly number[];
  readonly workloads: readonly TelemetryWorkload[];
  readonly series: readonly TelemetrySeries[];
  readonly controlPlane: {
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
  } | null;
}

export interface TelemetryShape {
  readonly services: readonly string[];
  readonly clusters: readonly string[];
  /** Traffic sources: their name and whether clients come through the ingress gateway. */
  readonly traffic: readonly { readonly name: string; readonly via: 'direct' | 'ingress' }[];
  readonly warmupMs: number;
  /** When the simulation stops (duration plus drain): the last sample is at or after it. */
  readonly endMs: number;
  readonly windowMs: number;
  /** The model's istiods by server name (a cluster, or "external"); empty: no control plane to report. */
  readonly istiods: readonly string[];
  /** The simulation clock (control-plane events carry no time). */
  readonly now: () => number;
  /** Kubernetes namespace of every service (meshsim has one); default "default". */
  readonly namespace?: string;
}

const B = ISTIO_DURATION_BUCKETS_MS.length + 1;
const CB = PILOT_CONVERGENCE_BUCKETS_S.length + 1;
const BOUNDS = Float64Array.from(ISTIO_DURATION_BUCKETS_MS);
/** A cell key that no code and flags make (they make 0 .. 1000 * 4096). */
const NO_KEY = -1;

function bucketOf(bounds: ArrayLike<number>, v: number): number {
  let i = 0;
  while (i < bounds.length && v > (bounds[i] as number)) i++;
  return i;
}

/**
 * Records Istio's standard metrics per window; see the file comment for what each report means.
 *
 * Layout, so that a call costs a few array indexings and no string, hash or allocation: a label set (a
 * series) is resolved to a dense id once, then counted in one Float64Array holding every series' block
 * `[counts (W) | sums (W) | buckets (W x B)]` for W windows, grown by doubling when a new label set
 * appears. Ids: workloads by endpoint id (an array); a (source workload, destination) pair by a table of
 * small-integer arrays; per pair and reporter, the last (code, flags) seen and its series id (calls of a
 * pair nearly always end the same way), else a Map by `code * 4096 + flags`.
 */
export class IstioTelemetryRecorder implements MeshObserver {
  private readonly windows: number;
  private readonly namespace: string;
  private readonly warmupMs: number;
  private readonly windowMs: number;
  private readonly workloads: TelemetryWorkload[] = [];
  private readonly workloadIds = new Map<string, number>();
  /** Workload id by endpoint id (ids are dense), -1 until first seen. */
  private readonly byEndpoint: number[] = [];
  /** Client workloads (a traffic source's clients, or the ingress gateway) by `traffic * clusters + cluster`. */
  private readonly clients: number[];
  /** Pair index by source workload, then destination key (see `pairOf`). */
  private readonly pairTable: (number[] | undefined)[] = [];
  /** Per pair and reporter (`pair * 2 + reporter`): the last (code, flags) key, its series, and all. */
  private lastKey = new Int32Array(64).fill(NO_KEY);
  private lastSeries = new Int32Array(64);
  private readonly byResponse: Map<number, number>[] = [];
  /** Series metadata by id; cells in `cells` at `id * block`. */
  private readonly meta: Omit<TelemetrySeries, 'counts' | 'sumsMs' | 'buckets'>[] = [];
  private readonly block: number;
  private cells: Float64Array;
  private readonly pushes: Float64Array;
  private readonly convCounts: Float64Array;
  private readonly convSums: Float64Array;
  private readonly convBuckets: Float64Array;
  private lastWindow = 0;
  /** Per istiod (as `shape.istiods`): connected proxies now, and the samples taken so far. */
  private readonly xdsNow: number[];
  private readonly xdsSamples: Float64Array[];
  private xdsFilled = 0;

  constructor(private readonly shape: TelemetryShape) {
    this.namespace = shape.namespace ?? 'default';
    this.warmupMs = shape.warmupMs;
    this.windowMs = shape.windowMs;
    this.windows = Math.max(1, Math.ceil((shape.endMs - shape.warmupMs) / shape.windowMs));
    this.block = this.windows * (B + 2);
    this.cells = new Float64Array(this.block * 16);
    this.clients = new Array<number>(shape.traffic.length * shape.clusters.length).fill(-1);
    this.pushes = new Float64Array(this.windows);
    this.convCounts = new Float64Array(this.windows);
    this.convSums = new Float64Array(this.windows);
    this.convBuckets = new Float64Array(this.windows * CB);
    this.xdsNow = shape.istiods.map(() => 0);
    this.xdsSamples = shape.istiods.map(() => new Float64Array(this.windows + 1));
  }

  private workloadId(
    app: string,
    namespace: string,
    canonical: string,
    version: string | undefined,
    cluster: string,
  ): number {
    const workload = version === undefined ? app : `${app}-${version}`;
    const key = `${namespace}/${workload}/${cluster}`;
    const known = this.workloadIds.get(key);
    if (known !== undefined) return known;
    const id = this.workloads.length;
    this.workloads.push({
      workload,
      namespace,
      canonicalService: canonical,
      canonicalRevision: version ?? 'latest',
      version: version ?? 'unknown',
      app,
      cluster,
      principal: `spiffe://cluster.local/ns/${namespace}/sa/${app}`,
    });
    this.workloadIds.set(key, id);
    return id;
  }

  private endpointWorkload(e: Endpoint): number {
    const known = this.byEndpoint[e.id];
    if (known !== undefined) return known;
    const service = this.shape.services[e.service] ?? `service-${e.service}`;
    const id = this.workloadId(
      service,
      this.namespace,
      service,
      e.labels.version,
      this.shape.clusters[e.cluster] ?? `cluster-${e.cluster}`,
    );
    this.byEndpoint[e.id] = id;
    return id;
  }

  /** The caller of an entry call: the ingress gateway, or the traffic source's in-mesh client workload. */
  private clientWorkload(traffic: number, cluster: number): number {
    const slot = traffic * this.shape.clusters.length + cluster;
    const known = this.clients[slot] as number;
    if (known >= 0) return known;
    const t = this.shape.traffic[traffic];
    const clusterName = this.shape.clusters[cluster] ?? `cluster-${cluster}`;
    const name = t === undefined ? `traffic-${traffic}` : t.name;
    const id =
      t?.via === 'ingress'
        ? this.workloadId(
            'istio-ingressgateway',
            'istio-system',
            'istio-ingressgateway',
            undefined,
            clusterName,
          )
        : this.workloadId(name, this.namespace, name, undefined, clusterName);
    this.clients[slot] = id;
    return id;
  }

  private windowOf(ms: number): number {
    const w = Math.floor((ms - this.warmupMs) / this.windowMs);
    if (w < 0 || w >= this.windows) throw new Error(`telemetry: ${ms} ms is outside the sampled windows`);
    if (w > this.lastWindow) this.lastWindow = w;
    return w;
  }

  /**
   * The dense index of a (source workload, destination) pair. A call with no upstream host is told apart
   * by the service it addressed (odd keys), a call to a workload by that workload (even keys).
   */
  private pairOf(src: number, dstKey: number): number {
    let row = this.pairTable[src];
    if (row === undefined) {
      row = [];
      this.pairTable[src] = row;
    }
    const pair = row[dstKey];
    if (pair !== undefined) return pair;
    const id = this.byResponse.length / 2;
    row[dstKey] = id;
    this.byResponse.push(new Map(), new Map());
    if (this.lastKey.length < this.byResponse.length) {
      const keys = new Int32Array(this.lastKey.length * 2).fill(NO_KEY);
      keys.set(this.lastKey);
      this.lastKey = keys;
      const series = new Int32Array(this.lastSeries.length * 2);
      series.set(this.lastSeries);
      this.lastSeries = series;
    }
    return id;
  }

  /** The series id of a pair's report with this code and flags (created on first sight). */
  private seriesOf(
    slot: number,
    code: number,
    flags: number,
    src: number,
    dst: number,
    service: number,
  ): number {
    // Codes are below 1000 and flags fit 12 bits (response-flag.ts): the key stays a small integer.
    const k = code * 4096 + flags;
    if (this.lastKey[slot] === k) return this.lastSeries[slot] as number;
    const byResponse = this.byResponse[slot] as Map<number, number>;
    let id = byResponse.get(k);
    if (id === undefined) {
      id = this.meta.length;
      this.meta.push({
        reporter: (slot & 1) === 0 ? 'source' : 'destination',
        source: src,
        destination: dst,
        destinationService: this.shape.services[service] ?? `service-${service}`,
        responseCode: code,
        responseFlags: formatResponseFlags(flags),
      });
      if ((id + 1) * this.block > this.cells.length) {
        const grown = new Float64Array(this.cells.length * 2);
        grown.set(this.cells);
        this.cells = grown;
      }
      byResponse.set(k, id);
    }
    this.lastKey[slot] = k;
    this.lastSeries[slot] = id;
    return id;
  }

  private add(series: number, window: number, ms: number): void {
    const cells = this.cells;
    const w = this.windows;
    const base = series * this.block;
    cells[base + window] = (cells[base + window] as number) + 1;
    cells[base + w + window] = (cells[base + w + window] as number) + ms;
    const i = base + 2 * w + window * B + bucketOf(BOUNDS, ms);
    cells[i] = (cells[i] as number) + 1;
  }

  requestStarted(_r: Readonly<MeshRequest>): void {}
  requestCompleted(_r: Readonly<MeshRequest>): void {}

  callCompleted(call: Readonly<Call>): void {
    const sentMs = call.sentMs;
    if (sentMs < this.warmupMs) return;
    const endMs = call.endMs;
    const window = this.windowOf(endMs);
    const from = call.source.endpoint;
    const src =
      from === undefined
        ? this.clientWorkload(call.request.traffic, call.source.cluster)
        : this.endpointWorkload(from);
    const to = call.endpoint;
    const dst = to === undefined ? -1 : this.endpointWorkload(to);
    const service = call.service.index;
    const pair = this.pairOf(src, dst >= 0 ? 2 * dst : 2 * service + 1);
    const code = call.responseCode;
    const flags = call.responseFlags;
    this.add(this.seriesOf(pair * 2, code, flags, src, dst, service), window, endMs - sentMs);
    if (to === undefined || call.arrivedMs < 0) return;
    const timedOut = (flags & ResponseFlag.UT) !== 0;
    this.add(
      this.seriesOf(
        pair * 2 + 1,
        timedOut ? 0 : code,
        timedOut ? ResponseFlag.DC : flags & ~SOURCE_ONLY_FLAGS,
        src,
        dst,
        service,
      ),
      window,
      endMs - call.arrivedMs,
    );
  }

  /**
   * meshsim's own convergence (a change until its last proxy) is the run summary's figure, not istiod's
   * `pilot_proxy_convergence_time`: the export records that from pushed().
   */
  converged(): void {}

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
    if (this.shape.istiods.length === 0 || now < this.shape.warmupMs) return;
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
    while (this.xdsFilled <= this.windows && this.warmupMs + this.xdsFilled * this.windowMs < nowMs) {
      for (const [i, samples] of this.xdsSamples.entries())
        samples[this.xdsFilled] = this.xdsNow[i] as number;
      this.xdsFilled++;
    }
  }

  staleProxies(_count: number, _nowMs: number): void {}
  podCreationRejected(): void {}
  certExpired(): void {}

  /** Label sets held (memory accounting: cells are this times windows). */
  get seriesCount(): number {
    return this.meta.length;
  }

  /**
   * The record as plain data, windows up to the last with an event (at least up to `runEndMs`, the end of
   * arrivals), series in a stable order.
   */
  telemetry(runEndMs: number): IstioTelemetry {
    const runWindows = Math.ceil((runEndMs - this.shape.warmupMs) / this.shape.windowMs);
    const n = Math.min(this.windows, Math.max(runWindows, this.lastWindow + 1));
    const slice = (a: Float64Array, width = 1) => Array.from(a.subarray(0, n * width));
    // Samples up to the last one exported hold the counts at the end (nothing changed since).
    this.fillXds(Infinity);
    const w = this.windows;
    // Views on the cells, not copies: the record is read once, by the text writer.
    const series = this.meta
      .map((m, id): TelemetrySeries => {
        const base = id * this.block;
        return {
          ...m,
          counts: this.cells.subarray(base, base + n),
          sumsMs: this.cells.subarray(base + w, base + w + n),
          buckets: this.cells.subarray(base + 2 * w, base + 2 * w + n * B),
        };
      })
      .sort(
        (a, b) =>
          a.reporter.localeCompare(b.reporter) ||
          a.source - b.source ||
          a.destination - b.destination ||
          a.destinationService.localeCompare(b.destinationService) ||
          a.responseCode - b.responseCode ||
          a.responseFlags.localeCompare(b.responseFlags),
      );
    return {
      startMs: this.shape.warmupMs,
      windowMs: this.shape.windowMs,
      windows: n,
      namespace: this.namespace,
      durationBucketsMs: ISTIO_DURATION_BUCKETS_MS,
      workloads: this.workloads,
      series,
      controlPlane:
        this.shape.istiods.length === 0
          ? null
          : {
              pushes: slice(this.pushes),
              convergenceBucketsS: PILOT_CONVERGENCE_BUCKETS_S,
              convergenceCounts: slice(this.convCounts),
              convergenceSumsS: slice(this.convSums),
              convergenceBuckets: slice(this.convBuckets, CB),
              xdsClients: this.shape.istiods.map((istiod, i) => ({
                istiod,
                samples: (this.xdsSamples[i] as Float64Array).subarray(0, n + 1),
              })),
            },
    };
  }
}
