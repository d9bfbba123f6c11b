/**
 * Conformance: the least-request picker (power of two choices) against Envoy's own test.
 *
 * Source: envoyproxy/envoy test/common/upstream/load_balancer_impl_test.cc, commit
 * a191d22d1a187f29d33f953e11efcc7f4df30418, `LeastRequestLoadBalancerTest.Normal`: two healthy hosts with
 * rq_active (1, 2), random() returning 0 (the priority/locality draw), then 2 and 3: the two candidates are
 * hosts 2 % 2 = 0 and 3 % 2 = 1, and the one with fewer active requests wins: host 0; with (2, 1), host 1.
 * meshsim draws uniforms: candidate i of n is drawn by u = (i + 0.5)/n. A tie keeps the first candidate
 * (Envoy replaces only on strictly fewer active requests).
 */
import { describe, expect, it } from 'vitest';
import { denseActive, pickLeastRequestAmong } from '../../src/mesh/traffic/load-balancer.js';
import { drawsOf } from '../helpers/draws.js';

function scripted(values: number[]): () => number {
  let i = 0;
  return () => values[i++] as number;
}
const candidates = Int32Array.from([0, 1]);
const draws = [0.25, 0.75]; // Envoy's random() 2 and 3 over 2 hosts: candidates 0 then 1.

describe('conformance: Envoy LeastRequestLoadBalancerTest.Normal', () => {
  it('rq_active (1, 2): host 0', () => {
    expect(
      pickLeastRequestAmong(candidates, 2, denseActive(Int32Array.from([1, 2])), drawsOf(scripted(draws)), 0),
    ).toBe(0);
  });
  it('rq_active (2, 1): host 1', () => {
    expect(
      pickLeastRequestAmong(candidates, 2, denseActive(Int32Array.from([2, 1])), drawsOf(scripted(draws)), 0),
    ).toBe(1);
  });
  it('a tie keeps the first candidate drawn', () => {
    expect(
      pickLeastRequestAmong(candidates, 2, denseActive(Int32Array.from([1, 1])), drawsOf(scripted(draws)), 0),
    ).toBe(0);
    expect(
      pickLeastRequestAmong(
        candidates,
        2,
        denseActive(Int32Array.from([1, 1])),
        drawsOf(scripted([0.75, 0.25])),
        0,
      ),
    ).toBe(1);
  });
});
