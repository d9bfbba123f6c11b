/**
 * A model comparison as a `ReportDocument`: the verdict first, then per-model availability and latency with
 * 95% intervals; in the details, blast radius of the average fault (`blast-radius`) and per fault with its
 * time to recover (`fault-blast-radius`), availability while a control plane is down and data locality
 * (`spof-locality`), cost, control-plane health, the paired differences with their unit and better model,
 * and the fault timeline. The verdict names the tied leaders when no model wins outright, and lists the
 * criteria the scenario could not measure, so a missing answer is never read as a draw.
 */
import type {
  ComparisonResult,
  Estimate,
  FaultComparison,
  ModelComparison,
  PairwiseDifference,
  VerdictEntry,
} from '../experiment/index.js';
import { comparisonCharts } from './charts/report-charts.js';
import {
  formatEstimate,
  formatInterval,
  formatMs,
  formatNumber,
  formatPercent,
  formatSeconds,
} from './format.js';
import type { ReportDocument, ReportTable } from './report-document.js';
import { trafficTable } from './traffic-table.js';

const pct = (digits: number) => (x: number) => formatPercent(x, digits);
const ms = (x: number) => formatMs(x);
const num = (x: number) => formatNumber(x);

const CI_NOTE =
  'Mean over replications [95% confidence interval, Student t]; replications are paired by seed.';

function modelsTable(r: ComparisonResult): ReportTable {
  return {
    id: 'models',
    title: 'Models: availability and latency',
    header: ['model', 'control plane', 'network', 'availability', 'p50 ms', 'p99 ms'],
    rows: r.models.map((m) => [
      m.model,
      m.wiring.controlPlane,
      m.wiring.network,
      formatEstimate(m.availability, pct(3)),
      formatEstimate(m.latencyMs.p50, ms),
      formatEstimate(m.latencyMs.p99, ms),
    ]),
    numeric: [false, false, false, true, true, true],
    note: `${CI_NOTE} Latency is end to end for successful requests.`,
  };
}

function blastTable(r: ComparisonResult): ReportTable {
  const b = (m: ModelComparison, k: 'clusters' | 'services' | 'traffic' | 'collateral', digits: number) =>
    formatEstimate(m.blastRadius?.[k] ?? null, pct(digits));
  return {
    id: 'blast-radius',
    title: 'Blast radius',
    header: ['model', 'clusters hit', 'services hit', 'traffic lost', 'collateral'],
    rows: r.models.map((m) => [
      m.model,
      b(m, 'clusters', 1),
      b(m, 'services', 1),
      b(m, 'traffic', 2),
      b(m, 'collateral', 2),
    ]),
    numeric: [false, true, true, true, true],
    note:
      r.faults.length === 0
        ? 'No faults in this scenario, so no blast radius.'
        : `The average of the ${r.faults.length} faults (each against a paired baseline without it; per fault below). ${CI_NOTE}`,
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
      const b = f.blastRadius;
      rows.push([
        faultLabel(f),
        m.model,
        formatEstimate(b.clusters, pct(1)),
        formatEstimate(b.services, pct(1)),
        formatEstimate(b.traffic, pct(2)),
        formatEstimate(b.collateral, pct(2)),
        formatEstimate(f.timeToRecoverMs, formatSeconds),
        f.neverRecovered === 0 ? '0' : `${f.neverRecovered} of ${r.replications}`,
      ]);
    }
  }
  return rows;
}

function faultBlastTable(r: ComparisonResult): ReportTable {
  const rows = faultBlastRows(r);
  return {
    id: 'fault-blast-radius',
    title: 'Blast radius by fault',
    header: [
      'fault',
      'model',
      'clusters hit',
      'services hit',
      'traffic lost',
      'collateral',
      'time to recover',
      'never recovered',
    ],
    rows,
    numeric: [false, false, true, true, true, true, true, true],
    note:
      rows.length > 0
        ? `Each fault against its paired baseline without it. ${CI_NOTE} Time to recover is over the replications that recovered (- when fewer than two did); never recovered counts the replications in which the mesh had not recovered by the end of the run.`
        : r.faults.length === 0
          ? 'No faults in this scenario.'
          : 'The runs report no blast radius per fault.',
  };
}

function spofLocalityTable(r: ComparisonResult): ReportTable {
  const e = (x: Estimate | null | undefined, digits: number) => formatEstimate(x ?? null, pct(digits));
  return {
    id: 'spof-locality',
    title: 'Single point of failure and data locality',
    header: ['model', 'availability in control-plane outage', 'cross-cluster calls', 'cross-region calls'],
    rows: r.models.map((m) => [
      m.model,
      e(m.controlPlaneOutageAvailability, 3),
      e(m.locality?.crossClusterShare, 2),
      e(m.locality?.crossRegionShare, 2),
    ]),
    numeric: [false, true, true, true],
    note: `Availability in the windows that overlap a control-plane-outage fault, i.e. what the mesh still serves while an istiod is down (needs control-plane-outage faults; - without them). Cross-cluster and cross-region calls: share of calls served by a replica in another cluster or another region than the caller’s (- in a one-region mesh). ${CI_NOTE}`,
  };
}

