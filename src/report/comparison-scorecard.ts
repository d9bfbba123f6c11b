/**
 * The comparison's judgement as tables: the scorecard (models by criteria, the best marked, the outcome
 * per criterion) and the verdict by criterion with its reasons, including the criteria not measured.
 *
 * Contents: `scorecardTable`, `verdictTable`, `bestText`.
 */
import type { ComparisonResult, Estimate, ModelComparison, VerdictEntry } from '../experiment/index.js';
import { CI_NOTE, ms, pct } from './comparison-cells.js';
import { formatEstimate, formatNumber } from './format.js';
import type { ReportTable } from './report-document.js';

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
export function bestText(c: VerdictEntry): string {
  if (c.best !== null && c.best !== undefined) return c.best;
  const leaders = c.leaders ?? [];
  return leaders.length > 1 ? `no material difference: ${leaders.join(', ')}` : 'no material difference';
}

export function verdictTable(r: ComparisonResult): ReportTable {
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
