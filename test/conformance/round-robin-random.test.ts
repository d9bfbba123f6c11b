/**
 * Conformance: round robin (plain and weighted) and random against Envoy's own test vectors.
 *
 * Sources:
 * - envoyproxy/envoy test/extensions/load_balancing_policies/round_robin/round_robin_lb_test.cc, commit
 *   0d2acde2e8d72f305977c5638cd3c707aa8dad6f, `RoundRobinLoadBalancerTest` cases SingleHost, Normal, Seed,
 *   Weighted, WeightedSeed, WeightedInitializationPicksAllHosts. The expected sequences are Envoy's, copied from the test. Peeks
 *   (`peekAnotherHost`, preconnect) do not move the rotation in Envoy and meshsim has none, so only the
 *   `chooseHost` calls are replayed. The two steps of Weighted that change a live host's weight without a
 *   host-set update are not replayed: a meshsim view's weights change only with a push, which rebuilds.
 * - envoyproxy/envoy test/extensions/load_balancing_policies/random/random_lb_test.cc, commit
 *   2491050ae67b1fab8bcfc982ed813d64a689a8f1, `RandomLoadBalancerTest.Normal`: random() 2 → host 0, 3 → host
 *   1 (r % 2). Scripted draws map r to u = (r % n + 0.5)/n, which meshsim's ⌊u·n⌋ turns into the same index.
 *
 * Uniformity of RANDOM under a seeded stream (derived, not an Envoy vector): 4 hosts, N = 40 000 picks; each
 * count is Binomial(N, 1/4), SE = √(N·¼·¾) ≈ 86.6; the test allows 4 SE (±347) per host.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { denseActive, pickHost, pickRandom, RoundRobinCursor } from '../../src/mesh/traffic/load-balancer.js';
import { drawsOf } from '../helpers/draws.js';

const hosts = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
const noDraw = () => {
  throw new Error('round robin must not draw');
};

/** n chooseHost calls under ROUND_ROBIN over candidates 0..count-1. */
function rr(cursor: RoundRobinCursor, count: number, n: number, weights?: Float64Array): number[] {
  const active = denseActive(new Int32Array(count));
  return Array.from({ length: n }, () =>
    pickHost('ROUND_ROBIN', hosts(count), count, 0, active, weights, cursor, drawsOf(noDraw), 0),
  );
}

