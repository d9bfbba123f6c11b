/**
 * Istio's standard metrics as a mesh of sidecars would have reported them: per window, per label set, the
 * counts and latency buckets behind `istio_requests_total` and `istio_request_duration_milliseconds`, and
 * the istiod series meshsim models (`pilot_xds_pushes`, `pilot_proxy_convergence_time`). Plain data out
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
 * Memory grows with windows times label sets, never with requests. The hot path does one Map lookup per
 * report and a scan of 19 bucket bounds.
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
  readonly counts: number[];
  /** Per window: sum of durations, ms. */
  readonly sumsMs: number[];
  /** Per window, `buckets.length + 1` counts (the last: above every bound), flattened. */
  readonly buckets: number[];
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
  /** Whether the model has a control plane to report. */
  readonly istiods: number;
  /** The simulation clock (control-plane events carry no time). */
  readonly now: () => number;
  /** Kubernetes namespace of every service (meshsim has one); default "default". */
  readonly namespace?: string;
}

interface SeriesCells {
  readonly meta: Omit<TelemetrySeries, 'counts' | 'sumsMs' | 'buckets'>;
  readonly counts: Float64Array;
  readonly sums: Float64Array;
  readonly buckets: Float64Array;
}

const B = ISTIO_DURATION_BUCKETS_MS.length + 1;
const CB = PILOT_CONVERGENCE_BUCKETS_S.length + 1;

function bucketOf(bounds: readonly number[], v: number): number {
  let i = 0;
  while (i < bounds.length && v > (bounds[i] as number)) i++;
  return i;
}

/** Records Istio's standard metrics per window; see the file comment for what each report means. */
export class IstioTelemetryRecorder implements MeshObserver {
  private readonly windows: number;
  private readonly namespace: string;
  private readonly workloads: TelemetryWorkload[] = [];
  private readonly workloadIds = new Map<string, number>();
  /** Workload id by endpoint id (ids are dense), -1 until first seen. */
  private readonly byEndpoint: number[] = [];
  /** Client workloads (a traffic source's clients, or the ingress gateway) by `traffic * clusters + cluster`. */
  private readonly clients: number[];
  /** Pair index by source workload, then destination key (see `cells`). */
  private readonly pairTable: (number[] | undefined)[] = [];
  /** Per pair, two maps (source and destination reporter) from code and flags to cells. */
  private readonly pairCells: Map<number, SeriesCells>[] = [];
  private readonly series: SeriesCells[] = [];
  private readonly pushes: Float64Array;
  private readonly convCounts: Float64Array;
  private readonly convSums: Float64Array;
  private readonly convBuckets: Float64Array;
  private lastWindow = 0;

  constructor(private readonly shape: TelemetryShape) {
    this.namespace = shape.namespace ?? 'default';
    this.windows = Math.max(1, Math.ceil((shape.endMs - shape.warmupMs) / shape.windowMs));
    this.clients = new Array<number>(shape.traffic.length * shape.clusters.length).fill(-1);
    this.pushes = new Float64Array(this.windows);
    this.convCounts = new Float64Array(this.windows);
    this.convSums = new Float64Array(this.windows);
    this.convBuckets = new Float64Array(this.windows * CB);
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
    const w = Math.floor((ms - this.shape.warmupMs) / this.shape.windowMs);
    if (w < 0 || w >= this.windows) throw new Error(`telemetry: ${ms} ms is outside the sampled windows`);
    if (w > this.lastWindow) this.lastWindow = w;
    return w;
  }

  private cells(
    reporter: 0 | 1,
    src: number,
    dst: number,
    service: number,
    code: number,
    flags: number,
  ): SeriesCells {
    // Small-integer keys only (no heap numbers, no strings per call): a (source, destination) table of
    // dense pair indexes, then per pair and reporter a map by code and flags. A call with no upstream host
    // is told apart by the service it addressed.
    const dstKey = dst >= 0 ? 2 * dst : 2 * service + 1;
    let row = this.pairTable[src];
    if (row === undefined) {
      row = [];
      this.pairTable[src] = row;
    }
    let pair = row[dstKey];
    if (pair === undefined) {
      pair = this.pairCells.length / 2;
      row[dstKey] = pair;
      this.pairCells.push(new Map(), new Map());
    }
    const byResponse = this.pairCells[pair * 2 + reporter] as Map<number, SeriesCells>;
    // Codes are below 1000 and flags fit 12 bits (response-flag.ts): the key stays a small integer.
    const k = code * 4096 + flags;
    let c = byResponse.get(k);
    if (c === undefined) {
      c = {
        meta: {
          reporter: reporter === 0 ? 'source' : 'destination',
          source: src,
          destination: dst,
          destinationService: this.shape.services[service] ?? `service-${service}`,
          responseCode: code,
          responseFlags: formatResponseFlags(flags),
        },
        counts: new Float64Array(this.windows),
        sums: new Float64Array(this.windows),
        buckets: new Float64Array(this.windows * B),
      };
      byResponse.set(k, c);
      this.series.push(c);
    }
    return c;
  }

