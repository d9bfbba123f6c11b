import { describe, expect, it } from 'vitest';
import type { OutlierDetection } from '../../../src/mesh/routing-config.js';
import { OutlierDetector } from '../../../src/mesh/traffic/outlier-detector.js';

/** Istio's defaults when the block is present (istio-behaviour.md 4.4), percentages as fractions. */
function config(overrides: Partial<OutlierDetection> = {}): OutlierDetection {
  return {
    consecutive5xxErrors: 5,
    consecutiveGatewayErrors: 0,
    intervalMs: 10_000,
    baseEjectionTimeMs: 30_000,
    maxEjectionPercent: 0.1,
    minHealthPercent: 0,
    ...overrides,
  };
}

function fail(
  d: OutlierDetector,
  host: number,
  times: number,
  nowMs: number,
  kind: '5xx' | 'gateway' | 'local-origin' = '5xx',
) {
  let ejected = false;
  for (let i = 0; i < times; i++) ejected = d.recordFailure(host, kind, nowMs) || ejected;
  return ejected;
}

describe('mesh/traffic/outlier-detector', () => {
  it('recordFailure() never ejects in a 3-host cluster with the default 10 % (strict max ejection)', () => {
    // 100·(0+1)/3 = 33.3 > 10: Envoy refuses (PR #27909; Istio does not set always_eject_one_host).
    const d = new OutlierDetector(config(), 3, 0);
    expect(fail(d, 0, 20, 1_000)).toBe(false);
    expect(d.ejectedCount).toBe(0);
  });

  it('recordFailure() ejects one host of 10 with 10 %, and no second one', () => {
    // 100·1/10 = 10 ≤ 10 ejects; 100·2/10 = 20 > 10 does not.
    const d = new OutlierDetector(config(), 10, 0);
    expect(fail(d, 0, 5, 1_000)).toBe(true);
    expect(fail(d, 1, 5, 1_000)).toBe(false);
    expect(d.ejectedCount).toBe(1);
  });

  it('recordFailure() with 100 % ejects on the 5th consecutive failure, not before', () => {
    const d = new OutlierDetector(config({ maxEjectionPercent: 1 }), 3, 0);
    expect(fail(d, 1, 4, 1_000)).toBe(false);
    expect(d.isEjected(1)).toBe(false);
    expect(d.recordFailure(1, '5xx', 1_000)).toBe(true);
    expect(d.isEjected(1)).toBe(true);
    expect(d.monitoredCount).toBe(1);
  });

  it('advance() returns an ejected host at the first sweep 30 s after ejection; the second ejection lasts 60 s', () => {
    const d = new OutlierDetector(config({ maxEjectionPercent: 1 }), 3, 0);
    fail(d, 0, 5, 1_000); // ejected at 1 s, multiplier 1 → 30 s
    // Sweeps run at 10, 20, 30, 40 s from creation: at 30 s only 29 s have passed.
    d.advance(30_000);
    expect(d.isEjected(0)).toBe(true);
    expect(d.advance(40_000)).toBe(true);
    expect(d.isEjected(0)).toBe(false);
    // Ejected again at 41 s before any sweep decremented the multiplier: 2 × 30 s = 60 s.
    fail(d, 0, 5, 41_000);
    d.advance(100_000); // 59 s after ejection
    expect(d.isEjected(0)).toBe(true);
    d.advance(110_000); // 69 s: the sweep at 110 s returns it
    expect(d.isEjected(0)).toBe(false);
  });

  it('sweep() decrements the multiplier of a host back for a full interval, so the next ejection is shorter', () => {
    const d = new OutlierDetector(config({ maxEjectionPercent: 1 }), 2, 0);
    fail(d, 0, 5, 1_000);
    d.advance(40_000); // returned at 40 s, multiplier still 1
    d.advance(50_000); // 10 s back ≥ interval: multiplier 0
    fail(d, 0, 5, 51_000); // multiplier 1 again → 30 s
    d.advance(80_000); // 29 s
    expect(d.isEjected(0)).toBe(true);
    d.advance(90_000); // 39 s ≥ 30 s
    expect(d.isEjected(0)).toBe(false);
  });

  it('recordFailure() with 50 % on 4 hosts ejects at most 2', () => {
    // 25 %, 50 % allowed; 75 % > 50 % refused.
    const d = new OutlierDetector(config({ maxEjectionPercent: 0.5 }), 4, 0);
    for (let h = 0; h < 4; h++) fail(d, h, 5, 1_000);
    expect(d.ejectedCount).toBe(2);
    expect([0, 1, 2, 3].map((h) => d.isEjected(h))).toEqual([true, true, false, false]);
  });

  it('recordFailure() resets the counter after a refused ejection (Envoy onConsecutiveErrorWorker)', () => {
    const d = new OutlierDetector(config({ maxEjectionPercent: 0.5 }), 4, 0);
    fail(d, 0, 5, 1_000);
    fail(d, 1, 5, 1_000);
    fail(d, 2, 5, 1_000); // refused at 75 %, counter back to 0
    d.advance(40_000); // hosts 0 and 1 return
    expect(fail(d, 2, 4, 41_000)).toBe(false); // 4 since the reset
    expect(d.recordFailure(2, '5xx', 41_000)).toBe(true); // the 5th
  });

  it('recordSuccess() resets the consecutive counters', () => {
    const d = new OutlierDetector(config({ maxEjectionPercent: 1 }), 2, 0);
    fail(d, 0, 4, 1_000);
    d.recordSuccess(0);
    expect(fail(d, 0, 4, 1_000)).toBe(false);
    expect(d.isEjected(0)).toBe(false);
  });

  it("recordFailure(host, 'local-origin') counts towards consecutive 5xx (connect failures map to 503)", () => {
    const d = new OutlierDetector(config({ maxEjectionPercent: 1 }), 2, 0);
    expect(fail(d, 0, 5, 1_000, 'local-origin')).toBe(true);
  });

  it('recordFailure() with consecutiveGatewayErrors ejects on 502/503/504 runs, and a 500 breaks the run', () => {
    // 5xx ejection disabled (0): only the gateway counter can eject.
    const d = new OutlierDetector(
      config({ maxEjectionPercent: 1, consecutive5xxErrors: 0, consecutiveGatewayErrors: 3 }),
      2,
      0,
    );
    fail(d, 0, 2, 1_000, 'gateway');
    fail(d, 0, 1, 1_000, '5xx'); // resets the gateway counter
    expect(fail(d, 0, 2, 1_000, 'gateway')).toBe(false);
    expect(d.recordFailure(0, 'gateway', 1_000)).toBe(true);
  });

  it('recordResponse(host, code) maps status codes: <500 success, 502-504 gateway, other 5xx, 0 local origin', () => {
    const d = new OutlierDetector(
      config({ maxEjectionPercent: 1, consecutiveGatewayErrors: 2, consecutive5xxErrors: 0 }),
      2,
      0,
    );
    d.recordResponse(0, 503, 1_000);
    d.recordResponse(0, 200, 1_000);
    d.recordResponse(0, 0, 1_000);
    expect(d.recordResponse(0, 504, 1_000)).toBe(true);
  });

  it('the ejection time is capped at 300 s', () => {
    const d = new OutlierDetector(config({ maxEjectionPercent: 1, baseEjectionTimeMs: 100_000 }), 2, 0);
    // Ejections at multipliers 1, 2, 3 (100, 200, 300 s), then 4 → min(400, 300) = 300 s.
    let t = 1_000;
    for (let k = 1; k <= 4; k++) {
      fail(d, 0, 5, t);
      const ejectedAt = t;
      while (d.isEjected(0)) d.advance(d.nextSweepAt);
      const out = d.nextSweepAt - 10_000; // the sweep that returned it
      expect(out - ejectedAt).toBeGreaterThanOrEqual(Math.min(100_000 * k, 300_000));
      expect(out - ejectedAt).toBeLessThan(Math.min(100_000 * k, 300_000) + 10_000);
      t = out + 1; // fail again before the next sweep can decrement
    }
  });

  it('advance() skips idle sweeps but keeps them on the interval grid', () => {
    const d = new OutlierDetector(config(), 3, 500);
    d.advance(1_000_000);
    // Sweeps at 500 + 10 000·k; the next after 1 000 000 is 1 000 500.
    expect(d.nextSweepAt).toBe(1_000_500);
  });

  it('resize(n, previousIndex) keeps the state of hosts that persist', () => {
    const d = new OutlierDetector(config({ maxEjectionPercent: 1 }), 3, 0);
    fail(d, 2, 5, 1_000);
    fail(d, 1, 4, 1_000);
    d.resize(3, [-1, 2, 1]); // new host 0; old host 2 is now 1; old host 1 is now 2
    expect(d.isEjected(1)).toBe(true);
    expect(d.ejectedCount).toBe(1);
    expect(d.recordFailure(2, '5xx', 1_000)).toBe(true); // its 5th
    d.resize(2);
    expect(d.ejectedCount).toBe(0);
  });

  it('keeps monitors only for hosts with something to remember (sparse over a large cluster)', () => {
    const d = new OutlierDetector(config(), 5_000, 0);
    expect(d.monitoredCount).toBe(0);
    fail(d, 4_321, 2, 1_000);
    expect(d.monitoredCount).toBe(1);
    d.recordSuccess(4_321); // counters back to 0, never ejected: forgotten
    expect(d.monitoredCount).toBe(0);
    for (let h = 0; h < 5_000; h++) d.recordSuccess(h); // successes allocate nothing
    expect(d.monitoredCount).toBe(0);
  });
});