describe('conformance: Envoy RoundRobinLoadBalancerTest', () => {
  it('SingleHost', () => {
    expect(rr(new RoundRobinCursor(1), 1, 1)).toEqual([0]);
  });

  it('Normal: 0 1 0 1 0, then a third host joins: 2 0 1 2, then a fourth: 1 2 3', () => {
    const cursor = new RoundRobinCursor(1);
    expect(rr(cursor, 2, 5)).toEqual([0, 1, 0, 1, 0]);
    expect(rr(cursor, 3, 4)).toEqual([2, 0, 1, 2]);
    // Envoy's test keeps all four hosts in healthy_hosts_ (the removed one is only reported removed).
    expect(rr(cursor, 4, 3)).toEqual([1, 2, 3]);
  });

  it('Seed: random() = 1 starts the rotation at host 1: 1 2 0 1', () => {
    expect(rr(new RoundRobinCursor(1, 1), 3, 4)).toEqual([1, 2, 0, 1]);
  });

  it('Weighted: weights (1, 2) give 1 0 1 1 0 1', () => {
    expect(rr(new RoundRobinCursor(1), 2, 6, Float64Array.of(1, 2))).toEqual([1, 0, 1, 1, 0, 1]);
  });

  it('Weighted: after the host-set update to weights (2, 1, 3): 2 0 2 1 0 2 2 0 2 1 0 2', () => {
    const cursor = new RoundRobinCursor(1);
    rr(cursor, 2, 6, Float64Array.of(1, 2));
    expect(rr(cursor, 3, 12, Float64Array.of(2, 1, 3))).toEqual([2, 0, 2, 1, 0, 2, 2, 0, 2, 1, 0, 2]);
  });

  it('Weighted: after the update to weights (1, 4): 1 1 1 0 1 1 1 1 0 1', () => {
    expect(rr(new RoundRobinCursor(1), 2, 10, Float64Array.of(1, 4))).toEqual([1, 1, 1, 0, 1, 1, 1, 1, 0, 1]);
  });

  it('WeightedSeed: random() = 1 pre-picks once: 0 1 1 0 1 1', () => {
    expect(rr(new RoundRobinCursor(1, 1), 2, 6, Float64Array.of(1, 2))).toEqual([0, 1, 1, 0, 1, 1]);
  });

  it('WeightedInitializationPicksAllHosts: weights (6, 3, 1), seeds 0..9: first picks 6, 3 and 1 times', () => {
    const counts = [0, 0, 0];
    for (let seed = 0; seed < 10; seed++)
      counts[rr(new RoundRobinCursor(1, seed), 3, 1, Float64Array.of(6, 3, 1))[0]!]! += 1;
    expect(counts).toEqual([6, 3, 1]);
  });

  it('equal deadlines go to the earlier entry (edf_scheduler.h order_offset_, FIFO): weights (1, 1, 2)', () => {
    // Derived from EdfScheduler: initial deadlines 1/(1+1e-13) for hosts 0 and 1 (a tie, entry order 0 and
    // 1) and 1/(2+1e-13) for host 2. Host 2 first, then the tied hosts 0 then 1, then host 2 twice (its
    // re-added deadlines 1 - 2.5e-14 and 1.5 - 2.5e-14), then 0 and 1 again (tied at 2 - 1e-13).
    expect(rr(new RoundRobinCursor(1), 3, 8, Float64Array.of(1, 1, 2))).toEqual([2, 0, 1, 2, 2, 0, 1, 2]);
  });

  it('an ejection (a host-set change) rebuilds the weighted schedule over the remaining hosts', () => {
    const cursor = new RoundRobinCursor(1);
    const weights = Float64Array.of(1, 2, 3);
    const active = denseActive(new Int32Array(3));
    rr(cursor, 3, 4, weights);
    // Host 2 ejected: Envoy rebuilds on the update, so the (1, 2) schedule starts afresh: 1 0 1.
    const left = Int32Array.of(0, 1);
    const picks = [0, 1, 2].map(() =>
      pickHost('ROUND_ROBIN', left, 2, 0, active, weights, cursor, drawsOf(noDraw), 0),
    );
    expect(picks).toEqual([1, 0, 1]);
  });
});

describe('conformance: Envoy RandomLoadBalancerTest', () => {
  it('Normal: random() 2 → host 0, 3 → host 1 (r % 2)', () => {
    const u = (r: number) => ((r % 2) + 0.5) / 2;
    expect(
      pickRandom(
        hosts(2),
        2,
        drawsOf(() => u(2)),
        0,
      ),
    ).toBe(0);
    expect(
      pickRandom(
        hosts(2),
        2,
        drawsOf(() => u(3)),
        0,
      ),
    ).toBe(1);
  });

  it('RANDOM ignores host weights (RandomLoadBalancer indexes hosts_to_use directly)', () => {
    const weights = Float64Array.of(1, 100);
    const active = denseActive(new Int32Array(2));
    expect(
      pickHost(
        'RANDOM',
        hosts(2),
        2,
        0,
        active,
        weights,
        new RoundRobinCursor(1),
        drawsOf(() => 0.25),
        0,
      ),
    ).toBe(0);
  });

  it('uniform over 4 hosts within 4 binomial SE (N = 40 000, ±347)', () => {
    const rng = seedrandom('conformance-random');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++)
      counts[
        pickRandom(
          hosts(4),
          4,
          drawsOf(() => rng()),
          0,
        )
      ]! += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThanOrEqual(347);
  });
});
