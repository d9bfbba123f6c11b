/**
 * Records one run: implements the mesh's observer and keeps only streaming state (histograms, counters,
 * per-window and per-batch sums), so memory depends on the scenario's shape and duration, never on the
 * number of requests.
 *
 * A request belongs to the statistics when it starts after warm-up; it is counted once its final response
 * arrives, whenever that is, in the window it started in. Besides the breakdowns the summary shows, it keeps
 * per (unit, window) cells for blast radius: units are (client cluster, traffic source) for requests and
 * (calling proxy's cluster, service) for calls.
 *
 * A request's latency goes into one histogram, its (unit, window) cell, at the run's 1%: the run-wide,
 * per-cluster, per-traffic and per-window histograms are merged from the cells at summary time (bucket
 * counts, min and max merge exactly), and only their sums, which depend on the order values arrive in, are
 * kept apart (issue 17 point 4: three histogram records per request were ~300 instructions).
 */
import { formatResponseFlags, isFailure } from '../mesh/index.js';
import { ControlPlaneRecorder } from './control-plane-recorder.js';
import {
  OUTPUT_CONTRACT_VERSION,
  type RunSummary,
  type SloSummary,
  type WindowSummary,
} from './run-summary.js';
import { LOG_HISTOGRAM_ZERO_FLOOR, LogHistogram, batchMeansStandardError } from './stats/index.js';
import { LATENCY_RELATIVE_ACCURACY, TallySums, round, summarize, type LatencyParts } from './tally.js';
import { TrafficMatrix, type CrossingCounts, type ZoneRef } from './traffic-matrix.js';
import { UnitWindows, type UnitWindowsJSON } from './unit-windows.js';
import { RECOVERY_SLICES_PER_WINDOW, RecoveryTrace, type RecoveryTraceJSON } from './recovery-trace.js';
import { ServiceGraphRecorder } from './service-graph.js';
import { VersionTallies, type ServiceVersionBreakdown } from './version-breakdown.js';
import type { CallRecord, RecordSink, RequestRecord, StartedRequestRecord } from './record-buffer.js';

function withVersions(rows: ServiceVersionBreakdown[]): { byServiceVersion?: ServiceVersionBreakdown[] } {
  return rows.length === 0 ? {} : { byServiceVersion: rows };
}

export interface RecorderShape {
  /** istiods in the deployment model (0 when the scenario has no control plane to report). */
  readonly istiods: number;
  readonly clusters: readonly string[];
  readonly services: readonly string[];
  /** Indices in `services` of ServiceEntry hosts (issue 13), marked `kind: 'external'` in `byService`. */
  readonly externalServices?: readonly number[];
  readonly traffic: readonly string[];
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly windowMs: number;
  /**
   * Zones by the mesh's zone id: every cluster's zones, clusters in order (`Topology.zones`). Without them
   * no call is counted as crossing zones or regions.
   */
  readonly zones?: readonly ZoneRef[];
  /**
   * `slo.latency.p99` as every request's deadline for the within-SLO figures (a late answer still counts
   * toward availability); default: none.
   */
  readonly deadlineMs?: number;
  /** `slo.availability`, to count SLO-violating windows; default: none. */
  readonly sloAvailability?: number | undefined;
  /**
   * The simulation clock, to leave control-plane events of the warm-up out (they carry no time of their
   * own). Without it every such event is counted.
   */
  readonly now?: () => number;
}

/** The per (unit, window) cells of one run, as blast radius reads them. */
export interface RunUnits {
  /** Unit `cluster * traffic.length + traffic`. */
  readonly requests: UnitWindows;
  /** Unit `cluster * services.length + service`. */
  readonly services: UnitWindows;
  /** Availability by slices of a tenth of a window, for the availability recovery (recovery-trace.ts). */
  readonly recovery?: RecoveryTrace;
}

/** `RunUnits` as plain data (see `runUnitsToJSON`). */
export interface RunUnitsJSON {
  readonly requests: UnitWindowsJSON;
  readonly services: UnitWindowsJSON;
  readonly recovery?: RecoveryTraceJSON;
}

