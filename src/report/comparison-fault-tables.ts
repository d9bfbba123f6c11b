/**
 * The comparison report's fault tables: the headline blast radius per model (faults only, planned events
 * left out and said), the blast radius and time to recover per fault and model, and the fault timeline.
 *
 * Contents: `headlineCoverage`, `blastTable`, `faultBlastTable`, `faultsTable`.
 */
import type { ComparisonResult, Estimate, FaultComparison } from '../experiment/index.js';
import { CI_NOTE, pct } from './comparison-cells.js';
import { formatEstimate, formatSeconds } from './format.js';
import type { ReportTable } from './report-document.js';

/** The faults the headline blast radius averages, and the planned events it leaves out, in words. */
export function headlineCoverage(r: ComparisonResult): string {
  const label = (f: ComparisonResult['faults'][number]) => `${f.type} ${f.target} @ ${formatSeconds(f.atMs)}`;
  const faults = r.faults.filter((f) => f.kind !== 'event');
  const events = r.faults.filter((f) => f.kind === 'event');
  const covered =
    faults.length === 0
      ? 'no faults (only planned events), so there is no headline blast radius'
      : `the average of ${faults.length === 1 ? 'the fault' : `the ${faults.length} faults`} ${faults.map(label).join('; ')}`;
  const left =
    events.length === 0
      ? ''
      : `; planned events left out of it, each with its own row below: ${events.map(label).join('; ')}`;
  return `Headline blast radius: ${covered}${left}.`;
}

type BlastKey = 'clusters' | 'services' | 'traffic' | 'failed' | 'slow' | 'collateral';

const BLAST_HEADER = [
  'clusters hit',
  'services hit',
  'traffic failed or slow',
  'failed',
  'slow',
  'collateral',
];

const BLAST_NOTE =
  'Traffic failed or slow: excess requests over the paired baseline that failed (5xx or unanswered) or were answered too slowly, as a share of the requests in the fault window; failed and slow are its two parts. Collateral: the part whose clients sit outside the failed domain.';

function blastCells(b: Partial<Record<BlastKey, Estimate | null>> | null | undefined): string[] {
  const e = (k: BlastKey, digits: number) => formatEstimate(b?.[k] ?? null, pct(digits));
  return [
    e('clusters', 1),
    e('services', 1),
    e('traffic', 2),
    e('failed', 2),
    e('slow', 2),
    e('collateral', 2),
  ];
}

export function blastTable(r: ComparisonResult): ReportTable {
  return {
    id: 'blast-radius',
    title: 'Blast radius (headline: faults only)',
    header: ['model', ...BLAST_HEADER],
    rows: r.models.map((m) => [m.model, ...blastCells(m.blastRadius)]),
    numeric: [false, true, true, true, true, true, true],
    note:
      r.faults.length === 0
        ? 'No faults in this scenario, so no blast radius.'
        : `${headlineCoverage(r)} Each against a paired baseline without it; per fault below. ${BLAST_NOTE} ${CI_NOTE}`,
  };
}

/** A fault as a reader recognises it from the scenario: `control-plane-outage istiod of us-east-1 @ 60 s`. */
function faultLabel(f: FaultComparison): string {
  return `${f.type} ${f.target} @ ${formatSeconds(f.atMs)}`;
}

/**
 * Rows per fault, then per model: `ModelComparison.faults` follows the scenario's fault order, so index i
 * is the same fault under every model, and a reviewer reads one fault's spread across models together.
 */
function faultBlastRows(r: ComparisonResult): string[][] {
  const count = Math.max(0, ...r.models.map((m) => m.faults?.length ?? 0));
  const rows: string[][] = [];
  for (let i = 0; i < count; i++) {
    for (const m of r.models) {
      const f = m.faults?.[i];
      if (f === undefined) continue;
      rows.push([
        faultLabel(f),
        f.kind === 'event' ? 'planned event' : 'fault',
        m.model,
        ...blastCells(f.blastRadius),
        formatEstimate(f.timeToRecoverMs, formatSeconds),
        f.neverRecovered === 0 ? '0' : `${f.neverRecovered} of ${r.replications}`,
        f.availabilityRecoveryMs === undefined
          ? '-'
          : `${formatEstimate(f.availabilityRecoveryMs, formatSeconds)}${f.availabilityNeverRecovered ? ` (${f.availabilityNeverRecovered} never)` : ''}`,
      ]);
    }
  }
  return rows;
}

