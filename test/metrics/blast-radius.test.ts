import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BLAST_RADIUS_THRESHOLDS,
  UnitWindows,
  blastRadius,
  impacted,
  type BlastRadiusLayout,
  type RunUnits,
} from '../../src/metrics/index.js';
import type { FaultDomain } from '../../src/mesh/index.js';

// Two clusters, one traffic source, one service; six 10 s windows from t = 0.
const LAYOUT: BlastRadiusLayout = {
  clusters: ['a', 'b'],
  traffic: ['web'],
  services: ['api'],
  warmupMs: 0,
  durationMs: 60_000,
  windowMs: 10_000,
};
const A = 0;
const B = 1;

/** Both unit kinds, every cell with 100 requests answered in 10 ms. */
function healthy(): RunUnits {
  const units: RunUnits = { requests: new UnitWindows(2, 6), services: new UnitWindows(2, 6) };
  for (let u = 0; u < 2; u++) for (let w = 0; w < 6; w++) fill(units, u, w, 100, 0, 10);
  return units;
}

/** Replaces a cell of both unit kinds of `units` (unit = cluster here) with n requests, `failed` failing. */
function fill(
  units: RunUnits,
  unit: number,
  window: number,
  n: number,
  failed: number,
  latencyMs: number,
): void {
  for (const x of [units.requests, units.services]) {
    const c = x.cell(unit, window);
    x.started[c] = 0;
    x.completed[c] = 0;
    x.failed[c] = 0;
    x.histogram(unit, window)?.reset();
    for (let i = 0; i < n; i++) {
      if (x === units.requests) x.start(unit, window);
      x.complete(unit, window, i >= failed, latencyMs);
    }
  }
}

const endFault = (domain: number[]): { atMs: number; forMs: number; domain: FaultDomain } => ({
  atMs: 20_000,
  forMs: 20_000,
  domain: { clusters: domain, recoveryFrom: 'end' },
});

const T = DEFAULT_BLAST_RADIUS_THRESHOLDS;

