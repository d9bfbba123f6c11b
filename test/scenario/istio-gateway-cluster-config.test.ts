/**
 * A Gateway applied to one cluster's API server only (`--istio-config CLUSTER=PATH`): validate checks a
 * traffic source's `host` against the routes the run's ingress gateways start with (istio/ingress-views.ts,
 * mirroring mesh/control-plane.ts: cluster c's gateway reads `configSourceOf(model, servedBy[c])`'s API
 * server), so the two agree: routed where the run routes it, refused where the run would answer 404 NR.
 * Bookinfo's own gateway file (samples/bookinfo/networking/bookinfo-gateway.yaml, unchanged).
 */
import { describe, expect, it } from 'vitest';
import { ResponseFlag } from '../../src/mesh/response-flag.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import { record } from '../helpers/mesh-run.js';

const GATEWAY = 'test/fixtures/istio-samples/bookinfo/networking/bookinfo-gateway.yaml';

function scenario(from: string, uri = '/productpage', entry = ''): string {
  return `
name: gw-per-cluster
duration: 4s
clusters: [ { name: east, region: r1 }, { name: west, region: r1 } ]
services:
  - { name: productpage, deployments: [ { cluster: east }, { cluster: west } ], serviceTime: 1ms }
traffic:
  - { name: web, via: ingress, host: bookinfo.example.com, uri: ${uri}, from: ${from}, rate: 200/s${entry} }
models:
  - { name: mp, controlPlane: multi-primary }
  - { name: pr-east, controlPlane: primary-remote, primary: east }
  - { name: pr-west, controlPlane: primary-remote, primary: west }
`;
}

const load = (text: string) =>
  loadScenarioText(text, 'gw.yaml', { istioConfig: [{ cluster: 'east', path: GATEWAY }] });

describe('a Gateway applied through --istio-config east=PATH only', () => {
  it('validate sees it for traffic entering east (no error, entry filled from the route) and the run routes it there', () => {
    const r = load(scenario('east'));
    expect(r.ok, r.ok ? '' : r.issues.map((i) => i.message).join('\n')).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.mesh.traffic[0]?.entry).toBe('productpage');
    // pr-west: east's gateway is served by west's istiod, which reads west's API server: no Gateway there.
    expect(r.warnings.map((w) => `${w.path.join('.')}: ${w.message}`)).toContain(
      'traffic.0.host: no Gateway route takes host "bookinfo.example.com" and uri "/productpage" at cluster east under pr-west (config from west): the ingress gateway there answers every request 404 NR (routed at cluster east under mp (config from east), pr-east (config from east))',
    );
    for (const model of ['mp', 'pr-east']) {
      const rec = record(r.scenario, model);
      rec.runUntil(4_000);
      expect(rec.requests.length).toBeGreaterThan(600);
      expect(rec.requests.every((q) => q.code === 200)).toBe(true);
      expect(rec.calls.filter((c) => c.service === 'productpage').length).toBe(rec.requests.length);
    }
    // Where validate warned, the run answers 404 NR: the two read the same routes.
    const rec = record(r.scenario, 'pr-west');
    rec.runUntil(4_000);
    expect(rec.requests.length).toBeGreaterThan(600);
    expect(rec.requests.every((q) => q.code === 404 && q.flags === ResponseFlag.NR)).toBe(true);
  });

  it('traffic entering west only: no gateway it meets has the route under multi-primary, so validate refuses it', () => {
    const west = loadScenarioText(
      scenario('west').replace(/models:[\s\S]*$/, 'models: [ { name: mp, controlPlane: multi-primary } ]\n'),
      'gw.yaml',
      { istioConfig: [{ cluster: 'east', path: GATEWAY }] },
    );
    expect(west.ok).toBe(false);
    const issues = west.ok ? [] : west.issues;
    expect(issues.map((i) => `gw.yaml:${i.line}:${i.column} ${i.path.join('.')}: ${i.message}`)).toEqual([
      'gw.yaml:8:38 traffic.0.host: no Gateway route takes host "bookinfo.example.com" and uri "/productpage" (no Gateway with a bound VirtualService is applied to the API server its ingress gateways read (west)): the ingress gateway answers every request 404 NR; give `entry` to run it anyway',
    ]);
  });

  it('a host no route takes anywhere: refused by validate with the same located message, whichever gateways it enters by', () => {
    const none = load(scenario('{ east: 50%, west: 50% }', '/nothing'));
    expect(none.ok).toBe(false);
    expect(none.ok ? [] : none.issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
      '8:38 no Gateway route takes host "bookinfo.example.com" and uri "/nothing": the ingress gateway answers every request 404 NR; give `entry` to run it anyway',
    ]);
    // With an entry it runs, and every request gets the 404 NR the warning announced.
    const withEntry = load(scenario('{ east: 50%, west: 50% }', '/nothing', ', entry: productpage'));
    expect(withEntry.ok).toBe(true);
    if (!withEntry.ok) return;
    expect(withEntry.warnings.map((w) => w.message)).toContain(
      'no Gateway route takes host "bookinfo.example.com" and uri "/nothing": the ingress gateway answers every request 404 NR',
    );
    const rec = record(withEntry.scenario, 'mp');
    rec.runUntil(4_000);
    expect(rec.requests.every((q) => q.code === 404 && q.flags === ResponseFlag.NR)).toBe(true);
  });

  it('traffic entering both clusters under multi-primary: a warning names west, and the run answers 404 NR exactly there', () => {
    const r = load(scenario('{ east: 50%, west: 50% }'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.map((w) => w.message)).toContain(
      'no Gateway route takes host "bookinfo.example.com" and uri "/productpage" at cluster west under mp (config from west), pr-west (config from west); cluster east under pr-west (config from west): the ingress gateway there answers every request 404 NR (routed at cluster east under mp (config from east), pr-east (config from east); cluster west under pr-east (config from east))',
    );
    const rec = record(r.scenario, 'mp');
    rec.runUntil(4_000);
    const east = rec.requests.filter((q) => q.clientCluster === 0);
    const west = rec.requests.filter((q) => q.clientCluster === 1);
    expect(east.length).toBeGreaterThan(250);
    expect(west.length).toBeGreaterThan(250);
    expect(east.every((q) => q.code === 200)).toBe(true);
    expect(west.every((q) => q.code === 404 && q.flags === ResponseFlag.NR)).toBe(true);
  });
});
