/**
 * Envoy's load-balancing choices over a proxy's own view of a service's hosts.
 *
 * LEAST_REQUEST is Istio's default since 1.14 (istio-behaviour.md 2.2; `cluster_traffic_policy.go`
 * `defaultLBAlgorithm`). With equal weights Envoy uses power-of-two-choices: `choice_count` (2) hosts drawn
 * at random with replacement, the one with fewer active requests wins, ties to the first drawn. Active
 * counts are the proxy's own, not global (envoy-users thread cited there).
 */
import type { Uniform } from '../des/index.js';

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

/** Picks a host index in [0, n) by power-of-two-choices on `active`. */
export function pickLeastRequest(active: Int32Array, n: number, rng: Uniform): number {
  let best = Math.floor(rng() * n);
  for (let c = 1; c < LEAST_REQUEST_CHOICES; c++) {
    const candidate = Math.floor(rng() * n);
    if ((active[candidate] as number) < (active[best] as number)) best = candidate;
  }
  return best;
}
