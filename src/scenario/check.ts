/**
 * Rules about meaning that a schema cannot state: references between names, uniqueness, the call graph,
 * times inside the run, consistent distributions. Every violation is collected.
 */
import type { IssueCode, IssuePath } from './issue.js';
import { checkModelsAndFaults } from './check-model-faults.js';
import { message } from './messages.js';
import type { DistributionInput, ScenarioInput } from './schema.js';
import { suggest } from './suggest.js';
import { parseDuration, parseFraction } from './units.js';

export interface Problem {
  path: IssuePath;
  code: IssueCode;
  message: string;
  suggestion?: string | undefined;
}

export function checkScenario(input: ScenarioInput): Problem[] {
  const problems: Problem[] = [];
  const add = (path: IssuePath, code: IssueCode, text: string, suggestion?: string) =>
    problems.push({ path, code, message: text, ...(suggestion === undefined ? {} : { suggestion }) });
  const reference = (path: IssuePath, kind: string, name: string, known: readonly string[]) => {
    if (!known.includes(name))
      add(path, 'unknown-reference', message.unknownReference(kind, name, known), suggest(name, known));
  };

  const clusters = input.clusters.map((c) => c.name);
  const services = input.services.map((s) => s.name);
  unique(input.clusters, 'cluster', ['clusters'], add);
  unique(input.services, 'service', ['services'], add);
  unique(input.traffic, 'traffic source', ['traffic'], add);
  const zonesOf = new Map(input.clusters.map((c) => [c.name, c.zones ?? [`${c.region}-a`]]));
  input.clusters.forEach((c, i) => {
    const seen = new Set<string>();
    c.zones?.forEach((z, k) => {
      if (seen.has(z)) add(['clusters', i, 'zones', k], 'duplicate-name', message.duplicateName('zone', z));
      seen.add(z);
    });
  });

  const durationMs = parseDuration(input.duration) ?? 0;
  const warmupMs = parseDuration(input.warmup ?? 0) ?? 0;
  if (durationMs <= 0) add(['duration'], 'out-of-range', message.durationNotPositive());
  else if (warmupMs >= durationMs)
    add(['warmup'], 'time-out-of-run', message.warmupNotShorter(warmupMs, durationMs));
  const windowMs = parseDuration(input.report?.window ?? 10_000) ?? 0;
  if (windowMs <= 0) add(['report', 'window'], 'out-of-range', message.tooSmall('report.window', 0, false));
  else if (durationMs / windowMs > 100_000)
    add(['report', 'window'], 'out-of-range', message.windowTooSmall(windowMs, durationMs));

  input.services.forEach((s, si) => {
    s.deployments.forEach((d, di) => {
      const path = ['services', si, 'deployments', di];
      reference([...path, 'cluster'], 'cluster', d.cluster, clusters);
      const zones = zonesOf.get(d.cluster);
      if (zones !== undefined && d.zone !== undefined && !zones.includes(d.zone)) {
        add(
          [...path, 'zone'],
          'unknown-reference',
          message.zoneNotInCluster(d.zone, d.cluster, zones),
          suggest(d.zone, zones),
        );
      }
    });
    (s.calls ?? []).forEach((step, ci) => {
      const calls = Array.isArray(step) ? step : [step];
      calls.forEach((c, k) => {
        const path = Array.isArray(step)
          ? ['services', si, 'calls', ci, k, 'service']
          : ['services', si, 'calls', ci, 'service'];
        reference(path, 'service', c.service, services);
      });
    });
    checkDistribution(s.serviceTime, ['services', si, 'serviceTime'], add);
  });
  const cycle = findCallCycle(input);
  if (cycle !== undefined) add(cycle.path, 'call-cycle', message.callCycle(cycle.names));

  input.traffic.forEach((t, ti) => {
    reference(['traffic', ti, 'entry'], 'service', t.entry, services);
    if (typeof t.from === 'string') reference(['traffic', ti, 'from'], 'cluster', t.from, clusters);
    else {
      let sum = 0;
      for (const [cluster, share] of Object.entries(t.from)) {
        reference(['traffic', ti, 'from', cluster], 'cluster', cluster, clusters);
        sum += parseFraction(share) ?? 0;
      }
      if (sum === 0) add(['traffic', ti, 'from'], 'invalid-value', message.emptyShares());
      else if (Math.abs(sum - 1) > 1e-6)
        add(['traffic', ti, 'from'], 'invalid-value', message.sharesDoNotSum(sum));
    }
    t.steps?.forEach((step, k) => {
      const at = parseDuration(step.at) ?? 0;
      if (durationMs > 0 && at >= durationMs)
        add(['traffic', ti, 'steps', k, 'at'], 'time-out-of-run', message.stepOutsideRun(at, durationMs));
    });
  });

  for (const key of ['sameZone', 'crossZone', 'crossRegion'] as const) {
    const d = input.network?.[key];
    if (d !== undefined) checkDistribution(d, ['network', key], add);
  }
  const regions = [...new Set(input.clusters.map((c) => c.region))];
  for (const [pair, d] of Object.entries(input.network?.pairs ?? {})) {
    const ends = pair.split('<->').map((x) => x.trim());
    if (ends.length !== 2) {
      add(
        ['network', 'pairs', pair],
        'invalid-value',
        `expected a pair written "a<->b" (regions or clusters), got "${pair}"`,
      );
      continue;
    }
    for (const end of ends)
      reference(['network', 'pairs', pair], 'region or cluster', end, [...regions, ...clusters]);
    checkDistribution(d, ['network', 'pairs', pair], add);
  }
  if (input.mesh?.sidecar?.latency !== undefined)
    checkDistribution(input.mesh.sidecar.latency, ['mesh', 'sidecar', 'latency'], add);
  problems.push(...checkModelsAndFaults(input, durationMs));
  return problems;
}

