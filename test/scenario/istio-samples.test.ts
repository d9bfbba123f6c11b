/**
 * Istio's Bookinfo sample, its own files unchanged (test/fixtures/istio-samples, istio/istio 86c9f01f),
 * reproduces what Istio's traffic-management tasks document. Bookinfo's topology as the sample's README
 * (samples/bookinfo/README.md) and the Bookinfo page (istio.io/latest/docs/examples/bookinfo/) describe it:
 * productpage calls details and reviews; reviews v1 calls no ratings ("doesn't call the ratings service"),
 * v2 and v3 do; productpage still shows the page when reviews fails ("Sorry, product reviews are currently
 * unavailable"), reviews still answers when ratings fails ("Ratings service is currently unavailable").
 * The routing is observed as the tasks observe it: which reviews version served the page, whether ratings
 * was called (stars shown or not).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/index.js';
import { record, share, type CallRecord } from '../helpers/mesh-run.js';

const NET = 'test/fixtures/istio-samples/bookinfo/networking';

/** Bookinfo on one cluster, 20 s, 200 pages/s of which `jason` share carries `end-user: jason`. */
function bookinfo(include: string[], routing = ''): string {
  return `
name: bookinfo
duration: 20s
clusters: [ { name: cluster1, region: r1, zones: [r1-a] } ]
services:
  - name: productpage
    deployments: [ { cluster: cluster1, replicas: 2, labels: { app: productpage, version: v1 } } ]
    serviceTime: 2ms
    calls: [ { service: details, onError: continue }, { service: reviews, onError: continue } ]
  - name: details
    deployments: [ { cluster: cluster1, replicas: 2, labels: { app: details, version: v1 } } ]
    serviceTime: 1ms
  - name: reviews
    deployments:
      - { cluster: cluster1, replicas: 2, labels: { app: reviews, version: v1 } }
      - { cluster: cluster1, replicas: 2, labels: { app: reviews, version: v2 } }
      - { cluster: cluster1, replicas: 2, labels: { app: reviews, version: v3 } }
    serviceTime: 2ms
    calls: [ { service: ratings, onError: continue } ]
    versions:
      v1: { calls: [] }
  - name: ratings
    deployments: [ { cluster: cluster1, replicas: 2, labels: { app: ratings, version: v1 } } ]
    serviceTime: 1ms
traffic:
  - { name: anonymous, entry: productpage, from: cluster1, rate: 150/s }
  - { name: jason, entry: productpage, from: cluster1, rate: 50/s, headers: { end-user: jason } }
routing:
  include: [${include.map((f) => `${NET}/${f}`).join(', ')}]
${routing}
`;
}

const reviews = (calls: CallRecord[]) => calls.filter((c) => c.service === 'reviews');
const jason = (c: CallRecord) => c.headers['end-user'] === 'jason';

describe('Bookinfo request routing (istio.io/latest/docs/tasks/traffic-management/request-routing/)', () => {
  it('virtual-service-all-v1: "the reviews part of the page displays with no rating stars" for every user: reviews v1 only, ratings never called', () => {
    const rec = record(bookinfo(['destination-rule-all.yaml', 'virtual-service-all-v1.yaml']));
    rec.runUntil(20_000);
    const r = reviews(rec.calls);
    expect(r.length).toBeGreaterThan(3000);
    expect(r.every((c) => c.endpointVersion === 'v1')).toBe(true);
    expect(rec.calls.filter((c) => c.service === 'ratings')).toEqual([]);
    expect(rec.requests.every((q) => q.code === 200)).toBe(true);
  });

  it('then virtual-service-reviews-test-v2 (the same name, applied later, replaces it): jason sees v2 with black stars, everyone else v1', () => {
    const yaml = bookinfo([
      'destination-rule-all.yaml',
      'virtual-service-all-v1.yaml',
      'virtual-service-reviews-test-v2.yaml',
    ]);
    const loaded = loadScenarioText(yaml, 'inline.yaml');
    expect(loaded.ok).toBe(true);
    // The task's second kubectl apply of VirtualService "reviews": kubectl replaces, meshsim says so.
    expect(
      loaded.warnings.map((w) => [w.file.endsWith('virtual-service-reviews-test-v2.yaml'), w.code]),
    ).toContainEqual([true, 'duplicate-name']);
    const rec = record(yaml);
    rec.runUntil(20_000);
    const r = reviews(rec.calls);
    expect(r.filter(jason).every((c) => c.endpointVersion === 'v2')).toBe(true);
    expect(r.filter((c) => !jason(c)).every((c) => c.endpointVersion === 'v1')).toBe(true);
    // Stars are shown (ratings called) exactly for jason's pages.
    const ratings = rec.calls.filter((c) => c.service === 'ratings');
    expect(ratings.length).toBe(r.filter(jason).length);
    expect(ratings.every(jason)).toBe(true);
  });
});

