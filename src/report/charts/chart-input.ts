/**
 * What a chart is drawn from: a model comparison, or one run (drawn as a comparison of one series). The
 * helpers here read the few things every chart needs the same way from either.
 *
 * Contents: `ChartInput`, `isComparison`, `seriesNames`, `faultBands`, `FaultBand`.
 */
import type { ComparisonResult } from '../../experiment/index.js';
import type { RunSummary } from '../../metrics/index.js';

/** A model comparison or a single run. */
export type ChartInput = ComparisonResult | RunSummary;

/** True for a model comparison, false for a single run. */
export function isComparison(input: ChartInput): input is ComparisonResult {
  return 'models' in input;
}

/** The run's series name: its model, or the scenario when the scenario names no model. */
export function runLabel(summary: RunSummary): string {
  return summary.model ?? summary.scenario;
}

/** Series names in report order: the models compared, or the run's one model. */
export function seriesNames(input: ChartInput): string[] {
  return isComparison(input) ? input.models.map((m) => m.model) : [runLabel(input)];
}

/** One fault's active interval, in seconds of simulated time, clipped to the measured part of the run. */
export interface FaultBand {
  readonly type: string;
  readonly target: string;
  readonly startS: number;
  readonly endS: number;
}

/**
 * The faults' active intervals, clipped to [warm-up, end]: a fault without `for` lasts until the end of the
 * run, and one entirely inside the warm-up is not drawn because nothing after warm-up is measured there.
 */
export function faultBands(input: ChartInput): FaultBand[] {
  const faults = input.faults ?? [];
  const bands: FaultBand[] = [];
  for (const f of faults) {
    const start = Math.max(f.atMs, input.warmupMs);
    const end = Math.min(f.forMs === null ? input.durationMs : f.atMs + f.forMs, input.durationMs);
    if (end <= start) continue;
    bands.push({ type: f.type, target: f.target, startS: start / 1000, endS: end / 1000 });
  }
  return bands;
}