function unique(
  items: readonly { name: string }[],
  kind: string,
  path: IssuePath,
  add: (path: IssuePath, code: IssueCode, text: string) => void,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.name))
      add([...path, i, 'name'], 'duplicate-name', message.duplicateName(kind, item.name));
    seen.add(item.name);
  });
}

function checkDistribution(
  d: DistributionInput,
  path: IssuePath,
  add: (path: IssuePath, code: IssueCode, text: string) => void,
): void {
  if (typeof d !== 'object') return;
  const ms = (x: number | string) => parseDuration(x) ?? 0;
  // Located at the field to change: median when it is 0, else p99; max for a uniform.
  if (d.dist === 'lognormal' && !(ms(d.median) > 0 && ms(d.p99) >= ms(d.median)))
    add([...path, ms(d.median) > 0 ? 'p99' : 'median'], 'invalid-value', message.lognormalOrder());
  if (d.dist === 'uniform' && ms(d.min) > ms(d.max))
    add([...path, 'max'], 'invalid-value', message.uniformOrder());
  if (d.dist === 'empirical') {
    const knots = empiricalKnots(d.percentiles);
    const ok =
      knots.length > 0 &&
      knots.every(([p], i) => p > 0 && p < 1 && (i === 0 || p > (knots[i - 1] as [number, number])[0])) &&
      knots.every(([, v], i) => i === 0 || v >= (knots[i - 1] as [number, number])[1]);
    if (!ok) add([...path, 'percentiles'], 'invalid-value', message.empiricalOrder());
  }
}

/** `{p50: 3ms, p99.9: 40ms}` as sorted [probability, ms] pairs. */
export function empiricalKnots(percentiles: Record<string, number | string>): [number, number][] {
  return Object.entries(percentiles)
    .map(([k, v]): [number, number] => [Number(k.slice(1)) / 100, parseDuration(v) ?? 0])
    .sort((a, b) => a[0] - b[0]);
}

/** The first cycle in the call graph, with the path of the call that closes it. */
function findCallCycle(input: ScenarioInput): { names: string[]; path: IssuePath } | undefined {
  const byName = new Map(input.services.map((s, i) => [s.name, i]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): { names: string[]; path: IssuePath } | undefined => {
    state.set(name, 'open');
    stack.push(name);
    const si = byName.get(name);
    const service = si === undefined ? undefined : input.services[si];
    for (const [ci, step] of (service?.calls ?? []).entries()) {
      const calls = Array.isArray(step) ? step : [step];
      for (const [k, c] of calls.entries()) {
        if (!byName.has(c.service)) continue;
        const path = Array.isArray(step)
          ? ['services', si as number, 'calls', ci, k, 'service']
          : ['services', si as number, 'calls', ci, 'service'];
        if (state.get(c.service) === 'open')
          return { names: [...stack.slice(stack.indexOf(c.service)), c.service], path };
        if (state.get(c.service) === undefined) {
          const found = visit(c.service);
          if (found) return found;
        }
      }
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const s of input.services) {
    if (state.get(s.name) === undefined) {
      const found = visit(s.name);
      if (found) return found;
    }
  }
  return undefined;
}
