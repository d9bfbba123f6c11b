/**
 * ServiceEntry hosts (MESH_EXTERNAL) as destinations outside the clusters: their own round trip, service
 * time, errors and locality (`externalServices`), and the VirtualService/DestinationRule behaviour Envoy
 * applies to any host: the route timeout (504 UT, envoyproxy/envoy source/common/router/router.cc
 * `Filter::onResponseTimeout`), retries on 5xx (`retryOn: 5xx`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResponseFlag } from '../../src/mesh/response-flag.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import { record } from '../helpers/mesh-run.js';

function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-se-'));
  const path = join(dir, 'istio.yaml');
  writeFileSync(path, text);
  return path;
}

const SERVICE_ENTRY = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: payments }
spec:
  hosts: [api.payments.example.com]
  location: MESH_EXTERNAL
  ports: [ { number: 443, name: https, protocol: TLS } ]
  resolution: DNS
`;

function scenario(resources: string, external: string, rate = '100/s'): string {
  return `
name: se
duration: 10s
clusters:
  - { name: east, region: us-east, zones: [us-east-a] }
  - { name: west, region: eu-west, zones: [eu-west-a] }
services:
  - name: checkout
    deployments: [ { cluster: east, replicas: 2 }, { cluster: west, replicas: 2 } ]
    serviceTime: 1ms
    calls: [ { service: api.payments.example.com } ]
traffic:
  - { name: east-users, entry: checkout, from: east, rate: ${rate} }
  - { name: west-users, entry: checkout, from: west, rate: ${rate} }
externalServices:
${external}
routing:
  include: [${file(resources)}]
`;
}

describe('a ServiceEntry host is a destination with its own latency, errors and locality', () => {
  it("every call takes the round trip from its caller's region plus the host's service time, and answers 200 from no replica", () => {
    const rec = record(
      scenario(
        SERVICE_ENTRY,
        `  - { host: api.payments.example.com, latency: 80ms, latencyFrom: { us-east: 4ms }, serviceTime: 10ms }`,
      ),
      'multi-primary',
    );
    rec.runUntil(10_000);
    const calls = rec.calls.filter((c) => c.service === 'api.payments.example.com');
    expect(calls.length).toBeGreaterThan(1500);
    // Source sidecar latency (default) adds a little to the constant round trip + service time.
    const east = calls.filter((c) => c.sourceCluster === 0).map((c) => c.endMs - c.sentMs);
    const west = calls.filter((c) => c.sourceCluster === 1).map((c) => c.endMs - c.sentMs);
    expect(Math.min(...east)).toBeGreaterThanOrEqual(14);
    expect(Math.max(...east)).toBeLessThan(20);
    expect(Math.min(...west)).toBeGreaterThanOrEqual(90);
    expect(Math.max(...west)).toBeLessThan(96);
    expect(calls.every((c) => c.code === 200 && c.endpointId === -1)).toBe(true);
  });

  it('a VirtualService timeout on the host ends slow calls at the timeout with 504 UT', () => {
    const rec = record(
      scenario(
        `${SERVICE_ENTRY}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: payments-timeout }
spec:
  hosts: [api.payments.example.com]
  http: [ { timeout: 50ms, route: [ { destination: { host: api.payments.example.com } } ] } ]
`,
        `  - { host: api.payments.example.com, latency: 80ms, latencyFrom: { us-east: 4ms } }`,
      ),
      'multi-primary',
    );
    rec.runUntil(10_000);
    const calls = rec.calls.filter((c) => c.service === 'api.payments.example.com');
    const east = calls.filter((c) => c.sourceCluster === 0);
    const west = calls.filter((c) => c.sourceCluster === 1);
    expect(east.every((c) => c.code === 200)).toBe(true);
    expect(west.length).toBeGreaterThan(700);
    // 50 ms after the send, to the rounding of the clock's sums.
    expect(
      west.every(
        (c) => c.code === 504 && c.flags === ResponseFlag.UT && Math.abs(c.endMs - c.sentMs - 50) < 1e-6,
      ),
    ).toBe(true);
  });

  it('retries on 5xx from a VirtualService retry the external host: failure share p^(1+attempts)', () => {
    const rec = record(
      scenario(
        `${SERVICE_ENTRY}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: payments-retry }
spec:
  hosts: [api.payments.example.com]
  http: [ { retries: { attempts: 2, retryOn: 5xx }, route: [ { destination: { host: api.payments.example.com } } ] } ]
`,
        `  - { host: api.payments.example.com, latency: 2ms, errorRate: 30%, errorStatus: 503 }`,
        '500/s',
      ),
      'multi-primary',
    );
    rec.runUntil(10_000);
    const calls = rec.calls.filter((c) => c.service === 'api.payments.example.com');
    const failed = calls.filter((c) => c.code === 503);
    // p = 0.3, three tries: 0.027; 5 binomial standard errors around it.
    const p = 0.027;
    const n = calls.length;
    expect(n).toBeGreaterThan(8000);
    expect(Math.abs(failed.length / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    expect(failed.every((c) => c.attempts === 3 && (c.flags & ResponseFlag.URX) !== 0)).toBe(true);
    // Without the VirtualService (Istio's default policy does not retry 5xx), the host's own 30%.
    const plain = record(
      scenario(
        SERVICE_ENTRY,
        `  - { host: api.payments.example.com, latency: 2ms, errorRate: 30% }`,
        '500/s',
      ),
      'multi-primary',
    );
    plain.runUntil(10_000);
    const pc = plain.calls.filter((c) => c.service === 'api.payments.example.com');
    const share = pc.filter((c) => c.code === 503).length / pc.length;
    expect(Math.abs(share - 0.3)).toBeLessThan(5 * Math.sqrt((0.3 * 0.7) / pc.length));
  });

  it('validate: an external host no ServiceEntry declares is refused; ignored fields are said', () => {
    const r = loadScenarioText(
      scenario(
        `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: payments }
spec: { host: api.payments.example.com, trafficPolicy: { outlierDetection: { consecutive5xxErrors: 1 } } }
`,
        `  - { host: api.payments.example.com, latency: 2ms }`,
      ),
      'inline.yaml',
    );
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.issues.map((i) => i.message).join('\n')).toMatch(
      /no ServiceEntry declares host "api.payments.example.com"/,
    );
    const ok = loadScenarioText(
      scenario(
        `${SERVICE_ENTRY}---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: payments }
spec: { host: api.payments.example.com, trafficPolicy: { outlierDetection: { consecutive5xxErrors: 1 } } }
`,
        `  - { host: api.payments.example.com, latency: 2ms }`,
      ),
      'inline.yaml',
    );
    expect(ok.ok).toBe(true);
    const warnings = ok.warnings.map((w) => w.message).join('\n');
    expect(warnings).toMatch(
      /outlierDetection for external host api.payments.example.com is accepted and ignored/,
    );
    expect(warnings).toMatch(/ports is accepted and ignored/);
    expect(warnings).toMatch(/resolution is accepted and ignored/);
  });

  it("validate: a ServiceEntry's exportTo and a Gateway server's bind and defaultEndpoint are said to be ignored, each at its line", () => {
    const r = loadScenarioText(
      scenario(
        `${SERVICE_ENTRY}  exportTo: [.]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: shop }
spec:
  servers:
    - { port: { number: 80, name: http, protocol: HTTP }, hosts: [shop.example.com], bind: 10.0.0.1, defaultEndpoint: 127.0.0.1:8080 }
`,
        `  - { host: api.payments.example.com, latency: 2ms }`,
      ),
      'inline.yaml',
    );
    expect(r.ok, r.ok ? '' : r.issues.map((i) => i.message).join('\n')).toBe(true);
    const said = r.warnings
      .filter((w) => / is accepted and ignored: /.test(w.message))
      .map((w) => `${w.path.join('.')}: ${w.message}`);
    expect(said).toEqual(
      expect.arrayContaining([
        'spec.exportTo: exportTo is accepted and ignored: every namespace sees the host (its visibility is not modelled)',
        'spec.servers.0.bind: bind is accepted and ignored: the listener address is not modelled: the server listens wherever the gateway does',
        'spec.servers.0.defaultEndpoint: defaultEndpoint is accepted and ignored: sidecar ingress listeners are not modelled: the server forwards by its routes',
      ]),
    );
  });
});

describe('reports: the ingress gateway and external hosts in the service graph', () => {
  it('runScenario: an edge istio-ingressgateway -> checkout (sourceKind ingress) and checkout -> the external host (destinationKind external, no cluster)', async () => {
    const { runScenario } = await import('../../src/experiment/index.js');
    const r = loadScenarioText(
      `${scenario(
        `${SERVICE_ENTRY}---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: shop }
spec: { selector: { istio: ingressgateway }, servers: [ { port: { number: 80, name: http, protocol: HTTP }, hosts: [shop.example.com] } ] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop }
spec: { hosts: [shop.example.com], gateways: [shop], http: [ { route: [ { destination: { host: checkout } } ] } ] }
`,
        `  - { host: api.payments.example.com, latency: 2ms }`,
      )}`.replace(
        '  - { name: west-users, entry: checkout, from: west, rate: 100/s }',
        '  - { name: west-users, via: ingress, host: shop.example.com, from: west, rate: 100/s }',
      ),
      'inline.yaml',
    );
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
    const s = runScenario(r.scenario, { baselines: false, model: 'multi-primary' });
    const edges = s.serviceGraph?.edges ?? [];
    const ingress = edges.filter((e) => e.sourceKind === 'ingress');
    expect(ingress.map((e) => [e.source, e.sourceCluster, e.destination])).toEqual([
      ['istio-ingressgateway', 'west', 'checkout'],
      ['istio-ingressgateway', 'west', 'checkout'],
    ]);
    const external = edges.filter((e) => e.destination === 'api.payments.example.com');
    expect(external.length).toBe(2);
    expect(external.every((e) => e.destinationKind === 'external' && e.destinationCluster === null)).toBe(
      true,
    );
    expect(edges.filter((e) => e.destinationKind === 'external').length).toBe(2);
    // The service table has the external host as a row of its own, marked external in JSON and CSV.
    expect(s.byService.map((b) => [b.service, b.kind])).toEqual([
      ['checkout', undefined],
      ['api.payments.example.com', 'external'],
    ]);
    expect('kind' in (s.byService[0] ?? {})).toBe(false);
    const { runCsvFiles } = await import('../../src/report/index.js');
    const csv = String((await runCsvFiles(s)).find((f) => f.name === 'services.csv')?.content ?? '');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toMatch(/^service,service_kind,requests_total,/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      'checkout,service',
      'api.payments.example.com,external',
    ]);
    // Tables name the host "(external)" and say what that means; the service graph's CSV has the kind.
    const { runText, runMarkdown, serviceGraphCsv, comparisonText, comparisonMarkdown } =
      await import('../../src/report/index.js');
    const text = runText(s, undefined);
    expect(text).toMatch(/\napi\.payments\.example\.com \(external\) +\d+ +100\.000%/);
    expect(text).toMatch(/\ncheckout +\d+ /);
    expect(text).toContain('\n(external): a ServiceEntry host outside the clusters;');
    const md = runMarkdown(s);
    expect(md).toMatch(/\| api\.payments\.example\.com \(external\) \| \d+/);
    expect(md).toContain('(external): a ServiceEntry host outside the clusters;');
    const graph = (await serviceGraphCsv(s.serviceGraph?.edges ?? [])).trim().split('\n');
    expect(graph[0]).toMatch(
      /^source_kind,source,source_version,source_cluster,destination_kind,destination,/,
    );
    const kinds = new Set(
      graph.slice(1).map((l) => {
        const c = l.split(',');
        return `${c[0]} ${c[1]} -> ${c[4]} ${c[5]}`;
      }),
    );
    expect([...kinds].sort()).toEqual([
      'ingress istio-ingressgateway -> service checkout',
      'service checkout -> external api.payments.example.com',
      'traffic east-users -> service checkout',
    ]);
    // A comparison carries the mark too (models[].byService[].kind and its services.csv).
    const { compare } = await import('../../src/experiment/index.js');
    const { comparisonCsvFiles } = await import('../../src/report/index.js');
    const c = await compare(r.scenario, { models: ['multi-primary'], replications: 2 });
    if (!c.ok) throw new Error(JSON.stringify(c.problem));
    expect(c.result.models[0]?.byService?.map((b) => [b.service, b.kind])).toEqual([
      ['checkout', undefined],
      ['api.payments.example.com', 'external'],
    ]);
    const ccsv = String(
      (await comparisonCsvFiles(c.result)).find((f) => f.name === 'services.csv')?.content ?? '',
    );
    expect(ccsv).toContain('\nmulti-primary,api.payments.example.com,external,');
    expect(ccsv).toContain('\nmulti-primary,checkout,service,');
    expect(comparisonText(c.result, undefined)).toMatch(
      /\napi\.payments\.example\.com \(external\) +100\.000%/,
    );
    expect(comparisonMarkdown(c.result)).toMatch(/\| api\.payments\.example\.com \(external\) \| [\d,]+ \|/);
  });
});
