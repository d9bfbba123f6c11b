/**
 * How much work a scenario really asks for, before it runs: not client requests alone but the calls each
 * makes through the call graph, the queues of services offered more than they can serve, and the
 * upstream views every proxy holds. check-size.ts turns these into refusals and warnings.
 *
 * - Calls per client request: the entry call (retried too), then per service its call steps in order, each step a
 *   parallel group whose calls each happen with their probability; every call counted with its worst-case
 *   tries (1 + the route's `retries.attempts`, Istio's default 2 retries where no VirtualService says
 *   otherwise): an upper bound, since retries happen only on failures. The graph has no cycles (check.ts).
 * - Offered load per service: each source's rate times the expected visits (probabilities, no retries),
 *   against capacity replicas x concurrency / mean service time. For a `blocking` service the slot is also
 *   held while it waits on its calls, so its real capacity is lower: the overload found is a lower bound.
 *   With no queueLimit, the excess piles up in the queue for as long as the overload lasts.
 * - Upstream views (mesh/upstream-views.ts): the hosts of a service's view are built once and shared by
 *   every proxy that sees the same (one set per locality class: per zone when the DestinationRule turns on
 *   locality failover or `distribute`, per network and proxy kind on a multi-network mesh); each proxy adds
 *   a small record per service it calls and a table entry per host it holds a pooled connection to (at
 *   most one per call it makes, and never more than a bit per host of the view). Nothing grows with
 *   proxies x hosts but those bits.
 *
 * Contents: `estimateWork`, `WorkEstimate`, `ServiceLoad`.
 */
import { distributionMean } from '../des/index.js';
import type { Scenario } from './scenario.js';

/** Istio's retries when a route sets none (mesh/traffic/retry-policy.ts DEFAULT_RETRY_POLICY). */
const DEFAULT_RETRIES = 2;

export interface ServiceLoad {
  readonly service: string;
  /** Requests per second offered at the busiest moment (sum over sources of rate x expected visits). */
  readonly offeredPerSecond: number;
  /** Requests per second the service can complete: replicas x concurrency / mean service time. */
  readonly capacityPerSecond: number;
  /** Seconds during which the offered load exceeds capacity. */
  readonly overloadedSeconds: number;
  /** Most requests waiting at once if the queue is unbounded (the accumulated excess); 0 when never over. */
  readonly peakQueued: number;
  readonly queueLimited: boolean;
}

export interface WorkEstimate {
  /** Per traffic source: calls one client request makes at most (worst-case retries). */
  readonly callsPerRequest: readonly number[];
  /** Per traffic source: calls one client request makes on average (probabilities, no retries). */
  readonly expectedCallsPerRequest: readonly number[];
  /**
   * Per traffic source: calls one client request can have in flight at once: the calls of a parallel group
   * run together, each with the peak of its own subtree; steps and retries follow one another.
   */
  readonly inFlightPerRequest: readonly number[];
  /** Calls of one simulation (client requests x worst-case calls each). */
  readonly callsPerSimulation: number;
  /** Simulations of one run: the run and, per fault, its paired baseline without it. */
  readonly simulationsPerRun: number;
  readonly services: readonly ServiceLoad[];
  /** Hosts of the shared views (each built once per service and locality class, shared by the proxies). */
  readonly sharedViewHosts: number;
  /** Proxy-service pairs: every proxy's own record of each service it calls. */
  readonly proxyServicePairs: number;
  /** Pooled connections the proxies hold at most (one per proxy and host called; at most one per call). */
  readonly connections: number;
  readonly proxies: number;
  /**
   * Peak live heap of one simulation, in bytes: HEAP_BASE_BYTES + per pod + per shared view host + per
   * proxy-service pair + per pooled connection + per waiting request.
   */
  readonly peakHeapBytes: number;
}

