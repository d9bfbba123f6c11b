/**
 * The record buffer changes when the recorders see the mesh's hooks, never what they record: random hook
 * sequences, with the mesh's pooled requests and calls reused (every field rewritten) right after each
 * hook as the pools do, give every recorder the same output through the buffer (any ring size) as through
 * a direct copy made at the hook; and a rare hook reaches the recorders after the records buffered before
 * it, in order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Call,
  MeshRequest,
  type Endpoint,
  type MeshObserver,
  type Proxy,
  type ServiceRuntime,
} from '../../src/mesh/index.js';
import {
  ExportRecorders,
  FortioRecorder,
  IstioTelemetryRecorder,
  RecordBuffer,
  RunRecorder,
  ThresholdRecorder,
  runUnitsToJSON,
  type CallRecord,
  type RecordSink,
  type RequestRecord,
  type StartedRequestRecord,
} from '../../src/metrics/index.js';
import { callRecord } from './call-record.js';

const CLUSTERS = ['c0', 'c1'];
const SERVICES = ['front', 'back', 'ext'];
const TRAFFIC = [
  { name: 'web', via: 'direct' as const },
  { name: 'gw', via: 'ingress' as const },
];
const ZONES = [
  { region: 'r1', name: 'a' },
  { region: 'r1', name: 'b' },
  { region: 'r2', name: 'a' },
];
const WARMUP_MS = 100;
const DURATION_MS = 5000;
const WINDOW_MS = 500;

const services = SERVICES.map(
  (_, index) => ({ index, external: index === 2 ? {} : undefined }) as unknown as ServiceRuntime,
);
/** Replicas: (service, cluster, zone, version) each, deployments numbered as listed. */
const endpoints = [
  [0, 0, 0, 'v1'],
  [0, 1, 2, undefined],
  [1, 0, 1, 'v1'],
  [1, 0, 1, 'v2'],
  [1, 1, 2, 'v1'],
  [2, 0, 0, undefined],
].map(
  ([service, cluster, zone, version], id) =>
    ({
      id,
      service,
      cluster,
      zone,
      deployment: id,
      labels: version === undefined ? {} : { version },
    }) as unknown as Endpoint,
);
/** Callers: each replica's sidecar, a client per cluster, an ingress gateway per cluster. */
const proxies = [
  ...endpoints.map((e) => ({ endpoint: e, cluster: e.cluster, zone: e.zone, nodeType: 'sidecar' })),
  ...CLUSTERS.map((_, c) => ({
    endpoint: undefined,
    cluster: c,
    zone: c === 0 ? 1 : 2,
    nodeType: 'sidecar',
  })),
  ...CLUSTERS.map((_, c) => ({ endpoint: undefined, cluster: c, zone: c === 0 ? 0 : 2, nodeType: 'router' })),
] as unknown as Proxy[];

/** Every recorder a run can have, around the clock `now`. */
function recorders(now: () => number): ExportRecorders {
  const run = new RunRecorder({
    istiods: 2,
    clusters: CLUSTERS,
    services: SERVICES,
    externalServices: [2],
    traffic: TRAFFIC.map((t) => t.name),
    zones: ZONES,
    warmupMs: WARMUP_MS,
    durationMs: DURATION_MS,
    windowMs: WINDOW_MS,
    deadlineMs: 20,
    sloAvailability: 0.9,
    now,
  });
  return new ExportRecorders(
    run,
    new IstioTelemetryRecorder({
      services: SERVICES,
      clusters: CLUSTERS,
      traffic: TRAFFIC,
      warmupMs: WARMUP_MS,
      endMs: DURATION_MS + 5000,
      windowMs: WINDOW_MS,
      istiods: CLUSTERS,
      now,
      namespace: 'default',
    }),
    new FortioRecorder(
      TRAFFIC.map((t) => t.name),
      WARMUP_MS,
      DURATION_MS,
    ),
    new ThresholdRecorder({
      traffic: TRAFFIC.map((t) => t.name),
      clusters: CLUSTERS,
      services: SERVICES,
      warmupMs: WARMUP_MS,
      durationMs: DURATION_MS,
      deadlineMs: 20,
    }),
  );
}

/** Everything the recorders hand out at the end of a run. */
function outputs(r: ExportRecorders) {
  r.run.endOfRun({ pendingChanges: 1 });
  return {
    summary: r.run.summary({ scenario: 's', seed: 1, rerun: '', version: '' }),
    units: runUnitsToJSON(r.run.unitWindows),
    crossings: r.run.crossings(),
    size: r.run.stateSize(),
    telemetry: r.telemetry?.telemetry(DURATION_MS),
    fortio: r.fortio?.record(),
    thresholds: r.thresholds?.record(),
  };
}

/** A recorder's scratch fields: written and read within one record's recording, no state. */
const SCRATCH = new Set(['valueCell']);

