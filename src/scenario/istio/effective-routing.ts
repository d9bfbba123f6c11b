/**
 * The routing each service host gets, decided as istiod decides it, from every VirtualService and
 * DestinationRule (inline, included, from the command line), so that `validate` and the run read one
 * answer. Sources: istio/istio at 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c.
 *
 * - kubectl: resources are keyed by kind/namespace/name; a later one replaces an earlier one and keeps
 *   its creation time (an apply updates the object, it does not create a new one).
 * - Order: `sortConfigByCreationTime` (pilot/pkg/model/config.go): creation time, then name, then
 *   namespace. Resources without a creationTimestamp are created in the order they are applied, after
 *   those that carry one (a `kubectl get` dump describes objects that exist already).
 * - VirtualServices (pilot/pkg/model/virtualservice.go `SelectVirtualServices`, push_context.go
 *   `initVirtualServices`): only those bound to `mesh` (no `gateways`, or `mesh` among them) route
 *   sidecars; a client in namespace C sees private ones of C, then ones exported to C, then public ones,
 *   each group oldest first. For one host the first wins and later ones are dropped as a duplicate domain
 *   (pilot/pkg/networking/core/httproute.go), unless a more specific host claims it (an exact host beats
 *   a wildcard, as Envoy picks the most specific virtual host domain). Istio does not merge them for
 *   sidecars: meshsim warns where one is ignored.
 * - DestinationRules (push_context.go `destinationRule`, destination_rule.go `mergeDestinationRule`): a
 *   client in namespace C uses the most specific rule for the host from C, else the one exported from
 *   the service's namespace, else from the root namespace (istio-system). Rules of one namespace for one
 *   host are merged oldest first: unique subsets are concatenated (a repeated subset name is dropped), the
 *   top-level trafficPolicy and exportTo are the first rule's that has one.
 * - meshsim routes one host the same for every client. Where clients in different namespaces would get
 *   different VirtualServices or DestinationRules (exportTo, namespace-local rules), it refuses the file
 *   with the reason, rather than pick one silently.
 *
 * Contents: `effectiveRouting`, `EffectiveRouting`, `callerNamespaces`.
 */
import type { IssuePath, ScenarioIssue } from '../issue.js';
import { message } from '../messages.js';
import { suggest } from '../suggest.js';
import type { DestinationRuleInput, RoutingInput, VirtualServiceInput } from '../schema-routing.js';
import type { ScenarioInput } from '../schema.js';
import { fqdnOf, HostResolver, type ServiceHost } from './host-resolver.js';
import { gatewayRoutes, INGRESS_NAMESPACE, type IngressHostInput } from './gateway-routes.js';
import type { RoutingObject } from './resources.js';

/** Routing as the run receives it: the sidecars' VirtualServices and DestinationRules, and the ingress gateway's routes. */
export type ResolvedRoutingInput = RoutingInput & { readonly ingress?: readonly IngressHostInput[] };

/** Istio's default root namespace (meshConfig.rootNamespace). */
export const ROOT_NAMESPACE = 'istio-system';

export interface EffectiveRouting {
  /** One VirtualService per winning resource (hosts: the services it routes), one DestinationRule per host; hosts are service names. */
  readonly routing: ResolvedRoutingInput;
  readonly issues: ScenarioIssue[];
}

type Vs = Extract<RoutingObject, { kind: 'VirtualService' }>;
type Dr = Extract<RoutingObject, { kind: 'DestinationRule' }>;
type Gw = Extract<RoutingObject, { kind: 'Gateway' }>;
/** Reports a problem of one resource, located at `path` under its spec (as `effectiveRouting`'s `issue`). */
type ReportRoutingIssue = (
  o: RoutingObject,
  path: IssuePath,
  code: ScenarioIssue['code'],
  text: string,
  warning: boolean,
) => void;

/** Namespaces of the clients of each service: its callers' and, for an entry service, its own. */
export function callerNamespaces(input: ScenarioInput, resolver: HostResolver): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (service: string, ns: string) => {
    const set = out.get(service) ?? new Set<string>();
    set.add(ns);
    out.set(service, set);
  };
  for (const s of input.services)
    for (const step of [...(s.calls ?? []), ...Object.values(s.versions ?? {}).flatMap((v) => v.calls ?? [])])
      for (const c of Array.isArray(step) ? step : [step]) add(c.service, resolver.namespaceOf(s.name));
  for (const t of input.traffic) {
    if (t.entry === undefined) continue;
    // Through a Gateway, the caller of the entry service is the ingress gateway (istio-system).
    add(t.entry, t.host === undefined ? resolver.namespaceOf(t.entry) : INGRESS_NAMESPACE);
  }
  return out;
}

