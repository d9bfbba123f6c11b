/**
 * The ingress gateway's route table: the virtual hosts built from Gateways and the VirtualServices bound to
 * them, looked up by the request's Host as Envoy does for a route configuration: an exact domain first,
 * then the longest `*.suffix` wildcard, then `*` (envoyproxy/envoy source/common/router/config_impl.cc
 * `RouteMatcher::findVirtualHost` and `findWildcardVirtualHost`, commit 981d3923: the Host lower-cased,
 * an exact lookup, then suffix wildcards longest first, then the default virtual host; the port is
 * ignored, as Istio configures gateways with `ignore_port_in_host_matching`). No virtual host, or no route
 * in it: 404 NR.
 *
 * Sidecars never use this table: VirtualServices bound to a Gateway only reach the ingress gateway, and
 * the sidecars' tables (route-resolver.ts) hold only those bound to `mesh`. Compiled once per pushed
 * config, shared by every ingress gateway holding it.
 *
 * Contents: `IngressRoutes`, `AUTHORITY`.
 */
import type { Uniform } from '../../des/index.js';
import type { IngressVirtualHost, RoutingConfig } from '../routing-config.js';
import { NO_ROUTE, RouteTable } from './route-table.js';
import { retryPolicy } from './retry-policy.js';
import type { ResolvedRoute, RoutedService } from './route-resolver.js';

/** The request header carrying the host a client asked for (HTTP/1.1 Host, as Envoy names it). */
export const AUTHORITY = ':authority';

interface CompiledHost<S extends RoutedService> {
  readonly table: RouteTable;
  /** Per route, per destination; undefined where the destination names no service (404 NR, as Envoy's missing cluster is refused by validate). */
  readonly destinations: readonly (readonly ResolvedRoute<S>[])[];
}

interface CompiledIngress<S extends RoutedService> {
  readonly exact: Map<string, CompiledHost<S>>;
  /** `*.suffix` hosts, longest suffix first: [".suffix", host]. */
  readonly wildcards: readonly (readonly [string, CompiledHost<S>])[];
  readonly any: CompiledHost<S> | undefined;
}

export class IngressRoutes<S extends RoutedService> {
  private readonly compiled = new WeakMap<readonly IngressVirtualHost[], CompiledIngress<S>>();
  private readonly none: CompiledIngress<S> = { exact: new Map(), wildcards: [], any: undefined };
  private readonly request: { headers: Readonly<Record<string, string>>; uri: string } = {
    headers: {},
    uri: '/',
  };

  constructor(
    private readonly byName: ReadonlyMap<string, S>,
    private readonly rng: Uniform,
  ) {}

  /** The route for a request to `authority` at an ingress gateway holding `routing`; undefined: 404 NR. */
  resolve(
    routing: RoutingConfig | undefined,
    authority: string,
    headers: Readonly<Record<string, string>>,
    uri: string,
  ): ResolvedRoute<S> | undefined {
    const c = this.compile(routing?.ingress);
    const vh = findVirtualHost(c, authority);
    if (vh === undefined) return undefined;
    this.request.headers = headers;
    this.request.uri = uri;
    const route = vh.table.match(this.request);
    if (route === NO_ROUTE) return undefined;
    return vh.destinations[route]?.[vh.table.pickDestination(route, this.rng)];
  }

  /** The lookup structure of one config's virtual hosts (also used by `ingressDestinations`). */
  compile(hosts: readonly IngressVirtualHost[] | undefined): CompiledIngress<S> {
    if (hosts === undefined || hosts.length === 0) return this.none;
    let c = this.compiled.get(hosts);
    if (c !== undefined) return c;
    const exact = new Map<string, CompiledHost<S>>();
    const wildcards: [string, CompiledHost<S>][] = [];
    let any: CompiledHost<S> | undefined;
    for (const h of hosts) {
      const compiled = this.compileHost(h);
      if (h.domain === '*') any = compiled;
      else if (h.domain.startsWith('*.')) wildcards.push([h.domain.slice(1), compiled]);
      else exact.set(h.domain, compiled);
    }
    wildcards.sort((a, b) => b[0].length - a[0].length);
    c = { exact, wildcards, any };
    this.compiled.set(hosts, c);
    return c;
  }

  private compileHost(h: IngressVirtualHost): CompiledHost<S> {
    const table = RouteTable.compile(h.domain, [{ hosts: [h.domain], http: h.http }]);
    const destinations = table.routes.map((r) => {
      const retry = retryPolicy(r.retries);
      return r.route.flatMap((d): ResolvedRoute<S>[] => {
        const service = this.byName.get(d.host);
        if (service === undefined) throw new Error(`ingress route to unknown host ${d.host}`);
        return [{ kind: 'route', service, subset: d.subset, retry, timeoutMs: r.timeoutMs, fault: r.fault }];
      });
    });
    return { table, destinations };
  }
}

/** Envoy's virtual host lookup by Host (lower-case, port stripped). */
function findVirtualHost<S extends RoutedService>(
  c: CompiledIngress<S>,
  authority: string,
): CompiledHost<S> | undefined {
  const colon = authority.lastIndexOf(':');
  const host = (
    colon > 0 && !authority.includes(']', colon) ? authority.slice(0, colon) : authority
  ).toLowerCase();
  const exact = c.exact.get(host);
  if (exact !== undefined) return exact;
  for (const [suffix, vh] of c.wildcards) if (host.endsWith(suffix) && host.length > suffix.length) return vh;
  return c.any;
}

/** The services a request to `authority` with these headers and path is routed to (validate uses it to name a traffic source's entry). */
export function ingressDestinations(
  hosts: readonly IngressVirtualHost[],
  authority: string,
  headers: Readonly<Record<string, string>>,
  uri: string,
): string[] | undefined {
  const fake = new Map<string, RoutedService>();
  for (const h of hosts)
    for (const r of h.http) for (const d of r.route) fake.set(d.host, { name: d.host, index: -1 });
  const routes = new IngressRoutes(fake, () => 0);
  const c = routes.compile(hosts);
  const vh = findVirtualHost(c, authority);
  if (vh === undefined) return undefined;
  const r = vh.table.match({ headers, uri });
  if (r === NO_ROUTE) return undefined;
  const route = vh.table.routes[r];
  if (route === undefined) return undefined;
  const weighted = route.route.length === 1 ? route.route : route.route.filter((d) => d.weight > 0);
  return weighted.map((d) => d.host);
}
