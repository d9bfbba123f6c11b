/**
 * Meaning checks for `models:`, `faults:` and `routing:`: every name refers to something that exists, a
 * remote's primary is a primary, each fault happens inside the run and acts on something (a service in a
 * cluster it has no pods in is a silent no-op otherwise), timed config pushes to one cluster do not
 * overlap, and routing passes checkRouting and checkSubsets.
 *
 * Contents: `checkModelsAndFaults`.
 */
import type { Problem } from './check.js';
import { checkRouting } from './check-routing.js';
import { HostResolver } from './istio/host-resolver.js';
import { pushTargets } from './routing-timeline.js';
import type { RoutingInput } from './schema-routing.js';
import { checkSubsets } from './check-subsets.js';

import { message } from './messages.js';
import { problemCollector } from './problem-collector.js';
import { firstOfEachRegion } from './normalize-models.js';
import type { ScenarioInput } from './schema.js';
import { suggest } from './suggest.js';
import { parseDuration } from './units.js';

export function checkModelsAndFaults(
  input: ScenarioInput,
  durationMs: number,
  /** Every cluster's routing before any push, as istiod resolves it (istio/effective-routing.ts). */
  routingBase?: RoutingInput,
  clusterBase?: Readonly<Record<string, RoutingInput>>,
): Problem[] {
  const resolver = HostResolver.of(input);
  const { problems, add, reference } = problemCollector();
  const clusters = input.clusters.map((c) => c.name);
  const services = input.services.map((s) => s.name);
  const regions = [...new Set(input.clusters.map((c) => c.region))];
  const zonesOf = new Map(input.clusters.map((c) => [c.name, c.zones ?? [`${c.region}-a`]]));
  const deployedIn = new Map(
    input.services.map((s) => [s.name, [...new Set(s.deployments.map((d) => d.cluster))]]),
  );
  const ref = reference;

  const modelNames = new Set<string>();
  input.models?.forEach((m, i) => {
    const path = ['models', i];
    if (modelNames.has(m.name))
      add([...path, 'name'], 'duplicate-name', message.duplicateName('model', m.name));
    modelNames.add(m.name);
    const misplaced = (key: 'primary' | 'primaries' | 'remotes' | 'region', wanted: string) => {
      if (m[key] !== undefined && m.controlPlane !== wanted)
        add([...path, key], 'invalid-value', message.keyForOtherModel(key, wanted, m.controlPlane));
    };
    misplaced('primary', 'primary-remote');
    misplaced('primaries', 'hybrid');
    misplaced('remotes', 'hybrid');
    misplaced('region', 'external');
    if (m.primary !== undefined) ref([...path, 'primary'], 'cluster', m.primary, clusters);
    m.primaries?.forEach((p, k) => ref([...path, 'primaries', k], 'cluster', p, clusters));
    if (m.region !== undefined) ref([...path, 'region'], 'region', m.region, regions);
    // Without `primaries`, a hybrid's primaries are the first cluster of each region (normalize-models.ts).
    const primaries = m.primaries ?? firstOfEachRegion(input.clusters);
    for (const [remote, primary] of Object.entries(m.remotes ?? {})) {
      ref([...path, 'remotes', remote], 'cluster', remote, clusters);
      if (!primaries.includes(primary))
        add(
          [...path, 'remotes', remote],
          'invalid-value',
          message.remoteOfNonPrimary(remote, primary, primaries),
          suggest(primary, primaries),
        );
      if (primaries.includes(remote))
        add([...path, 'remotes', remote], 'invalid-value', message.primaryAsRemote(remote));
    }
  });

  input.faults?.forEach((f, i) => {
    const path = ['faults', i];
    const at = parseDuration(f.at) ?? 0;
    if (at >= durationMs) add([...path, 'at'], 'time-out-of-run', message.faultOutsideRun(at, durationMs));
    const clusterOk =
      'cluster' in f && f.cluster !== undefined && ref([...path, 'cluster'], 'cluster', f.cluster, clusters);
    if (clusterOk && f.type === 'zone-outage') {
      const zones = zonesOf.get(f.cluster) ?? [];
      if (!zones.includes(f.zone))
        add(
          [...path, 'zone'],
          'unknown-reference',
          message.zoneNotInCluster(f.zone, f.cluster, zones),
          suggest(f.zone, zones),
        );
    }
    if (
      'service' in f &&
      ref([...path, 'service'], 'service', f.service, services) &&
      clusterOk &&
      f.cluster !== undefined
    ) {
      const where = deployedIn.get(f.service) ?? [];
      if (!where.includes(f.cluster))
        add(
          [...path, 'cluster'],
          'unknown-reference',
          message.notDeployedIn(f.service, f.cluster, where),
          suggest(f.cluster, where),
        );
    }
    if (f.type === 'network-partition') {
      f.between.forEach((end, k) =>
        ref([...path, 'between', k], 'region or cluster', end, [...regions, ...clusters]),
      );
      if (f.between[0] === f.between[1])
        add([...path, 'between'], 'invalid-value', message.partitionWithItself(f.between[0]));
    }
    if (f.type === 'config-push') {
      const named = (f.cluster === undefined ? 0 : 1) + (f.clusters === undefined ? 0 : 1);
      if (named !== 1)
        add(
          [...path, named === 0 ? 'cluster' : 'clusters'],
          named === 0 ? 'missing-key' : 'invalid-value',
          named === 0
            ? 'a config-push needs `cluster` (one API server) or `clusters` (a list, or all)'
            : 'give `cluster` or `clusters`, not both',
        );
      if (Array.isArray(f.clusters))
        f.clusters.forEach((c, k) => ref([...path, 'clusters', k], 'cluster', c, clusters));
      const routing = {
        ...(f.virtualServices === undefined ? {} : { virtualServices: f.virtualServices }),
        ...(f.destinationRules === undefined ? {} : { destinationRules: f.destinationRules }),
      };
      problems.push(...checkRouting(routing, resolver, clusters, regions, path));
    }
  });
  problems.push(...overlappingPushes(input));

  if (input.routing !== undefined) problems.push(...checkRouting(input.routing, resolver, clusters, regions));
  problems.push(...checkSubsets(input, routingBase, clusterBase));
  return problems;
}

/** A config-push to a cluster that starts while a timed push to the same cluster lasts. */
function overlappingPushes(input: ScenarioInput): Problem[] {
  const pushes = (input.faults ?? [])
    .flatMap((f, index) => {
      if (f.type !== 'config-push') return [];
      const atMs = parseDuration(f.at) ?? 0;
      const endMs = f.for === undefined ? atMs : atMs + (parseDuration(f.for) ?? 0);
      return pushTargets(
        f,
        input.clusters.map((c) => c.name),
      ).map((cluster) => ({ index, cluster, atMs, endMs }));
    })
    .sort((a, b) => a.atMs - b.atMs || a.index - b.index);
  const problems: Problem[] = [];
  // In time order, per cluster: the timed push that lasts longest so far.
  const lasting = new Map<string, { atMs: number; endMs: number }>();
  for (const p of pushes) {
    const timed = lasting.get(p.cluster);
    if (timed !== undefined && p.atMs < timed.endMs)
      problems.push({
        path: ['faults', p.index, 'at'],
        code: 'overlap',
        message: message.configPushOverlap(p.cluster, timed.atMs, timed.endMs),
      });
    if (p.endMs > p.atMs && (timed === undefined || p.endMs > timed.endMs)) lasting.set(p.cluster, p);
  }
  return problems;
}
