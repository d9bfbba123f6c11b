/**
 * The verdict of a comparison: per criterion the best model, or "no significant difference" where the
 * paired interval between the best mean and a runner-up spans zero; then which model fits, in plain
 * sentences (`modelFits`). A criterion the scenario cannot measure (blast radius without faults) is listed
 * under `notMeasured` with the reason, never judged on invented numbers.
 *
 * The rule: rank models by mean; the top one is best if its paired difference with every other model is
 * significant (95% interval excludes zero) in its favour. Otherwise the leaders are the top model and
 * every model not significantly worse, and `best` is null. Each pair is tested at 95% on its own (no
 * multiple-comparison correction): with many models, read a narrow win with that in mind.
 *
 * Contents: `verdict`, `judgeCriterion`, `Judgement`, `CRITERION_METRIC`.
 */
import type { Scenario } from '../scenario/index.js';
import { metricByName, observations, type ComparisonMetric, type ModelRuns } from './comparison-metric.js';
import type { Criterion, Verdict, VerdictEntry } from './comparison.js';
import { meanOf, pairedDifference } from './estimate.js';
import { amountText, intervalText, listText, valueText } from './figure-text.js';
import { modelFits } from './model-fits.js';

/** The metric each criterion is judged on; control-plane cost and data locality depend on what was measured. */
export const CRITERION_METRIC: Readonly<Record<Criterion, readonly string[]>> = {
  availability: ['availability'],
  p99Latency: ['latencyP99Ms'],
  blastRadius: ['blastRadiusTraffic'],
  collateral: ['blastRadiusCollateral'],
  // vCPU when the runs report cost; otherwise the istiod count, which the wiring fixes.
  controlPlaneCost: ['istiodVcpu', 'istiods'],
  configConsistency: ['configPlaces'],
  singlePointOfFailure: ['controlPlaneOutageAvailability'],
  // Across regions when there are several; otherwise across clusters.
  dataLocality: ['crossRegionShare', 'crossClusterShare'],
};

/** A criterion's outcome: judged, or not measurable here. */
export type Judgement =
  | { readonly kind: 'judged'; readonly entry: VerdictEntry }
  | { readonly kind: 'not-measured'; readonly criterion: Criterion; readonly reason: string };

interface Ranked {
  readonly name: string;
  readonly values: readonly (number | null)[];
  readonly mean: number;
}