/** A run's cells as plain data, to cross a thread boundary; `runUnitsFromJSON` restores them exactly. */
export function runUnitsToJSON(units: RunUnits): RunUnitsJSON {
  return {
    requests: units.requests.toJSON(),
    services: units.services.toJSON(),
    ...(units.recovery === undefined ? {} : { recovery: units.recovery.toJSON() }),
  };
}

export function runUnitsFromJSON(json: RunUnitsJSON): RunUnits {
  return {
    requests: UnitWindows.fromJSON(json.requests),
    services: UnitWindows.fromJSON(json.services),
    ...(json.recovery === undefined ? {} : { recovery: RecoveryTrace.fromJSON(json.recovery) }),
  };
}

/** How much state a recorder holds: it must grow with windows and the scenario's shape, not with requests. */
export interface RecorderStateSize {
  readonly windows: number;
  readonly unitWindowCells: number;
  readonly histogramBuckets: number;
}

/** A service's queue waits with its zero waits added (see `QueueTally.zeroWaits`). */
function withZeros(q: QueueTally): LogHistogram {
  const waits = q.hist.clone();
  waits.recordMany(0, q.zeroWaits);
  return waits;
}

/** Batches for batch-means errors: 32 is in the 20-50 range that trades bias of the variance for its noise. */
export const BATCHES = 32;

interface QueueTally {
  /** Waits above zero; the zero waits are counted in `zeroWaits` and added at summary time. */
  readonly hist: LogHistogram;
  /**
   * Calls that waited for no slot, most of them: a counter instead of a histogram record (~150
   * instructions). Adding them at the end leaves the histogram as recording them in turn did: a zero
   * adds nothing to the running sums (x + 0 is x), and counts, min and max do not depend on order.
   */
  zeroWaits: number;
  /**
   * Per batch, the sum of waits and their count side by side (2 x batch, 2 x batch + 1): one line a call,
   * where two Float64Arrays took four (an object and its data each), most of them L1d misses (issue 17).
   * An array of doubles (log-histogram.ts `emptyData` says why a literal with a non-integer).
   */
  readonly batches: number[];
}

/** `BATCHES` (sum, count) pairs of zeros, as an array of doubles. */
function batchPairs(): number[] {
  const pairs = [0.5, 0];
  pairs[0] = 0;
  while (pairs.length < 2 * BATCHES) pairs.push(0, 0);
  return pairs;
}

/** The observer of one run: streaming state in, a `RunSummary` out. */
export class RunRecorder implements RecordSink {
  private started = 0;
  /**
   * Requests in all, by cluster and by traffic: sums only; their histograms are merged from the request
   * cells (`units.requests`, the one histogram a request's latency goes into) at summary time.
   */
  private readonly all: TallySums;
  private readonly byCluster: TallySums[];
  private readonly byTraffic: TallySums[];
  /** Calls by service: sums only, histograms merged from the service graph's edges (every call has one). */
  private readonly byService: TallySums[];
  private readonly queueBySvc: QueueTally[];
  /** Measured windows: the timeline's rows, and the request and call cells' second dimension. */
  private readonly windowCount: number;
  /**
   * Per window, the sums the timeline's means are of, added in the order requests completed as a
   * histogram's running sum was (its counts come from the cells); and answered-but-late requests.
   */
  private readonly windowOkSum: Float64Array;
  private readonly windowFailedSum: Float64Array;
  private readonly windowLate: Float64Array;
  private readonly units: RunUnits;
  private readonly matrix: TrafficMatrix;
  private readonly controlPlane: ControlPlaneRecorder;
  private readonly graph: ServiceGraphRecorder;
  /** Calls per service version (issue 13; version-breakdown.ts). */
  private readonly versions: VersionTallies;
  /** By `code * 2^16 + flags` (flags use 11 bits): a number key, so a request allocates no string. */
  private readonly responses = new Map<number, { code: number; flags: string; count: number }>();
  private lastResponseKey = -1;
  private lastResponse: { code: number; flags: string; count: number } | undefined = undefined;
  /**
   * A value and its natural log, [value, ln]: a latency (or a queue wait) on its way to the histograms
   * that take it, written once and handed on as a pointer (LogHistogram.recordCell: passed as numbers, the
   * two doubles were boxed at each call V8 did not inline).
   */
  private readonly valueCell = new Float64Array(2);
  private readonly batchMs: number;
  private readonly deadlineMs: number;
  /**
   * The shape's figures and the cells the hot path reads, as fields of the recorder: `this.shape.warmupMs`
   * is two loads and a map check on the shape (a plain object) at each use, `this.units.requests` the same,
   * and their bytecode counts against the budget TurboFan inlines a hook's callees within.
   */
  private readonly warmupMs: number;
  private readonly windowMs: number;
  private readonly trafficCount: number;
  private readonly serviceCount: number;
  private readonly requestCells: UnitWindows;
  private readonly serviceCells: UnitWindows;
  private readonly recovery: RecoveryTrace;

