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
 * - Upstream views: every sidecar holds, per service its workload calls, one host per endpoint of that
 *   service (upstream-views.ts): Σ over services of pods x the endpoints of its callees.
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
  /** Upstream hosts held over all proxies' views. */
  readonly viewEntries: number;
  readonly proxies: number;
  /**
   * Peak live heap of one simulation, in bytes: HEAP_BASE_BYTES + per view host of the pods that serve a
   * request (at most min(pods, expected visits) per service; gateways see all pods) + per waiting request.
   */
  readonly peakHeapBytes: number;
}

/**
 * Peak live heap of one simulation = base + bytes per upstream view host + bytes per request waiting in an
 * unbounded queue. Measured with `node --expose-gc`: heapUsed after a full collection at ten points of the
 * run, minus the heap before building the mesh (the first model, seed 1):
 *  - twenty-clusters.yaml, replicas x1/x5/x20/x40: 3,320 / 32,600 / 370,400 / 1,380,800 view hosts give
 *    2.8 / 6.6 / 47.0 / 167.3 MiB, a slope of 125 B per host;
 *  - the bench mesh (test/bench/mesh-throughput.ts, 20 s), replicas x1/x10/x40: 864 / 34,560 / 483,840
 *    hosts give 3.9 / 11.9 / 77.5 MiB, 153 B per host;
 *  - test/fixtures/size/overloaded.yaml for 300 s at 150/250/900 per second against 100/s: 15,000 /
 *    60,000 / 240,000 waiting give 10.8 / 39.3 / 154.8 MiB, 673 B per waiting request.
 * Fit, rounded up: 8 MiB + 160 B per view host + 700 B per waiting request (issue 17's "about 100 bytes per
 * proxy-host pair" is low by a half). Building the mesh holds little (6 MiB at 1.38 million hosts): a proxy
 * builds its view of an upstream at its first call there, so only pods that serve a request count (every
 * pod did in these runs). Queue-limited services are not counted. Check on a file not in the fit,
 * test/fixtures/size/wide-views.yaml (495,600 hosts): estimated 83.6 MiB, measured 65.7 MiB.
 */
export const HEAP_BASE_BYTES = 8 * 2 ** 20;
export const HEAP_BYTES_PER_VIEW_HOST = 160;
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
  // A proxy builds its view of an upstream when its pod first calls it, so the heap holds the views of the
  // pods that served a request: at most min(pods, expected visits over the simulation) per service.
  const visitsPerSimulation = new Map<string, number>();
  scenario.mesh.traffic.forEach((t, i) => {
    for (const [name, v] of visits(scenario, t.entry))
      visitsPerSimulation.set(name, (visitsPerSimulation.get(name) ?? 0) + v * (arrivalsPerSource[i] ?? 0));
  });
  let viewEntries = 0;
  let builtViewEntries = 0;
  for (const s of scenario.mesh.services) {
    const callees = new Set(s.calls.flatMap((step) => step.map((c) => c.service)));
    let hosts = 0;
    for (const c of callees) hosts += pods.get(c) ?? 0;
    const own = pods.get(s.name) ?? 0;
    viewEntries += own * hosts;
    builtViewEntries += Math.min(own, Math.ceil(visitsPerSimulation.get(s.name) ?? 0)) * hosts;
  }
  // Gateways see every service's endpoints (ingress) or their network's (east-west): at most all pods each.
  const allPods = [...pods.values()].reduce((a, b) => a + b, 0);
  const gateways =
    scenario.mesh.gateways.ingress.replicas +
    scenario.mesh.gateways.eastWest.replicas * scenario.mesh.clusters.length;
  viewEntries += gateways * allPods;
  builtViewEntries += gateways * allPods;
  const services = serviceLoads(scenario);
  const waiting = services.reduce((n, l) => n + (l.queueLimited ? 0 : l.peakQueued), 0);
  return {
    callsPerRequest,
    expectedCallsPerRequest,
    inFlightPerRequest,
    callsPerSimulation,
    simulationsPerRun: 1 + scenario.mesh.faults.length,
    services,
    viewEntries,
    proxies: allPods + gateways,
    peakHeapBytes:
      HEAP_BASE_BYTES +
      HEAP_BYTES_PER_VIEW_HOST * builtViewEntries +
      HEAP_BYTES_PER_WAITING_REQUEST * waiting,
  };
}