describe('Bookinfo traffic shifting (istio.io/latest/docs/tasks/traffic-management/traffic-shifting/)', () => {
  // The share of n independent routing draws has standard error sqrt(p(1-p)/n); 5 of them is a bound a
  // correct router breaks about once in 1.7 million runs (the run is seeded: it passes or fails for ever).
  it.each([
    ['virtual-service-reviews-50-v3.yaml', 'v3', 0.5],
    ['virtual-service-reviews-80-20.yaml', 'v2', 0.2],
    ['virtual-service-reviews-90-10.yaml', 'v2', 0.1],
  ])('%s sends the stated share to %s ("weight" of the route)', (file, version, expected) => {
    const rec = record(bookinfo(['destination-rule-all.yaml', 'virtual-service-all-v1.yaml', file]));
    rec.runUntil(20_000);
    const r = reviews(rec.calls);
    const s = share(r, (c) => c.endpointVersion === version);
    expect(Math.abs(s.p - expected)).toBeLessThan(5 * Math.sqrt((expected * (1 - expected)) / s.n));
    expect(r.every((c) => c.endpointVersion === 'v1' || c.endpointVersion === version)).toBe(true);
  });
});

describe('Bookinfo fault injection (istio.io/latest/docs/tasks/traffic-management/fault-injection/)', () => {
  it('virtual-service-ratings-test-abort: jason\'s ratings calls get the injected 500 and the page still answers ("Ratings service is currently unavailable")', () => {
    const rec = record(
      bookinfo([
        'destination-rule-all.yaml',
        'virtual-service-all-v1.yaml',
        'virtual-service-reviews-test-v2.yaml',
        'virtual-service-ratings-test-abort.yaml',
      ]),
    );
    rec.runUntil(20_000);
    const ratings = rec.calls.filter((c) => c.service === 'ratings');
    expect(ratings.length).toBeGreaterThan(500);
    expect(ratings.every((c) => c.code === 500 && jason(c))).toBe(true);
    expect(rec.requests.every((q) => q.code === 200)).toBe(true);
  });
});

describe('an FQDN-host DestinationRule behaves exactly as the short-host one', () => {
  it('the same calls, to the same versions, at the same times', () => {
    const inline = (host: string) => `
  destinationRules:
    - host: ${host}
      subsets: [ { name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }, { name: v3, labels: { version: v3 } } ]
    - { host: ${host.replace('reviews', 'ratings')}, subsets: [ { name: v1, labels: { version: v1 } } ] }
    - { host: ${host.replace('reviews', 'details')}, subsets: [ { name: v1, labels: { version: v1 } } ] }
    - { host: ${host.replace('reviews', 'productpage')}, subsets: [ { name: v1, labels: { version: v1 } } ] }`;
    const run = (host: string) => {
      const rec = record(bookinfo(['virtual-service-reviews-50-v3.yaml'], inline(host)));
      rec.runUntil(5_000);
      return rec.calls;
    };
    const short = run('reviews');
    expect(short.length).toBeGreaterThan(1000);
    expect(short.some((c) => c.endpointVersion === 'v3')).toBe(true);
    expect(run('reviews.default.svc.cluster.local')).toEqual(short);
  });
});

describe('a config-push of an FQDN-host DestinationRule applies at run time as validate reads it', () => {
  it('the pushed rule (subset v2 now selecting the v1 pods) is used: no 503 NC, v1 serves after the push', () => {
    const yaml = bookinfo(
      [],
      `  virtualServices:
    - { hosts: [reviews], http: [ { route: [ { destination: { host: reviews, subset: v2 } } ] } ] }
  destinationRules:
    - { host: reviews, subsets: [ { name: v2, labels: { version: v2 } } ] }
    - { host: ratings, subsets: [ { name: v1, labels: { version: v1 } } ] }
faults:
  - at: 5s
    type: config-push
    cluster: cluster1
    destinationRules:
      - { host: reviews.default.svc.cluster.local, subsets: [ { name: v2, labels: { version: v1 } } ] }`,
    ).replace('  include: []\n', '');
    const rec = record(yaml);
    rec.runUntil(20_000);
    const r = reviews(rec.calls);
    expect(r.filter((c) => c.sentMs < 5_000).every((c) => c.endpointVersion === 'v2')).toBe(true);
    const late = r.filter((c) => c.sentMs > 10_000);
    expect(late.length).toBeGreaterThan(1000);
    expect(late.every((c) => c.endpointVersion === 'v1' && c.code === 200)).toBe(true);
  });
});

