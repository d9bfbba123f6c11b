/**
 * Traffic `via: ingress` naming a `host` is routed by Gateways and the VirtualServices bound to them, as
 * istiod builds a gateway's routes (istio/istio 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c,
 * pilot/pkg/networking/core/gateway.go `buildGatewayHTTPRouteConfig`, pilot/pkg/model/config.go
 * `resolveGatewayName`, pilot/pkg/model/push_context.go `VirtualServicesForGateway`), with Bookinfo's own
 * gateway file (samples/bookinfo/networking/bookinfo-gateway.yaml, unchanged in test/fixtures).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResponseFlag } from '../../src/mesh/response-flag.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import { record } from '../helpers/mesh-run.js';

const NET = 'test/fixtures/istio-samples/bookinfo/networking';

function bookinfo(traffic: string, include: string[], extra = ''): string {
  return `
name: bookinfo-ingress
duration: 5s
clusters: [ { name: cluster1, region: r1, zones: [r1-a] } ]
services:
  - { name: productpage, deployments: [ { cluster: cluster1, replicas: 2, labels: { version: v1 } } ], serviceTime: 2ms, calls: [ { service: reviews, onError: continue } ] }
  - name: reviews
    deployments:
      - { cluster: cluster1, labels: { version: v1 } }
      - { cluster: cluster1, labels: { version: v2 } }
    serviceTime: 2ms
  - { name: details, deployments: [ { cluster: cluster1, labels: { version: v1 } } ], serviceTime: 1ms }
traffic:
${traffic}
routing:
  include: [${include.map((f) => (f.startsWith('/') ? f : `${NET}/${f}`)).join(', ')}]
${extra}
`;
}

function tmpFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-gw-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('bookinfo-gateway.yaml: traffic entering via ingress is routed by the Gateway', () => {
  it('GET /productpage with any Host (the server hosts "*") reaches productpage; entry is left to the route', () => {
    const rec = record(
      bookinfo(
        `  - { name: web, via: ingress, host: bookinfo.example.com, uri: /productpage, from: cluster1, rate: 100/s }`,
        ['bookinfo-gateway.yaml'],
      ),
    );
    expect(rec.scenario.mesh.traffic[0]?.entry).toBe('productpage');
    rec.runUntil(5_000);
    const entry = rec.calls.filter((c) => c.sourceCluster === 0 && c.service === 'productpage');
    expect(entry.length).toBeGreaterThan(300);
    expect(rec.requests.every((r) => r.code === 200)).toBe(true);
  });

  it('a path no route of the bound VirtualService matches gets 404 NR at the gateway (the sidecar routes do not apply there)', () => {
    const rec = record(
      bookinfo(
        `  - { name: web, via: ingress, entry: productpage, host: bookinfo.example.com, uri: /admin, from: cluster1, rate: 100/s }`,
        ['bookinfo-gateway.yaml'],
      ),
    );
    rec.runUntil(5_000);
    expect(rec.requests.length).toBeGreaterThan(300);
    expect(rec.requests.every((r) => r.code === 404 && r.flags === ResponseFlag.NR)).toBe(true);
    // Nothing reached a service: no replica served any call.
    expect(rec.calls.every((c) => c.endpointId === -1)).toBe(true);
  });

  it('the same /admin request without host goes to its entry by the sidecar routes (no Gateway involved), with a warning that it bypasses them', () => {
    const r = loadScenarioText(
      bookinfo(
        `  - { name: web, via: ingress, entry: productpage, uri: /admin, from: cluster1, rate: 100/s }`,
        ['bookinfo-gateway.yaml'],
      ),
      'inline.yaml',
    );
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.message).join('\n')).toMatch(/without `host`.*past the Gateways/);
  });

  it('validate refuses host traffic no route takes without an entry, and an entry the route does not go to', () => {
    const none = loadScenarioText(
      bookinfo(`  - { name: web, via: ingress, host: x.com, uri: /nothing, from: cluster1, rate: 1/s }`, [
        'bookinfo-gateway.yaml',
      ]),
      'inline.yaml',
    );
    expect(none.ok).toBe(false);
    expect(none.ok ? '' : none.issues.map((i) => i.message).join('\n')).toMatch(/404 NR; give `entry`/);
    const wrong = loadScenarioText(
      bookinfo(
        `  - { name: web, via: ingress, entry: details, host: x.com, uri: /productpage, from: cluster1, rate: 1/s }`,
        ['bookinfo-gateway.yaml'],
      ),
      'inline.yaml',
    );
    expect(wrong.ok ? '' : wrong.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')).toMatch(
      /traffic\.0\.entry: the Gateway routes host "x.com" uri "\/productpage" to productpage, not to details/,
    );
  });

  it('a VirtualService bound to the gateway only does not route sidecars; a mesh one does not route the gateway', () => {
    // Sends every sidecar call to reviews v2, and gateway traffic for reviews.example.com to reviews v1.
    const file = tmpFile(
      'vs.yaml',
      `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec: { host: reviews, subsets: [ { name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } } ] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews-mesh }
spec: { hosts: [reviews], http: [ { route: [ { destination: { host: reviews, subset: v2 } } ] } ] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews-edge }
spec:
  hosts: [reviews.example.com]
  gateways: [bookinfo-gateway]
  http: [ { route: [ { destination: { host: reviews, subset: v1 } } ] } ]
`,
    );
    const rec = record(
      bookinfo(
        `  - { name: page, via: ingress, host: bookinfo.example.com, uri: /productpage, from: cluster1, rate: 100/s }
  - { name: api, via: ingress, host: REVIEWS.example.com:8080, uri: /reviews/1, from: cluster1, rate: 100/s }`,
        ['bookinfo-gateway.yaml', file],
      ),
    );
    expect(rec.scenario.mesh.traffic[1]?.entry).toBe('reviews');
    rec.runUntil(5_000);
    const fromGateway = rec.calls.filter(
      (c) =>
        c.service === 'reviews' &&
        c.headers[':authority'] !== undefined &&
        c.headers[':authority'].startsWith('reviews'),
    );
    const fromPage = rec.calls.filter(
      (c) => c.service === 'reviews' && c.headers[':authority'] === 'bookinfo.example.com',
    );
    expect(fromGateway.length).toBeGreaterThan(300);
    expect(fromPage.length).toBeGreaterThan(300);
    // The exact host reviews.example.com beats "*" (Envoy's most specific virtual host).
    expect(fromGateway.every((c) => c.endpointVersion === 'v1')).toBe(true);
    // productpage's sidecar call to reviews follows the mesh VirtualService, never the gateway one.
    expect(fromPage.every((c) => c.endpointVersion === 'v2')).toBe(true);
    expect(rec.requests.every((r) => r.code === 200)).toBe(true);
  });
});
