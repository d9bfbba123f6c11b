/**
 * Istio's standard metrics as a mesh of sidecars would have reported them: per window, per label set, the
 * counts and latency buckets behind `istio_requests_total` and `istio_request_duration_milliseconds`, and
 * (istiod-telemetry-recorder.ts) the istiod series meshsim models. Plain data out (`IstioTelemetry`);
 * report/openmetrics.ts turns it into text.
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
 * report and a table lookup of the duration's bucket (a scan of the bounds above 1 s; see the class comment).
 */
import type { Endpoint } from '../mesh/index.js';
import { formatResponseFlags, ResponseFlag } from '../mesh/index.js';
import type {
  IstioTelemetry,
  TelemetrySeries,
  TelemetryShape,
  TelemetryWorkload,
} from './istio-telemetry.js';
import { IstiodTelemetryRecorder } from './istiod-telemetry-recorder.js';
import type { CallRecord, RecordSink } from './record-buffer.js';

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

const B = ISTIO_DURATION_BUCKETS_MS.length + 1;
/** Cells per series and window: the sum of durations, then the B bucket counts (the count is their total). */
const STRIDE = B + 1;
/** A (code, flags) key that no call makes (they make 0 .. 1000 * 4096). */
const NO_KEY = -1;

/**
 * The pair table's fields, side by side per slot (`slot * PAIR_FIELDS + field`) in one Int32Array: a call
 * whose lookups hit reads one array and, usually, one cache line for its pair. As six arrays (three by slot,
 * three by pair id) the hot path loaded six arrays' bounds and touched six lines (callgrind, the bench mesh:
 * ~8 L1 data misses a call in the telemetry's callCompleted).
 */
const PAIR_SRC = 0; // source workload, -1: the slot is empty
const PAIR_DST = 1; // destination key (see pairOf)
const PAIR_ID = 2; // dense pair id (byResponse's index)
const PAIR_KEY = 3; // the pair's last outcome, `code * 4096 + flags`, or NO_KEY
const PAIR_SOURCE_AT = 4; // where the source reporter's series of that outcome starts in `cells`
const PAIR_DESTINATION_AT = 5; // the destination reporter's, -1 until a call of that outcome arrives
/** A power of two, so that a slot never straddles more of a cache line than it must (32 bytes). */
const PAIR_FIELDS = 8;

/**
 * Istio's bucket of durations up to 1 s by `ceil(2 * ms)`: every bound up to 1000 is a multiple of 0.5, so
 * each interval ((k - 1) / 2, k / 2] lies in one bucket and the table gives exactly what a scan of the
 * bounds (`v > bound` moves on) gives; doubling a float is exact. 2,001 bytes; a call rarely takes longer.
 */
const TABLE_MS = 1000;
const BUCKET_BY_HALF_MS = Int8Array.from({ length: 2 * TABLE_MS + 1 }, (_, k) => scanBucket(k / 2, 0));
/** The first bound above the table's range. */
const FIRST_ABOVE_TABLE = scanBucket(TABLE_MS, 0) + 1;

function scanBucket(v: number, from: number): number {
  let i = from;
  while (i < ISTIO_DURATION_BUCKETS_MS.length && v > (ISTIO_DURATION_BUCKETS_MS[i] as number)) i++;
  return i;
}

/**
 * The bucket of a duration (`B - 1`: above every bound; NaN in bucket 0, as a scan puts it), by `table`
 * (`BUCKET_BY_HALF_MS`, passed in: the hot path reads it from a field, as V8 reads a module binding with
 * checks). A table index for every `ms` in [0, TABLE_MS]; -0.5 < ms < 0 indexes 0 (-0), whose bucket 0 is
 * also theirs; NaN fails `i >= 0`.
 */
function bucketOf(table: Int8Array, ms: number): number {
  const i = Math.ceil(2 * ms);
  return i >= 0 && i < table.length ? (table[i] as number) : ms > 0 ? scanBucket(ms, FIRST_ABOVE_TABLE) : 0;
}

/** The bucket of a duration (`B - 1`: above every bound; NaN in bucket 0, as a scan puts it). */
export function durationBucket(ms: number): number {
  return bucketOf(BUCKET_BY_HALF_MS, ms);
}

