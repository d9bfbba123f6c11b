/**
 * Conformance: outlier ejection timing (back-off) and the max-ejection arithmetic, against Envoy's tests.
 *
 * Source: envoyproxy/envoy test/common/upstream/outlier_detection_impl_test.cc, commit
 * 5f365cab85a84d63082fa68f7542c900cf4d28b8:
 * - `OutlierDetectorImplTest.EjectTimeBackoff`: base ejection 10 s, interval 10 s, max ejection 100 %, one
 *   host; five 500s eject it. Ejections last 10, 20 and 30 s in a row; two healthy intervals bring the next
 *   to 20 s; fifty healthy intervals bring it back to 10 s. Replayed step by step below, with the sweep
 *   times the test drives its interval timer at.
 * - max-ejection arithmetic (source/common/upstream/outlier_detection_impl.cc `ejectHost`): an ejection is
 *   allowed while 100·(ejected+1)/hosts ≤ max_ejection_percent; Istio's default 10 % never ejects in a
 *   cluster of fewer than 10 hosts (Istio does not set always_eject_one_host).
 */
import { describe, expect, it } from 'vitest';
import { OutlierDetector } from '../../src/mesh/traffic/outlier-detector.js';

const config = (maxEjectionPercent: number) => ({
  consecutive5xxErrors: 5,
  consecutiveGatewayErrors: 0,
  intervalMs: 10_000,
  baseEjectionTimeMs: 10_000,
  maxEjectionPercent,
  minHealthPercent: 0,
});

/** loadRq(host, 5, 500) at `t` seconds. */
function fiveHundreds(d: OutlierDetector, host: number, t: number): boolean {
  let ejected = false;
  for (let i = 0; i < 5; i++) ejected = d.recordFailure(host, '5xx', t * 1000) || ejected;
  return ejected;
}

describe('conformance: Envoy OutlierDetectorImplTest.EjectTimeBackoff', () => {
  it('ejections last 10, 20, 30 s; two healthy intervals give 20 s; fifty give 10 s again', () => {
    const d = new OutlierDetector(config(1), 1, 0);
    const at = (t: number) => {
      d.advance(t * 1000);
      return d.isEjected(0);
    };
    expect(fiveHundreds(d, 0, 0)).toBe(true);
    expect(at(10)).toBe(false); // back after 10 s
    expect(fiveHundreds(d, 0, 10)).toBe(true);
    expect(at(20)).toBe(true);
    expect(at(30)).toBe(false); // back after 20 s
    expect(fiveHundreds(d, 0, 30)).toBe(true);
    expect(at(40)).toBe(true);
    expect(at(50)).toBe(true);
    expect(at(60)).toBe(false); // back after 30 s
    expect(at(70)).toBe(false);
    expect(at(80)).toBe(false); // two healthy intervals: multiplier 3 → 2 (before this ejection)
    expect(fiveHundreds(d, 0, 80)).toBe(true);
    expect(at(90)).toBe(true);
    expect(at(100)).toBe(false); // back after 20 s
    for (let i = 1; i <= 50; i++) expect(at(100 + i * 10)).toBe(false);
    expect(fiveHundreds(d, 0, 610)).toBe(true);
    expect(at(620)).toBe(false); // back after 10 s
  });
});

describe('conformance: max ejection percent (ejectHost)', () => {
  it.each([
    // [hosts, maxEjectionPercent, ejections allowed]
    [9, 0.1, 0], // 100·1/9 = 11.1 > 10: none, Istio's default on a small cluster
    [10, 0.1, 1],
    [20, 0.1, 2],
    [4, 0.5, 2],
    [3, 0.5, 1], // 100·2/3 = 66.7 > 50
    [4, 1, 4],
  ])('%i hosts at max %f: %i ejected at most', (hosts, max, allowed) => {
    const d = new OutlierDetector(config(max), hosts, 0);
    for (let h = 0; h < hosts; h++) fiveHundreds(d, h, 1);
    expect(d.ejectedCount).toBe(allowed);
  });
});
