/**
 * Rules about meaning that a schema cannot state, phase 4 of load.ts: references between names,
 * uniqueness, the call graph, times inside the run, consistent distributions, deployment models, faults
 * and routing. Every violation is collected, none stops the others.
 *
 * Contents: `checkScenario`, `Problem`.
 */
import { checkDistributions } from './check-distributions.js';
import { checkExternalServices } from './check-external.js';
import { checkModelsAndFaults } from './check-model-faults.js';
import { checkLoadModel } from './check-load-model.js';
import { checkThresholds } from './check-thresholds.js';
import { checkTraffic } from './check-traffic.js';
import type { IssueCode, IssuePath, IssueSeverity } from './issue.js';
import { message } from './messages.js';
import { problemCollector } from './problem-collector.js';
import type { RoutingInput } from './schema-routing.js';
import type { ScenarioInput } from './schema.js';
import { suggest } from './suggest.js';
import { bareDurationHint } from './unit-suggestion.js';
import { parseDuration } from './units.js';

/** An issue before it is located in the file. */
export interface Problem {
  path: IssuePath;
  code: IssueCode;
  message: string;
  suggestion?: string | undefined;
  /** Absent means 'error'. */
  severity?: IssueSeverity;
}

/**
 * `routingBase`: the routing every cluster starts with once istiod has resolved every VirtualService and
 * DestinationRule (inline and included); config pushes are checked against it. Default: `input.routing`.
 */
export function checkScenario(
  input: ScenarioInput,
  routingBase?: RoutingInput,
  /** Clusters that start with routing of their own (`--istio-config CLUSTER=PATH`): pushes land on it there. */
  clusterBase?: Readonly<Record<string, RoutingInput>>,
): Problem[] {
  const { problems, add, reference } = problemCollector();

  const clusters = input.clusters.map((c) => c.name);
  const services = input.services.map((s) => s.name);
  // Services call external hosts (ServiceEntry hosts described under externalServices) by their host.
  const callable = [...services, ...(input.externalServices ?? []).map((e) => e.host)];
  const collector = problemCollector();
  checkExternalServices(input, collector);
  problems.push(...collector.problems);
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
  // `duration: 90` is 90 ms, a plain number being milliseconds: allowed, but almost never meant.
  const bare = bareDurationHint(input.duration);
  if (bare !== undefined)
    problems.push({
      path: ['duration'],
      code: 'invalid-value',
      message: `duration ${String(input.duration)} is read as ${String(input.duration)} ms (a plain number is milliseconds)`,
      suggestion: bare,
      severity: 'warning',
    });
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
      calls.forEach((c, k) =>
        reference(callPath(si, ci, k, Array.isArray(step)), 'service', c.service, callable),
      );
    });
    const versions = s.deployments.flatMap((d) =>
      d.labels?.['version'] === undefined ? [] : [d.labels['version']],
    );
    for (const [v, behaviour] of Object.entries(s.versions ?? {})) {
      reference(['services', si, 'versions', v], 'version (labels.version of a deployment)', v, versions);
      (behaviour.calls ?? []).forEach((step, ci) =>
        (Array.isArray(step) ? step : [step]).forEach((c, k) =>
          reference(
            Array.isArray(step)
              ? ['services', si, 'versions', v, 'calls', ci, k, 'service']
              : ['services', si, 'versions', v, 'calls', ci, 'service'],
            'service',
            c.service,
            callable,
          ),
        ),
      );
    }
  });
  const cycle = findCallCycle(input);
  if (cycle !== undefined) add(cycle.path, 'call-cycle', message.callCycle(cycle.names));

  const regions = [...new Set(input.clusters.map((c) => c.region))];
  for (const pair of Object.keys(input.network?.pairs ?? {})) {
    const ends = pair.split('<->').map((x) => x.trim());
    if (ends.length !== 2) {
      add(['network', 'pairs', pair], 'invalid-value', message.badPair(pair));
      continue;
    }
    for (const end of ends)
      reference(['network', 'pairs', pair], 'region or cluster', end, [...regions, ...clusters]);
  }
  const cp = input.mesh?.controlPlane;
  const reconnectInitialMs = parseDuration(cp?.reconnectInitial ?? 500) ?? 0;
  const reconnectMaxMs = parseDuration(cp?.reconnectMax ?? 30_000) ?? 0;
  if (reconnectMaxMs < reconnectInitialMs)
    add(
      ['mesh', 'controlPlane', cp?.reconnectMax === undefined ? 'reconnectInitial' : 'reconnectMax'],
      'invalid-value',
      message.reconnectMaxBelowInitial(reconnectMaxMs, reconnectInitialMs),
    );

  problems.push(...checkTraffic(input, durationMs));
  problems.push(...checkThresholds(input));
  problems.push(...checkLoadModel(input, durationMs));
  problems.push(...checkDistributions(input));
  problems.push(...checkModelsAndFaults(input, durationMs, routingBase, clusterBase));
  return problems;
}

function callPath(si: number, ci: number, k: number, inGroup: boolean): IssuePath {
  return inGroup ? ['services', si, 'calls', ci, k, 'service'] : ['services', si, 'calls', ci, 'service'];
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

/**
 * The first cycle in the call graph, with the path of the call that closes it. Depth-first with an
 * explicit stack, so a chain of ten thousand services cannot overflow the JavaScript stack.
 */
function findCallCycle(input: ScenarioInput): { names: string[]; path: IssuePath } | undefined {
  const byName = new Map(input.services.map((s, i) => [s.name, i]));
  // A version's calls are edges of the graph too (reviews v2 calls ratings though reviews does not).
  const edges = input.services.map((s, si) => [
    ...(s.calls ?? []).flatMap((step, ci) =>
      (Array.isArray(step) ? step : [step]).flatMap((c, k) => {
        const to = byName.get(c.service);
        return to === undefined ? [] : [{ to, path: callPath(si, ci, k, Array.isArray(step)) }];
      }),
    ),
    ...Object.entries(s.versions ?? {}).flatMap(([v, b]) =>
      (b.calls ?? []).flatMap((step, ci) =>
        (Array.isArray(step) ? step : [step]).flatMap((c, k) => {
          const to = byName.get(c.service);
          const path: IssuePath = Array.isArray(step)
            ? ['services', si, 'versions', v, 'calls', ci, k, 'service']
            : ['services', si, 'versions', v, 'calls', ci, 'service'];
          return to === undefined ? [] : [{ to, path }];
        }),
      ),
    ),
  ]);
  const state = new Array<'new' | 'open' | 'done'>(input.services.length).fill('new');
  for (let root = 0; root < input.services.length; root++) {
    if (state[root] !== 'new') continue;
    const stack: { node: number; next: number }[] = [{ node: root, next: 0 }];
    state[root] = 'open';
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: number; next: number };
      const edge = edges[top.node]?.[top.next];
      if (edge === undefined) {
        state[top.node] = 'done';
        stack.pop();
        continue;
      }
      top.next++;
      if (state[edge.to] === 'open') {
        const from = stack.findIndex((f) => f.node === edge.to);
        const names = [...stack.slice(from).map((f) => f.node), edge.to].map(
          (i) => input.services[i]?.name ?? '',
        );
        return { names, path: edge.path };
      }
      if (state[edge.to] === 'new') {
        state[edge.to] = 'open';
        stack.push({ node: edge.to, next: 0 });
      }
    }
  }
  return undefined;
}