/**
 * Two kinds of names whose `localeCompare` order is their UTF-16 code-unit order: lowercase DNS-label
 * names (services, the reporters), and response flags (uppercase codes joined by commas, or "-" alone).
 * Within each kind, ICU's root collation (and en's) ranks punctuation < digits < letters as their code
 * units do, ranks letters and digits as ASCII does, and finds no case or accent difference for its later
 * levels to weigh. Not across kinds ('a' < 'B' for ICU), and not '-' against ',' at one position (ICU puts
 * '-' first, code units ','): no flags name has either.
 */
const LOWER_NAME = /^[a-z0-9-]*$/;
const FLAGS_NAME = /^(?:-|[A-Z][A-Z,]*)$/;

/**
 * `a.localeCompare(b, 'en')`, by code units when both are names of one such kind: the export's order is
 * unchanged, and a run that sorts only such names never sets up ICU's collator (tens of millions of
 * instructions, once per process: a share of what recording adds to `run --openmetrics`).
 */
function textOrder(a: string, b: string): number {
  if ((LOWER_NAME.test(a) && LOWER_NAME.test(b)) || (FLAGS_NAME.test(a) && FLAGS_NAME.test(b)))
    return a < b ? -1 : a > b ? 1 : 0;
  return a.localeCompare(b, 'en');
}

/** Int32Array `a` grown (by doubling) to hold index `i`, new slots `fill`. */
function grownTo(a: Int32Array<ArrayBuffer>, i: number, fill: number): Int32Array<ArrayBuffer> {
  if (i < a.length) return a;
  let n = a.length * 2;
  while (n <= i) n *= 2;
  const g = new Int32Array(n).fill(fill);
  g.set(a);
  return g;
}

/** A pair table of `slots` empty slots. */
function emptyPairTable(slots: number): Int32Array<ArrayBuffer> {
  const t = new Int32Array(slots * PAIR_FIELDS);
  for (let at = 0; at < t.length; at += PAIR_FIELDS) t[at + PAIR_SRC] = -1;
  return t;
}

/** The first slot a pair probes in a table of `mask + 1` slots. */
function pairHash(src: number, dstKey: number, mask: number): number {
  return (Math.imul(src, 0x9e3779b1) ^ Math.imul(dstKey, 0x85ebca77)) & mask;
}

/**
 * Records Istio's standard metrics per window; see the file comment for what each report means.
 *
 * Layout, so that a call costs a few typed-array reads and two stores per report, no string, hash or
 * allocation: a label set (a series) has a dense id, its cells in one Float64Array at `id * block`, per
 * window `[sum | B buckets]` side by side (the window's count is its buckets' total, summed once at the
 * end), grown by doubling when a new label set appears. A call resolves to its series in steps that each
 * cost an array read: endpoint id to workload id (an Int32Array), (source workload, destination) to a pair
 * (an open-addressing table of ints: memory grows with the pairs that occur, not with their square), and
 * per pair its last outcome (code, flags) with both reporters' series (calls of a pair nearly always end
 * the same way); a Map by `code * 4096 + flags` only when the outcome changes.
 */
export class IstioTelemetryRecorder implements RecordSink {
  private readonly windows: number;
  private readonly namespace: string;
  private readonly warmupMs: number;
  private readonly windowMs: number;
  private readonly workloads: TelemetryWorkload[] = [];
  private readonly workloadIds = new Map<string, number>();
  /** Workload id by endpoint id (ids are dense), -1 until first seen. */
  private byEndpoint = new Int32Array(64).fill(-1);
  /** Client workloads (a traffic source's clients, or the ingress gateway) by `traffic * clusters + cluster`. */
  private readonly clients: Int32Array;
  /** `shape.clusters.length`: the stride of `clients`. */
  private readonly clusterCount: number;
  /**
   * Pair table (open addressing, linear probing), `PAIR_FIELDS` per slot: the pair (source workload,
   * destination key), its id, its last outcome and where that outcome's series start in `cells`.
   */
  private pairTable = emptyPairTable(256);
  private pairs = 0;
  /** Per pair and reporter (`pair * 2 + reporter`): series by (code, flags) key. */
  private readonly byResponse: Map<number, number>[] = [];
  /** Series metadata by id; cells in `cells` at `id * block`. */
  private readonly meta: Omit<TelemetrySeries, 'counts' | 'sumsMs' | 'buckets'>[] = [];
  private readonly block: number;
  private cells: Float64Array;
  private readonly bucketByHalfMs = BUCKET_BY_HALF_MS;
  /**
   * `STRIDE`, which the hot path reads from this field: a small-integer field is one load, a module
   * constant a load from the module's context and a check.
   */
  private readonly stride = STRIDE;
  /**
   * The last window istiod's series recorded in; the calls' last is read from `cells` at the end (a store
   * per call here deoptimized the hot path once a long run was under way).
   */
  private lastWindow = 0;
  /** istiod's series, when the model has istiods. */
  private readonly istiod: IstiodTelemetryRecorder | undefined;