  constructor(private readonly shape: RecorderShape) {
    this.deadlineMs = shape.deadlineMs ?? Infinity;
    const sums = (n: number) => Array.from({ length: n }, () => new TallySums(BATCHES));
    this.all = new TallySums(BATCHES);
    this.byCluster = sums(shape.clusters.length);
    this.byTraffic = sums(shape.traffic.length);
    this.byService = sums(shape.services.length);
    this.queueBySvc = shape.services.map(() => ({
      hist: new LogHistogram(0.01),
      zeroWaits: 0,
      batches: batchPairs(),
    }));
    const windows = Math.ceil((shape.durationMs - shape.warmupMs) / shape.windowMs);
    this.windowCount = windows;
    this.windowOkSum = new Float64Array(windows);
    this.windowFailedSum = new Float64Array(windows);
    this.windowLate = new Float64Array(windows);
    const n = shape.clusters.length;
    this.warmupMs = shape.warmupMs;
    this.windowMs = shape.windowMs;
    this.trafficCount = shape.traffic.length;
    this.serviceCount = shape.services.length;
    // At the run's accuracy, with failed latencies: the finest cells of every request histogram.
    this.requestCells = new UnitWindows(n * shape.traffic.length, windows, LATENCY_RELATIVE_ACCURACY, true);
    this.serviceCells = new UnitWindows(n * shape.services.length, windows);
    this.recovery = new RecoveryTrace(
      shape.warmupMs,
      shape.durationMs,
      shape.windowMs / RECOVERY_SLICES_PER_WINDOW,
    );
    this.units = { requests: this.requestCells, services: this.serviceCells, recovery: this.recovery };
    this.graph = new ServiceGraphRecorder(shape.services, shape.traffic, shape.clusters);
    this.versions = new VersionTallies(BATCHES, this.graph);
    this.matrix = new TrafficMatrix(shape.clusters, shape.zones ?? []);
    this.controlPlane = new ControlPlaneRecorder(
      shape.warmupMs,
      shape.durationMs,
      shape.now ?? (() => Infinity),
    );
    this.batchMs = (shape.durationMs - shape.warmupMs) / BATCHES;
  }

  private windowOf(ms: number): number {
    return Math.floor((ms - this.warmupMs) / this.windowMs);
  }

  // The warm-up test stays alone in each hook, the recording in a method of its own: V8 weighs a call
  // site by how often the calling function reached it. A hook optimized in the warm-up returned early
  // nearly every time, so TurboFan inlined none of its callees for the rest of the run, and every double
  // (a latency, its log) crossed a real call boxed as a HeapNumber: ~100 B a request (s30).
  requestStarted(r: Readonly<StartedRequestRecord>): void {
    if (r.startMs >= this.warmupMs) this.recordStart(r);
  }

  requestCompleted(r: Readonly<RequestRecord>): void {
    if (r.startMs >= this.warmupMs) this.recordRequest(r);
  }

  callCompleted(call: Readonly<CallRecord>): void {
    if (call.sentMs >= this.warmupMs) this.recordCall(call);
  }

  private recordStart(r: Readonly<StartedRequestRecord>): void {
    this.started++;
    this.recovery.start(r.startMs);
    this.requestCells.start(r.clientCluster * this.trafficCount + r.traffic, this.windowOf(r.startMs));
  }