/** Every number a recorder holds, as exact JSON (functions, such as its clock, and scratch left out). */
function rawState(recorder: object): string {
  return JSON.stringify(recorder, (key, v: unknown) =>
    typeof v === 'function' || SCRATCH.has(key)
      ? undefined
      : v instanceof Map
        ? [...(v as Map<unknown, unknown>)]
        : v instanceof Set
          ? [...(v as Set<unknown>)]
          : v,
  );
}

/** The unbuffered path: each hook's record copied and handed on at once (call-record.ts for calls). */
function direct(sink: RecordSink): MeshObserver {
  return {
    requestStarted: (r) => sink.requestStarted({ ...pick(r) }),
    callCompleted: (c) => sink.callCompleted(callRecord(c)),
    requestCompleted: (r) =>
      sink.requestCompleted({
        ...pick(r),
        endMs: r.endMs,
        responseCode: r.responseCode,
        responseFlags: r.responseFlags,
        clustersCrossed: r.clustersCrossed,
      }),
    converged: (ms) => sink.converged(ms),
    staleProxies: (count, nowMs) => sink.staleProxies(count, nowMs),
    pushed: (ms) => sink.pushed(ms),
    xdsClients: (istiod, count) => sink.xdsClients(istiod, count),
    podCreationRejected: () => sink.podCreationRejected(),
    certExpired: () => sink.certExpired(),
  };
}

function pick(r: Readonly<MeshRequest>): StartedRequestRecord {
  return { traffic: r.traffic, clientCluster: r.clientCluster, startMs: r.startMs };
}

/** One hook: what it is (`op`) and small numbers the op reads its choices from. */
const stepArb = fc.record({
  op: fc.integer({ min: 0, max: 11 }),
  a: fc.nat(1000),
  b: fc.nat(1000),
  c: fc.nat(1000),
  dt: fc.integer({ min: 1, max: 80 }),
});
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * Plays `steps` on `observer` as the mesh would: requests start and complete, calls of open requests
 * complete, rare hooks come between, the clock (`clock.now`) moves on. One call object and a free list of
 * requests are reused as the pools reuse them, and every field of a call or request is overwritten right
 * after the hook that reported it (`init` with other values): an observer that reads one later reads junk.
 */
function play(steps: readonly Step[], observer: MeshObserver, clock: { now: number }): void {
  const open: MeshRequest[] = [];
  const free: MeshRequest[] = [];
  const junk = new MeshRequest(-1, 1, 1, -7, {}, '/junk');
  const call = new Call(junk, undefined, services[0] as ServiceRuntime, proxies[0] as Proxy);
  const scramble = (r: MeshRequest) => {
    r.init(-1, (r.traffic + 1) % 2, (r.clientCluster + 1) % 2, -12_345, {}, '/reused');
    r.endMs = -1;
    r.responseCode = 999;
    r.responseFlags = 4095;
    r.clustersCrossed = 0x7fffffff;
  };
  let id = 0;
  clock.now = WARMUP_MS - 30; // some requests and calls in warm-up, most after
  for (const s of steps) {
    // At least 0.25 ms a step (no request or call takes 0 ms), and a third more: times that are no binary
    // fractions, so that sums of latencies depend on the order they are added in (quarters add exactly).
    clock.now += s.dt / 4 + 1 / 3;
    const t = clock.now;
    if (s.op <= 2 || open.length === 0) {
      const r = free.pop() ?? new MeshRequest(0, 0, 0, 0, {}, '/');
      r.init(id++, s.a % TRAFFIC.length, s.b % CLUSTERS.length, t, {}, '/');
      open.push(r);
      observer.requestStarted(r);
    } else if (s.op <= 6) {
      const request = open[s.a % open.length] as MeshRequest;
      const proxy = proxies[s.b % proxies.length] as Proxy;
      const service = services[s.c % services.length] as ServiceRuntime;
      call.init(request, undefined, service, proxy);
      call.endpoint = s.c % 7 === 0 ? undefined : endpoints[(s.c >> 3) % endpoints.length];
      call.sentMs = Math.max(request.startMs, t - 1 - (s.a % 40));
      const served = call.endpoint !== undefined && s.b % 5 !== 0;
      call.arrivedMs = served ? call.sentMs + 0.5 : -1;
      call.startedMs = served && s.a % 3 !== 0 ? call.arrivedMs + (s.c % 4) : -1;
      call.endMs = t;
      call.responseCode = s.b % 9 === 0 ? 503 : s.b % 11 === 0 ? 0 : 200;
      call.responseFlags = call.responseCode === 200 ? 0 : 1 + (s.c % 4);
      observer.callCompleted(call);
      call.init(junk, undefined, services[1] as ServiceRuntime, proxies[proxies.length - 1] as Proxy);
      call.endpoint = endpoints[0];
      call.sentMs = -3;
      call.endMs = -2;
      call.arrivedMs = 12_345;
      call.responseCode = 999;
    } else if (s.op <= 8) {
      const [r] = open.splice(s.a % open.length, 1) as [MeshRequest];
      r.endMs = t;
      r.responseCode = s.b % 8 === 0 ? 503 : s.b % 13 === 0 ? 0 : 200;
      r.responseFlags = r.responseCode === 200 ? 0 : 1 + (s.c % 3);
      r.clustersCrossed = 1 + (s.c % 3);
      observer.requestCompleted(r);
      scramble(r);
      free.push(r);
    } else if (s.op === 9) observer.converged(s.a % 100);
    else if (s.op === 10) observer.staleProxies(s.b % 5, t);
    else if (s.a % 4 === 0) observer.pushed(s.b % 3 === 0 ? undefined : s.b / 10);
    else if (s.a % 4 === 1) observer.xdsClients(CLUSTERS[s.b % 2] as string, s.c % 20);
    else if (s.a % 4 === 2) observer.podCreationRejected();
    else observer.certExpired();
  }
}

