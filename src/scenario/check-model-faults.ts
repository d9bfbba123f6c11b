/**
 * Meaning checks for `models:`, `faults:` and `routing:`: every name refers to something that exists, a
 * remote's primary is a primary, each fault happens inside the run, and routing passes checkRouting.
 */
import type { Problem } from './check.js';
import type { IssueCode, IssuePath } from './issue.js';
import { message } from './messages.js';
import { checkRouting } from './normalize-routing.js';
import type { ScenarioInput } from './schema.js';
import { suggest } from './suggest.js';
import { parseDuration } from './units.js';

export function checkModelsAndFaults(input: ScenarioInput, durationMs: number): Problem[] {
  const problems: Problem[] = [];
  const add = (path: IssuePath, code: IssueCode, text: string, suggestion?: string) =>
    problems.push({ path, code, message: text, ...(suggestion === undefined ? {} : { suggestion }) });
  const clusters = input.clusters.map((c) => c.name);
  const services = input.services.map((s) => s.name);
  const regions = [...new Set(input.clusters.map((c) => c.region))];
  const zonesOf = new Map(input.clusters.map((c) => [c.name, c.zones ?? [`${c.region}-a`]]));
  const ref = (path: IssuePath, kind: string, name: string, known: readonly string[]): boolean => {
    if (known.includes(name)) return true;
    add(path, 'unknown-reference', message.unknownReference(kind, name, known), suggest(name, known));
    return false;
  };

  const modelNames = new Set<string>();
  input.models?.forEach((m, i) => {
    const path = ['models', i];
    if (modelNames.has(m.name)) add([...path, 'name'], 'duplicate-name', message.duplicateName('model', m.name));
    modelNames.add(m.name);
    const misplaced = (key: 'primary' | 'primaries' | 'remotes' | 'region', wanted: string) => {
      if (m[key] !== undefined && m.controlPlane !== wanted) add([...path, key], 'invalid-value', message.keyForOtherModel(key, wanted, m.controlPlane));
    };
    misplaced('primary', 'primary-remote');
    misplaced('primaries', 'hybrid');
    misplaced('remotes', 'hybrid');
    misplaced('region', 'external');
    if (m.primary !== undefined) ref([...path, 'primary'], 'cluster', m.primary, clusters);
    m.primaries?.forEach((p, k) => ref([...path, 'primaries', k], 'cluster', p, clusters));
    if (m.region !== undefined) ref([...path, 'region'], 'region', m.region, regions);
    for (const [remote, primary] of Object.entries(m.remotes ?? {})) {
      ref([...path, 'remotes', remote], 'cluster', remote, clusters);
      if (m.primaries !== undefined && !m.primaries.includes(primary)) {
        add([...path, 'remotes', remote], 'invalid-value', message.remoteOfNonPrimary(remote, primary, m.primaries), suggest(primary, m.primaries));
      } else ref([...path, 'remotes', remote], 'cluster', primary, clusters);
      if (m.primaries?.includes(remote)) add([...path, 'remotes', remote], 'invalid-value', message.primaryAsRemote(remote));
    }
  });

  input.faults?.forEach((f, i) => {
    const path = ['faults', i];
    const at = parseDuration(f.at) ?? 0;
    if (at >= durationMs) add([...path, 'at'], 'time-out-of-run', message.faultOutsideRun(at, durationMs));
    if ('cluster' in f && f.cluster !== undefined) {
      if (ref([...path, 'cluster'], 'cluster', f.cluster, clusters) && f.type === 'zone-outage') {
        const zones = zonesOf.get(f.cluster) ?? [];
        if (!zones.includes(f.zone)) add([...path, 'zone'], 'unknown-reference', message.zoneNotInCluster(f.zone, f.cluster, zones), suggest(f.zone, zones));
      }
    }
    if ('service' in f) ref([...path, 'service'], 'service', f.service, services);
    if (f.type === 'network-partition') {
      f.between.forEach((end, k) => ref([...path, 'between', k], 'region or cluster', end, [...regions, ...clusters]));
      if (f.between[0] === f.between[1]) add([...path, 'between'], 'invalid-value', message.partitionWithItself(f.between[0]));
    }
    if (f.type === 'config-push') {
      const routing = {
        ...(f.virtualServices === undefined ? {} : { virtualServices: f.virtualServices }),
        ...(f.destinationRules === undefined ? {} : { destinationRules: f.destinationRules }),
      };
      for (const p of checkRouting(routing, services, clusters, regions, path)) add(p.path, p.code, p.message, p.suggestion);
    }
  });

  if (input.routing !== undefined) {
    for (const p of checkRouting(input.routing, services, clusters, regions)) add(p.path, p.code, p.message, p.suggestion);
  }
  return problems;
}
