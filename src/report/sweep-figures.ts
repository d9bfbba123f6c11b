/**
 * How a sweep writes the figures of a model's comparison (experiment/model-figures.ts, where they are
 * defined): names in snake_case with the unit in the name, as Prometheus names metrics (`latency_p99_ms`,
 * `availability_ratio`, `rejected_pod_creations_total`), and axis titles with the unit in words; an
 * interval's bounds are `<name>_ci_low` and `<name>_ci_high`.
 *
 * Contents: `SweepFigure`, `sweepFigure`, `sweepFigureName`.
 */
import type { Estimate, ModelComparison, ModelFigure } from '../experiment/index.js';

export interface SweepFigure {
  readonly name: string;
  /** Axis title. */
  readonly title: string;
  readonly value: (m: ModelComparison) => Estimate | null | undefined;
}

/** Prometheus' suffix for a unit the camelCase name does not already end in (a share, a count). */
const NAME_SUFFIX: Partial<Record<ModelFigure['unit'], string>> = { fraction: '_ratio', count: '_total' };

/** The unit as an axis title shows it: in brackets after the label, or as the label's last word. */
const TITLE_UNIT: Record<ModelFigure['unit'], string> = {
  fraction: ' (ratio)',
  ms: ' (ms)',
  GB: ' (GB)',
  vCPU: ' vCPU',
  'proxy-seconds': ' proxy-seconds',
  count: '',
};

/** `latencyP99Ms` -> `latency_p99_ms`; `availability` (a fraction) -> `availability_ratio`. */
export function sweepFigureName(f: ModelFigure): string {
  return `${f.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}${NAME_SUFFIX[f.unit] ?? ''}`;
}

/** The figure as the sweep's CSV and charts write it. */
export function sweepFigure(f: ModelFigure): SweepFigure {
  return { name: sweepFigureName(f), title: `${f.label}${TITLE_UNIT[f.unit]}`, value: f.of };
}
