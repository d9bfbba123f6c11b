/**
 * "Which model fits", in plain sentences keyed to the trade-offs users weigh: fault isolation (measured
 * collateral damage), resource cost (istiods, vCPU, memory), config consistency (places a rule must be
 * applied), single point of failure (availability while a control plane is lost) and data locality (calls
 * served in another region). Each sentence states the measured figures it rests on, or says that the
 * scenario does not measure it and what to add; a structural fact (who serves whom) is labelled as such.
 *
 * Contents: `modelFits`.
 */
import {
  EXTERNAL_CONTROL_PLANE,
  clustersOf,
  configSources,
  servingIstiod,
  type DeploymentModel,
} from '../mesh/index.js';
import type { Scenario } from '../scenario/index.js';
import { metricByName, observations, type ModelRuns } from './comparison-metric.js';
import type { Criterion, VerdictEntry } from './comparison.js';
import { meanOf } from './estimate.js';
import { listText, TIE, valueText } from './figure-text.js';

const entryOf = (criteria: readonly VerdictEntry[], c: Criterion) => criteria.find((e) => e.criterion === c);

/** The model's mean of a metric, or null. */
function mean(m: ModelRuns, metric: string): number | null {
  return meanOf(observations(metricByName(metric), m), 12);
}

/** Models grouped by equal value, in report order: `primary-remote and external run 1; multi-primary 2`. */
function grouped(
  models: readonly ModelRuns[],
  value: (m: ModelRuns) => string,
): { names: string[]; value: string }[] {
  const groups: { names: string[]; value: string }[] = [];
  for (const m of models) {
    const v = value(m);
    const g = groups.find((x) => x.value === v);
    if (g === undefined) groups.push({ names: [m.model.name], value: v });
    else g.names.push(m.model.name);
  }
  return groups;
}

function isolation(criteria: readonly VerdictEntry[], scenario: Scenario, models: number): string {
  const e = entryOf(criteria, 'collateral');
  if (e === undefined) {
    return scenario.mesh.faults.length === 0
      ? 'Fault isolation was not measured: the scenario has no faults. Add a control-plane-outage or cluster-outage under `faults:` to see how far each model lets one failure spread.'
      : 'Fault isolation was not measured: the runs report no blast radius for the faults.';
  }
  const what = 'collateral damage (failed or slow requests of clients outside the failed domain)';
  const leaders = e.leaders ?? [];
  if (e.best !== null)
    return `Fault isolation: ${e.best} kept ${what} lowest: ${e.note}. Choose it when a failure in one cluster must not reach clients in the others.`;
  // Tied leaders ahead of a materially worse model still separate the models.
  if (leaders.length > 1 && leaders.length < models)
    return `Fault isolation: ${listText(leaders)} kept ${what} lowest, with ${TIE} between them: ${e.note}. Choose one of them when a failure in one cluster must not reach clients in the others.`;
  return `Fault isolation: ${TIE} in collateral damage (${e.note}); the faults of this scenario do not separate the models on isolation.`;
}

function cost(models: readonly ModelRuns[]): string {
  const istiods = grouped(models, (m) => String(mean(m, 'istiods') ?? 0));
  const parts = istiods.map(
    (g) =>
      `${listText(g.names)} run${g.names.length === 1 ? 's' : ''} ${g.value} istiod${g.value === '1' ? '' : 's'}`,
  );
  const resources = models.flatMap((m) => {
    const cpu = mean(m, 'istiodVcpu');
    const mem = mean(m, 'istiodMemoryGb');
    if (cpu === null || mem === null) return [];
    return [`${m.model.name} ${valueText(cpu, 'vCPU')} and ${valueText(mem, 'GB')}`];
  });
  const measured =
    resources.length === 0
      ? ' (istiod vCPU and memory were not reported by these runs)'
      : ` (istiods together: ${resources.join('; ')})`;
  return `Resource cost: ${parts.join('; ')}${measured}. Fewer istiods cost less to run and upgrade, but one istiod serving many clusters is also one thing to lose.`;
}

function consistency(models: readonly ModelRuns[]): string {
  const groups = grouped(models, (m) => {
    const n = mean(m, 'configPlaces') ?? 0;
    const sources = configSources(m.model);
    // Name the places when the count is the wiring's; a run's own figure may count differently.
    const where = sources.length === n ? ` (${sources.join(', ')})` : '';
    return `${n} place${n === 1 ? '' : 's'}${where}`;
  });
  const parts = groups.map((g) => `in ${g.value} under ${listText(g.names)}`);
  return `Config consistency: a routing rule must be applied ${listText(parts)}. Every extra place is another copy that can drift, so prefer one place when many teams change routing.`;
}

