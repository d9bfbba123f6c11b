/**
 * Routing at the source proxy, from the config its istiod last pushed: the VirtualService for the called
 * host (first matching HTTP route wins; weighted destinations), its timeout, retries and fault injection;
 * and the retry decision after an attempt. Compiled once per pushed config, shared by every proxy holding it.
 */
import type { Uniform } from '../des/index.js';
import type { Proxy } from './proxy.js';
import { AttemptOutcome, type Call } from './request.js';
import { AUTHORITY, IngressRoutes } from './ingress-routes.js';
import type { HttpFaultInjection, RoutingConfig } from './routing-config.js';
import type { ServiceRuntime } from './service-runtime.js';
import { NO_ROUTE as NO_MATCH, RouteTable } from './traffic/route-table.js';
import {
  DEFAULT_RETRY_POLICY,
  backoffMs,
  retryPolicy,
  shouldRetry,
  type AttemptKind,
  type AttemptOutcome as RetryOutcome,
  type RetryPolicy,
} from './traffic/retry-policy.js';

/** A resolved destination of a route: precompiled, returned without allocation. */
export interface ResolvedRoute {
  readonly kind: 'route';
  readonly service: ServiceRuntime;
  readonly subset: string | undefined;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly fault: HttpFaultInjection | undefined;
}

const NO_ROUTE = { kind: 'no-route' } as const;

interface CompiledRouting {
  /** By service index: the service's VirtualService routes, or undefined when it has none. */
  readonly tables: ({ table: RouteTable; destinations: ResolvedRoute[][] } | undefined)[];
  readonly defaults: ResolvedRoute[];
}

/** Our attempt outcomes in Envoy's retry vocabulary. */
const KIND: readonly AttemptKind[] = ['response', 'connect-failure', 'reset', 'per-try-timeout', 'overflow'];

export class RouteResolver {
  private readonly compiled = new WeakMap<RoutingConfig, CompiledRouting>();
  /** The last config compiled: nearly every call uses the same one, so skip the WeakMap for it. */
  private lastRouting: RoutingConfig | undefined = undefined;
  private lastCompiled: CompiledRouting | undefined = undefined;
  private readonly byName: Map<string, ServiceRuntime>;
  private readonly ingress: IngressRoutes;
  private readonly request: { headers: Readonly<Record<string, string>>; uri: string } = {
    headers: {},
    uri: '/',
  };
  /** Reused for every retry decision: shouldRetry reads it synchronously. */
  private readonly outcome: RetryOutcome = { kind: 'response', code: 0, flags: 0 };

  constructor(
    private readonly services: readonly ServiceRuntime[],
    private readonly rng: Uniform,
  ) {
    this.byName = new Map(services.map((s) => [s.name, s]));
    this.ingress = new IngressRoutes(this.byName, rng);
  }

  resolve(
    source: Proxy,
    service: ServiceRuntime,
    headers: Readonly<Record<string, string>>,
    uri: string,
  ): ResolvedRoute | typeof NO_ROUTE {
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
    if (vs === undefined) return c.defaults[service.index] as ResolvedRoute;
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
  retryDecision(call: Call, code: number, flags: number, outcome: AttemptOutcome): number {
    const policy = call.retry;
    if (call.attempts > policy.numRetries) return -1;
    this.outcome.kind = KIND[outcome] as AttemptKind;
    this.outcome.code = code;
    this.outcome.flags = flags;
    if (!shouldRetry(policy, this.outcome)) return -1;
    return backoffMs(call.attempts - 1, call.source.lbRng, policy.backoffBaseMs, policy.backoffMaxMs);
  }

  private defaultRoute(service: ServiceRuntime): ResolvedRoute {
    return {
      kind: 'route',
      service,
      subset: undefined,
      retry: DEFAULT_RETRY_POLICY,
      timeoutMs: 0,
      fault: undefined,
    };
  }

  private compile(routing: RoutingConfig): CompiledRouting {
    if (routing === this.lastRouting && this.lastCompiled !== undefined) return this.lastCompiled;
    let c = this.compiled.get(routing);
    this.lastRouting = routing;
    if (c !== undefined) {
      this.lastCompiled = c;
      return c;
    }
    const tables: CompiledRouting['tables'] = this.services.map(() => undefined);
    for (const s of this.services) {
      const table = RouteTable.compile(s.name, routing.virtualServices);
      if (!table.hasVirtualService) continue;
      const destinations = table.routes.map((r) => {
        const retry = retryPolicy(r.retries);
        return r.route.map((d): ResolvedRoute => ({
          kind: 'route',
          service: this.byName.get(d.host) ?? s,
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
