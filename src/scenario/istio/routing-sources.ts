/**
 * Every VirtualService and DestinationRule a scenario brings, in the order they are applied: the inline
 * `routing:` entries (namespace "default"), then `routing.include` files, then `--istio-config` paths;
 * each checked where it was written (file, line, column), then resolved as istiod would
 * (effective-routing.ts) into the routing every cluster starts with.
 *
 * Contents: `resolveRouting`, `IstioConfigPath`.
 */
import { checkRouting } from '../check-routing.js';
import type { IssuePath, ScenarioIssue } from '../issue.js';
import type { RoutingInput } from '../schema-routing.js';
import type { ScenarioInput } from '../schema.js';
import type { YamlSource } from '../yaml-source.js';
import { callerNamespaces, effectiveRouting, type ResolvedRoutingInput } from './effective-routing.js';
import { checkIstioFields } from './fields.js';
import { DEFAULT_NAMESPACE, HostResolver } from './host-resolver.js';
import { readConfigSources, scenarioFolder, type ConfigSource } from './include.js';
import type { RoutingObject } from './resources.js';

/** A `--istio-config [CLUSTER=]PATH` (relative to the working directory). */
export interface IstioConfigPath {
  readonly path: string;
  readonly cluster?: string | undefined;
}

export function resolveRouting(
  input: ScenarioInput,
  source: YamlSource,
  file: string,
  extra: readonly IstioConfigPath[] = [],
): {
  routing: ResolvedRoutingInput;
  /** Clusters given resources of their own (`--istio-config CLUSTER=PATH`): their whole starting routing. */
  clusterRouting?: Record<string, ResolvedRoutingInput>;
  /** Config-pushes with `include:`: by fault index, the included resources as push entries. */
  pushes?: Map<number, RoutingInput>;
  issues: ScenarioIssue[];
} {
  const issues: ScenarioIssue[] = [];
  const objects: RoutingObject[] = [];
  const inline = (kind: 'VirtualService' | 'DestinationRule', spec: unknown, i: number, key: string) => {
    const specPath: IssuePath = ['routing', key, i];
    for (const f of checkIstioFields(kind, spec, specPath))
      issues.push({
        file,
        ...source.locate(f.path),
        path: f.path,
        code: 'not-modelled',
        ...(f.rejected ? {} : { severity: 'warning' as const }),
        message: f.rejected
          ? `${f.field} is refused: ${f.reason}`
          : `${f.field} is accepted and ignored: ${f.reason}`,
      });
    const base = {
      name: `routing.${key}[${i}]`,
      namespace: DEFAULT_NAMESPACE,
      creationTimestamp: undefined,
      seq: objects.length,
      file,
      source,
      specPath,
      inline: true,
    };
    objects.push(
      kind === 'VirtualService'
        ? { ...base, kind, spec: spec as never }
        : { ...base, kind, spec: spec as never },
    );
  };
  (input.routing?.virtualServices ?? []).forEach((vs, i) =>
    inline('VirtualService', vs, i, 'virtualServices'),
  );
  (input.routing?.destinationRules ?? []).forEach((dr, i) =>
    inline('DestinationRule', dr, i, 'destinationRules'),
  );

  const sources: ConfigSource[] = [
    ...(input.routing?.include ?? []).map((path, k) => ({
      path,
      relativeTo: scenarioFolder(file),
      at: { file, ...source.locate(['routing', 'include', k]), path: ['routing', 'include', k] },
    })),
    ...extra.map((e) => ({
      path: e.path,
      relativeTo: process.cwd(),
      cluster: e.cluster,
      at: { file: '--istio-config', line: 0, column: 0, path: [] },
    })),
  ];
  const read = readConfigSources(sources, objects.length);
  issues.push(...read.issues);

  const resolver = HostResolver.of(input);
  const clusters = input.clusters.map((c) => c.name);
  const regions = [...new Set(input.clusters.map((c) => c.region))];
  issues.push(...checkServiceEntries(input, source, file, read.objects));
  issues.push(...checkObjects(read.objects, resolver, clusters, regions));
  objects.push(...read.objects);
  const callers = callerNamespaces(input, resolver);
  const effective = effectiveRouting(
    objects.filter((o) => o.cluster === undefined),
    resolver,
    callers,
  );
  issues.push(...effective.issues);
  // `--istio-config CLUSTER=PATH`: that cluster's API server holds the shared objects and its own, resolved
  // together (a later object of the same name replaces the shared one there only).
  const clusterRouting: Record<string, ResolvedRoutingInput> = {};
  const seen = new Set(effective.issues.map(issueKey));
  for (const cluster of [...new Set(extra.flatMap((e) => (e.cluster === undefined ? [] : [e.cluster])))]) {
    if (!clusters.includes(cluster)) {
      issues.push({
        file: '--istio-config',
        line: 0,
        column: 0,
        path: [],
        code: 'unknown-reference',
        message: `--istio-config ${cluster}=...: no cluster "${cluster}" in the scenario (clusters: ${clusters.join(', ')})`,
      });
      continue;
    }
    const own = effectiveRouting(
      objects.filter((o) => o.cluster === undefined || o.cluster === cluster),
      resolver,
      callers,
    );
    clusterRouting[cluster] = own.routing;
    for (const i of own.issues) {
      const key = issueKey(i);
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push(i);
    }
  }
  const included = pushedIncludes(input, source, file, resolver, objects.length + 1_000_000);
  issues.push(...included.issues);
  return {
    routing: effective.routing,
    ...(Object.keys(clusterRouting).length === 0 ? {} : { clusterRouting }),
    ...(included.pushes.size === 0 ? {} : { pushes: included.pushes }),
    issues: oncePerField(issues),
  };
}

