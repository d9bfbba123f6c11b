/**
 * The ingress gateway's routes, built as istiod builds them for a gateway proxy (istio/istio at
 * 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c):
 *
 * - Binding: a VirtualService applies at Gateway G when its `gateways` name G: a short name is G in the
 *   VirtualService's namespace, `ns/name` names it exactly, `./name` is the own namespace, and the legacy
 *   `name.ns.svc.cluster.local` means `ns/name` (pilot/pkg/model/config.go `resolveGatewayName`). `mesh` is
 *   the sidecars; a VirtualService without `gateways` is bound to `mesh` only.
 * - Which VirtualServices a gateway proxy sees (pilot/pkg/model/push_context.go `VirtualServicesForGateway`):
 *   the gateway runs in istio-system (meshsim's one ingress gateway per cluster), so private ones of
 *   istio-system, then ones exported to it, then public ones; each group oldest first
 *   (`sortConfigByCreationTime`). A VirtualService exported only to `.` of another namespace is not seen.
 * - Virtual hosts (pilot/pkg/networking/core/gateway.go `buildGatewayHTTPRouteConfig`): for each server of
 *   each Gateway, each bound VirtualService contributes its routes to every host of the intersection of the
 *   server's hosts (`host.NamesForNamespace`: `ns/host` only for VirtualServices of ns) and its own hosts
 *   (`host.Names.Intersection`: the more specific of two hosts when one contains the other). Two
 *   VirtualServices on one host are MERGED at a gateway: the later one's routes are appended
 *   (`vHost.Routes = append(vHost.Routes, routes...)`), unlike sidecars.
 * - Match blocks with their own `gateways` apply only at those (route.go `BuildHTTPRoutesForVirtualService`
 *   with the gateway's name); a route all of whose blocks are for other gateways is dropped.
 * - Envoy picks the virtual host by the request's Host: exact domain, then the longest `*.suffix`, then `*`;
 *   no virtual host or no route: 404 NR (mesh/ingress-routes.ts).
 *
 * Contents: `gatewayRoutes`, `IngressHostInput`, `resolveGatewayName`, `INGRESS_NAMESPACE`.
 */
import type { IssuePath, ScenarioIssue } from '../issue.js';
import type { VirtualServiceInput } from '../schema-routing.js';
import { fqdnOf, type HostResolver } from './host-resolver.js';
import type { RoutingObject } from './resources.js';

/** The namespace of the ingress gateway's pods in a default install (its `ConfigNamespace`). */
export const INGRESS_NAMESPACE = 'istio-system';

type HttpRouteInput = NonNullable<VirtualServiceInput['http']>[number];

/** One virtual host of the ingress gateway: a domain and its routes, destinations resolved to service names. */
export interface IngressHostInput {
  readonly domain: string;
  readonly http: HttpRouteInput[];
}

type Vs = Extract<RoutingObject, { kind: 'VirtualService' }>;
type Gw = Extract<RoutingObject, { kind: 'Gateway' }>;
type Issue = (
  o: RoutingObject,
  path: IssuePath,
  code: ScenarioIssue['code'],
  text: string,
  warning: boolean,
) => void;

/** `resolveGatewayName(gwname, meta)`: the `ns/name` key a VirtualService's `gateways` entry means. */
export function resolveGatewayName(name: string, namespace: string): string {
  if (name.includes('/')) {
    const [before, after] = name.split('/', 2) as [string, string];
    return before === '.' ? `${namespace}/${after}` : name;
  }
  if (!name.includes('.')) return `${namespace}/${name}`;
  const i = name.indexOf('.');
  const rest = name.slice(i + 1);
  const dot = rest.indexOf('.');
  return `${dot < 0 ? rest : rest.slice(0, dot)}/${name.slice(0, i)}`;
}

/** Whether host `a` is a subset of host `b` (istio pkg/config/host `Name.SubsetOf`). */
function subsetOf(a: string, b: string): boolean {
  if (b === '*') return true;
  if (b.startsWith('*.')) {
    if (a.startsWith('*')) return a.slice(1).endsWith(b.slice(1));
    return a.endsWith(b.slice(1));
  }
  return !a.startsWith('*') && a === b;
}

/** `host.Names.Intersection`. */
function intersection(server: readonly string[], vs: readonly string[]): string[] {
  const out: string[] = [];
  for (const h of server)
    for (const o of vs) {
      const pick = subsetOf(h, o) ? h : subsetOf(o, h) ? o : undefined;
      if (pick !== undefined && !out.includes(pick)) out.push(pick);
    }
  return out;
}

