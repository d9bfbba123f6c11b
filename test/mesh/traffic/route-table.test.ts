import { describe, expect, it } from 'vitest';
import type { HttpRoute, VirtualService } from '../../../src/mesh/routing-config.js';
import { NO_ROUTE, RouteTable, hostMatches } from '../../../src/mesh/traffic/route-table.js';

function route(overrides: Partial<HttpRoute> = {}): HttpRoute {
  return {
    match: [],
    route: [{ host: 'reviews', subset: undefined, weight: 100 }],
    timeoutMs: 0,
    retries: undefined,
    fault: undefined,
    ...overrides,
  };
}

const req = (uri: string, headers: Record<string, string> = {}) => ({ uri, headers });

describe('mesh/traffic/route-table', () => {
  it('RouteTable.compile(host, []) gives the default route: all traffic to the host', () => {
    const t = RouteTable.compile('reviews', []);
    expect(t.hasVirtualService).toBe(false);
    expect(t.match(req('/anything'))).toBe(0);
    expect(
      t.destination(
        0,
        t.pickDestination(0, () => 0.5),
      ),
    ).toEqual({ host: 'reviews', subset: undefined, weight: 100 });
  });

  it('match() takes the first matching route, in order', () => {
    const vs: VirtualService = {
      hosts: ['reviews'],
      http: [
        route({ match: [{ headers: { 'end-user': { exact: 'jason' } }, uri: undefined }] }),
        route({ match: [{ headers: {}, uri: { prefix: '/api' } }] }),
        route(),
      ],
    };
    const t = RouteTable.compile('reviews', [vs]);
    expect(t.match(req('/api/x', { 'end-user': 'jason' }))).toBe(0);
    expect(t.match(req('/api/x'))).toBe(1);
    expect(t.match(req('/other'))).toBe(2);
  });

  it('match() ORs match blocks and ANDs conditions within a block', () => {
    const t = RouteTable.compile('reviews', [
      {
        hosts: ['reviews'],
        http: [
          route({
            match: [
              { headers: { 'x-a': { exact: '1' } }, uri: { prefix: '/a' } },
              { headers: { 'x-b': { prefix: 'yes' } }, uri: undefined },
            ],
          }),
        ],
      },
    ]);
    expect(t.match(req('/a', { 'x-a': '1' }))).toBe(0);
    expect(t.match(req('/b', { 'x-a': '1' }))).toBe(NO_ROUTE); // first block needs both
    expect(t.match(req('/b', { 'x-b': 'yes-please' }))).toBe(0); // second block
  });

  it('match() returns NO_ROUTE (Envoy 404 NR) when the host has a VirtualService and nothing matches', () => {
    const t = RouteTable.compile('reviews', [
      { hosts: ['reviews'], http: [route({ match: [{ headers: {}, uri: { exact: '/only' } }] })] },
    ]);
    expect(t.hasVirtualService).toBe(true);
    expect(t.match(req('/else'))).toBe(NO_ROUTE);
  });

  it('match() uri exact and regex ignore the query string; prefix sees the whole path', () => {
    const t = RouteTable.compile('reviews', [
      {
        hosts: ['reviews'],
        http: [
          route({ match: [{ headers: {}, uri: { exact: '/x' } }] }),
          route({ match: [{ headers: {}, uri: { regex: '/v[0-9]+/.*' } }] }),
          route({ match: [{ headers: {}, uri: { prefix: '/q?debug' } }] }),
        ],
      },
    ]);
    expect(t.match(req('/x?y=1'))).toBe(0);
    expect(t.match(req('/v2/items?z'))).toBe(1);
    expect(t.match(req('/v2'))).toBe(NO_ROUTE); // the regex must match the whole path
    expect(t.match(req('/q?debug=1'))).toBe(2);
  });

  it('match() header regex is anchored, and an empty header match only needs presence', () => {
    const t = RouteTable.compile('reviews', [
      {
        hosts: ['reviews'],
        http: [
          route({ match: [{ headers: { 'x-v': { regex: 'v[12]' } }, uri: undefined }] }),
          route({ match: [{ headers: { 'X-Canary': {} }, uri: undefined }] }),
        ],
      },
    ]);
    expect(t.match(req('/', { 'x-v': 'v1' }))).toBe(0);
    expect(t.match(req('/', { 'x-v': 'v12' }))).toBe(NO_ROUTE);
    expect(t.match(req('/', { 'x-canary': '' }))).toBe(1); // names compared lower-case
  });

  it('pickDestination() splits by weight/Σweights; weight 0 never; a lone destination always', () => {
    const t = RouteTable.compile('reviews', [
      {
        hosts: ['reviews'],
        http: [
          route({
            route: [
              { host: 'reviews', subset: 'v1', weight: 90 },
              { host: 'reviews', subset: 'v2', weight: 0 },
              { host: 'reviews', subset: 'v3', weight: 10 },
            ],
          }),
          route({ route: [{ host: 'reviews', subset: 'v1', weight: 0 }] }),
        ],
      },
    ]);
    // Cumulative 90, 90, 100: u·100 < 90 → v1, else v3.
    expect(t.pickDestination(0, () => 0)).toBe(0);
    expect(t.pickDestination(0, () => 0.8999)).toBe(0);
    expect(t.pickDestination(0, () => 0.9)).toBe(2);
    expect(t.pickDestination(0, () => 0.9999)).toBe(2);
    expect(t.pickDestination(1, () => 0.7)).toBe(0);
    expect(t.destination(0, 2).subset).toBe('v3');
  });

  it('pickDestination() gives 90/10 shares over many draws', () => {
    const t = RouteTable.compile('r', [
      {
        hosts: ['r'],
        http: [
          route({
            route: [
              { host: 'r', subset: 'a', weight: 90 },
              { host: 'r', subset: 'b', weight: 10 },
            ],
          }),
        ],
      },
    ]);
    let b = 0;
    for (let i = 0; i < 1000; i++) b += t.pickDestination(0, () => (i + 0.5) / 1000);
    expect(b).toBe(100);
  });

  it('RouteTable.compile() uses the first VirtualService naming the host, by name or FQDN', () => {
    const first: VirtualService = {
      hosts: ['reviews.default.svc.cluster.local'],
      http: [route({ timeoutMs: 1 })],
    };
    const second: VirtualService = { hosts: ['reviews'], http: [route({ timeoutMs: 2 })] };
    expect(RouteTable.compile('reviews', [first, second]).routes[0]?.timeoutMs).toBe(1);
    expect(RouteTable.compile('ratings', [first, second]).hasVirtualService).toBe(false);
  });

  it('hostMatches(pattern, service) accepts the name, its FQDN and "*"', () => {
    expect(hostMatches('reviews', 'reviews')).toBe(true);
    expect(hostMatches('reviews.default.svc.cluster.local', 'reviews')).toBe(true);
    expect(hostMatches('*', 'reviews')).toBe(true);
    expect(hostMatches('reviewsx', 'reviews')).toBe(false);
  });
});
