/**
 * What routing config each cluster holds when each `config-push` lands. A push is a `kubectl apply` of the
 * objects it lists: a VirtualService replaces the one with the same hosts in that cluster, a
 * DestinationRule the one for the same host, and everything else stays. The mesh takes a cluster's whole
 * config at each push, so the merge is done here, once, in time order. A push with `for` is undone when
 * it ends (the cluster gets back what it had), so it does not carry over to later pushes; check-model-
 * faults.ts makes sure no other push to that cluster starts meanwhile.
 *
 * Contents: `routingTimeline`, `canonicalHost`.
 */
import { hostMatches } from '../mesh/traffic/index.js';
import type { FaultInput } from './schema-faults.js';
import type { DestinationRuleInput, RoutingInput, VirtualServiceInput } from './schema-routing.js';
import type { ScenarioInput } from './schema.js';
import { parseDuration } from './units.js';

type ConfigPush = Extract<FaultInput, { type: 'config-push' }>;

/** The service a host names (`reviews.default.svc.cluster.local` is `reviews`), else the host as written. */
export function canonicalHost(host: string, services: readonly string[]): string {
  if (host === '*') return host;
  return services.find((s) => hostMatches(host, s)) ?? host;
}

/** Fault index of each config-push -> the whole routing config of its cluster once it is applied. */
export function routingTimeline(input: ScenarioInput): Map<number, RoutingInput> {
  const services = input.services.map((s) => s.name);
  const initial = input.routing ?? {};
  const current = new Map<string, RoutingInput>();
  const out = new Map<number, RoutingInput>();
  const pushes = (input.faults ?? [])
    .map((f, index) => ({ f, index }))
    .filter((p): p is { f: ConfigPush; index: number } => p.f.type === 'config-push')
    .sort((a, b) => (parseDuration(a.f.at) ?? 0) - (parseDuration(b.f.at) ?? 0) || a.index - b.index);
  for (const { f, index } of pushes) {
    const merged = mergeRouting(current.get(f.cluster) ?? initial, f, services);
    out.set(index, merged);
    if (f.for === undefined) current.set(f.cluster, merged);
  }
  return out;
}

function mergeRouting(base: RoutingInput, push: ConfigPush, services: readonly string[]): RoutingInput {
  const vsKey = (vs: VirtualServiceInput) =>
    vs.hosts
      .map((h) => canonicalHost(h, services))
      .sort()
      .join(',');
  const drKey = (dr: DestinationRuleInput) => canonicalHost(dr.host, services);
  const virtualServices = replaceByKey(base.virtualServices ?? [], push.virtualServices ?? [], vsKey);
  const destinationRules = replaceByKey(base.destinationRules ?? [], push.destinationRules ?? [], drKey);
  return { virtualServices, destinationRules };
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
