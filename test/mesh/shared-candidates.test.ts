/**
 * The candidate lists shared by every proxy of one PrioritySet (shared-candidates.ts), and `direct`, the
 * list a pick draws from at once when it has no level, locality or panic to decide and balances by P2C.
 */
import { describe, expect, it } from 'vitest';
import { PrioritySet } from '../../src/mesh/priority-set.js';
import type { Proxy } from '../../src/mesh/proxy.js';
import { directCandidates, sharedCandidates } from '../../src/mesh/shared-candidates.js';
import { effectiveTrafficPolicy } from '../../src/mesh/traffic/effective-traffic-policy.js';
import { LbPolicy } from '../../src/mesh/traffic/load-balancer.js';
import { PriorityLoad } from '../../src/mesh/traffic/priority-load.js';
import { testEndpoint } from '../helpers/endpoint.js';

/** A set of `n` hosts on the given priority levels (default 0), weights and policy. */
function set(
  n: number,
  opts: { priorities?: number[]; weights?: number[]; policy?: LbPolicy } = {},
): PrioritySet {
  const hosts = Array.from({ length: n }, (_, k) => ({
    host: testEndpoint(k, { latency: { sampler: undefined, stream: k } } as unknown as Proxy),
    weight: opts.weights?.[k] ?? 1,
    priority: opts.priorities?.[k] ?? 0,
    locality: -1,
    localityWeight: 0,
  }));
  const policy = { ...effectiveTrafficPolicy(undefined), lbPolicy: opts.policy ?? LbPolicy.LEAST_REQUEST };
  return new PrioritySet(
    hosts,
    policy,
    Int32Array.from(hosts, (_, k) => k),
  );
}

describe('mesh/shared-candidates', () => {
  it('sharedCandidates(set).direct is level 0 of one level balanced by least request over equal weights', () => {
    const s = set(4);
    const usable = sharedCandidates(s);
    expect(usable.direct).toBe(s.levelHosts[0]);
    expect(usable.directCount).toBe(4);
    expect(sharedCandidates(s)).toBe(usable);
  });

  it('directCandidates(...) is undefined whenever a pick has a decision to make or another policy', () => {
    const none = (s: PrioritySet) => sharedCandidates(s).direct;
    expect(none(set(1))).toBeUndefined(); // one host: no second choice to draw
    expect(none(set(4, { priorities: [0, 0, 1, 1] }))).toBeUndefined();
    expect(none(set(4, { weights: [1, 2, 1, 1] }))).toBeUndefined();
    expect(none(set(4, { policy: LbPolicy.ROUND_ROBIN }))).toBeUndefined();
    expect(none(set(4, { policy: LbPolicy.RANDOM }))).toBeUndefined();
  });

  it('directCandidates(...) is undefined for a level in panic, and counts only the usable hosts', () => {
    const s = set(4);
    const panicking = new PriorityLoad(1);
    panicking.panic[0] = 1;
    expect(directCandidates(s, panicking, s.levelHosts, Int32Array.of(4))).toBeUndefined();
    const usable = Int32Array.of(2, 3, 0, 0);
    expect(directCandidates(s, sharedCandidates(s).load, [usable], Int32Array.of(2))).toBe(usable);
    expect(directCandidates(s, sharedCandidates(s).load, [usable], Int32Array.of(1))).toBeUndefined();
  });
});
