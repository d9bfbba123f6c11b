/**
 * The HTTP routes one proxy has for one destination host, compiled once from the VirtualServices
 * (istio-behaviour.md 4.6; `virtual_service.proto`): routes in order, first match wins; the match blocks of
 * a route are OR'ed, the conditions in a block AND'ed; weighted destinations.
 *
 * Contents: `RouteTable` (compile, match, pick a destination), `RouteRequest`, `NO_ROUTE`, `hostMatches`.
 *
 * Matching follows Envoy's route matchers: `exact` and `regex` on the URI compare the path without its
 * query string, `prefix` the whole `:path`; regexes (RE2 in Istio) must match the whole value and are
 * compiled once; a header condition with no exact/prefix/regex only requires the header to be present.
 * Header names are compared lower-case, as HTTP/2 carries them.
 */
import type { Uniform } from '../../des/index.js';
import type {
  HttpMatchRequest,
  HttpRoute,
  HttpRouteDestination,
  StringMatch,
  VirtualService,
} from '../routing-config.js';

/** What routing reads of a request. Header names lower-case. */
export interface RouteRequest {
  readonly headers: Readonly<Record<string, string>>;
  /** `:path`, possibly with a query string. */
  readonly uri: string;
}

/** `RouteTable.match` result when the host has a VirtualService and no route matches: Envoy answers 404 NR. */
export const NO_ROUTE = -1;

/** HTTP status Envoy sends when no route matches (with flag NR). */
export const NO_ROUTE_STATUS = 404;

const EXACT = 0;
const PREFIX = 1;
const REGEX = 2;
const PRESENT = 3;

/** One compiled condition; every instance has the same shape. */
class Condition {
  constructor(
    /** Header name, or undefined for the URI. */
    readonly header: string | undefined,
    readonly kind: number,
    readonly value: string,
    readonly regex: RegExp | undefined,
  ) {}

  test(request: RouteRequest): boolean {
    let subject: string | undefined;
    if (this.header === undefined) {
      subject = request.uri;
      // Envoy's `path` and `safe_regex` matchers ignore the query string; `prefix` does not.
      if (this.kind !== PREFIX) {
        const q = subject.indexOf('?');
        if (q >= 0) subject = subject.slice(0, q);
      }
    } else {
      subject = request.headers[this.header];
      if (subject === undefined) return false;
    }
    switch (this.kind) {
      case EXACT:
        return subject === this.value;
      case PREFIX:
        return subject.startsWith(this.value);
      case REGEX:
        return (this.regex as RegExp).test(subject);
      default:
        return true;
    }
  }
}

/**
 * Istio turns a header regex of exactly `*` into Envoy's `present_match` ("`*` is NOT a RE2 style regex",
 * istio/istio#20629; route.go `canBeConvertedToPresentMatch`). Headers only: a URI regex goes to Envoy as is.
 */
export const HEADER_PRESENT_REGEX = '*';

function compileCondition(header: string | undefined, m: StringMatch): Condition {
  if (header !== undefined && m.regex === HEADER_PRESENT_REGEX)
    return new Condition(header, PRESENT, '', undefined);
  if (m.exact !== undefined) return new Condition(header, EXACT, m.exact, undefined);
  if (m.prefix !== undefined) return new Condition(header, PREFIX, m.prefix, undefined);
  // Anchored: Envoy's safe_regex must match the whole value.
  if (m.regex !== undefined)
    return new Condition(header, REGEX, m.regex, new RegExp(`^(?:${m.regex})$`, 'u'));
  return new Condition(header, PRESENT, '', undefined);
}

function compileBlock(block: HttpMatchRequest): Condition[] {
  const out: Condition[] = [];
  if (block.uri !== undefined) out.push(compileCondition(undefined, block.uri));
  for (const [name, m] of Object.entries(block.headers)) out.push(compileCondition(name.toLowerCase(), m));
  return out;
}

/**
 * Whether a VirtualService `hosts` entry (or a route destination host) names `service`: the same name, its
 * FQDN (`reviews.default.svc.cluster.local` names `reviews`: the simulator has one namespace), or `"*"`.
 */
export function hostMatches(pattern: string, service: string): boolean {
  return pattern === service || pattern === '*' || pattern.startsWith(`${service}.`);
}

/** The compiled HTTP routes of one destination host. */
export class RouteTable {
  /** The routes, in order; without a VirtualService, one default route to the host. */
  readonly routes: readonly HttpRoute[];
  /** Whether a VirtualService covers the host (else every request takes the default route). */
  readonly hasVirtualService: boolean;
  private readonly blocks: readonly (readonly Condition[])[][];
  /** Per route, cumulative destination weights (only destinations with weight > 0 can be picked). */
  private readonly cumulative: readonly Float64Array[];

  private constructor(routes: readonly HttpRoute[], hasVirtualService: boolean) {
    this.routes = routes;
    this.hasVirtualService = hasVirtualService;
    this.blocks = routes.map((r) => r.match.map(compileBlock));
    this.cumulative = routes.map((r) => {
      const c = new Float64Array(r.route.length);
      let sum = 0;
      r.route.forEach((d, i) => {
        sum += Math.max(0, d.weight);
        c[i] = sum;
      });
      return c;
    });
  }

  /**
   * Compiles the routes for `host`. The first VirtualService listing the host wins (for sidecars Istio does
   * not merge VirtualServices of one host). Without one, a single default route: all traffic to the host,
   * no subset, no timeout, Istio's default retries.
   */
  static compile(host: string, virtualServices: readonly VirtualService[]): RouteTable {
    const vs = virtualServices.find((v) => v.hosts.some((h) => hostMatches(h, host)));
    if (vs === undefined) return new RouteTable([defaultRoute(host)], false);
    return new RouteTable(vs.http, true);
  }

  /** Index of the first route whose match blocks accept `request`, or `NO_ROUTE`. */
  match(request: RouteRequest): number {
    const blocks = this.blocks;
    for (let r = 0; r < blocks.length; r++) {
      const route = blocks[r] as (readonly Condition[])[];
      if (route.length === 0) return r;
      for (let b = 0; b < route.length; b++) {
        const conditions = route[b] as readonly Condition[];
        let ok = true;
        for (let c = 0; c < conditions.length && ok; c++) ok = (conditions[c] as Condition).test(request);
        if (ok) return r;
      }
    }
    return NO_ROUTE;
  }

  /**
   * Index of the destination of route `routeIndex` a request goes to: a single destination takes all
   * traffic whatever its weight; otherwise weight/Σweights, weight 0 never. If every weight is 0 (config
   * `checkRouting` rejects), the first destination.
   */
  pickDestination(routeIndex: number, rng: Uniform): number {
    const c = this.cumulative[routeIndex] as Float64Array;
    const n = c.length;
    if (n <= 1) return 0;
    const total = c[n - 1] as number;
    if (total <= 0) return 0;
    const x = rng() * total;
    for (let i = 0; i < n; i++) if (x < (c[i] as number)) return i;
    return n - 1;
  }

  /** The destination `destIndex` of route `routeIndex`. */
  destination(routeIndex: number, destIndex: number): HttpRouteDestination {
    return (this.routes[routeIndex] as HttpRoute).route[destIndex] as HttpRouteDestination;
  }
}

function defaultRoute(host: string): HttpRoute {
  return {
    match: [],
    route: [{ host, subset: undefined, weight: 100 }],
    timeoutMs: 0,
    retries: undefined,
    fault: undefined,
  };
}
