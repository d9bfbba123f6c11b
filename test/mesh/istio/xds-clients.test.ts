/**
 * istiod's `pilot_xds` gauge (istio/istio pilot/pkg/xds/monitoring.go at 86c9f01f: `xdsClients`, moved by
 * ads.go `addCon`/`removeCon` as streams open and close): the mesh reports each istiod's connected proxies,
 * and the telemetry export samples them per window. The expected counts here come from the proxies
 * themselves (alive, in a cluster the istiod serves per the deployment model), not from the istiod's set.
 */
import { describe, expect, it } from 'vitest';
import { runScenarioWithTelemetry } from '../../../src/experiment/index.js';
import type { Proxy } from '../../../src/mesh/index.js';
import { openMetricsText } from '../../../src/report/index.js';
import { loadInline, record, type Recording } from '../../helpers/mesh-run.js';

const SCENARIO = `
name: xds-clients
seed: 5
duration: 100s
report: { window: 10s }
clusters:
  - { name: c1, region: r1, zones: [c1a, c1b] }
  - { name: c2, region: r1, zones: [c2a] }
services:
  - name: web
    deployments: [{ cluster: c1, replicas: 3 }, { cluster: c2, replicas: 2 }]
    serviceTime: { dist: exponential, mean: 1ms }
    calls: [{ service: api }]
  - name: api
    deployments: [{ cluster: c1, replicas: 2 }, { cluster: c2, replicas: 4 }]
    serviceTime: { dist: exponential, mean: 1ms }
traffic:
  - { name: t, entry: web, from: { c1: 50%, c2: 50% }, rate: 50/s }
models:
  - { name: multi-primary, controlPlane: multi-primary }
  - { name: primary-remote, controlPlane: primary-remote, primary: c1 }
faults:
  - { at: 20s, for: 20s, type: control-plane-outage, cluster: c1 }
  - { at: 10s, for: 60s, type: pod-churn, service: api, cluster: c2, every: 5s }
`;

/** Alive proxies per serving istiod, from the proxies and the model's wiring alone. */
function servedProxies(rec: Recording): Map<string, number> {
  const proxies = rec.mesh['proxies'] as Proxy[];
  const servedBy = rec.mesh.controlPlane.model.servedBy;
  const out = new Map<string, number>();
  for (const p of proxies) {
    if (!p.alive) continue;
    const server = servedBy[rec.scenario.mesh.clusters[p.cluster]?.name ?? ''] as string;
    out.set(server, (out.get(server) ?? 0) + 1);
  }
  return out;
}

/** Proxies that hold a stream to each istiod, by the proxies' own state. */
function streamsByProxy(rec: Recording): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of rec.mesh['proxies'] as Proxy[]) {
    if (p.connectedTo === undefined) continue;
    const server = p.connectedTo.name.replace(/^istiod\//, '');
    out.set(server, (out.get(server) ?? 0) + 1);
  }
  return out;
}

describe('mesh/istio: connected proxies per istiod (pilot_xds)', () => {
  it('multi-primary: each istiod counts its cluster’s proxies; 0 during its outage, all again after', () => {
    const rec = record(SCENARIO, 'multi-primary', 5);
    rec.runUntil(5_000);
    const served = servedProxies(rec);
    expect(served.get('c1')).toBeGreaterThan(5); // 5 pods, 2 gateways, client sidecars
    expect(Object.fromEntries(rec.xdsClients)).toEqual(Object.fromEntries(served));
    rec.runUntil(30_000); // c1's istiod is down
    expect(rec.xdsClients.get('c1')).toBe(0);
    expect(rec.xdsClients.get('c2')).toBe(streamsByProxy(rec).get('c2'));
    // Recovery at 40 s; Envoy's backoff is capped at 30 s, so every proxy is back by 71 s.
    rec.runUntil(90_000);
    expect(Object.fromEntries(rec.xdsClients)).toEqual(Object.fromEntries(servedProxies(rec)));
  });

  it('primary-remote: the primary’s istiod counts every proxy of both clusters, 0 during its outage', () => {
    const rec = record(SCENARIO, 'primary-remote', 5);
    rec.runUntil(5_000);
    const served = servedProxies(rec);
    expect([...served.keys()]).toEqual(['c1']);
    expect(rec.xdsClients.get('c1')).toBe(served.get('c1'));
    rec.runUntil(30_000);
    expect(rec.xdsClients.get('c1')).toBe(0);
    expect(streamsByProxy(rec).size).toBe(0);
    rec.runUntil(90_000);
    expect(rec.xdsClients.get('c1')).toBe(servedProxies(rec).get('c1'));
  });

  it('through pod churn the count always equals the streams the proxies hold', () => {
    const rec = record(SCENARIO, 'multi-primary', 5);
    let churned = 0;
    const first = new Set(rec.mesh['proxies'] as Proxy[]);
    for (let t = 10_500; t <= 75_000; t += 2_500) {
      rec.runUntil(t);
      expect(Object.fromEntries(rec.xdsClients), `at ${t} ms`).toEqual({
        c1: streamsByProxy(rec).get('c1') ?? 0,
        c2: streamsByProxy(rec).get('c2') ?? 0,
      });
      churned = (rec.mesh['proxies'] as Proxy[]).filter((p) => !first.has(p)).length;
    }
    expect(churned).toBeGreaterThan(5); // the churn did replace pods
  });

  it('the export samples the gauge per window, per istiod, as the mesh reported it', () => {
    const scenario = loadInline(SCENARIO);
    const run = runScenarioWithTelemetry(scenario, { model: 'multi-primary', baselines: false });
    const cp = run.telemetry.controlPlane;
    if (cp === null) throw new Error('no control plane');
    const rec = record(SCENARIO, 'multi-primary', scenario.seed);
    const { startMs, windowMs, windows } = run.telemetry;
    for (let k = 0; k <= windows; k++) {
      // A sample holds every event up to and including its time (Engine.run stops before `until`).
      rec.runUntil(startMs + k * windowMs + 1e-6);
      for (const { istiod, samples } of cp.xdsClients)
        expect(samples[k], `${istiod} sample ${k}`).toBe(rec.xdsClients.get(istiod));
    }
    // c1's istiod is down from 20 s to 40 s: the sample at 30 s is 0.
    const c1 = cp.xdsClients.find((x) => x.istiod === 'c1')?.samples;
    expect(c1?.[3]).toBe(0);
    const text = openMetricsText(run.telemetry);
    expect(text).toContain('# TYPE pilot_xds gauge\n');
    const lines = text.split('\n').filter((l) => l.startsWith('pilot_xds{cluster="c1"} '));
    expect(lines).toHaveLength(windows + 1);
    expect(lines[3]).toMatch(/^pilot_xds\{cluster="c1"\} 0 \d+\.\d{3}$/);
  });
});