  private recordRequest(r: Readonly<RequestRecord>): void {
    const ok = !isFailure(r.responseCode);
    const latency = r.endMs - r.startMs;
    const late = ok && latency > this.deadlineMs;
    const batch = Math.floor((r.startMs - this.warmupMs) / this.batchMs);
    const window = this.windowOf(r.startMs);
    this.all.add(ok, latency, batch, late);
    (this.byCluster[r.clientCluster] as TallySums).add(ok, latency, batch, late);
    (this.byTraffic[r.traffic] as TallySums).add(ok, latency, batch, late);
    if (window >= 0 && window < this.windowCount) {
      if (!ok) this.windowFailedSum[window] = (this.windowFailedSum[window] as number) + latency;
      else {
        this.windowOkSum[window] = (this.windowOkSum[window] as number) + latency;
        if (late) this.windowLate[window] = (this.windowLate[window] as number) + 1;
      }
    }
    if (ok && !late) this.recovery.answeredWell(r.startMs);
    this.matrix.request(r.clientCluster, r.clustersCrossed);
    // The request's one histogram record (see the file's comment); a window past the last is no cell's,
    // and the summary's count check then throws (requests start before the end). Last of the calls here:
    // TurboFan inlines calls of equal frequency from the last one up, until its budget is spent, and this
    // one (with its histogram record) is the one to keep inline.
    const cell = this.valueCell;
    cell[0] = latency;
    cell[1] = Math.log(latency);
    this.requestCells.completeCell(r.clientCluster * this.trafficCount + r.traffic, window, ok, cell);
    const key = r.responseCode * 65536 + r.responseFlags;
    // Nearly every request ends as the one before (200, no flag): skip the map lookup for it.
    if (key === this.lastResponseKey && this.lastResponse !== undefined) {
      this.lastResponse.count++;
      return;
    }
    let entry = this.responses.get(key);
    if (entry) entry.count++;
    else {
      entry = { code: r.responseCode, flags: formatResponseFlags(r.responseFlags), count: 1 };
      this.responses.set(key, entry);
    }
    this.lastResponseKey = key;
    this.lastResponse = entry;
  }

  /**
   * Every callee here is inlined, as long as their bytecode fits TurboFan's budget of 920 bytes a function
   * (Node 20): matrix.call 128, completeCell 113, windowOf 31, TallySums.add 162, graph.edgeOf 159 and
   * graph.record (s34, `--trace-turbo-inlining`, on the bundle under plain node and under tsx/esm). What
   * does not fit is a real call: edgeOf left out cost ~110 instructions a call more (callgrind, the bench
   * mesh), so rare work on this path goes into functions of its own (`newEdge`, `otherResponse`,
   * `newCell`, `failedIn`) and the histogram records (`recordCell`, 251 bytes) stay calls. TurboFan tries
   * callees by call frequency, a callee's own callees after it: edgeOf is called here, not inside the
   * graph's `call`, because nested there it came after the unit cell's `recordCell` (inside
   * completeCell), which took the budget whenever it had no optimized code of its own yet (its size then
   * counted 251 bytes, not 381): under tsx, edgeOf was left out (s34). LogHistogram.recordCell's bucket
   * update is written out for the same budget.
   */
  private recordCall(call: Readonly<CallRecord>): void {
    const service = call.service.index;
    const ok = !isFailure(call.responseCode);
    const latency = call.endMs - call.sentMs;
    const batch = Math.floor((call.sentMs - this.warmupMs) / this.batchMs);
    // Two histograms take this latency (the edge's and the unit's): one log for both.
    const cell = this.valueCell;
    cell[0] = latency;
    cell[1] = Math.log(latency);
    // The edge found here, not inside a graph method that records too: TurboFan tries callees by call
    // frequency, those called here before those they call, so edgeOf is inlined ahead of the histogram
    // records it once lost its place to (see above).
    const graph = this.graph;
    const edge = graph.edgeOf(call);
    graph.record(edge, call, ok, cell);
    (this.byService[service] as TallySums).add(ok, latency, batch, false);
    let versionSums = edge.versionSums;
    if (versionSums === undefined) {
      versionSums = this.versions.sumsOf(edge.destination);
      edge.versionSums = versionSums;
    }
    if (versionSums !== null) versionSums.add(ok, latency, batch, false);
    const caller = call.source.cluster;
    this.serviceCells.completeCell(
      caller * this.serviceCount + service,
      this.windowOf(call.sentMs),
      ok,
      cell,
    );
    const endpoint = call.endpoint;
    if (endpoint === undefined) {
      this.matrix.unroutedCall();
      return;
    }
    this.matrix.call(caller, endpoint.cluster, call.source.zone, endpoint.zone, call.arrivedMs >= 0);
    if (call.startedMs >= 0) {
      const wait = call.startedMs - call.arrivedMs;
      const q = this.queueBySvc[service];
      if (q !== undefined && wait >= 0) {
        if (wait === 0) q.zeroWaits++;
        else {
          // `record`'s log, as it takes it (none below the zero floor), through the cell.
          cell[0] = wait;
          cell[1] = wait >= LOG_HISTOGRAM_ZERO_FLOOR ? Math.log(wait) : 0;
          q.hist.recordCell(cell);
        }
        if (batch >= 0 && batch < BATCHES) {
          const pairs = q.batches;
          pairs[2 * batch] = (pairs[2 * batch] as number) + wait;
          pairs[2 * batch + 1] = (pairs[2 * batch + 1] as number) + 1;
        }
      }
    }
  }

