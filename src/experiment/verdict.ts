/**
 * The verdict of a comparison: per criterion the best model, or "no material difference" where a
 * runner-up is not materially worse; then which model fits, in plain
 * sentences (`modelFits`). A criterion the scenario cannot measure (blast radius without faults) is listed
 * under `notMeasured` with the reason, never judged on invented numbers.
 *
 * The rule: rank models by mean; the top one is best if its paired difference with every other model is
 * significant (95% interval excludes zero) in its favour and at least the criterion's material threshold
 * (`report.material`, material.ts). Otherwise the leaders are the top model and every model not
 * materially worse, `best` is null, and the note says "no material difference" and why (identical
 * replications, the interval includes zero, or a real difference too small to matter). Each pair is
 * tested at 95% on its own (no multiple-comparison correction): with many models, read a narrow win with
 * that in mind.
 *
 * Contents: `verdict`, `judgeCriterion`, `Judgement`, `CRITERION_METRIC`.
 */
import type { Scenario } from '../scenario/index.js';
import { metricByName, observations, type ComparisonMetric, type ModelRuns } from './comparison-metric.js';
import type { Criterion, Verdict, VerdictEntry } from './comparison.js';
import { meanOf, pairedDifference, type PairedDifference } from './estimate.js';
import { amountText, intervalText, listText, TIE, valueText } from './figure-text.js';
import { isMaterial, materialThresholds, thresholdText, type MaterialThresholds } from './material.js';
import { modelFits } from './model-fits.js';

export { TIE };

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

/** Why two leaders tie, in words: identical runs, a difference the histograms cannot resolve, noise, or too small to matter. */
function tieReason(
  metric: ComparisonMetric,
  top: Ranked,
  other: Ranked,
  d: PairedDifference | undefined,
  t: MaterialThresholds,
): string {
  if (metric.structural) return ' (the same in every replication)';
  if (d === undefined) return '';
  const diff = `${top.name} − ${other.name}: ${amountText(d.mean, metric.unit)}`;
  if (d.lo === 0 && d.hi === 0) return ' (identical in every replication)';
  if (d.belowResolution)
    return ` (${diff}, within the latency histograms' resolution of ${((metric.resolution ?? 0) * 100).toFixed(0)}%)`;
  if (!d.significant) return ` (${diff}, ${intervalText(d.lo, d.hi, metric.unit)} includes 0)`;
  return ` (${diff}, ${intervalText(d.lo, d.hi, metric.unit)}: real but below the ${thresholdText(metric, t)} that matters)`;
}

/**
 * Judges one criterion on one metric; undefined when fewer than two models measured it. A model is worse
 * than the top one only when the paired difference is significant and at least the material threshold;
 * every other model ties with the top, in one wording: "no material difference".
 */
function judgeOn(
  criterion: Criterion,
  metric: ComparisonMetric,
  models: readonly ModelRuns[],
  t: MaterialThresholds,
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
  const vsTop = rest.map((o) => {
    const d = pairedDifference(top.values, o.values, metric.resolution);
    const structuralGap = metric.structural && isMaterial(metric, top.mean - o.mean, top.mean, t);
    const worse =
      structuralGap ||
      (d !== undefined && d.significant && sign * d.mean > 0 && isMaterial(metric, d.mean, top.mean, t));
    return { o, d, worse };
  });
  const worse = vsTop.filter((c) => c.worse);
  const tied = vsTop.filter((c) => !c.worse);
  const leaders = [top.name, ...tied.map((c) => c.o.name)];
  const list = ranking(metric, ranked);
  if (tied.length === 0) {
    // Every other model is materially worse; the runner-up's difference says by how much.
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
  // The tied model furthest from the top says how wide the tie is.
  const last = tied[tied.length - 1] as (typeof tied)[number];
  const behind =
    worse.length === 0
      ? ''
      : `; ${listText(worse.map((c) => c.o.name))} ${worse.length === 1 ? 'is' : 'are'} materially worse`;
  return {
    criterion,
    best: null,
    note: `${list}; ${TIE} between ${listText(leaders)}${tieReason(metric, top, last.o, last.d, t)}${behind}`,
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
      return models.some((m) => m.ctx.controlPlaneOutages.length > 0)
        ? 'no requests fell in the windows of the faults that remove a control plane'
        : 'the scenario has no fault that removes a control plane or cuts proxies off from it (control-plane-outage; cluster-outage of a cluster hosting an istiod; api-server-outage of a config cluster; a partition between remotes and their primary): add one, e.g. `{ at: 30s, for: 30s, type: control-plane-outage, cluster: <primary> }`, to measure availability when it is lost';
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
  const t = materialThresholds(scenario);
  for (const name of CRITERION_METRIC[criterion]) {
    const entry = judgeOn(criterion, metricByName(name), models, t);
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