/** Each resource checked alone where it was written (hosts, subsets' uniqueness, weights, regexes...). */
function checkObjects(
  objects: readonly RoutingObject[],
  resolver: HostResolver,
  clusters: readonly string[],
  regions: readonly string[],
): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  for (const o of objects) {
    if (o.kind === 'Gateway' || o.kind === 'ServiceEntry') continue;
    const routing: RoutingInput =
      o.kind === 'VirtualService' ? { virtualServices: [o.spec] } : { destinationRules: [o.spec] };
    // A VirtualService bound to Gateways only names the hosts clients ask the gateway for
    // (bookinfo.example.com), not services: its hosts are matched against the Gateway's servers.
    const gatewayOnly =
      o.kind === 'VirtualService' &&
      (o.spec.gateways ?? []).length > 0 &&
      !(o.spec.gateways ?? []).includes('mesh');
    for (const p of checkRouting(routing, resolver, clusters, regions, [], o.namespace)) {
      if (gatewayOnly && p.path[2] === 'hosts') continue;
      const path = [...o.specPath, ...p.path.slice(2)];
      issues.push({
        file: o.file,
        ...o.source.locate(path),
        path,
        code: p.code,
        message: p.message,
        ...(p.suggestion === undefined ? {} : { suggestion: p.suggestion }),
        ...(p.severity === undefined ? {} : { severity: p.severity }),
      });
    }
  }
  return issues;
}

/**
 * A config-push's `include:` files, read and resolved as istiod reads them, then written as the push's
 * own entries (hosts as FQDNs, so they name the same services from the push's namespace "default"): a
 * push's entries replace the cluster's by host (routing-timeline.ts). Gateways and ServiceEntries in a
 * push are not applied (said).
 */
function pushedIncludes(
  input: ScenarioInput,
  source: YamlSource,
  file: string,
  resolver: HostResolver,
  firstSeq: number,
): { pushes: Map<number, RoutingInput>; issues: ScenarioIssue[] } {
  const issues: ScenarioIssue[] = [];
  const pushes = new Map<number, RoutingInput>();
  const clusters = input.clusters.map((c) => c.name);
  const regions = [...new Set(input.clusters.map((c) => c.region))];
  const fqdn = new Map(resolver.services.map((s) => [s.name, s.fqdn]));
  const host = (h: string) => fqdn.get(h) ?? h;
  (input.faults ?? []).forEach((f, fi) => {
    if (f.type !== 'config-push' || f.include === undefined) return;
    const read = readConfigSources(
      f.include.map((path, k) => ({
        path,
        relativeTo: scenarioFolder(file),
        at: {
          file,
          ...source.locate(['faults', fi, 'include', k]),
          path: ['faults', fi, 'include', k],
        },
      })),
      firstSeq,
    );
    issues.push(...read.issues, ...checkObjects(read.objects, resolver, clusters, regions));
    for (const o of read.objects)
      if (o.kind === 'Gateway' || o.kind === 'ServiceEntry')
        issues.push({
          file: o.file,
          ...o.source.locate(o.specPath),
          path: o.specPath,
          code: 'not-modelled',
          severity: 'warning',
          message: `${o.kind} ${o.name} in a config-push is not applied: pushes carry VirtualServices and DestinationRules (apply it with routing.include or --istio-config)`,
        });
    const eff = effectiveRouting(
      read.objects.filter((o) => o.kind === 'VirtualService' || o.kind === 'DestinationRule'),
      resolver,
      callerNamespaces(input, resolver),
    );
    issues.push(...eff.issues);
    pushes.set(fi, {
      virtualServices: (eff.routing.virtualServices ?? []).map((vs) => ({
        ...vs,
        hosts: vs.hosts.map(host),
        http: (vs.http ?? []).map((r) => ({
          ...r,
          route: r.route.map((d) => ({
            ...d,
            destination: { ...d.destination, host: host(d.destination.host) },
          })),
        })),
      })),
      destinationRules: (eff.routing.destinationRules ?? []).map((dr) => ({ ...dr, host: host(dr.host) })),
    });
  });
  return { pushes, issues };
}

