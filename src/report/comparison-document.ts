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
import { groupedByRegion } from './charts/traffic-matrix-chart.js';
import {
  formatEstimate,
  formatInterval,
  formatMs,
  formatNumber,
  formatPercent,
  formatSeconds,
} from './format.js';
import { comparisonServicesTables } from './comparison-services-table.js';
import type { ReportDocument, ReportTable } from './report-document.js';
import { trafficTable } from './traffic-table.js';

const pct = (digits: number) => (x: number) => formatPercent(x, digits);
const ms = (x: number) => formatMs(x);
const num = (x: number) => formatNumber(x);

const CI_NOTE =
  'Mean over replications [95% confidence interval, Student t]; replications are paired by seed.';

function modelsTable(r: ComparisonResult): ReportTable {
  const slo = r.models.some((m) => m.withinSlo !== undefined);
  return {
    id: 'models',
    title: 'Models: availability and latency',
    header: [
      'model',
      'control plane',
      'network',
      'availability',
      ...(slo ? ['within SLO'] : []),
      'p50 ms',
      'p99 ms',
    ],
    rows: r.models.map((m) => [
      m.model,
      m.wiring.controlPlane,
      m.wiring.network,
      formatEstimate(m.availability, pct(3)),
      ...(slo ? [formatEstimate(m.withinSlo ?? null, pct(3))] : []),
      formatEstimate(m.latencyMs.p50, ms),
      formatEstimate(m.latencyMs.p99, ms),
    ]),
    numeric: [false, false, false, true, ...(slo ? [true] : []), true, true],
    note: `${CI_NOTE} Availability: requests answered without error (not 5xx), however late.${
      slo ? ' Within SLO: answered without error and within slo.latency.p99.' : ''
    } Latency is end to end for successful requests.`,
  };
}

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

function blastTable(r: ComparisonResult): ReportTable {
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

function faultBlastTable(r: ComparisonResult): ReportTable {
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
    note: `${spofCoverage(r)} Cross-cluster and cross-region calls: share of calls served by a replica in another cluster or another region than the caller’s (- in a one-region mesh). ${CI_NOTE}`,
  };
}