  converged(ms: number): void {
    this.controlPlane.converged(ms);
  }

  staleProxies(count: number, nowMs: number): void {
    this.controlPlane.staleProxies(count, nowMs);
  }

  /** Connected proxies are exported (pilot_xds, IstioTelemetryRecorder); the summary keeps none. */
  xdsClients(): void {}

  pushed(): void {
    this.controlPlane.pushed();
  }

  podCreationRejected(): void {
    this.controlPlane.podCreationRejected();
  }

  certExpired(): void {
    this.controlPlane.certExpired();
  }

  /** Called once the simulation stopped, with what only the mesh knows then. */
  endOfRun(facts: { readonly pendingChanges: number }): void {
    this.controlPlane.endOfRun(facts.pendingChanges);
  }

  /** The per (unit, window) cells, for blast radius against another run of the same scenario. */
  get unitWindows(): RunUnits {
    return this.units;
  }

  /** Calls crossing zones and regions, and requests through sidecars, after warm-up (for the cost model). */
  crossings(): CrossingCounts {
    return this.matrix.crossings();
  }

  stateSize(): RecorderStateSize {
    let buckets = this.units.requests.bucketCount + this.units.services.bucketCount;
    for (const q of this.queueBySvc) buckets += q.hist.bucketCount;
    buckets += this.controlPlane.bucketCount;
    buckets += this.graph.bucketCount;
    return {
      windows: this.windowCount,
      unitWindowCells:
        this.units.requests.units * this.units.requests.windows +
        this.units.services.units * this.units.services.windows,
      histogramBuckets: buckets,
    };
  }