/** Words for a count: `1 istiod`, `2 places`. */
function countNoun(metric: ComparisonMetric, n: number): string {
  const noun = metric.name === 'istiods' ? 'istiod' : 'place';
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function figure(metric: ComparisonMetric, x: number): string {
  return metric.unit === 'count' ? countNoun(metric, x) : valueText(x, metric.unit);
}

/** `multi-primary 99.950%, external 99.910%`, best first. */
function ranking(metric: ComparisonMetric, ranked: readonly Ranked[]): string {
  return ranked.map((r) => `${r.name} ${figure(metric, r.mean)}`).join(', ');
}

/** Judges one criterion on one metric; undefined when fewer than two models measured it. */
function judgeOn(
  criterion: Criterion,
  metric: ComparisonMetric,
  models: readonly ModelRuns[],
): VerdictEntry | undefined {
  const measured: Ranked[] = [];
  for (const m of models) {
    const values = observations(metric, m);
    const mean = meanOf(values, 12);
    if (mean !== null) measured.push({ name: m.model.name, values, mean });
  }
  if (measured.length < 2) return undefined;
  const sign = metric.better === 'higher' ? 1 : -1;
  // Array.sort is stable: models with equal means keep their report order.
  const ranked = [...measured].sort((x, y) => sign * (y.mean - x.mean));
  const [top, ...rest] = ranked as [Ranked, ...Ranked[]];
  const vsTop = rest.map((o) => ({ o, d: pairedDifference(top.values, o.values, metric.resolution) }));
  const worse = vsTop.filter((c) => c.d !== undefined && c.d.significant && sign * c.d.mean > 0);
  const tied = vsTop.filter((c) => !worse.includes(c));
  const leaders = [top.name, ...tied.map((c) => c.o.name)];
  const list = ranking(metric, ranked);
  if (tied.length === 0) {
    // Every other model is significantly worse; the runner-up's difference says by how much.
    const next = vsTop[0];
    const d = next?.d;
    const by =
      metric.structural || next === undefined || d === undefined
        ? ''
        : `; better than ${next.o.name} by ${amountText(sign * d.mean, metric.unit)} (${intervalText(
            sign > 0 ? d.lo : -d.hi,
            sign > 0 ? d.hi : -d.lo,
            metric.unit,
          )})`;
    return { criterion, best: top.name, note: `${list}${by}`, metric: metric.name, leaders };
  }
  const last = tied[tied.length - 1];
  const d = last?.d;
  const spread =
    metric.structural || last === undefined || d === undefined
      ? ''
      : d.lo === 0 && d.hi === 0
        ? ' (identical in every replication)'
        : d.belowResolution
          ? ` (${top.name} − ${last.o.name}: ${amountText(d.mean, metric.unit)}, within the latency histograms' resolution of ${((metric.resolution ?? 0) * 100).toFixed(0)}%)`
          : ` (${top.name} − ${last.o.name}: ${amountText(d.mean, metric.unit)}, ${intervalText(d.lo, d.hi, metric.unit)} includes 0)`;
  const behind =
    worse.length === 0
      ? ''
      : `; ${listText(worse.map((c) => c.o.name))} ${worse.length === 1 ? 'is' : 'are'} significantly worse`;
  const what = metric.structural ? 'no difference' : 'no significant difference';
  return {
    criterion,
    best: null,
    note: `${list}; ${what} between ${listText(leaders)}${spread}${behind}`,
    metric: metric.name,
    leaders,
  };
}

/** Why a criterion could not be judged in this scenario. */
function notMeasuredReason(criterion: Criterion, scenario: Scenario, models: readonly ModelRuns[]): string {
  if (models.length < 2) return 'only one model was compared';
  const faults = scenario.mesh.faults.length;
  switch (criterion) {
    case 'blastRadius':
    case 'collateral':
      return faults === 0
        ? 'the scenario has no faults: add some under `faults:` to measure how far each model lets one spread'
        : 'the runs report no blast radius for the faults';
    case 'singlePointOfFailure':
      return scenario.mesh.faults.some((f) => f.type === 'control-plane-outage')
        ? 'no requests fell in the control-plane outage windows'
        : 'the scenario has no control-plane-outage fault: add one on the primary (e.g. `{ at: 30s, for: 30s, type: control-plane-outage, cluster: <primary> }`) to measure availability when it is lost';
    case 'dataLocality':
      return 'no calls were recorded between clusters';
    default:
      return 'no model measured it';
  }
}

/** Judges `criterion` on the first of its metrics that at least two models measured. */
export function judgeCriterion(
  criterion: Criterion,
  scenario: Scenario,
  models: readonly ModelRuns[],
): Judgement {
  for (const name of CRITERION_METRIC[criterion]) {
    const entry = judgeOn(criterion, metricByName(name), models);
    if (entry !== undefined) return { kind: 'judged', entry: withDetails(entry, models) };
  }
  return { kind: 'not-measured', criterion, reason: notMeasuredReason(criterion, scenario, models) };
}

/** Control-plane cost names every resource it weighs: istiods, and memory when measured. */
function withDetails(entry: VerdictEntry, models: readonly ModelRuns[]): VerdictEntry {
  if (entry.criterion !== 'controlPlaneCost' || entry.metric !== 'istiodVcpu') return entry;
  const details = [
    ['memory', 'istiodMemoryGb'],
    ['istiods', 'istiods'],
  ] as const;
  const extra = details.map(([label, name]) => {
    const metric = metricByName(name);
    const parts = models.flatMap((m) => {
      const mean = meanOf(observations(metric, m), 12);
      return mean === null ? [] : [`${m.model.name} ${figure(metric, mean)}`];
    });
    return parts.length === 0 ? '' : `${label}: ${parts.join(', ')}`;
  });
  return { ...entry, note: `${entry.note}; ${extra.filter((x) => x !== '').join('; ')}` };
}

/** The verdict over the models' runs: every criterion judged or explained, then which model fits. */
export function verdict(scenario: Scenario, models: readonly ModelRuns[]): Verdict {
  const judgements = (Object.keys(CRITERION_METRIC) as Criterion[]).map((c) =>
    judgeCriterion(c, scenario, models),
  );
  const criteria = judgements.flatMap((j) => (j.kind === 'judged' ? [j.entry] : []));
  const notMeasured = judgements.flatMap((j) =>
    j.kind === 'not-measured' ? [{ criterion: j.criterion, reason: j.reason }] : [],
  );
  return { criteria, fits: modelFits(scenario, models, criteria), notMeasured };
}
