/**
 * Routing at the source proxy, from the config its istiod last pushed: the VirtualService for the called
 * host (first matching HTTP route wins; weighted destinations), its timeout, retries and fault injection;
 * and the retry decision after an attempt. Compiled once per pushed config, shared by every proxy holding it.
 *
 * It reads only what Envoy's router reads: the pushed routing config, the called service, the request's
 * headers and the call's retry state (the shapes `RoutedService`, `RoutingProxy`, `RetryingCall`), so it
 * knows nothing of the mesh's request objects.
 *
 * Contents: `RouteResolver`, `ResolvedRoute`, `RoutedService`, `RoutingProxy`, `RetryingCall`.
 */
import type { Uniform } from '../../des/index.js';
import type { HttpFaultInjection, RoutingConfig } from '../routing-config.js';
import type { AttemptOutcome } from './attempt-outcome.js';
import { NO_ROUTE as NO_MATCH, RouteTable } from './route-table.js';
import { AUTHORITY, IngressRoutes } from './ingress-routes.js';
import {
  DEFAULT_RETRY_POLICY,
  backoffMs,
  retryPolicy,
  shouldRetry,
  type RetryPolicy,
} from './retry-policy.js';

/** A service as routing sees it: its index (a dense id) and its host name. */
export interface RoutedService {
  readonly index: number;
  readonly name: string;
}

/** The source proxy, as routing sees it: the routing config of the snapshot its istiod last pushed. */
export interface RoutingProxy {
  readonly snapshot: { readonly routing: RoutingConfig } | undefined;
  /** A router (gateway) routes a request naming a host by the Gateway routes (ingress-routes.ts). */
  readonly nodeType: 'sidecar' | 'router';
}

/** A call's retry state, as the retry decision sees it. */
export interface RetryingCall {
  readonly retry: RetryPolicy;
  /** Tries made so far, the one just ended included. */
  readonly attempts: number;
  /** The source proxy's load-balancing stream (Envoy draws the back-off jitter there). */
  readonly source: { drawLb(): number };
}

/** A resolved destination of a route: precompiled, returned without allocation. */
export interface ResolvedRoute<S extends RoutedService> {
  readonly kind: 'route';
  readonly service: S;
  readonly subset: string | undefined;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly fault: HttpFaultInjection | undefined;
}

const NO_ROUTE = { kind: 'no-route' } as const;

interface CompiledRouting<S extends RoutedService> {
  /** By service index: the service's VirtualService routes, or undefined when it has none. */
  readonly tables: ({ table: RouteTable; destinations: ResolvedRoute<S>[][] } | undefined)[];
  readonly defaults: ResolvedRoute<S>[];
}

export class RouteResolver<S extends RoutedService> {
  private readonly compiled = new WeakMap<RoutingConfig, CompiledRouting<S>>();
  /** The last config compiled: nearly every call uses the same one, so skip the WeakMap for it. */
  private lastRouting: RoutingConfig | undefined = undefined;
  private lastCompiled: CompiledRouting<S> | undefined = undefined;
  private readonly byName: Map<string, S>;
  private readonly ingress: IngressRoutes<S>;
  private readonly request: { headers: Readonly<Record<string, string>>; uri: string } = {
    headers: {},
    uri: '/',
  };

  constructor(
    private readonly services: readonly S[],
    private readonly rng: Uniform,
  ) {
    this.byName = new Map(services.map((s) => [s.name, s]));
    this.ingress = new IngressRoutes(this.byName, rng);
  }

  /** The route `source` takes for a call to `service` with these headers and uri; NO_ROUTE when none matches. */
  resolve(
    source: RoutingProxy,
    service: S,
    headers: Readonly<Record<string, string>>,
    uri: string,
  ): ResolvedRoute<S> | typeof NO_ROUTE {
    const routing = source.snapshot?.routing;
    // Hook (issue 13, ingress-routes.ts): a request naming a host at the ingress gateway (a router; the
    // east-west gateway never routes) takes the Gateway's routes, never the sidecars'.
    if (source.nodeType === 'router') {
      const authority = headers[AUTHORITY];
      if (authority !== undefined) return this.ingress.resolve(routing, authority, headers, uri) ?? NO_ROUTE;
    }
    if (routing === undefined) return this.defaultRoute(service);
    const c = this.compile(routing);
    const vs = c.tables[service.index];
    if (vs === undefined) return c.defaults[service.index] as ResolvedRoute<S>;
    this.request.headers = headers;
    this.request.uri = uri;
    const route = vs.table.match(this.request);
    if (route === NO_MATCH) return NO_ROUTE;
    return vs.destinations[route]?.[vs.table.pickDestination(route, this.rng)] ?? NO_ROUTE;
  }

  /**
   * Delay before the next attempt, or -1 for no retry. A fault abort never gets here (the fault filter
   * answers before the router); a fault delay leaves the retry policy as it is.
   */
  retryDecision(call: RetryingCall, code: number, flags: number, outcome: AttemptOutcome): number {
    const policy = call.retry;
    if (call.attempts > policy.numRetries) return -1;
    if (!shouldRetry(policy, outcome, code, flags)) return -1;
    return backoffMs(call.attempts - 1, call.source.drawLb(), policy.backoffBaseMs, policy.backoffMaxMs);
  }

  /**
   * The service a route destination names. Scenario loading resolves every destination host to a service
   * (ServiceEntry hosts included) and refuses unknown ones, so a miss is a bug upstream: routing it to the
   * called service instead would send traffic where no VirtualService said.
   */
  private destination(host: string, called: S): S {
    const service = this.byName.get(host);
    if (service === undefined)
      throw new Error(`VirtualService for ${called.name} routes to ${host}, which is not a known service`);
    return service;
  }

  private defaultRoute(service: S): ResolvedRoute<S> {
    return {
      kind: 'route',
      service,
      subset: undefined,
      retry: DEFAULT_RETRY_POLICY,
      timeoutMs: 0,
      fault: undefined,
    };
  }

  private compile(routing: RoutingConfig): CompiledRouting<S> {
    if (routing === this.lastRouting && this.lastCompiled !== undefined) return this.lastCompiled;
    return this.compileOther(routing);
  }

  /**
   * `compile` for a config other than the last one. Out of line: it runs when routing changes, and V8 leaves
   * a call made this rarely out of the per-call code that `resolve` and `compile` are inlined into.
   */
  private compileOther(routing: RoutingConfig): CompiledRouting<S> {
    let c = this.compiled.get(routing);
    this.lastRouting = routing;
    if (c !== undefined) {
      this.lastCompiled = c;
      return c;
    }
    const tables: CompiledRouting<S>['tables'] = this.services.map(() => undefined);
    for (const s of this.services) {
      const table = RouteTable.compile(s.name, routing.virtualServices);
      if (!table.hasVirtualService) continue;
      const destinations = table.routes.map((r) => {
        const retry = retryPolicy(r.retries);
        return r.route.map((d): ResolvedRoute<S> => ({
          kind: 'route',
          service: this.destination(d.host, s),
          subset: d.subset,
          retry,
          timeoutMs: r.timeoutMs,
          fault: r.fault,
        }));
      });
      tables[s.index] = { table, destinations };
    }
    c = { tables, defaults: this.services.map((s) => this.defaultRoute(s)) };
    this.compiled.set(routing, c);
    this.lastCompiled = c;
    return c;
  }
}
