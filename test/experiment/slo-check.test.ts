import { describe, expect, it } from 'vitest';
import { checkComparisonSlo, checkRunSlo, type ComparisonResult } from '../../src/experiment/index.js';
import type { Slo } from '../../src/scenario/index.js';
import { baseRun, withFigures } from './fake-runs.js';

const slo = (availability?: number, p99?: number): Slo => ({
  availability,
  latencyMs: { p50: undefined, p90: undefined, p99, p999: undefined },
});

describe('experiment/slo-check', () => {
  it('checkRunSlo() is met, missed with every objective named, or has nothing to check', async () => {
    const { run } = await baseRun();
    const r = withFigures(run, { availability: 0.995, p99: 300 });
    expect(checkRunSlo(slo(0.99, 500), r)).toEqual({ kind: 'met', objectives: 2 });
    expect(checkRunSlo(slo(undefined, undefined), r)).toEqual({ kind: 'no-slo' });
    const missed = checkRunSlo(slo(0.999, 250), r);
    expect(missed.kind === 'missed' && missed.misses.map((m) => m.message)).toEqual([
      'availability 99.500% is below the SLO of 99.900%',
      'p99 latency 300.00 ms is above the SLO of 250.00 ms',
    ]);
  });

  it('checkComparisonSlo() judges each model on its mean and prints the interval with it', () => {
    const est = (mean: number, lo: number, hi: number) => ({ mean, ci95: [lo, hi] as const, n: 5 });
    const r = {
      models: [
        { model: 'a', availability: est(0.9995, 0.999, 1), latencyMs: { p50: null, p99: est(100, 90, 110) } },
        {
          model: 'b',
          availability: est(0.998, 0.997, 0.999),
          latencyMs: { p50: null, p99: est(100, 90, 110) },
        },
      ],
    } as unknown as ComparisonResult;
    const c = checkComparisonSlo(slo(0.999, 200), r);
    expect(c.kind === 'missed' && c.misses).toEqual([
      {
        model: 'b',
        objective: 'availability',
        message: 'b: availability 99.800% (mean; 95% CI 99.700% to 99.900%) is below the SLO of 99.900%',
      },
    ]);
  });
});