describe('metrics/record-buffer', () => {
  it('every recorder records the same through the buffer, whatever its size (so whatever its batches), as with a copy at each hook (property)', () => {
    // Not vacuous: the sequences record requests, calls and telemetry past warm-up.
    const recorded = { requests: 0, calls: 0, series: 0 };
    fc.assert(
      fc.property(
        fc.array(stepArb, { minLength: 1, maxLength: 400, size: 'max' }),
        // Small rings (batches cut often) and rings larger than most sequences (a batch of up to 400
        // records, cut only by the rare hooks): a recorder replaying a batch in passes of its own must keep
        // each accumulator's order at any batch size.
        fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 100, max: 400 })),
        (steps, capacity) => {
          const clock = { now: 0 };
          const reference = recorders(() => clock.now);
          play(steps, direct(reference), clock);
          const buffer = new RecordBuffer(() => recorders(() => clock.now), capacity);
          play(steps, buffer, clock);
          const expected = outputs(reference);
          const drained = buffer.drained();
          expect(outputs(drained)).toEqual(expected);
          // The run recorder's whole state, to the bit: its sums reach the summary rounded, where a sum
          // added in another order would mostly not show.
          expect(rawState(drained.run)).toBe(rawState(reference.run));
          recorded.requests += expected.summary.requests.succeeded + expected.summary.requests.failed;
          recorded.calls += (expected.summary.serviceGraph?.edges ?? []).reduce((n, e) => n + e.calls, 0);
          recorded.series += expected.telemetry?.series.length ?? 0;
        },
      ),
      { seed: 20261207, numRuns: 60 },
    );
    expect(recorded.requests).toBeGreaterThan(1000);
    expect(recorded.calls).toBeGreaterThan(2000);
    expect(recorded.series).toBeGreaterThan(2000);
  }, 60_000);

  it('replays buffered records, in order, before a rare hook, and only when full otherwise', () => {
    const log: string[] = [];
    const sink: RecordSink = {
      requestStarted: (r: Readonly<StartedRequestRecord>) => log.push(`started ${r.startMs}`),
      callCompleted: (c: Readonly<CallRecord>) => log.push(`call ${c.endMs}`),
      requestCompleted: (r: Readonly<RequestRecord>) => log.push(`completed ${r.endMs}`),
      converged: (ms) => log.push(`converged ${ms}`),
      staleProxies: (count) => log.push(`stale ${count}`),
      pushed: () => log.push('pushed'),
      xdsClients: (istiod) => log.push(`xds ${istiod}`),
      podCreationRejected: () => log.push('rejected'),
      certExpired: () => log.push('cert'),
    };
    const buffer = new RecordBuffer(() => sink, 3);
    const request = new MeshRequest(1, 0, 0, 10, {}, '/');
    const call = new Call(request, undefined, services[0] as ServiceRuntime, proxies[0] as Proxy);
    buffer.requestStarted(request);
    call.endMs = 11;
    buffer.callCompleted(call);
    expect(log).toEqual([]);
    buffer.pushed(undefined);
    expect(log).toEqual(['started 10', 'call 11', 'pushed']);
    const rare: [string, () => void][] = [
      ['converged 5', () => buffer.converged(5)],
      ['stale 2', () => buffer.staleProxies(2, 12)],
      ['xds c0', () => buffer.xdsClients('c0', 1)],
      ['rejected', () => buffer.podCreationRejected()],
      ['cert', () => buffer.certExpired()],
    ];
    for (const [expected, hook] of rare) {
      log.length = 0;
      call.endMs = 20;
      buffer.callCompleted(call);
      hook();
      expect(log).toEqual(['call 20', expected]);
    }
    // Full at three records: replayed then, and the rest at the next drain.
    log.length = 0;
    for (const ms of [30, 31, 32, 33]) {
      call.endMs = ms;
      buffer.callCompleted(call);
    }
    expect(log).toEqual(['call 30', 'call 31', 'call 32']);
    request.endMs = 40;
    buffer.requestCompleted(request);
    expect(buffer.drained()).toBe(sink);
    expect(log).toEqual(['call 30', 'call 31', 'call 32', 'call 33', 'completed 40']);
  });

  it('refuses a ring of no slots', () => {
    expect(() => new RecordBuffer(() => recorders(() => 0), 0)).toThrow(/capacity 0/);
  });
});
