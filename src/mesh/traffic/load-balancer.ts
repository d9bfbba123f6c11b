/**
 * Envoy's load-balancing choices over a proxy's view of a service's hosts (the hosts shared, the active
 * counts the proxy's own).
 *
 * LEAST_REQUEST is Istio's default since 1.14 (istio-behaviour.md 2.2; `cluster_traffic_policy.go`
 * `defaultLBAlgorithm`). With equal weights Envoy uses power-of-two-choices: `choice_count` (2) hosts drawn
 * at random with replacement, the one with fewer active requests wins, ties to the first drawn. Active
 * counts are the proxy's own, not global (envoy-users thread cited there).
 */
import type { StreamDraws } from '../../des/index.js';
import { EdfSchedule } from './edf-schedule.js';

export const LbPolicy = {
  LEAST_REQUEST: 'LEAST_REQUEST',
  ROUND_ROBIN: 'ROUND_ROBIN',
  RANDOM: 'RANDOM',
} as const;
export type LbPolicy = keyof typeof LbPolicy;
export function isLbPolicy(x: unknown): x is LbPolicy {
  return typeof x === 'string' && Object.hasOwn(LbPolicy, x);
}

/** Envoy's default `choice_count` for least request. */
export const LEAST_REQUEST_CHOICES = 2;

/*
 * Picks over one priority level's usable hosts (istio-behaviour.md 4.2). The caller passes the level's
 * candidates as host indices (`candidates[0..count)`: the non-ejected hosts, or all of them when the level
 * is in panic; see `collectUsable`), so nothing here allocates. Draws come from stream `stream` of `draws`
 * (the proxy's own balancing stream), each draw naming it.
 */

/** Envoy's `active_request_bias` default for weighted least request. */
export const ACTIVE_REQUEST_BIAS = 1;

/**
 * A proxy's active requests per host (Envoy `rq_active` of each host, the proxy's own). The upstream keeps
 * them sparsely, for the hosts it has touched: a host it never sent to has 0.
 */
export interface ActiveRequests {
  activeRequests(host: number): number;
}

/** Active requests held in a dense array indexed by host (tests, and small fixed host sets). */
export function denseActive(active: ArrayLike<number>): ActiveRequests {
  return { activeRequests: (host) => active[host] ?? 0 };
}

/** Which hosts outlier detection has ejected. */
export interface EjectedHosts {
  isEjected(host: number): boolean;
}

/**
 * Writes into `out` the hosts of `level[0..count)` that are not ejected; returns how many. Envoy balances
 * over a level's healthy hosts, or over all of them in panic (then pass the level itself).
 */
export function collectUsable(
  level: ArrayLike<number>,
  count: number,
  ejected: EjectedHosts,
  out: Int32Array,
): number {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const h = level[i] as number;
    if (!ejected.isEjected(h)) out[n++] = h;
  }
  return n;
}

/** RANDOM: Envoy picks uniformly among the usable hosts, ignoring weights (`RandomLoadBalancer`). */
export function pickRandom(
  candidates: ArrayLike<number>,
  count: number,
  draws: StreamDraws,
  stream: number,
): number {
  return candidates[Math.floor(draws.next(stream) * count)] as number;
}

/**
 * ROUND_ROBIN state of one proxy for one upstream cluster: one cursor per priority level (Envoy keeps a
 * scheduler per host set). Equal weights rotate over the candidates; unequal weights (an east-west gateway
 * host weighs its endpoint count) follow Envoy's EDF schedule, as `RoundRobinLoadBalancerTest.Weighted`
 * (test/extensions/load_balancing_policies/round_robin/round_robin_lb_test.cc) expects.
 */
export class RoundRobinCursor {
  private readonly next: Float64Array;
  private readonly start: number;
  /** Weighted schedules per level, made on the first weighted pick. */
  private schedules: EdfSchedule[] | undefined;

