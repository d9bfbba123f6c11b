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

const MEASURES = ['clusters', 'services', 'traffic', 'failed', 'slow', 'collateral'] as const;

/**
 * Column order of `faults.csv`. Ratios are 0..1; every interval is `<figure>_ci95_lo` and `_ci95_hi`.
 * `blast_traffic_ratio` is failed or slow; `blast_failed_ratio` and `blast_slow_ratio` its two parts.
 */
export const FAULTS_CSV_COLUMNS: readonly string[] = [
  'model',
  'fault_type',
  'fault_kind',
  'fault_target',
  'fault_at_ms',
  'fault_for_ms',
  ...MEASURES.flatMap((m) => [`blast_${m}_ratio`, `blast_${m}_ratio_ci95_lo`, `blast_${m}_ratio_ci95_hi`]),
  'time_to_recover_ms',
  'time_to_recover_ms_ci95_lo',
  'time_to_recover_ms_ci95_hi',
  'availability_recovery_ms',
  'availability_recovery_ms_ci95_lo',
  'availability_recovery_ms_ci95_hi',
  'never_recovered_total',
  'replications_total',
];

/** `faults.csv` of one run: one row per fault; `fault_for_ms` and `time_to_recover_ms` empty for "until the end" and "never". */
export async function runFaultsCsv(s: RunSummary): Promise<string> {
  const rows = (s.faults ?? []).map((f): CsvRow => {
    const row: CsvRow = {
      model: runLabel(s),
      fault_type: f.type,
      fault_kind: f.kind ?? 'fault',
      fault_target: f.target,
      fault_at_ms: f.atMs,
      fault_for_ms: f.forMs,
    };
    for (const m of MEASURES) {
      row[`blast_${m}_ratio`] = f.blastRadius?.[m] ?? null;
      row[`blast_${m}_ratio_ci95_lo`] = null;
      row[`blast_${m}_ratio_ci95_hi`] = null;
    }
    row['time_to_recover_ms'] = f.timeToRecoverMs;
    row['time_to_recover_ms_ci95_lo'] = null;
    row['time_to_recover_ms_ci95_hi'] = null;
    row['availability_recovery_ms'] = f.availabilityRecoveryMs ?? null;
    row['availability_recovery_ms_ci95_lo'] = null;
    row['availability_recovery_ms_ci95_hi'] = null;
    row['never_recovered_total'] = f.blastRadius !== null && f.timeToRecoverMs === null ? 1 : 0;
    row['replications_total'] = 1;
    return row;
  });
  return csvText(rows, FAULTS_CSV_COLUMNS);
}

/** `faults.csv` of a comparison: per model, each fault with intervals, then `all`, the average fault. */
export async function comparisonFaultsCsv(r: ComparisonResult): Promise<string> {
  if (r.faults.length === 0) return csvText([], FAULTS_CSV_COLUMNS);
  const rows = r.models.flatMap((model): CsvRow[] => {
    const perFault = (model.faults ?? []).map((f, i) =>
      estimatesRow({
        model: model.model,
        type: f.type,
        kind: f.kind ?? 'fault',
        target: f.target,
        atMs: f.atMs,
        forMs: r.faults[i]?.forMs ?? null,
        blast: f.blastRadius,
        timeToRecover: f.timeToRecoverMs,
        availabilityRecovery: f.availabilityRecoveryMs ?? null,
        neverRecovered: f.neverRecovered,
        replications: r.replications,
      }),
    );
    const faults = r.faults.filter((f) => f.kind !== 'event').length;
    const average = estimatesRow({
      model: model.model,
      type: 'all',
      kind: 'fault',
      target: `average of ${faults} faults, planned events left out`,
      atMs: null,
      forMs: null,
      blast: model.blastRadius,
      timeToRecover: null,
      availabilityRecovery: null,
      neverRecovered: null,
      replications: r.replications,
    });
    return [...perFault, average];
  });
  return csvText(rows, FAULTS_CSV_COLUMNS);
}

/** One row of a comparison's faults.csv: a fault's (or the average fault's) estimates across replications. */
interface EstimatesRow {
  readonly model: string;
  readonly type: string;
  readonly kind: string;
  readonly target: string;
  readonly atMs: number | null;
  readonly forMs: number | null;
  readonly blast: Readonly<Partial<Record<(typeof MEASURES)[number], Estimate | null>>> | null;
  readonly timeToRecover: Estimate | null;
  readonly availabilityRecovery: Estimate | null;
  readonly neverRecovered: number | null;
  readonly replications: number;
}

function estimatesRow(e: EstimatesRow): CsvRow {
  const row: CsvRow = {
    model: e.model,
    fault_type: e.type,
    fault_kind: e.kind,
    fault_target: e.target,
    fault_at_ms: e.atMs,
    fault_for_ms: e.forMs,
  };
  for (const m of MEASURES) {
    const b = e.blast?.[m] ?? null;
    row[`blast_${m}_ratio`] = b?.mean ?? null;
    row[`blast_${m}_ratio_ci95_lo`] = b?.ci95[0] ?? null;
    row[`blast_${m}_ratio_ci95_hi`] = b?.ci95[1] ?? null;
  }
  row['time_to_recover_ms'] = e.timeToRecover?.mean ?? null;
  row['time_to_recover_ms_ci95_lo'] = e.timeToRecover?.ci95[0] ?? null;
  row['time_to_recover_ms_ci95_hi'] = e.timeToRecover?.ci95[1] ?? null;
  row['availability_recovery_ms'] = e.availabilityRecovery?.mean ?? null;
  row['availability_recovery_ms_ci95_lo'] = e.availabilityRecovery?.ci95[0] ?? null;
  row['availability_recovery_ms_ci95_hi'] = e.availabilityRecovery?.ci95[1] ?? null;
  row['never_recovered_total'] = e.neverRecovered;
  row['replications_total'] = e.replications;
  return row;
}