export function faultBlastTable(r: ComparisonResult): ReportTable {
  const rows = faultBlastRows(r);
  return {
    id: 'fault-blast-radius',
    title: 'Blast radius by fault',
    header: [
      'fault',
      'kind',
      'model',
      ...BLAST_HEADER,
      'time to recover',
      'never recovered',
      'availability back in',
    ],
    rows,
    numeric: [false, false, false, true, true, true, true, true, true, true, true, true],
    note:
      rows.length > 0
        ? `Each fault or planned event against its paired baseline without it. ${BLAST_NOTE} ${CI_NOTE} Time to recover: from the fault's end (its start, for faults the mesh routes around) to the end of the last ${formatSeconds(r.windowMs)} window in which any unit was still impacted, so it resolves to one window: models within one window of each other are not told apart (set report.window shorter to separate them). Over the replications that recovered (- when fewer than two did); never recovered counts the replications in which the mesh had not recovered by the end of the run. Availability back in: from the same instant until the mesh's rolling availability stays within the error-rate threshold of its baseline's, to ${formatSeconds(r.windowMs / 10)} (a tenth of a window); it tells apart models the windows cannot.${ttrTies(r)}`
        : r.faults.length === 0
          ? 'No faults in this scenario.'
          : 'The runs report no blast radius per fault.',
  };
}

/**
 * Per fault whose window-based time to recover is the same under every model: whether the availability
 * recovery (to a tenth of a window) separates them, or the models are equal within that resolution too.
 */
function ttrTies(r: ComparisonResult): string {
  const resolution = r.windowMs / 10;
  const tied: string[] = [];
  const separated: string[] = [];
  r.faults.forEach((f, i) => {
    const ttr = r.models.map((m) => m.faults?.[i]?.timeToRecoverMs ?? null);
    const first = ttr[0];
    if (r.models.length < 2 || first === null || first === undefined) return;
    const alike = ttr.every((t) => t !== null && t.mean === first.mean && t.ci95[0] === first.ci95[0]);
    if (!alike) return;
    const label = `${f.type} @ ${formatSeconds(f.atMs)}`;
    const fine = r.models.map((m) => ({ model: m.model, e: m.faults?.[i]?.availabilityRecoveryMs }));
    const means = fine.map((x) => x.e?.mean);
    if (means.some((x) => x === undefined)) return tied.push(label);
    const spread = Math.max(...(means as number[])) - Math.min(...(means as number[]));
    if (spread < resolution) tied.push(label);
    else
      separated.push(
        `${label} (${fine.map((x) => `${x.model} ${formatEstimate(x.e ?? null, formatSeconds)}`).join(', ')})`,
      );
  });
  return [
    separated.length === 0
      ? ''
      : ` Every model recovered in the same windows from ${separated.join('; ')}, and the availability recovery tells them apart.`,
    tied.length === 0
      ? ''
      : ` Cannot separate the models on time to recover for ${tied.join('; ')}: every model recovered in the same windows, and their availability recovery is equal within its resolution of ${formatSeconds(resolution)}.`,
  ].join('');
}

export function faultsTable(r: ComparisonResult): ReportTable {
  return {
    id: 'faults',
    title: 'Fault timeline',
    header: ['fault', 'kind', 'target', 'at', 'for'],
    rows: r.faults.map((f) => [
      f.type,
      f.kind === 'event' ? 'planned event' : 'fault',
      f.target,
      formatSeconds(f.atMs),
      f.forMs === null ? 'until the end' : formatSeconds(f.forMs),
    ]),
    numeric: [false, false, false, true, true],
    note:
      r.faults.length === 0
        ? 'No faults in this scenario.'
        : 'Planned events (scale, a graceful rollout) are changes made on purpose: measured like faults, but left out of the headline blast radius.',
  };
}