  /** `start` offsets every level, so proxies need not all begin with the same host (Envoy seeds it randomly). */
  constructor(levels: number, start = 0) {
    this.next = new Float64Array(levels).fill(start);
    this.start = start;
  }

  /** The next host of `level` on Envoy's EDF schedule of `weights` (indexed by host). */
  pickWeighted(candidates: ArrayLike<number>, count: number, level: number, weights: Float64Array): number {
    this.schedules ??= [];
    const schedule = (this.schedules[level] ??= new EdfSchedule());
    return schedule.pick(candidates, count, weights, this.start);
  }

  /** The next host of `level` in rotation among `candidates[0..count)`. */
  pick(candidates: ArrayLike<number>, count: number, level: number): number {
    const i = this.next[level] as number;
    this.next[level] = i + 1;
    return candidates[i % count] as number;
  }
}

/** Power-of-two-choices among `candidates[0..count)` on the proxy's own active counts (equal weights). */
export function pickLeastRequestAmong(
  candidates: ArrayLike<number>,
  count: number,
  active: ActiveRequests,
  draws: StreamDraws,
  stream: number,
): number {
  let best = candidates[Math.floor(draws.next(stream) * count)] as number;
  for (let c = 1; c < LEAST_REQUEST_CHOICES; c++) {
    const candidate = candidates[Math.floor(draws.next(stream) * count)] as number;
    if (active.activeRequests(candidate) < active.activeRequests(best)) best = candidate;
  }
  return best;
}

/**
 * Weighted least request: Envoy gives each host the effective weight weight/(active+1)^bias (bias 1.0) and
 * schedules them with EDF; we draw in proportion to the same effective weights, which gives the same shares
 * without per-host scheduler state.
 */
export function pickWeightedLeastRequest(
  candidates: ArrayLike<number>,
  count: number,
  active: ActiveRequests,
  weights: Float64Array,
  draws: StreamDraws,
  stream: number,
): number {
  let total = 0;
  for (let i = 0; i < count; i++) {
    const h = candidates[i] as number;
    total += (weights[h] as number) / (active.activeRequests(h) + 1) ** ACTIVE_REQUEST_BIAS;
  }
  let x = draws.next(stream) * total;
  for (let i = 0; i < count; i++) {
    const h = candidates[i] as number;
    x -= (weights[h] as number) / (active.activeRequests(h) + 1) ** ACTIVE_REQUEST_BIAS;
    if (x < 0) return h;
  }
  return candidates[count - 1] as number;
}

/** Whether the candidates' weights are all equal (Envoy then uses P2C instead of weighted scheduling). */
export function hasEqualWeights(
  candidates: ArrayLike<number>,
  count: number,
  weights: Float64Array,
): boolean {
  const first = weights[candidates[0] as number];
  for (let i = 1; i < count; i++) if (weights[candidates[i] as number] !== first) return false;
  return true;
}

/**
 * One pick under `policy` among `candidates[0..count)` of priority level `level`; -1 when there is no
 * candidate (Envoy: 503 UH). `weights` undefined means all equal.
 */
export function pickHost(
  policy: LbPolicy,
  candidates: ArrayLike<number>,
  count: number,
  level: number,
  active: ActiveRequests,
  weights: Float64Array | undefined,
  cursor: RoundRobinCursor,
  draws: StreamDraws,
  stream: number,
): number {
  if (count <= 0) return -1;
  if (count === 1) return candidates[0] as number;
  switch (policy) {
    case 'RANDOM':
      return pickRandom(candidates, count, draws, stream);
    case 'ROUND_ROBIN':
      return weights === undefined || hasEqualWeights(candidates, count, weights)
        ? cursor.pick(candidates, count, level)
        : cursor.pickWeighted(candidates, count, level, weights);
    default:
      return weights === undefined || hasEqualWeights(candidates, count, weights)
        ? pickLeastRequestAmong(candidates, count, active, draws, stream)
        : pickWeightedLeastRequest(candidates, count, active, weights, draws, stream);
  }
}