export function effectiveRouting(
  objects: readonly RoutingObject[],
  resolver: HostResolver,
  callers: ReadonlyMap<string, ReadonlySet<string>>,
): EffectiveRouting {
  const issues: ScenarioIssue[] = [];
  const issue = (
    o: RoutingObject,
    path: IssuePath,
    code: ScenarioIssue['code'],
    text: string,
    warning: boolean,
    suggestion?: string,
  ) =>
    issues.push({
      file: o.file,
      ...o.source.locate([...o.specPath, ...path]),
      path: [...o.specPath, ...path],
      code,
      message: text,
      ...(suggestion === undefined ? {} : { suggestion }),
      ...(warning ? { severity: 'warning' as const } : {}),
    });
  const where = (o: RoutingObject) => {
    const at = o.source.locate(o.specPath);
    return `${o.namespace}/${o.name} (${o.file}:${at.line})`;
  };

  // kubectl apply: the later object of a kind/namespace/name replaces the earlier, keeping its place in time.
  const byKey = new Map<string, RoutingObject>();
  for (const o of objects) {
    // One API server's objects (the caller passes one cluster's): keyed without the cluster.
    const key = `${o.kind}/${o.namespace}/${o.name}`;
    const earlier = byKey.get(key);
    if (earlier !== undefined) {
      issue(
        o,
        [],
        'duplicate-name',
        `replaces ${o.kind} ${where(earlier)}, as a later kubectl apply of the same name does`,
        true,
      );
      byKey.set(key, {
        ...o,
        seq: earlier.seq,
        creationTimestamp: o.creationTimestamp ?? earlier.creationTimestamp,
      } as RoutingObject);
    } else byKey.set(key, o);
  }
  const live = [...byKey.values()].sort(byCreation);
  const vss = live.filter((o): o is Vs => o.kind === 'VirtualService');
  const drs = live.filter((o): o is Dr => o.kind === 'DestinationRule');
  const gws = live.filter((o): o is Gw => o.kind === 'Gateway');

  // Sidecars take VirtualServices bound to `mesh` (no `gateways`, or `mesh` among them); the others
  // route at the Gateways they name only (gateway-routes.ts).
  const sidecarVss = vss.filter((vs) => {
    const bound = vs.spec.gateways ?? [];
    return bound.length === 0 || bound.includes('mesh');
  });
  const ingress = gatewayRoutes(
    gws,
    vss.filter((vs) => (vs.spec.gateways ?? []).some((g) => g !== 'mesh')),
    resolver,
    issue,
  );

  const vsWins = new Map<Vs, string[]>();
  const drFor = new Map<string, { rule: DestinationRuleInput; from: Dr[] }>();
  const shadowWarned = new Set<string>();
  for (const svc of resolver.services) {
    const clients = [...(callers.get(svc.name) ?? new Set([svc.namespace]))].sort();
    const vsByClient = clients.map((c) => ({ c, vs: pickVirtualService(sidecarVss, svc, c) }));
    const first = vsByClient[0]?.vs;
    const differs = vsByClient.find((x) => x.vs?.winner !== first?.winner);
    if (differs !== undefined) {
      const o = (first?.winner ?? differs.vs?.winner) as Vs;
      issue(
        o,
        ['hosts'],
        'not-modelled',
        `clients of ${svc.fqdn} in namespaces ${vsByClient[0]?.c} and ${differs.c} would get different VirtualServices (${first?.winner === undefined ? 'none' : where(first.winner)} and ${differs.vs?.winner === undefined ? 'none' : where(differs.vs.winner)}) through exportTo or namespace-local rules; meshsim routes a host the same for every client`,
        false,
      );
    }
    if (first !== undefined) {
      vsWins.set(first.winner, [...(vsWins.get(first.winner) ?? []), svc.name]);
      for (const loser of first.shadowed) {
        const key = `${loser.namespace}/${loser.name}/${svc.fqdn}`;
        if (shadowWarned.has(key)) continue;
        shadowWarned.add(key);
        issue(
          loser,
          ['hosts'],
          'shadowed',
          `Istio ignores this VirtualService for ${svc.fqdn}: ${where(first.winner)} is older and already routes it (a duplicate domain; sidecars do not merge VirtualServices of one host)`,
          true,
        );
      }
    }

    const drByClient = clients.map((c) => ({ c, dr: pickDestinationRules(drs, svc, c) }));
    const dr0 = drByClient[0]?.dr;
    const drDiffers = drByClient.find((x) => !sameList(x.dr, dr0));
    if (drDiffers !== undefined) {
      const o = (dr0?.[0] ?? drDiffers.dr?.[0]) as Dr;
      issue(
        o,
        ['host'],
        'not-modelled',
        `clients of ${svc.fqdn} in namespaces ${drByClient[0]?.c} and ${drDiffers.c} would get different DestinationRules through exportTo or namespace-local rules; meshsim applies one DestinationRule per host to every client`,
        false,
      );
    }
    if (dr0 !== undefined && dr0.length > 0) {
      const merged = mergeDestinationRules(dr0, svc, issue);
      drFor.set(svc.name, merged);
      if (svc.external === true) externalRuleNotes(merged, svc, issue);
    }
  }

  // Route destinations and their subsets, against the DestinationRule the host ends up with.
  const virtualServices: VirtualServiceInput[] = [];
  for (const vs of sidecarVss) {
    const hosts = vsWins.get(vs);
    if (hosts === undefined) continue;
    const http: NonNullable<VirtualServiceInput['http']> = [];
    (vs.spec.http ?? []).forEach((r, ri) => {
      const blocks = (r.match ?? []).filter((m) => m.gateways === undefined || m.gateways.includes('mesh'));
      if ((r.match ?? []).length > 0 && blocks.length === 0) return; // applies at gateways only
      const route = r.route.map((d, di) => {
        const to = resolver.destination(d.destination.host, vs.namespace);
        const subset = d.destination.subset;
        if (to !== undefined && subset !== undefined) {
          const known = (drFor.get(to.name)?.rule.subsets ?? []).map((s) => s.name);
          if (!known.includes(subset))
            issue(
              vs,
              ['http', ri, 'route', di, 'destination', 'subset'],
              'unknown-reference',
              message.unknownSubset(subset, to.name, known),
              false,
              suggest(subset, known),
            );
        }
        return { ...d, destination: { ...d.destination, host: to?.name ?? d.destination.host } };
      });
      http.push({ ...r, ...(r.match === undefined ? {} : { match: blocks }), route });
    });
    virtualServices.push({ hosts, http });
  }
  // In the order the rules were created, as the file lists them.
  const destinationRules = [...drFor.entries()]
    .sort((a, b) => drs.indexOf(a[1].from[0] as Dr) - drs.indexOf(b[1].from[0] as Dr))
    .map(([name, d]) => ({ ...d.rule, host: name }));
  return {
    routing: { virtualServices, destinationRules, ...(ingress.length === 0 ? {} : { ingress }) },
    issues,
  };
}