/** The scenario with each config-push's included resources appended to its inline entries. */
export function withPushedIncludes(
  input: ScenarioInput,
  pushes: ReadonlyMap<number, RoutingInput> | undefined,
): ScenarioInput {
  if (pushes === undefined || pushes.size === 0) return input;
  return {
    ...input,
    faults: (input.faults ?? []).map((f, i) => {
      const p = pushes.get(i);
      if (p === undefined || f.type !== 'config-push') return f;
      return {
        ...f,
        virtualServices: [...(f.virtualServices ?? []), ...(p.virtualServices ?? [])],
        destinationRules: [...(f.destinationRules ?? []), ...(p.destinationRules ?? [])],
      };
    }),
  };
}

function issueKey(i: ScenarioIssue): string {
  return `${i.file}\u0000${i.line}\u0000${i.column}\u0000${i.message}`;
}

/**
 * Every `externalServices` host must be a ServiceEntry's (Istio has no such host otherwise); ServiceEntry
 * hosts are modelled as outside the clusters, MESH_INTERNAL ones included (said once per entry).
 */
function checkServiceEntries(
  input: ScenarioInput,
  source: YamlSource,
  file: string,
  objects: readonly RoutingObject[],
): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const declared = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'ServiceEntry') continue;
    for (const h of o.spec.hosts) declared.add(h.toLowerCase());
    if (o.spec.location === 'MESH_INTERNAL')
      issues.push({
        file: o.file,
        ...o.source.locate([...o.specPath, 'location']),
        path: [...o.specPath, 'location'],
        code: 'not-modelled',
        severity: 'warning',
        message:
          'MESH_INTERNAL hosts are modelled as external ones: one destination outside the clusters with the latency and errors of `externalServices` (their workloads, sidecars and mTLS are not modelled)',
      });
  }
  (input.externalServices ?? []).forEach((e, i) => {
    if (declared.has(e.host.toLowerCase())) return;
    const path = ['externalServices', i, 'host'];
    issues.push({
      file,
      ...source.locate(path),
      path,
      code: 'unknown-reference',
      message: `no ServiceEntry declares host "${e.host}": Istio would not know it (REGISTRY_ONLY refuses it; ALLOW_ANY passes it through with no VirtualService or DestinationRule)`,
      suggestion:
        'apply a networking.istio.io ServiceEntry listing the host (routing.include or --istio-config)',
    });
  });
  return issues;
}

/** One "accepted and ignored" warning per field and file, saying how many more places set it. */
function oncePerField(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  const first = new Map<string, { at: number; more: number }>();
  const out: ScenarioIssue[] = [];
  for (const i of issues) {
    const ignored =
      i.code === 'not-modelled' &&
      i.severity === 'warning' &&
      i.message.includes(' is accepted and ignored: ');
    if (!ignored) {
      out.push(i);
      continue;
    }
    const key = `${i.file}\u0000${i.message}`;
    const seen = first.get(key);
    if (seen !== undefined) {
      seen.more++;
      continue;
    }
    first.set(key, { at: out.length, more: 0 });
    out.push(i);
  }
  for (const { at, more } of first.values())
    if (more > 0) {
      const i = out[at] as ScenarioIssue;
      out[at] = {
        ...i,
        message: `${i.message} (set in ${more} more place${more === 1 ? '' : 's'} of this file)`,
      };
    }
  return out;
}