function costTable(r: ComparisonResult): ReportTable {
  const e = (x: Estimate | null | undefined) => formatEstimate(x ?? null, num);
  return {
    id: 'cost',
    title: 'Cost',
    header: [
      'model',
      'istiods',
      'istiod vCPU',
      'istiod GB',
      'sidecar vCPU',
      'cross-zone GB',
      'cross-region GB',
      'config places',
    ],
    rows: r.models.map((m) => {
      const c = m.cost;
      return [
        m.model,
        formatNumber(c?.istiods),
        e(c?.istiodVcpu),
        e(c?.istiodMemoryGb),
        e(c?.sidecarVcpu),
        e(c?.crossZoneGb),
        e(c?.crossRegionGb),
        formatNumber(c?.configPlaces),
      ];
    }),
    numeric: [false, true, true, true, true, true, true, true],
    note: 'Config places: where a routing rule must be applied for the whole mesh to see it.',
  };
}

function controlPlaneTable(r: ComparisonResult): ReportTable {
  const e = (x: Estimate | null | undefined, f: (v: number) => string) => formatEstimate(x ?? null, f);
  return {
    id: 'control-plane',
    title: 'Control-plane health',
    header: ['model', 'convergence p99 ms', 'stale proxy s', 'rejected pods'],
    rows: r.models.map((m) => {
      const h = m.controlPlaneHealth;
      return [
        m.model,
        e(h?.convergenceP99Ms, ms),
        e(h?.staleProxySeconds, num),
        e(h?.rejectedPodCreations, num),
      ];
    }),
    numeric: [false, true, true, true],
    note: 'Convergence: a change until every proxy that should see it has it (pilot_proxy_convergence_time).',
  };
}

/** The best model, or the leaders when the top is a tie: a tie still rules out the models behind it. */
function bestText(c: VerdictEntry): string {
  if (c.best !== null && c.best !== undefined) return c.best;
  const leaders = c.leaders ?? [];
  return leaders.length > 1 ? `tie: ${leaders.join(', ')}` : 'no significant difference';
}

function verdictTable(r: ComparisonResult): ReportTable {
  return {
    id: 'verdict',
    title: 'Verdict by criterion',
    header: ['criterion', 'best', 'why'],
    rows: [
      ...r.verdict.criteria.map((c) => [c.criterion, bestText(c), c.note]),
      ...(r.verdict.notMeasured ?? []).map((n) => [n.criterion, 'not measured', n.reason]),
    ],
    numeric: [false, false, false],
  };
}

/** `yes: <model> better`; mean is a − b, so its sign and the metric's better direction name the winner. */
function significanceText(d: PairwiseDifference): string {
  if (d.belowResolution === true) return 'no (within what the latency histograms resolve)';
  if (!d.significant) return 'no (interval spans 0)';
  if (d.better === undefined) return 'yes';
  const aBetter = d.better === 'higher' ? d.mean > 0 : d.mean < 0;
  return `yes: ${aBetter ? d.a : d.b} better`;
}

function differencesTable(r: ComparisonResult): ReportTable {
  return {
    id: 'differences',
    title: 'Paired differences',
    header: ['metric', 'unit', 'a', 'b', 'a − b', '95% CI', 'significant'],
    rows: r.differences.map((d) => [
      d.metric,
      d.unit ?? '-',
      d.a,
      d.b,
      formatNumber(d.mean),
      formatInterval(d.ci95, num),
      significanceText(d),
    ]),
    numeric: [false, false, false, false, true, true, false],
    note: 'Each difference is taken replication by replication (common random numbers), so its interval is narrower than the two models’ intervals suggest.',
  };
}

function faultsTable(r: ComparisonResult): ReportTable {
  return {
    id: 'faults',
    title: 'Fault timeline',
    header: ['fault', 'target', 'at', 'for'],
    rows: r.faults.map((f) => [
      f.type,
      f.target,
      formatSeconds(f.atMs),
      f.forMs === null ? 'until the end' : formatSeconds(f.forMs),
    ]),
    numeric: [false, false, true, true],
    ...(r.faults.length === 0 ? { note: 'No faults in this scenario.' } : {}),
  };
}

/** A model comparison as a report document. */
export function comparisonDocument(r: ComparisonResult): ReportDocument {
  const { charts, notes } = comparisonCharts(r);
  const seeds = r.models[0]?.seeds ?? [];
  return {
    title: `${r.scenario}: deployment models compared`,
    facts: [
      ['scenario', r.scenario],
      ['models', r.models.map((m) => m.model).join(', ')],
      ['seed', String(r.seed)],
      ['replications', `${r.replications} per model, seeds ${seeds.join(', ')} (shared by every model)`],
      [
        'simulated',
        `${formatNumber(r.durationMs / 1000)} s per replication, first ${formatNumber(r.warmupMs / 1000)} s warm-up excluded, ${formatNumber(r.windowMs / 1000)} s windows`,
      ],
      ['meshsim', r.meshsimVersion],
    ],
    rerun: r.rerun,
    highlightsTitle: 'Verdict',
    highlights: [
      ...(r.verdict.criteria.length === 0
        ? []
        : [
            'Best per criterion: ' +
              r.verdict.criteria.map((c) => `${c.criterion} ${c.best ?? `(${bestText(c)})`}`).join('; ') +
              '.',
          ]),
      ...r.verdict.fits,
    ],
    leadTables: [modelsTable(r), verdictTable(r)],
    charts,
    detailTables: [
      blastTable(r),
      faultBlastTable(r),
      spofLocalityTable(r),
      costTable(r),
      controlPlaneTable(r),
      differencesTable(r),
      faultsTable(r),
      ...r.models.map((m) =>
        trafficTable(
          `traffic-${m.model}`,
          `Traffic matrix: ${m.model} (mean calls per replication)`,
          m.traffic,
          'Calls by the caller’s cluster (rows) and the serving replica’s cluster (columns).',
        ),
      ),
    ],
    notes,
  };
}
