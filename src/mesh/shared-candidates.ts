/**
 * The candidate lists every proxy of one PrioritySet balances over while none of its hosts is ejected
 * (per level and per locality group, with the priority load), and the scratch a pick uses: computed once
 * per set and shared, so a proxy's view holds references, not copies (upstream.ts makes its own lists only
 * while it has ejected hosts).
 *
 * Contents: `Usable`, `Scratch`, `sharedCandidates`, `directCandidates`.
 */
import type { PrioritySet } from './priority-set.js';
import { LbPolicy } from './traffic/load-balancer.js';
import { PriorityLoad } from './traffic/priority-load.js';

/** The candidate lists a proxy balances over: the shared ones while nothing is ejected. */
export interface Usable {
  readonly load: PriorityLoad;
  /** Per level, the hosts not ejected, and how many. */
  readonly levelUsable: readonly Int32Array[];
  readonly healthy: Int32Array;
  /** Per locality group, the hosts not ejected, and how many. */
  readonly localityUsable: readonly Int32Array[];
  readonly localityUsableCount: Int32Array;
  /** The set's scratch (shared whichever lists a proxy balances over). */
  readonly scratch: Scratch;
  /**
   * The hosts a pick draws from at once, with no level, locality or panic to decide, when the policy is
   * least request over equal weights (Istio's default, on one level): the level's usable hosts, `directCount`
   * of them, more than one; else undefined (`directCandidates`).
   */
  readonly direct: Int32Array | undefined;
  readonly directCount: number;
}

/** Scratch a pick uses and drops before returning (single-threaded: one object per PrioritySet suffices). */
export interface Scratch {
  /** Effective weight per locality. */
  readonly localityEffective: Float64Array;
  /** `previous_priorities`: a copy of the load with tried levels excluded, and the mask. */
  readonly retryLoad: PriorityLoad;
  readonly excluded: Uint8Array;
}

const shared = new WeakMap<PrioritySet, Usable>();

/** What every proxy of `set` balances over while none of its hosts is ejected, computed once. */
export function sharedCandidates(set: PrioritySet): Usable {
  let s = shared.get(set);
  if (s !== undefined) return s;
  const levels = Math.max(1, set.levels);
  const healthy = Int32Array.from(set.levelHosts, (l) => l.length);
  const load = new PriorityLoad(levels).compute(healthy, healthy, set.levels, set.policy.panicThreshold);
  const localities = set.localityHosts.length;
  const direct = directCandidates(set, load, set.levelHosts, healthy);
  s = {
    load,
    levelUsable: set.levelHosts,
    healthy,
    localityUsable: set.localityHosts,
    localityUsableCount: Int32Array.from(set.localityHosts, (l) => l.length),
    scratch: {
      localityEffective: new Float64Array(localities),
      retryLoad: new PriorityLoad(levels),
      excluded: new Uint8Array(levels),
    },
    direct,
    directCount: direct === undefined ? 0 : (healthy[0] as number),
  };
  shared.set(set, s);
  return s;
}

/**
 * The candidates of `Usable.direct`: level 0's usable hosts when a pick over `set` with this load takes them
 * without a decision (one level, no locality weights, not in panic) and balances by P2C (least request,
 * equal weights) over more than one; else undefined. upstream.ts `pickOnce` reaches the same hosts through
 * the level, panic and locality tests, on up to nine objects where this is two (the mesh bench: ~4 data
 * cache misses and ~25 instructions a pick).
 */
export function directCandidates(
  set: PrioritySet,
  load: PriorityLoad,
  levelUsable: readonly Int32Array[],
  healthy: Int32Array,
): Int32Array | undefined {
  if (set.levels > 1 || set.localityHosts.length > 0 || load.panic[0] === 1) return undefined;
  if (set.policy.lbPolicy !== LbPolicy.LEAST_REQUEST || set.weights !== undefined) return undefined;
  return (healthy[0] as number) > 1 ? levelUsable[0] : undefined;
}
