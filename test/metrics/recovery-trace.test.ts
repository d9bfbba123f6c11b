/**
 * Availability recovery (issue 14, point 5): a time to recover fine enough to tell apart models that the
 * window-based time to recover puts in the same window, and a report that says when even it cannot.
 */
import { describe, expect, it } from 'vitest';
import { RecoveryTrace, availabilityRecovery } from '../../src/metrics/recovery-trace.js';
import { comparisonDocument } from '../../src/report/comparison-document.js';
import { comparisonFixture } from './../report/fixtures.js';

const WINDOW_MS = 10_000;
const SLICE_MS = WINDOW_MS / 10;
const LIMITS = { errorRateRise: 0.01, minRequests: 20 };

/** 100 req/s from 0 to 60 s; every request started in [from, to) fails. */
function trace(outage?: { from: number; to: number }): RecoveryTrace {
  const t = new RecoveryTrace(0, 60_000, SLICE_MS);
  for (let ms = 0; ms < 60_000; ms += 10) {
    t.start(ms);
    if (outage === undefined || ms < outage.from || ms >= outage.to) t.answeredWell(ms);
  }
  return t;
}

describe('metrics/recovery-trace', () => {
  it('availabilityRecovery separates two recoveries 4.4 s apart inside one 10 s window, each to a slice', () => {
    const baseline = trace();
    const fault = { atMs: 20_000 };
    const end = 30_000; // the fault's end, the reference
    // Both keep failing after the fault's end, into the same window [30 s, 40 s): 3.2 s and 7.6 s more.
    const fast = availabilityRecovery(trace({ from: 20_000, to: 33_200 }), baseline, end, fault, LIMITS);
    const slow = availabilityRecovery(trace({ from: 20_000, to: 37_600 }), baseline, end, fault, LIMITS);
    // The last span that misses ends at most one slice (the span's lag) past the last failure.
    expect(fast).not.toBeNull();
    expect(slow).not.toBeNull();
    expect(fast as number).toBeGreaterThanOrEqual(3_200);
    expect(fast as number).toBeLessThanOrEqual(3_200 + 2 * SLICE_MS);
    expect(slow as number).toBeGreaterThanOrEqual(7_600);
    expect(slow as number).toBeLessThanOrEqual(7_600 + 2 * SLICE_MS);
    expect((slow as number) - (fast as number)).toBeCloseTo(4_400, -3);
  });

  it('availabilityRecovery: 0 when availability never drops after the reference; null when it never comes back', () => {
    const baseline = trace();
    expect(
      availabilityRecovery(trace({ from: 20_000, to: 25_000 }), baseline, 30_000, { atMs: 20_000 }, LIMITS),
    ).toBe(0);
    expect(
      availabilityRecovery(trace({ from: 20_000, to: 60_000 }), baseline, 30_000, { atMs: 20_000 }, LIMITS),
    ).toBeNull();
  });

  it('a comparison says when the windows tie but availability recovery separates the models, and when it cannot', () => {
    const withFine = (spread: number) => ({
      ...comparisonFixture,
      models: comparisonFixture.models.map((m, k) => ({
        ...m,
        faults: (m.faults ?? []).map((f) => ({
          ...f,
          timeToRecoverMs: { mean: 10_000, ci95: [10_000, 10_000] as [number, number], n: 5 },
          availabilityRecoveryMs: {
            mean: 3_000 + k * spread,
            ci95: [2_500 + k * spread, 3_500 + k * spread] as [number, number],
            n: 5,
          },
        })),
      })),
    });
    const note = (spread: number) =>
      [
        ...comparisonDocument(withFine(spread)).leadTables,
        ...comparisonDocument(withFine(spread)).detailTables,
      ].find((t) => t.id === 'fault-blast-radius')?.note ?? '';
    expect(note(2_000)).toContain('and the availability recovery tells them apart');
    expect(note(2_000)).not.toContain('Cannot separate');
    expect(note(200)).toContain('Cannot separate the models on time to recover');
    expect(note(200)).toContain('equal within its resolution of 1 s');
  });
});
