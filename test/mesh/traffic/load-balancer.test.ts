import { describe, expect, it } from 'vitest';
import {
  RoundRobinCursor,
  denseActive,
  collectUsable,
  pickHost,
  pickLeastRequestAmong,
  pickRandom,
  pickWeightedLeastRequest,
} from '../../../src/mesh/traffic/load-balancer.js';
import { drawsOf } from '../../helpers/draws.js';

/** A deterministic Uniform cycling through `values`. */
function seq(...values: number[]) {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

describe('mesh/traffic/load-balancer (priority-level picks)', () => {
  it('collectUsable(level, n, ejected, out) keeps the non-ejected hosts of a level', () => {
    const out = new Int32Array(4);
    const n = collectUsable(Int32Array.of(3, 5, 7, 9), 4, { isEjected: (h) => h === 5 || h === 9 }, out);
    expect(Array.from(out.subarray(0, n))).toEqual([3, 7]);
  });

  it('pickRandom(candidates, n, draws, stream) picks uniformly by index', () => {
    const c = Int32Array.of(10, 20, 30, 40);
    expect(
      [0, 0.25, 0.5, 0.99].map((u) =>
        pickRandom(
          c,
          4,
          drawsOf(() => u),
          0,
        ),
      ),
    ).toEqual([10, 20, 30, 40]);
  });

  it('RoundRobinCursor.pick() rotates per level over the current candidates', () => {
    const rr = new RoundRobinCursor(2);
    const c = Int32Array.of(4, 6, 8);
    expect([rr.pick(c, 3, 0), rr.pick(c, 3, 0), rr.pick(c, 3, 0), rr.pick(c, 3, 0)]).toEqual([4, 6, 8, 4]);
    expect(rr.pick(c, 3, 1)).toBe(4); // level 1 has its own cursor
    // An ejection shrank level 0 to two candidates: the cursor (4 picks so far) continues modulo 2.
    expect([rr.pick(c, 2, 0), rr.pick(c, 2, 0)]).toEqual([4, 6]);
  });

  it('pickLeastRequestAmong() takes the less loaded of two random candidates', () => {
    const active = denseActive(Int32Array.of(0, 0, 5, 1));
    const c = Int32Array.of(2, 3);
    // Draws index 0 (host 2, 5 active) and index 1 (host 3, 1 active): host 3.
    expect(pickLeastRequestAmong(c, 2, active, drawsOf(seq(0, 0.6)), 0)).toBe(3);
    // Same host twice: it wins.
    expect(pickLeastRequestAmong(c, 2, active, drawsOf(seq(0, 0)), 0)).toBe(2);
  });

  it('pickWeightedLeastRequest() draws in proportion to weight/(active+1)', () => {
    // Host 0: 3/(0+1) = 3; host 1: 2/(1+1) = 1 → shares 3/4, 1/4.
    const active = denseActive(Int32Array.of(0, 1));
    const weights = Float64Array.of(3, 2);
    const c = Int32Array.of(0, 1);
    let ones = 0;
    for (let i = 0; i < 400; i++)
      ones += pickWeightedLeastRequest(
        c,
        2,
        active,
        weights,
        drawsOf(() => (i + 0.5) / 400),
        0,
      );
    expect(ones).toBe(100);
  });

  it('pickHost() dispatches by policy and returns -1 with no candidate (503 UH)', () => {
    const active = denseActive(new Int32Array(3));
    const rr = new RoundRobinCursor(1);
    const c = Int32Array.of(0, 1, 2);
    const pick = (
      policy: Parameters<typeof pickHost>[0],
      count: number,
      draw: () => number,
      weights?: Float64Array,
    ): number => pickHost(policy, c, count, 0, active, weights, rr, drawsOf(draw), 0);
    expect(pick('LEAST_REQUEST', 0, () => 0)).toBe(-1);
    expect(pick('RANDOM', 3, () => 0.7)).toBe(2);
    expect(pick('ROUND_ROBIN', 3, () => 0)).toBe(0);
    expect(pick('ROUND_ROBIN', 3, () => 0)).toBe(1);
    // Unequal weights switch least request to the weighted draw: host 2 has weight 0, never picked.
    const w = Float64Array.of(1, 1, 0);
    for (let i = 0; i < 50; i++) expect(pick('LEAST_REQUEST', 3, () => i / 50, w)).not.toBe(2);
  });
});