  summary(meta: {
    scenario: string;
    model?: string;
    seed: number;
    rerun: string;
    version: string;
  }): RunSummary {
    const withSlo = this.deadlineMs !== Infinity;
    const traffic = this.shape.traffic.length;
    const edges = this.graph.edges;
    const cells = this.units.requests;
    const byUnit = Array.from({ length: cells.units }, (_, u): LatencyParts => ({
      latency: cells.unitHistogram(u),
      failedLatency: cells.unitFailedHistogram(u),
    }));
    const all = this.all.breakdown(byUnit, withSlo);
    const timeline = this.timeline();
    const slo = this.sloSummary(timeline);
    return {
      scenario: meta.scenario,
      ...(meta.model === undefined ? {} : { model: meta.model }),
      seed: meta.seed,
      rerun: meta.rerun,
      contractVersion: OUTPUT_CONTRACT_VERSION,
      meshsimVersion: meta.version,
      durationMs: this.shape.durationMs,
      warmupMs: this.shape.warmupMs,
      windowMs: this.shape.windowMs,
      requests: {
        total: this.started,
        succeeded: all.succeeded,
        failed: all.requests - all.succeeded,
        unfinished: this.started - all.requests,
        ...(withSlo ? { late: this.all.late, withinSlo: all.succeeded - this.all.late } : {}),
      },
      availability: all.availability,
      ...(withSlo ? { withinSlo: all.withinSlo ?? null } : {}),
      latencyMs: all.latencyMs,
      failedLatencyMs: all.failedLatencyMs ?? null,
      responses: [...this.responses.values()].sort(
        (a, b) => a.code - b.code || a.flags.localeCompare(b.flags, 'en'),
      ),
      byCluster: this.shape.clusters.map((cluster, c) => ({
        cluster,
        ...(this.byCluster[c] as TallySums).breakdown(byUnit.slice(c * traffic, (c + 1) * traffic), withSlo),
      })),
      byTraffic: this.shape.traffic.map((name, t) => ({
        traffic: name,
        ...(this.byTraffic[t] as TallySums).breakdown(
          byUnit.filter((_, u) => u % traffic === t),
          withSlo,
        ),
      })),
      byService: this.shape.services.map((service, i) => {
        const q = this.queueBySvc[i] as QueueTally;
        const parts = edges.filter((e) => this.graph.nodeKey(e.destination).workload === i);
        return {
          service,
          ...(this.shape.externalServices?.includes(i) === true ? { kind: 'external' as const } : {}),
          // The deadline is a request's, not a call's: services report availability only.
          ...(this.byService[i] as TallySums).breakdown(parts),
          queueMs: summarize(
            withZeros(q),
            batchMeansStandardError(
              q.batches.filter((_, k) => k % 2 === 0),
              q.batches.filter((_, k) => k % 2 === 1),
            ),
          ),
        };
      }),
      // Only where served pods carry a version label, so runs without versions report as before.
      ...withVersions(this.versions.summary(this.shape.services)),
      traffic: this.matrix.callMatrix(),
      requestTraffic: this.matrix.requestMatrix(),
      serviceGraph: this.graph.summary(this.shape.durationMs - this.shape.warmupMs),
      ...(this.shape.istiods > 0 ? { controlPlane: this.controlPlane.summary(this.shape.istiods) } : {}),
      timeline,
      ...(slo === undefined ? {} : { slo }),
    };
  }

  private timeline(): WindowSummary[] {
    const target = this.shape.sloAvailability;
    const cells = this.units.requests;
    // The mean from the window's own sum (see windowOkSum): the merged histogram's would add the cells'
    // sums in another order.
    const brief = (h: LogHistogram, sum: number) =>
      h.count === 0
        ? null
        : {
            mean: round(sum / h.count, 4),
            p50: round(h.quantile(0.5) ?? 0, 4),
            p99: round(h.quantile(0.99) ?? 0, 4),
          };
    const withSlo = this.deadlineMs !== Infinity;
    return Array.from({ length: this.windowCount }, (_, i): WindowSummary => {
      const { completed: requests, failed } = cells.windowCounts(i);
      const succeeded = requests - failed;
      const latency = cells.windowHistogram(i);
      const failedLatency = cells.windowFailedHistogram(i);
      if (latency.count !== succeeded || failedLatency.count !== failed)
        throw new Error(
          `RunRecorder: window ${i}'s cells hold ${latency.count} answered and ${failedLatency.count} failed latencies for ${succeeded} and ${failed} requests`,
        );
      const availability = requests === 0 ? null : round(succeeded / requests, 8);
      const within = succeeded - (this.windowLate[i] as number);
      return {
        startMs: round(this.shape.warmupMs + i * this.shape.windowMs, 3),
        requests,
        succeeded,
        availability,
        ...(withSlo ? { withinSlo: requests === 0 ? null : round(within / requests, 8) } : {}),
        latencyMs: brief(latency, this.windowOkSum[i] as number),
        failedLatencyMs: brief(failedLatency, this.windowFailedSum[i] as number),
        ...(target === undefined || availability === null ? {} : { belowSlo: availability < target }),
      };
    });
  }

  private sloSummary(timeline: readonly WindowSummary[]): SloSummary | undefined {
    const target = this.shape.sloAvailability;
    const deadline = this.deadlineMs;
    if (target === undefined && deadline === Infinity) return undefined;
    const judged = timeline.filter((w) => w.availability !== null);
    return {
      availability: target ?? null,
      deadlineMs: deadline === Infinity ? null : deadline,
      windows: judged.length,
      violatingWindows: target === undefined ? null : judged.filter((w) => w.belowSlo === true).length,
    };
  }
}