function visibleFromIngress(vs: Vs): 0 | 1 | 2 | undefined {
  const set = vs.spec.exportTo === undefined || vs.spec.exportTo.length === 0 ? ['*'] : vs.spec.exportTo;
  const names = set.map((e) => (e === '.' ? vs.namespace : e));
  if (names.includes(INGRESS_NAMESPACE) && vs.namespace === INGRESS_NAMESPACE) return 0;
  if (set.includes('*')) return 2;
  if (names.includes(INGRESS_NAMESPACE)) return 1;
  return undefined;
}

/**
 * The ingress gateway's virtual hosts from the Gateways and the VirtualServices bound to them (`vss` and
 * `gateways` in creation order). Destination hosts become the service (or external host) they name;
 * one that names nothing is reported by check-routing.ts where the VirtualService was read.
 */
export function gatewayRoutes(
  gateways: readonly Gw[],
  vss: readonly Vs[],
  resolver: HostResolver,
  issue: Issue,
): IngressHostInput[] {
  const byKey = new Map(gateways.map((g) => [`${g.namespace}/${g.name}`, g]));
  // Which gateways each VirtualService is bound to; a name no Gateway has is said (istioctl analyze does).
  const bound = new Map<Vs, Set<string>>();
  for (const vs of vss) {
    const keys = new Set<string>();
    (vs.spec.gateways ?? []).forEach((g, gi) => {
      if (g === 'mesh') return;
      const key = resolveGatewayName(g, vs.namespace);
      if (byKey.has(key)) keys.add(key);
      else
        issue(
          vs,
          ['gateways', gi],
          'unknown-reference',
          `no Gateway ${key} is applied: this VirtualService routes nothing there (Istio builds no routes for a missing Gateway)`,
          true,
        );
    });
    if (keys.size > 0) bound.set(vs, keys);
  }
  const ordered = [...bound.keys()]
    .map((vs, order) => ({ vs, cls: visibleFromIngress(vs), order }))
    .filter((x): x is { vs: Vs; cls: 0 | 1 | 2; order: number } => {
      if (x.cls !== undefined) return true;
      issue(
        x.vs,
        ['exportTo'],
        'not-modelled',
        `not exported to ${INGRESS_NAMESPACE}, where the ingress gateway runs: Istio does not apply it there`,
        true,
      );
      return false;
    })
    .sort((a, b) => a.cls - b.cls || a.order - b.order)
    .map((x) => x.vs);

  const hosts = new Map<string, IngressHostInput>();
  const added = new Set<string>();
  for (const gw of gateways) {
    const key = `${gw.namespace}/${gw.name}`;
    for (const server of gw.spec.servers) {
      for (const vs of ordered) {
        if (!(bound.get(vs) as Set<string>).has(key)) continue;
        const serverHosts = server.hosts.flatMap((h) => {
          const slash = h.indexOf('/');
          if (slash < 0) return [h.toLowerCase()];
          const ns = h.slice(0, slash);
          const name = h.slice(slash + 1).toLowerCase();
          const own = ns === '.' ? gw.namespace : ns;
          return own === '*' || own === vs.namespace ? [name] : [];
        });
        const vsHosts = vs.spec.hosts.map((h) => fqdnOf(h, vs.namespace));
        const shared = intersection(serverHosts, vsHosts);
        if (shared.length === 0) continue;
        const routes = routesAt(vs, key, resolver);
        for (const domain of shared) {
          const once = `${domain}\u0000${vs.namespace}/${vs.name}`;
          if (added.has(once)) continue;
          added.add(once);
          const vh = hosts.get(domain);
          if (vh === undefined) hosts.set(domain, { domain, http: [...routes] });
          else vh.http.push(...routes);
        }
      }
    }
  }
  return [...hosts.values()];
}

/** A VirtualService's routes as gateway `key` builds them: its match blocks for that gateway, destinations resolved. */
function routesAt(vs: Vs, key: string, resolver: HostResolver): HttpRouteInput[] {
  const out: HttpRouteInput[] = [];
  for (const r of vs.spec.http ?? []) {
    const blocks = (r.match ?? []).filter(
      (m) =>
        m.gateways === undefined ||
        m.gateways.some((g) => g !== 'mesh' && resolveGatewayName(g, vs.namespace) === key),
    );
    if ((r.match ?? []).length > 0 && blocks.length === 0) continue;
    out.push({
      ...r,
      ...(r.match === undefined ? {} : { match: blocks }),
      route: r.route.map((d) => ({
        ...d,
        destination: {
          ...d.destination,
          host: resolver.destination(d.destination.host, vs.namespace)?.name ?? d.destination.host,
        },
      })),
    });
  }
  return out;
}
