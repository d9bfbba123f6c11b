/**
 * Conformance: VirtualService HTTP route matching against Istio's own route-translation tests.
 *
 * Source: istio/istio pilot/pkg/networking/core/route/route_test.go, commit
 * 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c, `TestBuildHTTPRoutes` subtests named below, on their fixtures
 * (virtualServiceWithCatchAllRoute, virtualServiceWithRegexMatchingOnURI, virtualServiceWithRegexMatchingOnHeader,
 * virtualServiceWithPresentMatchingOnHeader(2), createVirtualServiceWithRegexMatchingForAllCasesOnHeader,
 * virtualServiceWithStatPrefix), and route.go at the same commit (`TranslateRouteMatch`,
 * `translateHeaderMatch`, `canBeConvertedToPresentMatch`).
 *
 * Istio's tests assert the Envoy RouteMatch each VirtualService becomes (routes in VirtualService order,
 * one per match block; `path` for exact, `prefix`, `safe_regex`; a header `present_match` or `string_match`).
 * The expected route for each request here is derived from those asserted matchers under Envoy's matcher
 * semantics (envoy/config/route/v3/route_components.proto: `path` and `safe_regex` compare the path without
 * its query string and the regex must match all of it; `prefix` compares the start of `:path`; Envoy takes
 * the first route that matches). Fixture fields meshsim does not model (redirects, stat_prefix, gateways)
 * do not change which route matches and are left out; fixtures relying on `sourceLabels` are not replayed.
 */
import { describe, expect, it } from 'vitest';
import type { HttpMatchRequest, HttpRoute, StringMatch } from '../../src/mesh/routing-config.js';
import { NO_ROUTE, RouteTable } from '../../src/mesh/traffic/route-table.js';

const dest = (subset?: string) => [{ host: 'svc', subset, weight: 100 }];
const route = (match: HttpMatchRequest[], subset?: string): HttpRoute => ({
  match,
  route: dest(subset),
  timeoutMs: 0,
  retries: undefined,
  fault: undefined,
});
const uri = (m: StringMatch): HttpMatchRequest => ({ uri: m, headers: {} });
const headers = (h: Record<string, StringMatch>): HttpMatchRequest => ({ uri: undefined, headers: h });
const table = (...http: HttpRoute[]) => RouteTable.compile('svc', [{ hosts: ['svc'], http }]);
const req = (path: string, h: Record<string, string> = {}) => ({ uri: path, headers: h });

describe('conformance: Istio TestBuildHTTPRoutes, route matching', () => {
  it('"for virtual service with catch all route": prefix /route/v1 then prefix / (one route, OR)', () => {
    const t = table(route([uri({ prefix: '/route/v1' }), uri({ prefix: '/' })]));
    expect(t.match(req('/route/v1/items'))).toBe(0);
    expect(t.match(req('/anything'))).toBe(0);
  });

  it('first match wins: a catch-all before a specific route shadows it (Istio stops at a catch-all)', () => {
    const t = table(route([uri({ prefix: '/' })], 'all'), route([uri({ prefix: '/route/v1' })], 'v1'));
    expect(t.match(req('/route/v1/items'))).toBe(0);
    const u = table(route([uri({ prefix: '/route/v1' })], 'v1'), route([uri({ prefix: '/' })], 'all'));
    expect(u.match(req('/route/v1/items'))).toBe(0);
    expect(u.match(req('/other'))).toBe(1);
  });

  it('"with stat_prefix": routes keep VirtualService order: /foo and /baz → route foo, /bar → route bar', () => {
    const t = table(
      route([uri({ prefix: '/foo' }), uri({ prefix: '/baz' })]),
      route([uri({ prefix: '/bar' })]),
    );
    expect([t.match(req('/foo')), t.match(req('/baz/x')), t.match(req('/bar'))]).toEqual([0, 0, 1]);
    expect(t.match(req('/qux'))).toBe(NO_ROUTE); // no route: Envoy 404 NR
  });

  it('"with regex matching on URI": safe_regex \\/(.?)\\/status must match the whole path, query ignored', () => {
    const t = table(route([uri({ regex: '\\/(.?)\\/status' })]));
    expect(t.match(req('/a/status'))).toBe(0);
    expect(t.match(req('//status'))).toBe(0);
    expect(t.match(req('/a/status?verbose=1'))).toBe(0);
    expect(t.match(req('/ab/status'))).toBe(NO_ROUTE); // (.?) is at most one character
    expect(t.match(req('/a/status/x'))).toBe(NO_ROUTE); // not a search: the whole path must match
  });

  it('exact URI (`path`) ignores the query string; prefix compares the raw :path', () => {
    const t = table(route([uri({ exact: '/status' })], 'exact'), route([uri({ prefix: '/status?' })], 'p'));
    expect(t.match(req('/status?x=1'))).toBe(0);
    expect(t.match(req('/statusx'))).toBe(NO_ROUTE);
  });

  it('"with regex matching on header": Authentication ~ Bearer .+?\\..+?\\..+?', () => {
    const t = table(route([headers({ Authentication: { regex: 'Bearer .+?\\..+?\\..+?' } })]));
    expect(t.match(req('/', { authentication: 'Bearer a.b.c' }))).toBe(0);
    expect(t.match(req('/', { authentication: 'Bearer abc' }))).toBe(NO_ROUTE);
    expect(t.match(req('/'))).toBe(NO_ROUTE);
  });

  it('"with presence matching on header": FOO-HEADER {} → present_match (any value, name case-insensitive)', () => {
    const t = table(route([headers({ 'FOO-HEADER': {} })]));
    expect(t.match(req('/', { 'foo-header': '' }))).toBe(0);
    expect(t.match(req('/', { 'foo-header': 'x' }))).toBe(0);
    expect(t.match(req('/'))).toBe(NO_ROUTE);
  });

  it('"with regex matching for all cases on header": regex "*" → present_match (istio/istio#20629)', () => {
    const t = table(route([headers({ 'FOO-HEADER': { regex: '*' } })]));
    expect(t.match(req('/', { 'foo-header': 'anything' }))).toBe(0);
    expect(t.match(req('/', { 'foo-header': '' }))).toBe(0);
    expect(t.match(req('/'))).toBe(NO_ROUTE);
  });

  it('conditions in a block are AND-ed: a header and a URI must both hold', () => {
    const block: HttpMatchRequest = { uri: { prefix: '/api' }, headers: { version: { exact: 'v2' } } };
    const t = table(route([block], 'v2'), route([], 'v1'));
    expect(t.match(req('/api/x', { version: 'v2' }))).toBe(0);
    expect(t.match(req('/api/x', { version: 'v1' }))).toBe(1);
    expect(t.match(req('/web', { version: 'v2' }))).toBe(1);
  });

  it('no VirtualService: the default route takes every request', () => {
    const t = RouteTable.compile('svc', []);
    expect(t.hasVirtualService).toBe(false);
    expect(t.match(req('/whatever?x'))).toBe(0);
  });
});
