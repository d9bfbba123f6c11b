import { HostResolver } from '../../src/scenario/istio/host-resolver.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UNLIMITED } from '../../src/mesh/traffic/connection-pool.js';
import { retryPolicy, RetryOn } from '../../src/mesh/traffic/retry-policy.js';
import { checkRouting } from '../../src/scenario/check-routing.js';
import { normalizeRouting } from '../../src/scenario/normalize-routing.js';
import { RoutingInput } from '../../src/scenario/schema-routing.js';
import { FORMAT_EXAMPLE } from '../helpers/format-example.js';

const SERVICES = ['frontend', 'catalog', 'orders', 'recommendations'];
const CLUSTERS = ['us-east-1', 'us-east-2', 'eu-west-1'];
const REGIONS = ['us-east', 'eu-west'];

function parseRouting(yaml: string) {
  const doc = parse(yaml) as { routing: unknown };
  return RoutingInput.parse(doc.routing);
}

describe('scenario/routing', () => {
  it('RoutingInput parses the scenario-format.md example, and checkRouting() finds nothing wrong', () => {
    const input = parseRouting(FORMAT_EXAMPLE);
    expect(
      checkRouting(input, new HostResolver(SERVICES.map((name) => ({ name }))), CLUSTERS, REGIONS),
    ).toEqual([]);
  });

  it('normalizeRouting() resolves the example VirtualService: weights, 2s timeout, retries in ms', () => {
    const vs = normalizeRouting(parseRouting(FORMAT_EXAMPLE)).virtualServices[0];
    expect(vs?.hosts).toEqual(['recommendations']);
    const route = vs?.http[0];
    expect(route?.match).toEqual([]); // no match: every request
    expect(route?.route).toEqual([
      { host: 'recommendations', subset: 'v1', weight: 90 },
      { host: 'recommendations', subset: 'v2', weight: 10 },
    ]);
    expect(route?.timeoutMs).toBe(2000);
    expect(route?.retries).toEqual({
      attempts: 3,
      perTryTimeoutMs: 500,
      retryOn: ['5xx', 'connect-failure'],
      retryRemoteLocalities: false,
      backoffMs: undefined,
      retryIgnorePreviousHosts: undefined,
    });
    expect(route?.fault).toBeUndefined();
    // As Envoy will get it: 3 retries on 5xx|connect-failure, 25 ms base back-off.
    const p = retryPolicy(route?.retries);
    expect([p.numRetries, p.retryOn, p.backoffBaseMs]).toEqual([
      3,
      RetryOn['5xx'] | RetryOn['connect-failure'],
      25,
    ]);
  });

  it('normalizeRouting() resolves the example orders DestinationRule with Istio defaults for omitted fields', () => {
    const [orders, recommendations] = normalizeRouting(parseRouting(FORMAT_EXAMPLE)).destinationRules;
    expect(orders?.host).toBe('orders');
    expect(orders?.trafficPolicy).toEqual({
      loadBalancer: {
        simple: 'LEAST_REQUEST',
        localityLbSetting: {
          enabled: true,
          distribute: [],
          failover: [{ from: 'eu-west', to: 'us-east' }],
          failoverPriority: [],
        },
      },
      // consecutiveGatewayErrors off and minHealthPercent 0 by default; 100 % → 1.
      outlierDetection: {
        consecutive5xxErrors: 5,
        consecutiveGatewayErrors: 0,
        intervalMs: 10_000,
        baseEjectionTimeMs: 30_000,
        maxEjectionPercent: 1,
        minHealthPercent: 0,
      },
      // tcp block omitted: 2^32-1 connections, 10 s connect timeout; maxRetries 2^32-1.
      connectionPool: {
        maxConnections: UNLIMITED,
        connectTimeoutMs: 10_000,
        http1MaxPendingRequests: 100,
        http2MaxRequests: 1000,
        maxRetries: UNLIMITED,
        http2: false, // mesh h2UpgradePolicy DO_NOT_UPGRADE
      },
    });
    expect(orders?.subsets).toEqual([]);
    expect(recommendations?.trafficPolicy).toBeUndefined(); // no policy: resolved per cluster later
    expect(recommendations?.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' }, trafficPolicy: undefined },
      { name: 'v2', labels: { version: 'v2' }, trafficPolicy: undefined },
    ]);
  });

  it('normalizeRouting() fills the omitted fields of a present outlierDetection block with Istio defaults', () => {
    const input = RoutingInput.parse({
      destinationRules: [{ host: 'orders', trafficPolicy: { outlierDetection: {} } }],
    });
    expect(normalizeRouting(input).destinationRules[0]?.trafficPolicy?.outlierDetection).toEqual({
      consecutive5xxErrors: 5,
      consecutiveGatewayErrors: 0,
      intervalMs: 10_000,
      baseEjectionTimeMs: 30_000,
      maxEjectionPercent: 0.1,
      minHealthPercent: 0,
    });
  });

  it('normalizeRouting() maps LEAST_CONN and UNSPECIFIED to LEAST_REQUEST, and an empty localityLbSetting to enabled', () => {
    const input = RoutingInput.parse({
      destinationRules: [
        { host: 'a', trafficPolicy: { loadBalancer: { simple: 'LEAST_CONN' } } },
        { host: 'b', trafficPolicy: { loadBalancer: { simple: 'UNSPECIFIED', localityLbSetting: {} } } },
      ],
    });
    const [a, b] = normalizeRouting(input).destinationRules;
    expect(a?.trafficPolicy?.loadBalancer).toEqual({ simple: 'LEAST_REQUEST', localityLbSetting: undefined });
    expect(b?.trafficPolicy?.loadBalancer?.localityLbSetting).toEqual({
      enabled: true,
      distribute: [],
      failover: [],
      failoverPriority: [],
    });
  });

  it('normalizeRouting() keeps a lone destination at weight 100, omitted retries attempts at 0, fault percentages as fractions', () => {
    const input = RoutingInput.parse({
      virtualServices: [
        {
          hosts: ['orders'],
          http: [
            {
              match: [{ headers: { 'end-user': { exact: 'jason' } }, uri: { prefix: '/api' } }],
              route: [{ destination: { host: 'orders' } }],
              retries: { retryOn: '503' },
              fault: {
                abort: { httpStatus: 503, percentage: { value: 12.5 } },
                delay: { fixedDelay: '1.5s' },
              },
            },
          ],
        },
      ],
    });
    const r = normalizeRouting(input).virtualServices[0]?.http[0];
    expect(r?.match).toEqual([{ headers: { 'end-user': { exact: 'jason' } }, uri: { prefix: '/api' } }]);
    expect(r?.route).toEqual([{ host: 'orders', subset: undefined, weight: 100 }]);
    expect(r?.retries?.attempts).toBe(0); // proto default: retries disabled (Istio ConvertPolicy)
    expect(r?.fault).toEqual({
      abort: { httpStatus: 503, fraction: 0.125 },
      delay: { fixedDelayMs: 1500, fraction: 0 },
    });
    expect(r?.timeoutMs).toBe(0);
  });

  it('normalizeRouting() reads a connection-pool limit of 0 as the default (Istio sets only values > 0)', () => {
    const input = RoutingInput.parse({
      destinationRules: [
        {
          host: 'a',
          trafficPolicy: { connectionPool: { tcp: { maxConnections: 0, connectTimeout: '250ms' } } },
        },
      ],
    });
    const pool = normalizeRouting(input).destinationRules[0]?.trafficPolicy?.connectionPool;
    expect([pool?.maxConnections, pool?.connectTimeoutMs]).toEqual([UNLIMITED, 250]);
  });

  it('RoutingInput rejects unknown keys and two kinds of string match at once', () => {
    expect(
      RoutingInput.safeParse({ destinationRules: [{ host: 'a', trafficPolicy: { tlss: {} } }] }).success,
    ).toBe(false);
    // A real Istio field meshsim does not model is accepted (the load warns that it is ignored).
    expect(
      RoutingInput.safeParse({ destinationRules: [{ host: 'a', trafficPolicy: { tls: {} } }] }).success,
    ).toBe(true);
    expect(
      RoutingInput.safeParse({
        virtualServices: [
          {
            hosts: ['a'],
            http: [
              { match: [{ uri: { exact: '/', prefix: '/' } }], route: [{ destination: { host: 'a' } }] },
            ],
          },
        ],
      }).success,
    ).toBe(false);
    expect(
      RoutingInput.safeParse({
        destinationRules: [{ host: 'a', trafficPolicy: { outlierDetection: { maxEjectionPercent: 150 } } }],
      }).success,
    ).toBe(false);
  });

  it('RoutingInput documents defaults on its fields', () => {
    const json = JSON.stringify(RoutingInput.toJSONSchema());
    expect(json).toContain('default 10s');
    expect(json).toContain('2^32-1');
  });

  describe('checkRouting()', () => {
    const check = (routing: unknown) =>
      checkRouting(
        RoutingInput.parse(routing),
        new HostResolver(SERVICES.map((name) => ({ name }))),
        CLUSTERS,
        REGIONS,
      );
    const codes = (routing: unknown) => check(routing).map((p) => [p.path.join('.'), p.code, p.suggestion]);

    it('reports unknown hosts, with a suggestion', () => {
      expect(
        codes({
          virtualServices: [
            {
              hosts: ['ordres'],
              http: [{ route: [{ destination: { host: 'nope.default.svc.cluster.local' } }] }],
            },
          ],
          destinationRules: [{ host: 'catalgo' }],
        }),
      ).toEqual([
        ['routing.virtualServices.0.hosts.0', 'unknown-reference', 'orders'],
        ['routing.virtualServices.0.http.0.route.0.destination.host', 'unknown-reference', undefined],
        ['routing.destinationRules.0.host', 'unknown-reference', 'catalog'],
      ]);
    });

    it('accepts a host written as an FQDN', () => {
      expect(check({ destinationRules: [{ host: 'orders.default.svc.cluster.local' }] })).toEqual([]);
    });

    it('reports duplicate subset names', () => {
      expect(
        codes({ destinationRules: [{ host: 'orders', subsets: [{ name: 'v1' }, { name: 'v1' }] }] }),
      ).toEqual([['routing.destinationRules.0.subsets.1.name', 'duplicate-name', undefined]]);
    });

    it('reports weights not adding up to 100 when a route has several destinations', () => {
      const route = (weights: number[]) => ({
        virtualServices: [
          {
            hosts: ['orders'],
            http: [{ route: weights.map((weight) => ({ destination: { host: 'orders' }, weight })) }],
          },
        ],
      });
      expect(codes(route([60, 30]))).toEqual([
        ['routing.virtualServices.0.http.0.route', 'invalid-value', undefined],
      ]);
      expect(check(route([60, 40]))).toEqual([]);
      expect(check(route([50]))).toEqual([]); // a lone destination takes all traffic anyway
    });

    it('reports distribute weights not adding up to 100', () => {
      const lb = (to: Record<string, number>) => ({
        destinationRules: [
          {
            host: 'orders',
            trafficPolicy: {
              loadBalancer: { localityLbSetting: { distribute: [{ from: 'us-east/*', to }] } },
            },
          },
        ],
      });
      expect(codes(lb({ 'us-east/*': 70, 'eu-west/*': 20 }))).toEqual([
        [
          'routing.destinationRules.0.trafficPolicy.loadBalancer.localityLbSetting.distribute.0.to',
          'invalid-value',
          undefined,
        ],
      ]);
      expect(check(lb({ 'us-east/*': 80, 'eu-west/*': 20 }))).toEqual([]);
    });

    it('reports failover regions that do not exist, and a failover to the same region', () => {
      const failover = (from: string, to: string) => ({
        destinationRules: [
          {
            host: 'orders',
            trafficPolicy: { loadBalancer: { localityLbSetting: { failover: [{ from, to }] } } },
          },
        ],
      });
      const at = 'routing.destinationRules.0.trafficPolicy.loadBalancer.localityLbSetting.failover.0';
      expect(codes(failover('eu-wset', 'us-east'))).toEqual([[`${at}.from`, 'unknown-reference', 'eu-west']]);
      expect(codes(failover('eu-west', 'ap-south'))).toEqual([[`${at}.to`, 'unknown-reference', undefined]]);
      expect(codes(failover('eu-west', 'eu-west'))).toEqual([[at, 'invalid-value', undefined]]);
    });

    it('reports distribute combined with failover or failoverPriority (failover with failoverPriority is fine)', () => {
      const lb = (setting: object) => ({
        destinationRules: [
          { host: 'orders', trafficPolicy: { loadBalancer: { localityLbSetting: setting } } },
        ],
      });
      const distribute = [{ from: '*', to: { 'us-east': 100 } }];
      expect(codes(lb({ distribute, failoverPriority: ['topology.istio.io/network'] }))).toEqual([
        [
          'routing.destinationRules.0.trafficPolicy.loadBalancer.localityLbSetting',
          'invalid-value',
          undefined,
        ],
      ]);
      expect(codes(lb({ distribute, failover: [{ from: 'us-east', to: 'eu-west' }] }))).toHaveLength(1);
      expect(
        check(
          lb({
            failover: [{ from: 'us-east', to: 'eu-west' }],
            failoverPriority: ['topology.istio.io/network'],
          }),
        ),
      ).toEqual([]);
    });

    it('reports unknown clusters in failoverPriority values and subset cluster labels', () => {
      expect(
        codes({
          destinationRules: [
            {
              host: 'orders',
              trafficPolicy: {
                loadBalancer: {
                  localityLbSetting: { failoverPriority: ['topology.istio.io/cluster=us-east-3'] },
                },
              },
              subsets: [{ name: 'local', labels: { 'topology.istio.io/cluster': 'eu-west-9' } }],
            },
          ],
        }).map(([path, code]) => [path, code]),
      ).toEqual([
        [
          'routing.destinationRules.0.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority.0',
          'unknown-reference',
        ],
        ['routing.destinationRules.0.subsets.0.labels.topology.istio.io/cluster', 'unknown-reference'],
      ]);
    });

    it('reports invalid regexes and unknown retryOn conditions', () => {
      expect(
        codes({
          virtualServices: [
            {
              hosts: ['orders'],
              http: [
                {
                  match: [{ uri: { regex: '/(a' }, headers: { 'x-a': { regex: '[' } } }],
                  route: [{ destination: { host: 'orders' } }],
                  retries: { attempts: 2, retryOn: '5xx,gateway-eror,503' },
                },
              ],
            },
          ],
        }),
      ).toEqual([
        ['routing.virtualServices.0.http.0.match.0.uri.regex', 'invalid-value', undefined],
        ['routing.virtualServices.0.http.0.match.0.headers.x-a.regex', 'invalid-value', undefined],
        ['routing.virtualServices.0.http.0.retries.retryOn', 'invalid-value', 'gateway-error'],
      ]);
    });

    it('refuses a retryOn number Go has no status text for (Istio validation: 499 is not a valid retryOn policy)', () => {
      expect(
        codes({
          virtualServices: [
            {
              hosts: ['orders'],
              http: [
                {
                  route: [{ destination: { host: 'orders' } }],
                  retries: { attempts: 2, retryOn: '5xx,499,503' },
                },
              ],
            },
          ],
        }),
      ).toEqual([['routing.virtualServices.0.http.0.retries.retryOn', 'invalid-value', undefined]]);
    });

    it('accepts a header regex "*" (Istio: present_match) and still refuses "*" on the URI', () => {
      expect(
        codes({
          virtualServices: [
            {
              hosts: ['orders'],
              http: [
                {
                  match: [{ uri: { regex: '*' }, headers: { 'x-a': { regex: '*' } } }],
                  route: [{ destination: { host: 'orders' } }],
                },
              ],
            },
          ],
        }),
      ).toEqual([['routing.virtualServices.0.http.0.match.0.uri.regex', 'invalid-value', undefined]]);
    });
  });
});