  constructor(private readonly shape: TelemetryShape) {
    this.namespace = shape.namespace;
    this.warmupMs = shape.warmupMs;
    this.windowMs = shape.windowMs;
    this.windows = Math.max(1, Math.ceil((shape.endMs - shape.warmupMs) / shape.windowMs));
    this.block = this.windows * STRIDE;
    this.cells = new Float64Array(this.block * 16);
    this.clusterCount = shape.clusters.length;
    this.clients = new Int32Array(shape.traffic.length * shape.clusters.length).fill(-1);
    this.istiod =
      shape.istiods.length === 0
        ? undefined
        : new IstiodTelemetryRecorder(shape, this.windows, (ms) => this.windowOf(ms));
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
    const known = e.id < this.byEndpoint.length ? (this.byEndpoint[e.id] as number) : -1;
    if (known >= 0) return known;
    const service = this.shape.services[e.service] ?? `service-${e.service}`;
    const id = this.workloadId(
      service,
      this.namespace,
      service,
      e.labels.version,
      this.shape.clusters[e.cluster] ?? `cluster-${e.cluster}`,
    );
    this.byEndpoint = grownTo(this.byEndpoint, e.id, -1);
    this.byEndpoint[e.id] = id;
    return id;
  }

  /**
   * The source workload of a call whose source is not known yet (a client's, or a new replica's). Its own
   * method, reading the call again: property reads that the hot path rarely makes deoptimized it when first
   * made there (V8 had no type feedback for them).
   */
  private sourceWorkload(call: Readonly<CallRecord>): number {
    const from = call.source.endpoint;
    return from === undefined
      ? this.clientWorkload(call.traffic, call.source.cluster)
      : this.endpointWorkload(from);
  }

  /** The caller of an entry call: the ingress gateway, or the traffic source's in-mesh client workload. */
  private clientWorkload(traffic: number, cluster: number): number {
    const slot = traffic * this.shape.clusters.length + cluster;
    const known = this.clients[slot] as number;
    return known >= 0 ? known : this.newClient(slot, traffic, cluster);
  }