/** Which faults the single point of failure is measured over. */
function spofCoverage(r: ComparisonResult): string {
  // A comparison written before `controlPlane` was added measured control-plane-outage faults only.
  const over = r.faults.filter((f) => f.controlPlane ?? f.type === 'control-plane-outage');
  return over.length === 0
    ? 'Availability in control-plane outage: - because no fault removes a control plane or cuts proxies off from it (control-plane-outage; cluster-outage of a cluster hosting an istiod; api-server-outage of a config cluster; a partition between remotes and their primary).'
    : `Availability in control-plane outage: requests answered without error in the windows that overlap ${over
        .map((f) => `${f.type} ${f.target} @ ${formatSeconds(f.atMs)}`)
        .join(
          '; ',
        )} (faults that remove a control plane or cut proxies off from it under at least one model), i.e. what the mesh still serves while an istiod is lost or out of reach.`;
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

/** A model's figure for a verdict metric, to show in the scorecard: an estimate or a count. */
function figureOf(m: ModelComparison, metric: string | undefined): Estimate | number | null {
  switch (metric) {
    case 'availability':
      return m.availability;
    case 'withinSlo':
      return m.withinSlo ?? null;
    case 'latencyP99Ms':
      return m.latencyMs.p99;
    case 'blastRadiusTraffic':
      return m.blastRadius?.traffic ?? null;
    case 'blastRadiusCollateral':
      return m.blastRadius?.collateral ?? null;
    case 'istiodVcpu':
      return m.cost?.istiodVcpu ?? null;
    case 'istiods':
      return m.cost?.istiods ?? null;
    case 'configPlaces':
      return m.cost?.configPlaces ?? null;
    case 'controlPlaneOutageAvailability':
      return m.controlPlaneOutageAvailability ?? null;
    case 'crossRegionShare':
      return m.locality?.crossRegionShare ?? null;
    case 'crossClusterShare':
      return m.locality?.crossClusterShare ?? null;
    default:
      return null;
  }
}

/** The metric each criterion is judged on by default, for results that do not name it. */
const DEFAULT_METRIC: Readonly<Record<string, string>> = {
  availability: 'availability',
  p99Latency: 'latencyP99Ms',
  blastRadius: 'blastRadiusTraffic',
  collateral: 'blastRadiusCollateral',
  controlPlaneCost: 'istiodVcpu',
  configConsistency: 'configPlaces',
  singlePointOfFailure: 'controlPlaneOutageAvailability',
  dataLocality: 'crossRegionShare',
};

/** Column titles of the scorecard, with the unit of what the cell shows. */
const SCORE_TITLES: Readonly<Record<string, string>> = {
  availability: 'availability',
  p99Latency: 'p99 latency ms',
  blastRadius: 'blast radius (traffic)',
  collateral: 'collateral',
  controlPlaneCost: 'control-plane cost',
  configConsistency: 'config places',
  singlePointOfFailure: 'availability in control-plane outage',
  dataLocality: 'calls leaving region',
};

/** A criterion's column title, for the metric it was judged on (one region: calls leaving the cluster). */
function scoreTitle(criterion: string, metric: string | undefined): string {
  if (metric === 'crossClusterShare') return 'calls leaving cluster';
  if (metric === 'istiods') return 'istiods';
  return SCORE_TITLES[criterion] ?? criterion;
}

function scoreFigure(metric: string | undefined, x: Estimate | number | null): string {
  if (x === null) return '-';
  const f =
    metric === 'latencyP99Ms'
      ? ms
      : metric === 'istiodVcpu'
        ? (v: number) => `${formatNumber(v)} vCPU`
        : metric === 'blastRadiusTraffic' || metric === 'blastRadiusCollateral'
          ? pct(2)
          : metric === 'crossRegionShare' || metric === 'crossClusterShare'
            ? pct(2)
            : pct(3);
  if (typeof x === 'number') return formatNumber(x);
  return formatEstimate(x, f);
}

/**
 * The scorecard: models (rows) by criteria (columns), each cell the model's figure with its interval,
 * `★` on the best model and `=` on each model with no material difference from the top; a last row
 * states the outcome per criterion, "no material difference" written out. It answers "which model fits?"
 * at a glance; the verdict's sentences and the detail tables say why.
 */
export function scorecardTable(r: ComparisonResult): ReportTable {
  const criteria = r.verdict.criteria;
  const mark = (c: VerdictEntry, model: string): string => {
    if (c.best === model) return '★ ';
    if (c.best === null && (c.leaders ?? []).includes(model)) return '= ';
    return '';
  };
  const metricOf = (c: VerdictEntry) => c.metric ?? DEFAULT_METRIC[c.criterion];
  const rows = r.models.map((m) => [
    m.model,
    ...criteria.map((c) => `${mark(c, m.model)}${scoreFigure(metricOf(c), figureOf(m, metricOf(c)))}`),
  ]);
  const outcome = [
    'outcome',
    ...criteria.map((c) => (c.best !== null && c.best !== undefined ? `★ ${c.best}` : bestText(c))),
  ];
  const missing = (r.verdict.notMeasured ?? []).map((n) => n.criterion);
  return {
    id: 'scorecard',
    title: 'Scorecard: which model fits?',
    header: ['model', ...criteria.map((c) => scoreTitle(c.criterion, metricOf(c)))],
    rows: [...rows, outcome],
    numeric: [false, ...criteria.map(() => true)],
    note:
      `★ best: better than every other model by a significant and material difference (report.material). = no material difference from the best. ${CI_NOTE}` +
      (missing.length === 0 ? '' : ` Not measured here: ${missing.join(', ')} (see the verdict).`),
  };
}

/** The best model, or the leaders when the top is a tie: a tie still rules out the models behind it. */
function bestText(c: VerdictEntry): string {
  if (c.best !== null && c.best !== undefined) return c.best;
  const leaders = c.leaders ?? [];
  return leaders.length > 1 ? `no material difference: ${leaders.join(', ')}` : 'no material difference';
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
  if (d.ci95[0] === 0 && d.ci95[1] === 0 && d.mean === 0) return 'no (identical in every replication)';
  if (d.belowResolution === true) return 'no (within what the latency histograms resolve)';
  if (!d.significant) return 'no (interval spans 0)';
  if (d.better === undefined) return 'yes';
  const aBetter = d.better === 'higher' ? d.mean > 0 : d.mean < 0;
  return `yes: ${aBetter ? d.a : d.b} better`;
}

/** Whether a significant difference reaches the `report.material` threshold. */
function materialText(d: PairwiseDifference): string {
  if (!d.significant) return '-';
  if (d.material === undefined) return '?';
  return d.material ? 'yes' : 'no (below report.material)';
}

function differencesTable(r: ComparisonResult): ReportTable {
  return {
    id: 'differences',
    title: 'Paired differences',
    header: ['metric', 'unit', 'a', 'b', 'a − b', '95% CI', 'significant', 'material'],
    rows: r.differences.map((d) => [
      d.metric,
      d.unit ?? '-',
      d.a,
      d.b,
      formatNumber(d.mean),
      formatInterval(d.ci95, num),
      significanceText(d),
      materialText(d),
    ]),
    numeric: [false, false, false, false, true, true, false, false],
    note: 'Each difference is taken replication by replication (common random numbers), so its interval is narrower than the two models’ intervals suggest.',
  };
}

function faultsTable(r: ComparisonResult): ReportTable {
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
    scorecard: scorecardTable(r),
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
      ...comparisonServicesTables(r),
      ...r.models.map((m) => {
        const g = groupedByRegion(
          m.traffic,
          (r.clusterRegions ?? []).map((c) => c.cluster),
          r.clusterRegions,
        );
        return trafficTable(
          `traffic-${m.model}`,
          `Traffic matrix: ${m.model} (mean calls per replication)`,
          g.traffic,
          g.grouped
            ? 'Calls by the caller’s region (rows) and the serving replica’s region (columns); every cluster pair is in csv/traffic-matrix.csv.'
            : 'Calls by the caller’s cluster (rows) and the serving replica’s cluster (columns).',
        );
      }),
    ],
    notes,
  };
}