describe('metrics/blast-radius', () => {
  it('blastRadius(same, same) is zero everywhere and recovers at once', () => {
    const m = blastRadius(healthy(), healthy(), LAYOUT, endFault([A]), T, undefined);
    expect(m.blastRadius).toEqual({
      clusters: 0,
      services: 0,
      traffic: 0,
      failed: 0,
      slow: 0,
      collateral: 0,
    });
    expect(m.timeToRecoverMs).toBe(0);
    expect(m.detail.impactedUnitWindows).toBe(0);
  });

  it('blastRadius(...) of failures in the failed domain only: clusters 1/2, collateral 0', () => {
    const f = healthy();
    fill(f, A, 2, 100, 20, 10);
    fill(f, A, 3, 100, 20, 10);
    const m = blastRadius(f, healthy(), LAYOUT, endFault([A]), T, undefined);
    // 40 excess failures over the 400 requests of windows 2 and 3.
    expect(m.blastRadius).toEqual({
      clusters: 0.5,
      services: 1,
      traffic: 0.1,
      failed: 0.1,
      slow: 0,
      collateral: 0,
    });
    expect(m.timeToRecoverMs).toBe(0);
    expect(m.detail).toMatchObject({
      failedDomain: ['a'],
      fromMs: 20_000,
      toMs: 40_000,
      requests: 400,
      excessBadRequests: 40,
      impactedClusters: ['a'],
      impactedServices: ['api'],
      impactedUnitWindows: 4,
    });
  });

  it('blastRadius(...) counts failures outside the failed domain as collateral', () => {
    const f = healthy();
    fill(f, A, 2, 100, 20, 10);
    fill(f, A, 3, 100, 20, 10);
    fill(f, B, 2, 100, 10, 10);
    const m = blastRadius(f, healthy(), LAYOUT, endFault([A]), T, undefined);
    expect(m.blastRadius).toEqual({
      clusters: 1,
      services: 1,
      traffic: 0.125,
      failed: 0.125,
      slow: 0,
      collateral: 0.025,
    });
  });

  it('blastRadius(...) of an external control plane (empty failed domain) is all collateral', () => {
    const f = healthy();
    fill(f, A, 2, 100, 20, 10);
    const m = blastRadius(f, healthy(), LAYOUT, endFault([]), T, undefined);
    expect(m.blastRadius?.collateral).toBe(m.blastRadius?.traffic);
    expect(m.detail.failedDomain).toEqual([]);
  });

  it('blastRadius(...) counts requests past 1.5 x the baseline p99 as too slow and recovers after the last slow window', () => {
    const f = healthy();
    fill(f, A, 2, 100, 20, 10);
    fill(f, A, 3, 100, 20, 10);
    fill(f, A, 4, 100, 0, 20); // after the fault's end: p99 doubled, every request past 15 ms
    const m = blastRadius(f, healthy(), LAYOUT, endFault([A]), T, undefined);
    expect(m.timeToRecoverMs).toBe(10_000);
    expect(m.detail.toMs).toBe(50_000);
    expect(m.detail.requests).toBe(600);
    expect(m.blastRadius?.traffic).toBeCloseTo(140 / 600, 6);
    // Failed and slow apart: 40 failures in the fault, 100 slow answers after it.
    expect(m.blastRadius?.failed).toBeCloseTo(40 / 600, 6);
    expect(m.blastRadius?.slow).toBeCloseTo(100 / 600, 6);
    expect(m.detail.excessFailedRequests).toBe(40);
    expect(m.detail.excessSlowRequests).toBe(100);
  });

  it('blastRadius(...) labels slow answers as slow, not as lost: a slower failover fails nothing', () => {
    // The regional-failover case turned right: every request answered, but past the deadline.
    const f = healthy();
    fill(f, A, 2, 100, 0, 30);
    fill(f, A, 3, 100, 0, 30);
    const m = blastRadius(f, healthy(), LAYOUT, endFault([A]), T, 20);
    expect(m.blastRadius?.failed).toBe(0);
    expect(m.blastRadius?.slow).toBeCloseTo(200 / 400, 6);
    expect(m.blastRadius?.traffic).toBeCloseTo(200 / 400, 6);
  });

  it('blastRadius(..., deadlineMs) uses the SLO deadline instead of the baseline p99', () => {
    const f = healthy();
    fill(f, A, 2, 100, 0, 12); // 20% slower: not impacted, but past a 11 ms deadline
    const m = blastRadius(f, healthy(), LAYOUT, endFault([A]), T, 11);
    expect(m.detail.impactedUnitWindows).toBe(0);
    expect(m.blastRadius?.traffic).toBeCloseTo(100 / 400, 6);
    const without = blastRadius(f, healthy(), LAYOUT, endFault([A]), T, undefined);
    expect(without.blastRadius?.traffic).toBe(0);
  });

  it('blastRadius(...) is null-recovery when the last window is still impacted', () => {
    const f = healthy();
    fill(f, A, 5, 100, 50, 10);
    const m = blastRadius(f, healthy(), LAYOUT, endFault([A]), T, undefined);
    expect(m.timeToRecoverMs).toBeNull();
    expect(m.detail.toMs).toBe(60_000);
  });

  it('blastRadius(...) of a fault the mesh routes around counts recovery from its start', () => {
    const f = healthy();
    fill(f, A, 2, 100, 20, 10);
    const m = blastRadius(
      f,
      healthy(),
      LAYOUT,
      { atMs: 20_000, forMs: 30_000, domain: { clusters: [A], recoveryFrom: 'start' } },
      T,
      undefined,
    );
    expect(m.timeToRecoverMs).toBe(10_000);
    // The measured interval still runs to the fault's end.
    expect(m.detail.toMs).toBe(50_000);
  });

  it('blastRadius(...) of a fault starting after the last window is null', () => {
    const m = blastRadius(
      healthy(),
      healthy(),
      LAYOUT,
      { atMs: 70_000, forMs: Infinity, domain: { clusters: [A], recoveryFrom: 'start' } },
      T,
      undefined,
    );
    expect(m.blastRadius).toBeNull();
  });

  it('blastRadius(...) sums excesses before clipping, so noise in opposite directions cancels', () => {
    const f = healthy();
    const b = healthy();
    fill(f, A, 2, 100, 1, 10); // +1 failure in a
    fill(b, B, 2, 100, 1, 10); // -1 failure in b (the baseline had it)
    const m = blastRadius(f, b, LAYOUT, endFault([A]), T, undefined);
    expect(m.blastRadius?.traffic).toBe(0);
    expect(m.blastRadius?.collateral).toBe(0);
  });

  it('impacted(...) needs a rise above the thresholds and enough samples in both runs', () => {
    const b = healthy();
    const f = healthy();
    fill(f, A, 0, 100, 1, 10); // exactly 1 point: not more than 1 point
    expect(impacted(f.requests, b.requests, A, 0, T)).toBe(false);
    fill(f, A, 0, 100, 2, 10);
    expect(impacted(f.requests, b.requests, A, 0, T)).toBe(true);
    fill(f, A, 1, 100, 0, 14); // +40%
    expect(impacted(f.requests, b.requests, A, 1, T)).toBe(false);
    fill(f, A, 1, 100, 0, 16); // +60%
    expect(impacted(f.requests, b.requests, A, 1, T)).toBe(true);
    // Too few samples to judge either.
    fill(f, B, 2, 10, 5, 100);
    fill(b, B, 2, 10, 0, 10);
    expect(impacted(f.requests, b.requests, B, 2, T)).toBe(false);
    expect(impacted(f.requests, b.requests, B, 2, { ...T, minRequests: 10, minLatencySamples: 5 })).toBe(
      true,
    );
  });

  it('impacted(...) counts requests never answered by the end as failed', () => {
    const f = healthy();
    const x = f.requests;
    for (let i = 0; i < 10; i++) x.start(A, 0); // 110 started, 100 answered
    expect(impacted(x, healthy().requests, A, 0, T)).toBe(true);
  });
});