/**
 * Peak live heap of one simulation. Measured with `node --expose-gc` (test/bench/heap-fit.ts):
 * heapUsed after a full collection at ten points of the run, minus the heap before building the mesh, on
 * 3 clusters x 12 services at 5,000 requests/s for 40 s (multi-primary), after per-pod state was made
 * compact (issue 17: random streams in one array, lazy queues and maps, shared circuit-breaker limits):
 *  - 1,008 pods in 4 chains of 3: 8.0 MiB (696 proxy-service pairs, 58,410 connections, 1,008 view hosts);
 *  - 10,008 pods, the same chains: 23.8 MiB (6,696 pairs, 407,182 connections, 10,008 view hosts);
 *  - 10,008 pods, 12 services called only by the clients: 16.8 MiB (72 pairs, 57,961 connections);
 * and 100,000 pods (50 clusters x 20 services x 100 pods, 5 chains of 4, 60 s): 249 MiB.
 * The three small runs fit base + pods x 1,102 B + pairs x 1,108 B (the pair term also carries the chains'
 * extra calls in flight); 140 B of the per-pod share is its view host (a host object and its slots in the
 * set's arrays, read off a heap snapshot), so about 960 B per pod (replica, queue, sidecar, its two streams,
 * its share of istiod snapshots and certificate timers), 1,200 B in the model so that it covers the
 * 100,000-pod mesh too (50 istiods' snapshots and timers weigh more per pod), and 1,100 B per proxy-service pair (its upstream,
 * circuit-breaker counters, tables). A pooled connection is an entry of a half-full open-addressing table
 * (16-32 B, 20 B), or a bit once a pair's table would outgrow a bitset of its view (connected-hosts.ts;
 * typed-array storage past 64 B lies outside the V8 heap and is not counted in heapUsed). The model
 * estimates 11.5 / 40.7 / 253 MiB for the 1,008- and 10,008-pod chains and the 100,000-pod mesh
 * (8.0 / 23.8 / 249 measured): it errs high, as a guard should.
 *  - test/fixtures/size/overloaded.yaml for 300 s at 150/250/900 per second against 100/s: 15,000 /
 *    60,000 / 240,000 waiting give 10.8 / 39.3 / 154.8 MiB, 673 B per waiting request (rounded to 700;
 *    measured before the compaction, which changed nothing per waiting request).
 * Re-measured after samplers and balancing streams were shared by index, certificate timers lost their
 * payloads and small views' connection sets became bitsets from the first connection (issue 17, s21):
 * 4.0 / 17.0 / 9.6 MiB for the three small runs, 38.3 MiB at 24,984 pods, 211 MiB at 100,000 pods. The
 * constants were kept: the model stays above every measurement (11.5 / 40.7 / 253 MiB for the 1,008- and
 * 10,008-pod chains and the 100,000-pod mesh), and a small view's bitset (at most 512 B) now lies outside
 * the V8 heap, where the next change may bring it back.
 * Since a pod's view host is its Endpoint (issue 17, s25: no host object of its own), a view host costs
 * its slot in the set's host list plus its priority and locality (about 16 B), and the 100,000-pod mesh
 * peaks at 162 MB (1,703 B per pod, test/bench/pod-scaling.ts); HEAP_BYTES_PER_VIEW_HOST keeps 140 B, so
 * the guard errs higher than before, never lower.
 * Before views were shared (issue 17), every proxy copied every host of every service it called: about
 * 160 B per proxy-host pair, 4 GiB at 27,500 pods; before the compaction, 3,200 B per pod (84 MiB at 24,984
 * pods, now 49).
 */
export const HEAP_BASE_BYTES = 8 * 2 ** 20;
export const HEAP_BYTES_PER_POD = 1_200;
export const HEAP_BYTES_PER_VIEW_HOST = 140;
export const HEAP_BYTES_PER_PROXY_SERVICE = 1_100;
export const HEAP_BYTES_PER_CONNECTION = 20;
export const HEAP_BYTES_PER_WAITING_REQUEST = 700;

/** Worst-case tries of a call to `host`: 1 + the largest `retries.attempts` of its routes. */
function tries(scenario: Scenario, host: string): number {
  const vs = scenario.mesh.routing.virtualServices.filter((v) => v.hosts.includes(host));
  if (vs.length === 0) return 1 + DEFAULT_RETRIES;
  let most = 0;
  for (const v of vs)
    for (const r of v.http)
      most = Math.max(most, r.retries === undefined ? DEFAULT_RETRIES : r.retries.attempts);
  return 1 + most;
}

