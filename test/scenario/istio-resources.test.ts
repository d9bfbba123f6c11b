/**
 * Istio resources as files, read as kubectl and istiod read them (istio/istio 86c9f01f): multi-document
 * YAML, List objects, the wrapper, skipped kinds, errors located in the included file, kubectl replace by
 * kind/namespace/name, istiod's choice among VirtualServices and its merge of DestinationRules, namespaces
 * and exportTo, fields accepted with a warning or refused, and validate's one pass.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue, loadScenarioText, type LoadResult } from '../../src/scenario/index.js';

const dir = mkdtempSync(join(tmpdir(), 'meshsim-istio-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function scenario(routing: string, services = ''): string {
  return `
name: t
duration: 10s
clusters: [ { name: c1, region: r1 } ]
services:
  - name: front
    deployments: [ { cluster: c1 } ]
    serviceTime: 1ms
    calls: [ { service: reviews } ]
  - name: reviews
    deployments:
      - { cluster: c1, labels: { version: v1 } }
      - { cluster: c1, labels: { version: v2 } }
    serviceTime: 1ms
${services}
traffic: [ { name: web, entry: front, from: c1, rate: 10/s } ]
routing:
${routing}
`;
}
const load = (text: string, options = {}): LoadResult =>
  loadScenarioText(text, join(dir, 'scenario.yaml'), options);
const lines = (r: LoadResult) => [...(r.ok ? [] : r.issues), ...r.warnings].map(formatIssue);

const DR = (
  name: string,
  host: string,
  subsets: string[],
  extra = '',
) => `apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: { name: ${name} }
spec:
  host: ${host}
  subsets: [${subsets.map((s) => `{ name: ${s}, labels: { version: ${s} } }`).join(', ')}]
${extra}`;
const VS = (name: string, subset: string, meta = '') => `apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: { name: ${name}${meta} }
spec:
  hosts: [reviews]
  http: [ { route: [ { destination: { host: reviews, subset: ${subset} } } ] } ]
`;

describe('Istio resource files', () => {
  it('reads multi-document YAML, List objects and every API version, and lists other kinds as skipped with the reason', () => {
    const text = `${DR('reviews', 'reviews', ['v1', 'v2'])}---
apiVersion: v1
kind: List
items:
  - ${VS('reviews', 'v2').split('\n').join('\n    ')}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default }
spec: { mtls: { mode: STRICT } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews-v1 }
spec: {}
---
`;
    const f = file('mixed.yaml', text);
    const lineOf = (x: string) => text.split('\n').indexOf(x) + 1;
    const r = load(scenario(`  include: [${f}]`));
    expect(r.ok, lines(r).join('\n')).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.mesh.routing.virtualServices).toMatchObject([
      { hosts: ['reviews'], http: [{ route: [{ host: 'reviews', subset: 'v2' }] }] },
    ]);
    const skipped = r.warnings
      .filter((w) => w.code === 'not-modelled')
      .map((w) => [w.line, w.message.split(':')[0]]);
    expect(skipped).toEqual([
      [lineOf('kind: PeerAuthentication'), 'skipped PeerAuthentication default'],
      [lineOf('kind: Deployment'), 'skipped Deployment reviews-v1'],
    ]);
  });

  it('keeps file:line:column of the included file for its errors, with a did-you-mean for a misspelt key', () => {
    const text = DR('reviews', 'reviews', ['v1'], '  trafficPolicy:\n    loadBalancr: {}\n');
    const f = file('bad.yaml', text);
    expect(text.split('\n')[7]).toBe('    loadBalancr: {}');
    const r = load(scenario(`  include: [${f}]`));
    expect(r.ok).toBe(false);
    expect(lines(r)).toEqual([
      `${f}:8:5: error [unknown-key] spec.trafficPolicy.loadBalancr: unknown key "loadBalancr"; allowed keys here: loadBalancer, outlierDetection, connectionPool, tls, portLevelSettings, tunnel, proxyProtocol, retryBudget. Did you mean "loadBalancer"?`,
    ]);
  });

  it('accepts a real field meshsim does not model with one warning naming what is ignored, and refuses one whose loss would change routing', () => {
    const mtls = 'test/fixtures/istio-samples/bookinfo/networking/destination-rule-all-mtls.yaml';
    const r = load(
      scenario(
        `  include: [${join(process.cwd(), mtls)}]`,
        `  - { name: details, deployments: [ { cluster: c1, labels: { version: v1 } } ], serviceTime: 1ms }
  - { name: productpage, deployments: [ { cluster: c1, labels: { version: v1 } } ], serviceTime: 1ms }
  - { name: ratings, deployments: [ { cluster: c1, labels: { version: v1 } } ], serviceTime: 1ms }`,
      ),
    );
    expect(r.ok, lines(r).join('\n')).toBe(true);
    const tls = r.warnings.filter((w) => w.path.join('.') === 'spec.trafficPolicy.tls');
    // One warning for the field, though each of the file's four rules sets it.
    expect(tls.map((w) => w.message)).toEqual([
      'tls is accepted and ignored: TLS settings are not modelled (mTLS cost is inside the sidecar latency) (set in 3 more places of this file)',
    ]);
    const refused = load(
      scenario(`  virtualServices:
    - hosts: [reviews]
      http: [ { match: [ { sourceLabels: { app: front } } ], route: [ { destination: { host: reviews } } ] } ]`),
    );
    expect(lines(refused)).toEqual([
      `${join(dir, 'scenario.yaml')}:20:28: error [not-modelled] routing.virtualServices[0].http[0].match[0].sourceLabels: sourceLabels is refused: matching on the client workload is not modelled; the route would match every client`,
    ]);
  });

  it('says what to do with a resource file given as the scenario', () => {
    const r = loadScenarioText(VS('reviews', 'v1'), 'vs.yaml');
    expect(lines(r)).toEqual([
      'vs.yaml:2:7: error [wrong-type] kind: this is a Kubernetes resource (networking.istio.io/v1alpha3 VirtualService), not a meshsim scenario: list Istio resource files under `routing.include` of a scenario or pass them with `--istio-config`, and turn Deployments and Services into a scenario with `meshsim import kubernetes`',
    ]);
  });

  it('takes --istio-config paths after the scenario own routing', () => {
    const f = file('cli.yaml', `${DR('reviews', 'reviews', ['v1', 'v2'])}---\n${VS('reviews', 'v1')}`);
    const r = load(scenario('  virtualServices: []'), { istioConfig: [{ path: f }] });
    expect(r.ok, lines(r).join('\n')).toBe(true);
    if (r.ok) expect(r.scenario.mesh.routing.destinationRules.map((d) => d.host)).toEqual(['reviews']);
  });
});

describe('kubectl and istiod semantics', () => {
  it('two applies of one name: the later replaces the earlier, with a warning', () => {
    const a = file('a.yaml', `${DR('reviews', 'reviews', ['v1', 'v2'])}---\n${VS('reviews', 'v1')}`);
    const b = file('b.yaml', VS('reviews', 'v2'));
    const r = load(scenario(`  include: [${a}, ${b}]`));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.mesh.routing.virtualServices[0]?.http[0]?.route[0]?.subset).toBe('v2');
    expect(r.warnings.map((w) => [w.file, w.code])).toEqual([[b, 'duplicate-name']]);
  });

  it('two VirtualServices for one host: the older wins (sortConfigByCreationTime), the other is ignored with a warning', () => {
    const dr = DR('reviews', 'reviews', ['v1', 'v2']);
    // "b-first" is created first (listed first); "a-second" sorts first by name but is newer.
    const f = file('two.yaml', `${dr}---\n${VS('b-first', 'v1')}---\n${VS('a-second', 'v2')}`);
    const r = load(scenario(`  include: [${f}]`));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.mesh.routing.virtualServices.map((v) => v.http[0]?.route[0]?.subset)).toEqual(['v1']);
    expect(r.warnings.map((w) => [w.code, w.line])).toEqual([['shadowed', 19]]);
    // With creation timestamps (kubectl get -o yaml), time decides, not the order in the file.
    const g = file(
      'stamped.yaml',
      `${dr}---\n${VS('b-first', 'v1', ', creationTimestamp: "2026-01-02T00:00:00Z"')}---\n${VS('a-second', 'v2', ', creationTimestamp: "2026-01-01T00:00:00Z"')}`,
    );
    const s = load(scenario(`  include: [${g}]`));
    if (s.ok)
      expect(s.scenario.mesh.routing.virtualServices.map((v) => v.http[0]?.route[0]?.subset)).toEqual(['v2']);
    else expect.fail(lines(s).join('\n'));
  });

  it('DestinationRules for one host are merged: subsets concatenated, the older rule top-level trafficPolicy kept', () => {
    const f = file(
      'merge.yaml',
      `${DR('r1', 'reviews', ['v1'], '  trafficPolicy: { loadBalancer: { simple: RANDOM } }\n')}---\n${DR('r2', 'reviews.default.svc.cluster.local', ['v1', 'v2'], '  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }\n')}---\n${VS('reviews', 'v2')}`,
    );
    const r = load(scenario(`  include: [${f}]`));
    expect(r.ok, lines(r).join('\n')).toBe(true);
    if (!r.ok) return;
    const dr = r.scenario.mesh.routing.destinationRules;
    expect(
      dr.map((d) => [d.host, d.subsets.map((s) => s.name), d.trafficPolicy?.loadBalancer?.simple]),
    ).toEqual([['reviews', ['v1', 'v2'], 'RANDOM']]);
    expect(r.warnings.map((w) => [w.code, w.path.join('.')])).toEqual([
      ['shadowed', 'spec.subsets.0.name'],
      ['shadowed', 'spec.trafficPolicy'],
    ]);
  });

  it('short hosts resolve in the resource namespace, FQDNs and *.ns wildcards as Istio does; "reviews.default" names nothing', () => {
    const ns = (n: string) => `, namespace: ${n}`;
    const other = file(
      'other-ns.yaml',
      `${DR('reviews', 'reviews', ['v1'])}`.replace('{ name: reviews }', `{ name: reviews${ns('shop')} }`),
    );
    const r = load(scenario(`  include: [${other}]`));
    // In namespace "shop", "reviews" is reviews.shop.svc.cluster.local: not the service in "default".
    expect(lines(r)).toEqual([
      `${other}:5:9: error [unknown-reference] spec.host: unknown service "reviews"; known services: front.default.svc.cluster.local, reviews.default.svc.cluster.local`,
    ]);
    const dotted = load(
      scenario(
        `  destinationRules: [ { host: reviews.default, subsets: [ { name: v1, labels: { version: v1 } } ] } ]`,
      ),
    );
    expect(dotted.ok).toBe(false);
    if (!dotted.ok) {
      expect(dotted.issues[0]?.message).toContain('Istio takes a host with a dot as fully qualified');
      expect(dotted.issues[0]?.suggestion).toBe('reviews.default.svc.cluster.local');
    }
    const wildcard = file(
      'wild.yaml',
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: all }
spec:
  hosts: ["*.default.svc.cluster.local"]
  http: [ { route: [ { destination: { host: reviews } } ], timeout: 2s } ]
`,
    );
    const w = load(scenario(`  include: [${wildcard}]`));
    if (!w.ok) expect.fail(lines(w).join('\n'));
    else expect(w.scenario.mesh.routing.virtualServices[0]?.hosts).toEqual(['front', 'reviews']);
  });

  it('refuses exportTo that would give clients in different namespaces different routes, rather than pick one', () => {
    const f = file(
      'private.yaml',
      `${VS('reviews', 'v1')}  exportTo: ["."]\n---\n${DR('reviews', 'reviews', ['v1'])}`,
    );
    const services = `  - name: shop-front
    namespace: shop
    deployments: [ { cluster: c1 } ]
    serviceTime: 1ms
    calls: [ { service: reviews } ]`;
    const r = load(
      scenario(`  include: [${f}]`, services).replace(
        'traffic: [',
        'traffic: [ { name: shop, entry: shop-front, from: c1, rate: 1/s },',
      ),
    );
    expect(r.ok).toBe(false);
    expect(lines(r).join('\n')).toContain('would get different VirtualServices');
    // Seen by its only clients (all in "default"), a private VirtualService is exact.
    const alone = load(scenario(`  include: [${f}]`));
    expect(alone.ok, lines(alone).join('\n')).toBe(true);
  });

  it('a VirtualService bound to a Gateway only does not route sidecars: it routes the ingress gateway (gateway.go)', () => {
    const gw = 'test/fixtures/istio-samples/bookinfo/networking/bookinfo-gateway.yaml';
    const r = load(
      scenario(
        `  include: [${join(process.cwd(), gw)}]`,
        '  - { name: productpage, deployments: [ { cluster: c1 } ], serviceTime: 1ms }',
      ),
    );
    expect(r.ok, lines(r).join('\n')).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.mesh.routing.virtualServices).toEqual([]);
    expect(
      r.scenario.mesh.routing.ingress?.map((h) => [h.domain, h.http.map((x) => x.route[0]?.host)]),
    ).toEqual([['*', ['productpage']]]);
    expect(r.warnings.map((w) => w.message.slice(0, 40))).toEqual([
      'port is accepted and ignored: meshsim se',
    ]);
  });
});

describe('validate reports every problem in one pass', () => {
  it('an unknown key on one line no longer hides an unknown cluster on another', () => {
    const text = `
name: t
duration: 10s
clusters: [ { name: c1, region: r1, zonez: [a] } ]
services:
  - { name: a, deployments: [ { cluster: c2 } ], serviceTime: 1ms, calls: [ { service: b } ] }
  - { name: b, deployments: [ { cluster: c1 } ], serviceTime: 1ms, calls: [ { service: a } ] }
  - { name: c, deployments: [ { cluster: c1 } ], serviceTim: 1ms }
traffic: [ { name: web, entry: a, from: c1, rate: 10/s } ]
`;
    const r = loadScenarioText(text, 's.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.line, i.code])).toEqual([
      [4, 'unknown-key'],
      [6, 'unknown-reference'],
      [7, 'call-cycle'],
      [8, 'missing-key'],
      [8, 'unknown-key'],
    ]);
  });

  it('an unknown key in the scenario no longer hides the problems of the Istio resources it includes, nor of a Gateway route', () => {
    file(
      'one-pass-vs.yaml',
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: r }
spec: { hosts: [nosuch], http: [ { route: [ { destination: { host: reviews, subset: v9 } } ] } ] }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec: { host: reviews, subsets: [ { name: v1, labels: { version: v1 } } ], trafficPolicy: { loadBalancr: {} } }
`,
    );
    const text = `name: t
duration: 10s
sede: 1
clusters: [ { name: c1, region: r1 } ]
services:
  - { name: reviews, deployments: [ { cluster: c1, labels: { version: v1 } } ], serviceTime: 1ms }
traffic:
  - { name: web, entry: reviews, from: c2, rate: 10/s }
  - { name: edge, via: ingress, host: shop.example.com, from: c1, rate: 10/s }
routing:
  include: [one-pass-vs.yaml]
`;
    const r = load(text);
    expect(r.ok).toBe(false);
    // What the same file without \`sede\` reports, plus the unknown key: nothing hidden behind it.
    const without = load(text.replace('sede: 1\n', ''));
    expect(without.ok).toBe(false);
    const at = (x: LoadResult) =>
      (x.ok ? [] : x.issues).map(
        (i) => `${i.file.endsWith('scenario.yaml') ? 's' : 'vs'}:${i.line} ${i.code}`,
      );
    expect(at(r)).toEqual([
      's:3 unknown-key',
      's:8 unknown-reference',
      's:9 unknown-reference',
      'vs:4 unknown-reference',
      'vs:9 unknown-key',
    ]);
    expect(at(r).slice(1)).toEqual(
      at(without).map((l) => l.replace(/^s:(\d+)/, (_, n) => `s:${Number(n) + 1}`)),
    );
  });
});