  /**
   * A client workload first seen, in `clients[slot]`. Its own method, as `addPair`: `clientWorkload` is
   * inlined in `callCompleted` (every entry call takes it), and this path is taken once per client.
   */
  private newClient(slot: number, traffic: number, cluster: number): number {
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
   * Where a (source workload, destination) pair's slot starts in `pairTable`. A call with no upstream host
   * is told apart by the service it addressed (odd keys), a call to a workload by that workload (even keys).
   * Valid until the next pair is added (a rehash moves the slots).
   */
  private pairOf(src: number, dstKey: number): number {
    const t = this.pairTable;
    const mask = t.length / PAIR_FIELDS - 1;
    let slot = pairHash(src, dstKey, mask);
    for (;;) {
      const at = slot * PAIR_FIELDS;
      const s = t[at + PAIR_SRC] as number;
      if (s === src && t[at + PAIR_DST] === dstKey) return at;
      if (s < 0) break;
      slot = (slot + 1) & mask;
    }
    return this.addPair(slot, src, dstKey);
  }

  /**
   * A new pair in the free `slot` `pairOf` found; where its slot starts. Its own method: inlined in
   * `pairOf`, and so in `callCompleted`, its allocations made V8's compile of the hot path larger, for a
   * path taken once per pair.
   */
  private addPair(slot: number, src: number, dstKey: number): number {
    const id = this.pairs++;
    const t = this.pairTable;
    const at = slot * PAIR_FIELDS;
    t[at + PAIR_SRC] = src;
    t[at + PAIR_DST] = dstKey;
    t[at + PAIR_ID] = id;
    t[at + PAIR_KEY] = NO_KEY;
    this.byResponse.push(new Map(), new Map());
    // Kept at most half full, so a probe stays short.
    if (2 * this.pairs <= t.length / PAIR_FIELDS) return at;
    this.rehashPairs();
    return this.pairOf(src, dstKey);
  }

  /** The pair table at twice its slots, every pair's fields moved whole to its slot there. */
  private rehashPairs(): void {
    const old = this.pairTable;
    const t = emptyPairTable((2 * old.length) / PAIR_FIELDS);
    const mask = t.length / PAIR_FIELDS - 1;
    for (let from = 0; from < old.length; from += PAIR_FIELDS) {
      const s = old[from + PAIR_SRC] as number;
      if (s < 0) continue;
      let slot = pairHash(s, old[from + PAIR_DST] as number, mask);
      while ((t[slot * PAIR_FIELDS + PAIR_SRC] as number) >= 0) slot = (slot + 1) & mask;
      t.set(old.subarray(from, from + PAIR_FIELDS), slot * PAIR_FIELDS);
    }
    this.pairTable = t;
  }

  /** The series id of a pair's report (`reporter` 0: source, 1: destination) with this code and flags. */
  private seriesOf(
    pair: number,
    reporter: 0 | 1,
    code: number,
    flags: number,
    src: number,
    dst: number,
    service: number,
  ): number {
    // Codes are below 1000 and flags fit 12 bits (response-flag.ts): the key stays a small integer.
    const k = code * 4096 + flags;
    const byResponse = this.byResponse[pair * 2 + reporter] as Map<number, number>;
    let id = byResponse.get(k);
    if (id === undefined) {
      id = this.meta.length;
      this.meta.push({
        reporter: reporter === 0 ? 'source' : 'destination',
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
    return id;
  }

  /**
   * The pair at `at` in `pairTable` (a new series never moves it) has a new outcome: both reporters'
   * series for it (the destination's -1 until a call arrives).
   */
  private outcomeOf(at: number, code: number, flags: number, src: number, dst: number, service: number) {
    const t = this.pairTable;
    const pair = t[at + PAIR_ID] as number;
    t[at + PAIR_KEY] = code * 4096 + flags;
    t[at + PAIR_SOURCE_AT] = this.seriesOf(pair, 0, code, flags, src, dst, service) * this.block;
    t[at + PAIR_DESTINATION_AT] = -1;
  }

  /**
   * Where the destination reporter's series of a pair's last outcome starts in `cells`: the replica's code,
   * server-side flags.
   */
  private destinationAt(at: number, code: number, flags: number, src: number, dst: number, service: number) {
    const t = this.pairTable;
    const timedOut = (flags & ResponseFlag.UT) !== 0;
    const id = this.seriesOf(
      t[at + PAIR_ID] as number,
      1,
      timedOut ? 0 : code,
      timedOut ? ResponseFlag.DC : flags & ~SOURCE_ONLY_FLAGS,
      src,
      dst,
      service,
    );
    const d = id * this.block;
    t[at + PAIR_DESTINATION_AT] = d;
    return d;
  }

  requestStarted(): void {}
  requestCompleted(): void {}

  /**
   * A call's two reports. The common case, every lookup a hit (the call's workloads and pair known, its
   * outcome its pair's last, durations in the bucket table), is done here with no call at all, so that
   * V8 checks `this` and each array once: a call on any branch, even one never taken, made it check them
   * again after the branches met (~445 instructions a call, callgrind, the bench mesh). Anything else goes
   * to `record`, which does the same writes the general way; nothing is written before that choice.
   */
  callCompleted(call: Readonly<CallRecord>): void {
    const sentMs = call.sentMs;
    if (sentMs < this.warmupMs) return;
    const endMs = call.endMs;
    const arrivedMs = call.arrivedMs;
    const to = call.endpoint;
    const proxy = call.source;
    const from = proxy.endpoint;
    // `| 0` on sums and products of small integers here (codes below 1000, offsets: far below 2^31):
    // TurboFan then adds and multiplies without checking for overflow (and the window's product for -0),
    // ~20 instructions a call (callgrind, the bench mesh: 919 -> 855 a request).
    const key = (call.responseCode * 4096 + call.responseFlags) | 0;
    const w = Math.floor((endMs - this.warmupMs) / this.windowMs);
    if (to === undefined || !(w >= 0 && w < this.windows)) return this.record(call);
    const byEndpoint = this.byEndpoint;
    const n = byEndpoint.length;
    const src =
      from === undefined
        ? (this.clients[call.traffic * this.clusterCount + proxy.cluster] ?? -1)
        : from.id < n
          ? (byEndpoint[from.id] as number)
          : -1;
    const dst = to.id < n ? (byEndpoint[to.id] as number) : -1;
    if (src < 0 || dst < 0) return this.record(call);
    // pairOf's probe, without adding. The pair table's layout is written out here (PAIR_FIELDS 8, PAIR_SRC
    // 0, PAIR_DST 1, PAIR_KEY 3, PAIR_SOURCE_AT 4, PAIR_DESTINATION_AT 5): TurboFan loads a module constant
    // from the module's context and checks it is a small integer at each use (~6 instructions; seven uses
    // here cost more than the six arrays this table replaced, callgrind, the bench mesh). `last` is the
    // last slot's offset, which is also the mask of a slot's offset: the slots are a power of two.
    const t = this.pairTable;
    const last = t.length - 8;
    const dstKey = (2 * dst) | 0;
    let at = ((Math.imul(src, 0x9e3779b1) ^ Math.imul(dstKey, 0x85ebca77)) << 3) & last;
    for (;;) {
      const s = t[at] as number;
      if (s === src && t[(at + 1) | 0] === dstKey) break;
      if (s < 0) return this.record(call);
      at = (at + 8) & last;
    }
    if (t[(at + 3) | 0] !== key) return this.record(call);
    const table = this.bucketByHalfMs;
    const ms = endMs - sentMs;
    const i = Math.ceil(2 * ms);
    if (!(i >= 0 && i < table.length)) return this.record(call);
    const served = endMs - arrivedMs;
    let d = -1;
    let j = 0;
    if (arrivedMs >= 0) {
      d = t[(at + 5) | 0] as number;
      j = Math.ceil(2 * served);
      if (d < 0 || !(j >= 0 && j < table.length)) return this.record(call);
    }
    const cells = this.cells;
    // `w | 0`: w is a whole number in [0, windows) here (or -0, the same cell).
    const window = Math.imul(w | 0, this.stride);
    let c = ((t[(at + 4) | 0] as number) + window) | 0;
    cells[c] = (cells[c] as number) + ms;
    c = (c + 1 + (table[i] as number)) | 0;
    cells[c] = (cells[c] as number) + 1;
    if (d < 0) return;
    c = (d + window) | 0;
    cells[c] = (cells[c] as number) + served;
    c = (c + 1 + (table[j] as number)) | 0;
    cells[c] = (cells[c] as number) + 1;
  }

  /** `callCompleted` the general way: any call, first lookups and new series included. */
  private record(call: Readonly<CallRecord>): void {
    const sentMs = call.sentMs;
    // Every field read once, before any call (each call after a read makes V8 check the object's map again).
    const endMs = call.endMs;
    const arrivedMs = call.arrivedMs;
    const code = call.responseCode;
    const flags = call.responseFlags;
    const to = call.endpoint;
    const proxy = call.source;
    const from = proxy.endpoint;
    const service = call.service.index;
    const w = Math.floor((endMs - this.warmupMs) / this.windowMs);
    if (!(w >= 0 && w < this.windows))
      throw new Error(`telemetry: ${endMs} ms is outside the sampled windows`);
    const byEndpoint = this.byEndpoint;
    // Workload ids are numbered in the order first seen (the export's order): source before destination.
    let src = from === undefined || from.id >= byEndpoint.length ? -1 : (byEndpoint[from.id] as number);
    if (src < 0) src = this.sourceWorkload(call);
    let dst = -1;
    if (to !== undefined) {
      // Read again: a new source's workload (sourceWorkload) may have grown `byEndpoint`.
      const ids = this.byEndpoint;
      dst = to.id < ids.length ? (ids[to.id] as number) : -1;
      if (dst < 0) dst = this.endpointWorkload(to);
    }
    const pair = this.pairOf(src, dst >= 0 ? 2 * dst : 2 * service + 1);
    const key = code * 4096 + flags;
    // pairTable is read again after each call that may add a series (it never moves a pair's slot).
    if (this.pairTable[pair + PAIR_KEY] !== key) this.outcomeOf(pair, code, flags, src, dst, service);
    let cells = this.cells;
    const window = w * STRIDE;
    const ms = endMs - sentMs;
    let at = (this.pairTable[pair + PAIR_SOURCE_AT] as number) + window;
    cells[at] = (cells[at] as number) + ms;
    at += 1 + bucketOf(this.bucketByHalfMs, ms);
    cells[at] = (cells[at] as number) + 1;
    if (to === undefined || arrivedMs < 0) return;
    let d = this.pairTable[pair + PAIR_DESTINATION_AT] as number;
    if (d < 0) d = this.destinationAt(pair, code, flags, src, dst, service);
    const served = endMs - arrivedMs;
    // Read again: a new series may have grown the cells.
    cells = this.cells;
    at = d + window;
    cells[at] = (cells[at] as number) + served;
    at += 1 + bucketOf(this.bucketByHalfMs, served);
    cells[at] = (cells[at] as number) + 1;
  }

  /**
   * meshsim's own convergence (a change until its last proxy) is the run summary's figure, not istiod's
   * `pilot_proxy_convergence_time`: the export records that from pushed().
   */
  converged(): void {}

  /** istiod's series: see istiod-telemetry-recorder.ts. */
  pushed(sinceStartMs: number | undefined): void {
    this.istiod?.pushed(sinceStartMs);
  }

  xdsClients(istiod: string, count: number): void {
    if (this.istiod === undefined)
      throw new Error(`telemetry: xDS clients of ${istiod}, and the model has no istiod`);
    this.istiod.xdsClients(istiod, count);
  }

  staleProxies(_count: number, _nowMs: number): void {}
  podCreationRejected(): void {}
  certExpired(): void {}

  /** Label sets held (memory accounting: cells are this times windows). */
  get seriesCount(): number {
    return this.meta.length;
  }

  /**
   * Every series' count per window (`id * windows + k`): its buckets' total, summed in bucket order.
   * Small and on its own, the one loop of the end that runs per bucket: ~30,000 iterations (series x
   * windows x buckets on the bench mesh) are enough for V8 to optimize it mid-loop, and its compile is
   * what the loop costs. It was two loops, a last-window scan and a copy in `telemetry()`'s per-series
   * callback, each compiled (15.4 M instructions together against 5.5 M now, callgrind, the bench mesh);
   * the copy is now `set` per window.
   */
  private windowCounts(): Float64Array {
    const { cells, block, windows } = this;
    const m = this.meta.length;
    const counts = new Float64Array(m * windows);
    for (let i = 0; i < m * windows; i++) {
      const at = Math.floor(i / windows) * block + (i % windows) * STRIDE + 1;
      let count = 0;
      for (let b = 0; b < B; b++) count += cells[at + b] as number;
      counts[i] = count;
    }
    return counts;
  }

  /**
   * The record as plain data, windows up to the last with an event (at least up to `runEndMs`, the end of
   * arrivals), series in a stable order.
   */
  telemetry(runEndMs: number): IstioTelemetry {
    const runWindows = Math.ceil((runEndMs - this.shape.warmupMs) / this.shape.windowMs);
    const all = this.windowCounts();
    const windows = this.windows;
    // The last window with an event: istiod's, or a call's (every call counts 1 in a bucket of its window;
    // a total of counts that are all 0 or more is 0 only when each is).
    let last = this.lastWindow;
    for (let i = 0; i < all.length; i++) if ((all[i] as number) > 0 && i % windows > last) last = i % windows;
    const n = Math.min(windows, Math.max(runWindows, last + 1));
    // Per series, windows up to n: counts (each window's bucket total), sums and buckets, each kind in one
    // array for every series (plain data that a worker thread hands back whole).
    const m = this.meta.length;
    const counts = new Float64Array(m * n);
    const sums = new Float64Array(m * n);
    const buckets = new Float64Array(m * n * B);
    const cells = this.cells;
    for (let id = 0; id < m; id++) {
      counts.set(all.subarray(id * windows, id * windows + n), id * n);
      for (let k = 0; k < n; k++) {
        const at = id * this.block + k * STRIDE;
        sums[id * n + k] = cells[at] as number;
        buckets.set(cells.subarray(at + 1, at + 1 + B), (id * n + k) * B);
      }
    }
    const series = this.meta
      .map((meta, id): TelemetrySeries => ({
        ...meta,
        counts: counts.subarray(id * n, (id + 1) * n),
        sumsMs: sums.subarray(id * n, (id + 1) * n),
        buckets: buckets.subarray(id * n * B, (id + 1) * n * B),
      }))
      .sort(
        (a, b) =>
          textOrder(a.reporter, b.reporter) ||
          a.source - b.source ||
          a.destination - b.destination ||
          textOrder(a.destinationService, b.destinationService) ||
          a.responseCode - b.responseCode ||
          textOrder(a.responseFlags, b.responseFlags),
      );
    return {
      startMs: this.shape.warmupMs,
      windowMs: this.shape.windowMs,
      windows: n,
      namespace: this.namespace,
      durationBucketsMs: ISTIO_DURATION_BUCKETS_MS,
      workloads: this.workloads,
      series,
      controlPlane: this.istiod === undefined ? null : this.istiod.telemetry(n),
    };
  }
}
