/**
 * Conformance: least request (P2C and weighted) against Envoy's own test vectors.
 *
 * Source: envoyproxy/envoy test/extensions/load_balancing_policies/least_request/least_request_lb_test.cc,
 * commit 0a31a547fa09f89b4463a6293c08952d327c45a5, `LeastRequestLoadBalancerTest` cases SingleHost, Normal,
 * PNC (the P2C part), WeightImbalance; and source/extensions/load_balancing_policies/least_request/
 * least_request_lb.cc at the same commit (`unweightedHostPickNChoices`, `hostWeight`).
 *
 * Scripted draws: Envoy's mocked `random()` returns an integer r and a choice takes host r % n. meshsim's
 * pickers take a Uniform u and take host ⌊u·n⌋, so r is replayed as u = (r % n + 0.5)/n, which selects the
 * same index. In Envoy the first draw of `chooseHost` picks the priority level (`chooseHostSet`); meshsim
 * chooses the level before the picker (priority-load.ts, covered by priority-load.test.ts), so the picker is
 * given the draws after the first.
 *
 * Weighted least request: Envoy schedules effective weights weight/(active+1)^1 with EDF; meshsim draws in
 * proportion to the same effective weights (documented in src/mesh/traffic/load-balancer.ts). Envoy's
 * WeightImbalance asserts the ratios 2:1, 1:1 and 4:1 through its EDF sequence; here the share of [0, 1) a
 * draw maps to each host is measured exactly on a grid of 3000 evenly spaced draws (error ≤ 1/3000 per
 * boundary), which is the share EDF gives over whole cycles.
 */
import { describe, expect, it } from 'vitest';
import {
  LEAST_REQUEST_CHOICES,
  denseActive,
  pickHost,
  pickLeastRequestAmong,
  RoundRobinCursor,
} from '../../src/mesh/traffic/load-balancer.js';
import { drawsOf } from '../helpers/draws.js';

/** Replays Envoy's mocked random() integers against n candidates. */
function envoyDraws(n: number, ...r: number[]) {
  let i = 0;
  return () => {
    if (i >= r.length) throw new Error(`picker drew more than the ${r.length} scripted draws`);
    return (((r[i++] as number) % n) + 0.5) / n;
  };
}

const hosts = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('conformance: Envoy LeastRequestLoadBalancerTest (P2C)', () => {
  it('choice_count defaults to 2 (PNC: "0 choices configured should default to P2C")', () => {
    expect(LEAST_REQUEST_CHOICES).toBe(2);
  });

  it('SingleHost: the only host is chosen, whatever the draws', () => {
    const active = denseActive(new Int32Array(1));
    const rr = new RoundRobinCursor(1);
    // Envoy scripts (0, 2, 3); meshsim does not draw for a single host, as the test's host is returned.
    expect(pickHost('LEAST_REQUEST', hosts(1), 1, 0, active, undefined, rr, drawsOf(envoyDraws(1)), 0)).toBe(
      0,
    );
    // No host: Envoy returns nullptr (503 UH); meshsim returns -1.
    expect(pickHost('LEAST_REQUEST', hosts(0), 0, 0, active, undefined, rr, drawsOf(envoyDraws(1)), 0)).toBe(
      -1,
    );
  });

  it('Normal: draws (0 | 2, 3) sample hosts 0 and 1; the one with fewer active requests wins', () => {
    expect(
      pickLeastRequestAmong(hosts(2), 2, denseActive(Int32Array.of(1, 2)), drawsOf(envoyDraws(2, 2, 3)), 0),
    ).toBe(0);
    expect(
      pickLeastRequestAmong(hosts(2), 2, denseActive(Int32Array.of(2, 1)), drawsOf(envoyDraws(2, 2, 3)), 0),
    ).toBe(1);
  });

  it('PNC, P2C part: 4 hosts with active (4, 3, 2, 1), every draw 0: host 0 sampled twice is chosen', () => {
    const active = denseActive(Int32Array.of(4, 3, 2, 1));
    expect(pickLeastRequestAmong(hosts(4), 4, active, drawsOf(envoyDraws(4, 0, 0)), 0)).toBe(0);
    // Exactly choice_count draws per pick (Envoy: Times(3) = 1 priority draw + 2 choices).
    let draws = 0;
    pickLeastRequestAmong(
      hosts(4),
      4,
      active,
      drawsOf(() => (draws++, 0)),
      0,
    );
    expect(draws).toBe(2);
  });

  it('ties keep the first sample (least_request_lb.cc: `sampled_active_rq < candidate_active_rq`)', () => {
    const active = denseActive(Int32Array.of(3, 3));
    expect(pickLeastRequestAmong(hosts(2), 2, active, drawsOf(envoyDraws(2, 0, 1)), 0)).toBe(0);
    expect(pickLeastRequestAmong(hosts(2), 2, active, drawsOf(envoyDraws(2, 1, 0)), 0)).toBe(1);
  });

  it('the lesser of the two samples wins in either draw order (P2C is not "first of two")', () => {
    const active = denseActive(Int32Array.of(0, 0, 7, 2));
    expect(pickLeastRequestAmong(hosts(4), 4, active, drawsOf(envoyDraws(4, 2, 3)), 0)).toBe(3);
    expect(pickLeastRequestAmong(hosts(4), 4, active, drawsOf(envoyDraws(4, 3, 2)), 0)).toBe(3);
  });
});

describe('conformance: Envoy LeastRequestLoadBalancerTest.WeightImbalance (weights 1 and 2)', () => {
  const weights = Float64Array.of(1, 2);
  const rr = new RoundRobinCursor(1);
  /** Share of host 0 over a grid of N evenly spaced draws. */
  function share0(counts: Int32Array, n = 3000): number {
    const active = denseActive(counts);
    let zero = 0;
    for (let k = 0; k < n; k++)
      if (
        pickHost(
          'LEAST_REQUEST',
          hosts(2),
          2,
          0,
          active,
          weights,
          rr,
          drawsOf(() => (k + 0.5) / n),
          0,
        ) === 0
      )
        zero++;
    return zero / n;
  }

  it('no active requests: 2:1 for host 1 (host 0 gets 1/3)', () => {
    expect(share0(Int32Array.of(0, 0))).toBeCloseTo(1 / 3, 3);
  });
  it('host 1 at one active request: 1:1 (2/(1+1) = 1/(0+1))', () => {
    expect(share0(Int32Array.of(0, 1))).toBeCloseTo(1 / 2, 3);
  });
  it('host 0 at one active request, host 1 at none: 4:1 for host 1 (host 0 gets 1/5)', () => {
    expect(share0(Int32Array.of(1, 0))).toBeCloseTo(1 / 5, 3);
  });
});