/** Who depends on one istiod, from the wiring alone. */
function dependence(model: DeploymentModel): string {
  const served = new Map<string, number>();
  const clusters = clustersOf(model);
  for (const c of clusters) {
    const server = servingIstiod(model, c);
    served.set(server, (served.get(server) ?? 0) + 1);
  }
  const total = clusters.length;
  const widest = Math.max(...served.values());
  if (widest <= 1) return `under ${model.name} each istiod serves only its own cluster`;
  const name = (s: string) =>
    s === EXTERNAL_CONTROL_PLANE ? 'the external control plane' : `the istiod in ${s}`;
  const widestServers = [...served].filter(([, n]) => n === widest).map(([s]) => name(s));
  return `under ${model.name} ${listText(widestServers)} serve${widestServers.length === 1 ? 's' : ''} ${widest} of ${total} clusters`;
}

function singlePointOfFailure(criteria: readonly VerdictEntry[], models: readonly ModelRuns[]): string {
  const e = entryOf(criteria, 'singlePointOfFailure');
  const structure = models.map((m) => dependence(m.model)).join('; ');
  if (e === undefined) {
    return `Single point of failure (from the wiring, not measured: the scenario has no fault that removes a control plane or cuts proxies off from it): ${structure}.`;
  }
  const outcome =
    e.best !== null
      ? `${e.best} kept the most requests succeeding`
      : 'no model kept materially more requests succeeding';
  return `Single point of failure: during the faults that remove a control plane or cut proxies off from it, availability was ${e.note}; ${outcome}. Wiring: ${structure}.`;
}

function locality(criteria: readonly VerdictEntry[], scenario: Scenario): string {
  const e = entryOf(criteria, 'dataLocality');
  if (e === undefined) return 'Data locality was not measured: no calls were recorded between clusters.';
  const regions = [...new Set(scenario.mesh.clusters.map((c) => c.region))];
  const verdict =
    e.best !== null ? `${e.best} keeps the most calls local` : 'no model keeps materially more calls local';
  if (e.metric === 'crossRegionShare') {
    return `Data locality: share of calls served in another region: ${e.note}; ${verdict}. Cross-region calls pay latency and egress, and may carry data out of its region.`;
  }
  return `Data locality: every cluster is in ${regions.join(', ')}, so no call leaves the region; share of calls served in another cluster: ${e.note}; ${verdict}.`;
}

function overall(criteria: readonly VerdictEntry[], models: readonly ModelRuns[]): string {
  // A criterion is led by its best model, or by tied leaders when some model is materially worse than
  // them; a tie of every model leads nothing.
  const ledBy = (c: VerdictEntry): readonly string[] =>
    c.best !== null && c.best !== undefined
      ? [c.best]
      : c.leaders !== undefined && c.leaders.length < models.length
        ? c.leaders
        : [];
  const wins = models.map((m) => ({
    name: m.model.name,
    on: criteria.filter((c) => c.best === m.model.name).map((c) => c.criterion),
  }));
  const winners = wins.filter((w) => w.on.length > 0).map((w) => `${w.name} on ${listText(w.on)}`);
  const shared = new Map<string, { leaders: readonly string[]; on: string[] }>();
  for (const c of criteria) {
    const leaders = ledBy(c);
    if (leaders.length < 2) continue;
    const key = leaders.join('\u0000');
    const group = shared.get(key) ?? { leaders, on: [] };
    group.on.push(c.criterion);
    shared.set(key, group);
  }
  const together = [...shared.values()].map(
    (g) => `${listText(g.leaders)} together on ${listText(g.on)} (${TIE} between them)`,
  );
  const leading = new Set(criteria.flatMap((c) => ledBy(c)));
  const none = models.map((m) => m.model.name).filter((n) => !leading.has(n));
  const parts = [...(winners.length === 0 ? [] : [`best ${winners.join('; ')}`]), ...together];
  const first =
    parts.length === 0 ? 'no model is materially best on any criterion judged here' : parts.join('; ');
  const rest =
    parts.length === 0 || none.length === 0
      ? ''
      : `; ${listText(none)} ${none.length === 1 ? 'leads' : 'lead'} on no criterion judged here`;
  return `Overall: ${first}${rest}.`;
}

/** The "which model fits" sentences of a verdict. */
export function modelFits(
  scenario: Scenario,
  models: readonly ModelRuns[],
  criteria: readonly VerdictEntry[],
): string[] {
  const only = models[0];
  if (models.length < 2 || only === undefined) {
    return [
      `Only ${only?.model.name ?? 'one model'} was compared, so there is nothing to choose between; name two or more models (\`--models a,b\`) or leave \`models:\` out to compare every model that fits the clusters.`,
    ];
  }
  return [
    isolation(criteria, scenario, models.length),
    cost(models),
    consistency(models),
    singlePointOfFailure(criteria, models),
    locality(criteria, scenario),
    overall(criteria, models),
  ];
}
