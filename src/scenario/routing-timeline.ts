/**
 * What routing config each cluster holds when each `config-push` lands. A push is a `kubectl apply` of the
 * objects it lists: a VirtualService replaces the one with the same hosts in that cluster, a
 * DestinationRule the one for the same host, and everything else stays. The mesh takes a cluster's whole
 * config at each push, so the merge is done here, once, in time order. A push with `for` is undone when
 * it ends (the cluster gets back what it had), so it does not carry over to later pushes; check-model-
 * faults.ts makes sure no other push to that cluster starts meanwhile.
 *
 * Contents: `routingTimeline`, `routingTimelineByCluster`, `pushTargets`, `resolvePushed`, `canonicalHost`.
 */
import { DEFAULT_NAMESPACE, HostResolver } from './istio/host-resolver.js';
import type { FaultInput } from './schema-faults.js';
import type { DestinationRuleInput, RoutingInput, VirtualServiceInput } from './schema-routing.js';
import type { ScenarioInput } from './schema.js';
import { parseDuration } from './units.js';

type ConfigPush = Extract<FaultInput, { type: 'config-push' }>;

/**
 * The service a host of an inline entry names (`reviews.default.svc.cluster.local` is `reviews`; inline
 * routing is in namespace "default"), else the host as written. The resolver is the one validate uses.
 */
export function canonicalHost(host: string, services: HostResolver): string {
  if (host === '*') return host;
  return services.destination(host, DEFAULT_NAMESPACE)?.name ?? host;
}

/** The clusters a config-push is applied to: `cluster`, or `clusters` (`all`: every cluster, in file order). */
export function pushTargets(push: ConfigPush, clusters: readonly string[]): string[] {
  if (push.clusters === 'all') return [...clusters];
  if (push.clusters !== undefined) return [...new Set(push.clusters)];
  return push.cluster === undefined ? [] : [push.cluster];
}

/**
 * Fault index of each config-push -> the whole routing config of its (first) cluster once it is applied.
 * `base`: what every cluster holds before any push (istio/effective-routing.ts); default `input.routing`.
 */
export function routingTimeline(
  input: ScenarioInput,
  base?: RoutingInput,
  /** Clusters that start with routing of their own (`--istio-config CLUSTER=PATH`). */
  clusterBase?: Readonly<Record<string, RoutingInput>>,
): Map<number, RoutingInput> {
  const out = new Map<number, RoutingInput>();
  for (const [index, byCluster] of routingTimelineByCluster(input, base, clusterBase)) {
    const first = byCluster.values().next();
    if (first.done !== true) out.set(index, first.value);
  }
  return out;
}

/**
 * Fault index of each config-push -> per target cluster, the whole routing config it holds once the push
 * is applied (each cluster from its own state: earlier pushes and `--istio-config CLUSTER=PATH` differ).
 */
export function routingTimelineByCluster(
  input: ScenarioInput,
  base?: RoutingInput,
  clusterBase?: Readonly<Record<string, RoutingInput>>,
): Map<number, Map<string, RoutingInput>> {
  const services = HostResolver.of(input);
  const shared = base ?? input.routing ?? {};
  const initialOf = (cluster: string): RoutingInput => clusterBase?.[cluster] ?? shared;
  const clusters = input.clusters.map((c) => c.name);
  const current = new Map<string, RoutingInput>();
  const out = new Map<number, Map<string, RoutingInput>>();
  const pushes = (input.faults ?? [])
    .map((f, index) => ({ f, index }))
    .filter((p): p is { f: ConfigPush; index: number } => p.f.type === 'config-push')
    .sort((a, b) => (parseDuration(a.f.at) ?? 0) - (parseDuration(b.f.at) ?? 0) || a.index - b.index);
  for (const { f, index } of pushes) {
    const byCluster = new Map<string, RoutingInput>();
    for (const cluster of pushTargets(f, clusters)) {
      const merged = mergeRouting(current.get(cluster) ?? initialOf(cluster), f, services);
      byCluster.set(cluster, merged);
      if (f.for === undefined) current.set(cluster, merged);
    }
    out.set(index, byCluster);
  }
  return out;
}

function mergeRouting(base: RoutingInput, push: ConfigPush, services: HostResolver): RoutingInput {
  const vsKey = (vs: VirtualServiceInput) =>
    vs.hosts
      .map((h) => canonicalHost(h, services))
      .sort()
      .join(',');
  const drKey = (dr: DestinationRuleInput) => canonicalHost(dr.host, services);
  const virtualServices = replaceByKey(base.virtualServices ?? [], push.virtualServices ?? [], vsKey);
  const destinationRules = replaceByKey(base.destinationRules ?? [], push.destinationRules ?? [], drKey);
  // The ingress gateway's routes (Gateways and the VirtualServices bound to them) are kept as they are.
  return { ...base, virtualServices, destinationRules };
}

/** `base` with each item of `applied` replacing the one of the same key in place, or appended. */
function replaceByKey<T>(base: readonly T[], applied: readonly T[], key: (x: T) => string): T[] {
  const out = [...base];
  for (const item of applied) {
    const at = out.findIndex((x) => key(x) === key(item));
    if (at >= 0) out[at] = item;
    else out.push(item);
  }
  return out;
}

/**
 * The routing a cluster holds after a push, with the pushed entries' hosts as service names (what the mesh
 * matches on), resolved by the one resolver: a pushed DestinationRule for `reviews.default.svc.cluster.local`
 * applies to reviews at run time as it does in validate. Entries that came before the push are already
 * resolved (istio/effective-routing.ts) and are kept as they are.
 */
export function resolvePushed(merged: RoutingInput, push: FaultInput, services: HostResolver): RoutingInput {
  if (push.type !== 'config-push') return merged;
  const pushed = new Set<unknown>([...(push.virtualServices ?? []), ...(push.destinationRules ?? [])]);
  const name = (h: string) => canonicalHost(h, services);
  return {
    ...merged,
    virtualServices: (merged.virtualServices ?? []).map((vs) =>
      pushed.has(vs)
        ? {
            ...vs,
            hosts: vs.hosts.flatMap((h) => {
              const hit = h === '*' ? [] : services.match(h, DEFAULT_NAMESPACE).map((s) => s.name);
              return hit.length > 0 ? hit : [h];
            }),
            http: (vs.http ?? []).map((r) => ({
              ...r,
              route: r.route.map((d) => ({
                ...d,
                destination: { ...d.destination, host: name(d.destination.host) },
              })),
            })),
          }
        : vs,
    ),
    destinationRules: (merged.destinationRules ?? []).map((dr) =>
      pushed.has(dr) ? { ...dr, host: name(dr.host) } : dr,
    ),
  };
}
