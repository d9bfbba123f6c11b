/**
 * `csv/sweep.csv`: one row per grid point and model, wide (one column per figure and per interval bound),
 * so a spreadsheet plots a figure against a swept column directly. Columns: `point`, one per swept path
 * (named as the path, holding the value as written in `--set`), `model`, `replications`, then each figure
 * of `figures` (experiment's `MODEL_FIGURES`) as `<name>`, `<name>_ci_low`, `<name>_ci_high` (empty where not measured).
 *
 * Contents: `sweepCsv`, `sweepCsvColumns`.
 */
import type { ModelFigure, SweepResult } from '../experiment/index.js';
import { type CsvRow, csvText } from './csv-text.js';
import { sweepFigure } from './sweep-figures.js';

export function sweepCsvColumns(r: SweepResult, figures: readonly ModelFigure[]): string[] {
  return [
    'point',
    ...r.parameters.map((p) => p.path),
    'model',
    'replications',
    ...figures.map(sweepFigure).flatMap((f) => [f.name, `${f.name}_ci_low`, `${f.name}_ci_high`]),
  ];
}

export async function sweepCsv(r: SweepResult, figures: readonly ModelFigure[]): Promise<string> {
  const written = figures.map(sweepFigure);
  const rows = r.points.flatMap((p) =>
    p.comparison.models.map((m): CsvRow => {
      const row: CsvRow = { point: p.point, model: m.model, replications: p.comparison.replications };
      for (const param of r.parameters) row[param.path] = p.settings[param.path] ?? null;
      for (const f of written) {
        const e = f.value(m) ?? null;
        row[f.name] = e?.mean ?? null;
        row[`${f.name}_ci_low`] = e?.ci95[0] ?? null;
        row[`${f.name}_ci_high`] = e?.ci95[1] ?? null;
      }
      return row;
    }),
  );
  return csvText(rows, sweepCsvColumns(r, figures));
}