/** Per service, calls made below one request to it (excluded itself), with and without retries. */
function callsBelow(scenario: Scenario, retries: boolean): Map<string, number> {
  const byName = new Map(scenario.mesh.services.map((s) => [s.name, s]));
  const memo = new Map<string, number>();
  const below = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    memo.set(name, 0); // no cycles (check.ts); this only keeps a bad graph from recursing for ever
    let n = 0;
    for (const step of byName.get(name)?.calls ?? [])
      for (const c of step) {
        const t = retries ? tries(scenario, c.service) : 1;
        n += c.probability * t * (1 + below(c.service));
      }
    memo.set(name, n);
    return n;
  };
  for (const s of scenario.mesh.services) below(s.name);
  return memo;
}

/** Per service, the most calls below one request to it that can be in flight at once. */
function peakInFlight(scenario: Scenario): Map<string, number> {
  const byName = new Map(scenario.mesh.services.map((s) => [s.name, s]));
  const memo = new Map<string, number>();
  const peak = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    memo.set(name, 0);
    let most = 0;
    for (const step of byName.get(name)?.calls ?? []) {
      let together = 0;
      for (const c of step) if (c.probability > 0) together += 1 + peak(c.service);
      most = Math.max(most, together);
    }
    memo.set(name, most);
    return most;
  };
  for (const s of scenario.mesh.services) peak(s.name);
  return memo;
}

/** Expected visits to each service per client request entering at `entry` (no retries). */
function visits(scenario: Scenario, entry: string): Map<string, number> {
  const byName = new Map(scenario.mesh.services.map((s) => [s.name, s]));
  const out = new Map<string, number>();
  const walk = (name: string, weight: number, depth: number) => {
    if (depth > 64 || weight < 1e-12) return;
    out.set(name, (out.get(name) ?? 0) + weight);
    for (const step of byName.get(name)?.calls ?? [])
      for (const c of step) walk(c.service, weight * c.probability, depth + 1);
  };
  walk(entry, 1, 0);
  return out;
}

/** Breakpoints and rates of a source's piecewise-constant rate over [0, duration). */
function rateSegments(
  t: Scenario['mesh']['traffic'][number],
  durationMs: number,
): [number, number, number][] {
  const out: [number, number, number][] = [];
  let from = 0;
  let rate = t.ratePerMs;
  for (const s of t.steps) {
    if (s.atMs >= durationMs) break;
    if (s.atMs > from) out.push([from, s.atMs, rate]);
    from = Math.max(from, s.atMs);
    rate = s.ratePerMs;
  }
  if (durationMs > from) out.push([from, durationMs, rate]);
  return out;
}

function serviceLoads(scenario: Scenario): ServiceLoad[] {
  const { durationMs } = scenario;
  const perSource = scenario.mesh.traffic.map((t) => ({
    segments: rateSegments(t, durationMs),
    visits: visits(scenario, t.entry),
  }));
  const cuts = [
    ...new Set([0, durationMs, ...perSource.flatMap((p) => p.segments.flatMap(([a, b]) => [a, b]))]),
  ].sort((a, b) => a - b);
  return scenario.mesh.services.map((s) => {
    const replicas = s.deployments.reduce((n, d) => n + d.replicas, 0);
    const meanMs = distributionMean(s.serviceTime);
    const capacityPerMs = meanMs > 0 ? (replicas * s.concurrency) / meanMs : Infinity;
    let peakOffered = 0;
    let queued = 0;
    let peakQueued = 0;
    let overMs = 0;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [a, b] = [cuts[i] as number, cuts[i + 1] as number];
      let offered = 0;
      for (const p of perSource) {
        const seg = p.segments.find(([x, y]) => x <= a && a < y);
        offered += (seg?.[2] ?? 0) * (p.visits.get(s.name) ?? 0);
      }
      peakOffered = Math.max(peakOffered, offered);
      queued = Math.max(0, queued + (offered - capacityPerMs) * (b - a));
      peakQueued = Math.max(peakQueued, queued);
      if (offered > capacityPerMs) overMs += b - a;
    }
    return {
      service: s.name,
      offeredPerSecond: peakOffered * 1000,
      capacityPerSecond: capacityPerMs * 1000,
      overloadedSeconds: overMs / 1000,
      peakQueued,
      queueLimited: Number.isFinite(s.queueLimit),
    };
  });
}