  private add(c: SeriesCells, window: number, ms: number): void {
    c.counts[window] = (c.counts[window] as number) + 1;
    c.sums[window] = (c.sums[window] as number) + ms;
    const i = window * B + bucketOf(ISTIO_DURATION_BUCKETS_MS, ms);
    c.buckets[i] = (c.buckets[i] as number) + 1;
  }

  requestStarted(_r: Readonly<MeshRequest>): void {}
  requestCompleted(_r: Readonly<MeshRequest>): void {}

  callCompleted(call: Readonly<Call>): void {
    if (call.sentMs < this.shape.warmupMs) return;
    const window = this.windowOf(call.endMs);
    const from = call.source.endpoint;
    const src =
      from === undefined
        ? this.clientWorkload(call.request.traffic, call.source.cluster)
        : this.endpointWorkload(from);
    const to = call.endpoint;
    const dst = to === undefined ? -1 : this.endpointWorkload(to);
    const service = call.service.index;
    this.add(
      this.cells(0, src, dst, service, call.responseCode, call.responseFlags),
      window,
      call.endMs - call.sentMs,
    );
    if (to === undefined || call.arrivedMs < 0) return;
    const timedOut = (call.responseFlags & ResponseFlag.UT) !== 0;
    const code = timedOut ? 0 : call.responseCode;
    const flags = timedOut ? ResponseFlag.DC : call.responseFlags & ~SOURCE_ONLY_FLAGS;
    this.add(this.cells(1, src, dst, service, code, flags), window, call.endMs - call.arrivedMs);
  }

  converged(ms: number): void {
    const now = this.shape.now();
    if (this.shape.istiods === 0 || now - ms < this.shape.warmupMs) return;
    const w = this.windowOf(now);
    const s = ms / 1000;
    this.convCounts[w] = (this.convCounts[w] as number) + 1;
    this.convSums[w] = (this.convSums[w] as number) + s;
    const i = w * CB + bucketOf(PILOT_CONVERGENCE_BUCKETS_S, s);
    this.convBuckets[i] = (this.convBuckets[i] as number) + 1;
  }

  pushed(): void {
    const now = this.shape.now();
    if (this.shape.istiods === 0 || now < this.shape.warmupMs) return;
    const w = this.windowOf(now);
    this.pushes[w] = (this.pushes[w] as number) + 1;
  }

  staleProxies(_count: number, _nowMs: number): void {}
  podCreationRejected(): void {}
  certExpired(): void {}

  /** Label sets held (memory accounting: cells are this times windows). */
  get seriesCount(): number {
    return this.series.length;
  }

  /**
   * The record as plain data, windows up to the last with an event (at least up to `runEndMs`, the end of
   * arrivals), series in a stable order.
   */
  telemetry(runEndMs: number): IstioTelemetry {
    const runWindows = Math.ceil((runEndMs - this.shape.warmupMs) / this.shape.windowMs);
    const n = Math.min(this.windows, Math.max(runWindows, this.lastWindow + 1));
    const slice = (a: Float64Array, width = 1) => Array.from(a.subarray(0, n * width));
    const series = this.series
      .map((c): TelemetrySeries => ({
        ...c.meta,
        counts: slice(c.counts),
        sumsMs: slice(c.sums),
        buckets: slice(c.buckets, B),
      }))
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
        this.shape.istiods === 0
          ? null
          : {
              pushes: slice(this.pushes),
              convergenceBucketsS: PILOT_CONVERGENCE_BUCKETS_S,
              convergenceCounts: slice(this.convCounts),
              convergenceSumsS: slice(this.convSums),
              convergenceBuckets: slice(this.convBuckets, CB),
            },
    };
  }
}