function byCreation(a: RoutingObject, b: RoutingObject): number {
  const ta = a.creationTimestamp;
  const tb = b.creationTimestamp;
  if (ta !== undefined && tb !== undefined) {
    const t = Date.parse(ta) - Date.parse(tb);
    if (t !== 0 && !Number.isNaN(t)) return t;
    return a.name < b.name
      ? -1
      : a.name > b.name
        ? 1
        : a.namespace < b.namespace
          ? -1
          : a.namespace > b.namespace
            ? 1
            : a.seq - b.seq;
  }
  if (ta !== undefined) return -1;
  if (tb !== undefined) return 1;
  return a.seq - b.seq;
}

/** The exportTo set as namespaces ('.' is the resource's own); undefined = public ('*', the mesh default). */
function visibleTo(
  exportTo: readonly string[] | undefined,
  own: string,
  client: string,
): 'private' | 'exported' | 'public' | undefined {
  const set = exportTo === undefined || exportTo.length === 0 ? ['*'] : exportTo;
  if (set.includes('*')) return 'public';
  if (set.includes('~')) return undefined;
  const names = set.map((e) => (e === '.' ? own : e));
  if (!names.includes(client)) return undefined;
  return client === own ? 'private' : 'exported';
}

const CLASS_ORDER = { private: 0, exported: 1, public: 2 } as const;

function pickVirtualService(
  vss: readonly Vs[],
  svc: ServiceHost,
  client: string,
): { winner: Vs; shadowed: Vs[] } | undefined {
  const candidates: { vs: Vs; cls: number; spec: number; order: number }[] = [];
  vss.forEach((vs, order) => {
    const cls = visibleTo(vs.spec.exportTo, vs.namespace, client);
    if (cls === undefined) return;
    let best = -1;
    const resolver = HostResolver.single(svc);
    for (const h of vs.spec.hosts)
      if (resolver.match(h, vs.namespace).length > 0)
        best = Math.max(best, HostResolver.specificity(h, vs.namespace));
    if (best >= 0) candidates.push({ vs, cls: CLASS_ORDER[cls], spec: best, order });
  });
  if (candidates.length === 0) return undefined;
  candidates.sort((a, b) => b.spec - a.spec || a.cls - b.cls || a.order - b.order);
  const top = candidates[0] as (typeof candidates)[number];
  return {
    winner: top.vs,
    shadowed: candidates
      .slice(1)
      .filter((c) => c.spec === top.spec)
      .map((c) => c.vs),
  };
}