/** The work estimate of one simulation of `scenario` (see the module comment for each figure). */
export function estimateWork(scenario: Scenario, arrivalsPerSource: readonly number[]): WorkEstimate {
  const worst = callsBelow(scenario, true);
  const expected = callsBelow(scenario, false);
  // The client's call to the entry service is retried like any other (its sidecar's default policy), and a
  // retry redoes the whole tree below it.
  const callsPerRequest = scenario.mesh.traffic.map(
    (t) => tries(scenario, t.entry) * (1 + (worst.get(t.entry) ?? 0)),
  );
  const peak = peakInFlight(scenario);
  const inFlightPerRequest = scenario.mesh.traffic.map((t) => 1 + (peak.get(t.entry) ?? 0));
  const expectedCallsPerRequest = scenario.mesh.traffic.map((t) => 1 + (expected.get(t.entry) ?? 0));
  const callsPerSimulation = arrivalsPerSource.reduce((sum, n, i) => sum + n * (callsPerRequest[i] ?? 1), 0);
  const pods = new Map(
    scenario.mesh.services.map((s) => [s.name, s.deployments.reduce((n, d) => n + d.replicas, 0)]),
  );
  // Shared views: one set per called service and locality class (see the module comment).
  const zones = scenario.mesh.clusters.reduce((n, c) => n + Math.max(1, c.zones.length), 0);
  const networks = new Set(scenario.mesh.clusters.map((c) => c.network)).size;
  const multiNetwork = scenario.models.some((m) => m.network === 'multi') && networks > 1;
  const classesOf = (name: string): number => {
    const localized = scenario.mesh.routing.destinationRules.some(
      (d) =>
        d.host === name &&
        [d.trafficPolicy, ...d.subsets.map((x) => x.trafficPolicy)].some(
          (t) =>
            t?.outlierDetection !== undefined ||
            (t?.loadBalancer?.localityLbSetting?.distribute.length ?? 0) > 0,
        ),
    );
    return (localized ? zones : 1) * (multiNetwork ? 2 * networks : 1);
  };
  const called = new Set(scenario.mesh.services.flatMap((s) => s.calls.flat().map((c) => c.service)));
  for (const t of scenario.mesh.traffic) called.add(t.entry);
  let sharedViewHosts = 0;
  for (const name of called) sharedViewHosts += (pods.get(name) ?? 0) * classesOf(name);
  let proxyServicePairs = 0;
  let connectionPairs = 0;
  for (const s of scenario.mesh.services) {
    const callees = new Set(s.calls.flatMap((step) => step.map((c) => c.service)));
    let hosts = 0;
    for (const c of callees) hosts += pods.get(c) ?? 0;
    const own = pods.get(s.name) ?? 0;
    proxyServicePairs += own * callees.size;
    connectionPairs += own * hosts;
  }
  // Gateways see every service's endpoints (ingress) or their network's (east-west): one shared view per
  // service, a record per gateway and service.
  const allPods = [...pods.values()].reduce((a, b) => a + b, 0);
  const gateways =
    scenario.mesh.gateways.ingress.replicas +
    scenario.mesh.gateways.eastWest.replicas * scenario.mesh.clusters.length;
  if (gateways > 0) sharedViewHosts += allPods;
  proxyServicePairs += gateways * scenario.mesh.services.length;
  connectionPairs += gateways * allPods;
  // A proxy opens a connection to a host on its first call there: at most one per call (retries mostly go
  // to hosts already called, so the expected calls bound it; the worst-case tries would overcount 3x).
  const expectedCalls = arrivalsPerSource.reduce(
    (sum, n, i) => sum + n * (expectedCallsPerRequest[i] ?? 1),
    0,
  );
  const connections = Math.min(connectionPairs, Math.ceil(expectedCalls));
  const services = serviceLoads(scenario);
  const waiting = services.reduce((n, l) => n + (l.queueLimited ? 0 : l.peakQueued), 0);
  return {
    callsPerRequest,
    expectedCallsPerRequest,
    inFlightPerRequest,
    callsPerSimulation,
    simulationsPerRun: 1 + scenario.mesh.faults.length,
    services,
    sharedViewHosts,
    proxyServicePairs,
    connections,
    proxies: allPods + gateways,
    peakHeapBytes:
      HEAP_BASE_BYTES +
      HEAP_BYTES_PER_POD * allPods +
      HEAP_BYTES_PER_VIEW_HOST * sharedViewHosts +
      HEAP_BYTES_PER_PROXY_SERVICE * proxyServicePairs +
      HEAP_BYTES_PER_CONNECTION * connections +
      HEAP_BYTES_PER_WAITING_REQUEST * waiting,
  };
}