describe('HelloWorld locality failover (istio.io/latest/docs/tasks/traffic-management/locality-load-balancing/failover/)', () => {
  // The task's DestinationRule, as a resource file (the task applies it with kubectl from a heredoc); its
  // priority table for the client in region1.zone1: 0 region1.zone1, 2 region1.zone2, 3 region2.zone3
  // ("failover is defined for region1->region2"), 4 region3.zone4. It drains each locality's Envoy in turn
  // (new connections refused: every request to it fails); here every request to that locality's pods fails
  // with 503, which ejects them as the refused connections do (consecutive5xxErrors: 1).
  // One deviation from the task's rule: maxEjectionPercent: 100. meshsim enforces the 10% default strictly
  // (never past it: with these four hosts, no ejection at all), while Envoy ejects as long as the share
  // already ejected is below it (envoyproxy/envoy source/common/upstream/outlier_detection_impl.cc,
  // DetectorImpl::ejectHost: `if (ejected_percent < max_ejection_percent)`), i.e. one host here. Either way
  // the task's three successive drains need more than one ejection at once; reported for the outlier
  // detector's owner, not changed here.
  const dr = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: helloworld
  namespace: sample
spec:
  host: helloworld.sample.svc.cluster.local
  trafficPolicy:
    connectionPool:
      http:
        maxRequestsPerConnection: 1
    loadBalancer:
      simple: ROUND_ROBIN
      localityLbSetting:
        enabled: true
        failover:
          - from: region1
            to: region2
    outlierDetection:
      consecutive5xxErrors: 1
      interval: 1s
      baseEjectionTime: 1m
      maxEjectionPercent: 100
`;
  it('fails over in the order the task shows: region1.zone2, then region2.zone3, then region3.zone4', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshsim-failover-'));
    writeFileSync(join(dir, 'dr.yaml'), dr);
    const pod = (cluster: string) => `{ cluster: ${cluster}, labels: { app: helloworld, version: v1 } }`;
    const rec = record(`
name: failover
duration: 40s
clusters:
  - { name: cluster1, region: region1, zones: [zone1] }
  - { name: cluster2, region: region1, zones: [zone2] }
  - { name: cluster3, region: region2, zones: [zone3] }
  - { name: cluster4, region: region3, zones: [zone4] }
models: [ { name: multi-primary, controlPlane: multi-primary, network: single } ]
services:
  - { name: curl, namespace: sample, deployments: [ { cluster: cluster1 } ], serviceTime: 0.1ms, calls: [ { service: helloworld } ] }
  - name: helloworld
    namespace: sample
    deployments: [ ${['cluster1', 'cluster2', 'cluster3', 'cluster4'].map(pod).join(', ')} ]
    serviceTime: 1ms
traffic: [ { name: curl, entry: curl, from: cluster1, rate: 100/s } ]
routing: { include: [${join(dir, 'dr.yaml')}] }
faults:
  - { at: 10s, type: error-injection, service: helloworld, cluster: cluster1, httpStatus: 503, percent: 100% }
  - { at: 20s, type: error-injection, service: helloworld, cluster: cluster2, httpStatus: 503, percent: 100% }
  - { at: 30s, type: error-injection, service: helloworld, cluster: cluster3, httpStatus: 503, percent: 100% }
`);
    rec.runUntil(40_000);
    const served = (from: number, to: number) => [
      ...new Set(
        rec.calls
          .filter((c) => c.service === 'helloworld' && c.code === 200 && c.sentMs >= from && c.sentMs < to)
          .map((c) => c.endpointCluster),
      ),
    ];
    // Clusters by index in the file; each window starts 2 s after a drain, once ejection has acted.
    expect([
      served(1_000, 10_000),
      served(12_000, 20_000),
      served(22_000, 30_000),
      served(32_000, 40_000),
    ]).toEqual([[0], [1], [2], [3]]);
  });
});
