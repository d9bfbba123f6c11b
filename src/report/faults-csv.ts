/**
 * `faults.csv`: one row per fault and model with the blast-radius fields and the time to recover. A run
 * has one row per fault, exact values, and no interval. A comparison has, per model, one row per fault
 * (means over replications with their intervals) and a row `all` for the average fault; the columns are
 * the same either way so that one script reads both.
 */
import type { ComparisonResult, Estimate } from '../experiment/index.js';
import type { RunSummary } from '../metrics/index.js';
import { type CsvRow, csvText } from './csv-text.js';
import { runLabel } from './charts/chart-input.js';

const MEASURES = ['clusters', 'services', 'traffic', 'collateral'] as const;

/** Column order of `faults.csv`. Fractions are 0..1. */
export const FAULTS_CSV_COLUMNS: readonly string[] = [
  'model',
  'fault_type',
  'fault_target',
  'fault_at_ms',
  'fault_for_ms',
  ...MEASURES.flatMap((m) => [
    `blast_${m}_fraction`,
    `blast_${m}_fraction_ci_lo`,
    `blast_${m}_fraction_ci_hi`,
  ]),
  'time_to_recover_ms',
  'replications',
];

/** `faults.csv` of one run: one row per fault; `fault_for_ms` and `time_to_recover_ms` empty for "until the end" and "never". */
export async function runFaultsCsv(s: RunSummary): Promise<string> {
  const rows = (s.faults ?? []).map((f): CsvRow => {
    const row: CsvRow = {
      model: runLabel(s),
      fault_type: f.type,
      fault_target: f.target,
      fault_at_ms: f.atMs,
      fault_for_ms: f.forMs,
    };
    for (const m of MEASURES) {
      row[`blast_${m}_fraction`] = f.blastRadius?.[m] ?? null;
      row[`blast_${m}_fraction_ci_lo`] = null;
      row[`blast_${m}_fraction_ci_hi`] = null;
    }
    row['time_to_recover_ms'] = f.timeToRecoverMs;
    row['replications'] = 1;
    return row;
  });
  return csvText(rows, FAULTS_CSV_COLUMNS);
}

/** `faults.csv` of a comparison: per model, each fault with intervals, then `all`, the average fault. */
export async function comparisonFaultsCsv(r: ComparisonResult): Promise<string> {
  if (r.faults.length === 0) return csvText([], FAULTS_CSV_COLUMNS);
  const rows = r.models.flatMap((model): CsvRow[] => {
    const perFault = (model.faults ?? []).map((f, i) =>
      estimatesRow(model.model, f.type, f.target, f.atMs, r.faults[i]?.forMs ?? null, f.blastRadius, {
        timeToRecover: f.timeToRecoverMs?.mean ?? null,
        replications: r.replications,
      }),
    );
    const average = estimatesRow(
      model.model,
      'all',
      `average of ${r.faults.length} faults`,
      null,
      null,
      model.blastRadius,
      { timeToRecover: null, replications: r.replications },
    );
    return [...perFault, average];
  });
  return csvText(rows, FAULTS_CSV_COLUMNS);
}

function estimatesRow(
  model: string,
  type: string,
  target: string,
  atMs: number | null,
  forMs: number | null,
  blast: Readonly<Record<(typeof MEASURES)[number], Estimate | null>> | null,
  rest: { readonly timeToRecover: number | null; readonly replications: number },
): CsvRow {
  const row: CsvRow = {
    model,
    fault_type: type,
    fault_target: target,
    fault_at_ms: atMs,
    fault_for_ms: forMs,
  };
  for (const m of MEASURES) {
    const e = blast?.[m] ?? null;
    row[`blast_${m}_fraction`] = e?.mean ?? null;
    row[`blast_${m}_fraction_ci_lo`] = e?.ci95[0] ?? null;
    row[`blast_${m}_fraction_ci_hi`] = e?.ci95[1] ?? null;
  }
  row['time_to_recover_ms'] = rest.timeToRecover;
  row['replications'] = rest.replications;
  return row;
}
