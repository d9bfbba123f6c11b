/**
 * `faults.csv`: one row per fault and model with the blast-radius fields and the time to recover. A run
 * has one row per fault, exact values, and no interval. A comparison today carries blast radius per model
 * summed over its faults (not per fault), so it has one row per model with `fault_type` `all`, and intervals;
 * the columns are the same either way so that one script reads both.
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

/** `faults.csv` of a comparison: one row per model, blast radius summed over every fault, with intervals. */
export async function comparisonFaultsCsv(r: ComparisonResult): Promise<string> {
  if (r.faults.length === 0) return csvText([], FAULTS_CSV_COLUMNS);
  const rows = r.models.map((model): CsvRow => {
    const row: CsvRow = {
      model: model.model,
      fault_type: 'all',
      fault_target: `${r.faults.length} faults`,
      fault_at_ms: null,
      fault_for_ms: null,
    };
    for (const m of MEASURES) {
      const e: Estimate | null = model.blastRadius?.[m] ?? null;
      row[`blast_${m}_fraction`] = e?.mean ?? null;
      row[`blast_${m}_fraction_ci_lo`] = e?.ci95[0] ?? null;
      row[`blast_${m}_fraction_ci_hi`] = e?.ci95[1] ?? null;
    }
    row['time_to_recover_ms'] = null;
    row['replications'] = r.replications;
    return row;
  });
  return csvText(rows, FAULTS_CSV_COLUMNS);
}