/** The rules of one namespace for the most specific host matching the service, oldest first. */
function mostSpecific(
  drs: readonly Dr[],
  svc: ServiceHost,
  namespace: string,
  client: string,
  exportedOnly: boolean,
): Dr[] {
  let best = -1;
  let hostKey = '';
  const matching: Dr[] = [];
  const resolver = HostResolver.single(svc);
  for (const dr of drs) {
    if (dr.namespace !== namespace) continue;
    const cls = visibleTo(dr.spec.exportTo, dr.namespace, client);
    if (cls === undefined || (exportedOnly && cls === 'private' && client !== namespace)) continue;
    if (resolver.match(dr.spec.host, dr.namespace).length === 0) continue;
    const spec = HostResolver.specificity(dr.spec.host, dr.namespace);
    const key = fqdnOf(dr.spec.host, dr.namespace);
    if (spec > best) {
      best = spec;
      hostKey = key;
      matching.length = 0;
    }
    if (spec === best && key === hostKey) matching.push(dr);
  }
  return matching;
}

function pickDestinationRules(drs: readonly Dr[], svc: ServiceHost, client: string): Dr[] {
  if (client !== ROOT_NAMESPACE) {
    const local = mostSpecific(drs, svc, client, client, false);
    if (local.length > 0) return local;
  }
  const own = mostSpecific(drs, svc, svc.namespace, client, true);
  if (own.length > 0) return own;
  return mostSpecific(drs, svc, ROOT_NAMESPACE, client, true);
}

function mergeDestinationRules(
  rules: readonly Dr[],
  svc: ServiceHost,
  issue: ReportRoutingIssue,
): { rule: DestinationRuleInput; from: Dr[] } {
  const first = rules[0] as Dr;
  const subsets = [...(first.spec.subsets ?? [])];
  let trafficPolicy = first.spec.trafficPolicy;
  let policyFrom = first;
  for (const dr of rules.slice(1)) {
    (dr.spec.subsets ?? []).forEach((s, si) => {
      if (subsets.some((x) => x.name === s.name))
        issue(
          dr,
          ['subsets', si, 'name'],
          'shadowed',
          `Istio drops this subset: an older DestinationRule for ${svc.fqdn} (${first.namespace}/${first.name}) already defines "${s.name}"`,
          true,
        );
      else subsets.push(s);
    });
    if (dr.spec.trafficPolicy !== undefined) {
      if (trafficPolicy === undefined) {
        trafficPolicy = dr.spec.trafficPolicy;
        policyFrom = dr;
      } else
        issue(
          dr,
          ['trafficPolicy'],
          'shadowed',
          `Istio ignores this trafficPolicy: the older DestinationRule ${policyFrom.namespace}/${policyFrom.name} for ${svc.fqdn} has one (merged rules keep the first top-level policy)`,
          true,
        );
    }
  }
  return {
    rule: { host: svc.name, ...(trafficPolicy === undefined ? {} : { trafficPolicy }), subsets },
    from: [...rules],
  };
}

/**
 * What a DestinationRule for an external host sets that has nothing to act on: meshsim models the host as
 * one destination without hosts of its own (mesh/external-destination.ts), so per-host policies and
 * subsets are accepted and ignored, said once per field.
 */
function externalRuleNotes(
  merged: { rule: DestinationRuleInput; from: Dr[] },
  svc: ServiceHost,
  issue: ReportRoutingIssue,
): void {
  const first = merged.from[0] as Dr;
  const policy = merged.rule.trafficPolicy;
  for (const key of ['outlierDetection', 'connectionPool', 'loadBalancer'] as const)
    if (policy?.[key] !== undefined)
      issue(
        merged.from.find((d) => d.spec.trafficPolicy?.[key] !== undefined) ?? first,
        ['trafficPolicy', key],
        'not-modelled',
        `${key} for external host ${svc.fqdn} is accepted and ignored: the host is one destination without endpoints of its own (its latency and errors come from externalServices)`,
        true,
      );
  if ((merged.rule.subsets ?? []).length > 0)
    issue(
      first,
      ['subsets'],
      'not-modelled',
      `subsets of external host ${svc.fqdn} are accepted and ignored: a route to any of them reaches the one external destination`,
      true,
    );
}

function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
