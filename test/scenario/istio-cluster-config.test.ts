/**
 * `--istio-config CLUSTER=PATH`: resources applied to one cluster's API server, seen only by the istiods
 * that read that cluster under the model (mesh/control-plane.ts: a primary's istiod reads its own cluster,
 * a remote's proxies are served by their primary's istiod; istio-behaviour.md 1.1).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/index.js';
import { record } from '../helpers/mesh-run.js';

const dir = mkdtempSync(join(tmpdir(), 'meshsim-cc-'));
const V2_ONLY = join(dir, 'v2.yaml');
writeFileSync(
  V2_ONLY,
  `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: back }
spec: { host: back, subsets: [ { name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } } ] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: back }
spec: { hosts: [back], http: [ { route: [ { destination: { host: back, subset: v2 } } ] } ] }
`,
);

const SCENARIO = `
name: cc
duration: 4s
clusters: [ { name: east, region: r1 }, { name: west, region: r1 } ]
services:
  - { name: front, deployments: [ { cluster: east }, { cluster: west } ], serviceTime: 1ms, calls: [ { service: back } ] }
  - name: back
    deployments:
      - { cluster: east, labels: { version: v1 } }
      - { cluster: east, labels: { version: v2 } }
      - { cluster: west, labels: { version: v1 } }
      - { cluster: west, labels: { version: v2 } }
    serviceTime: 1ms
traffic:
  - { name: e, entry: front, from: east, rate: 200/s }
  - { name: w, entry: front, from: west, rate: 200/s }
models:
  - { name: mp, controlPlane: multi-primary }
  - { name: pr-east, controlPlane: primary-remote, primary: east }
  - { name: pr-west, controlPlane: primary-remote, primary: west }
`;

function load(cluster: string) {
  const r = loadScenarioText(SCENARIO, 'cc.yaml', { istioConfig: [{ cluster, path: V2_ONLY }] });
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r;
}

/** Versions serving back, per calling cluster (front's replica's cluster). */
function versionsByCaller(model: string, cluster: string): [string[], string[]] {
  const rec = record(load(cluster).scenario, model);
  rec.runUntil(4_000);
  const back = rec.calls.filter((c) => c.service === 'back' && c.sentMs > 500);
  const of = (k: number) =>
    [...new Set(back.filter((c) => c.sourceCluster === k).map((c) => c.endpointVersion ?? '-'))].sort();
  return [of(0), of(1)];
}

describe('--istio-config CLUSTER=PATH', () => {
  it('multi-primary: only the proxies of that cluster (its own istiod reads it) follow the VirtualService', () => {
    expect(versionsByCaller('mp', 'east')).toEqual([['v2'], ['v1', 'v2']]);
  });

  it('primary-remote with that cluster primary: every proxy follows it (the remote is served by the primary)', () => {
    expect(versionsByCaller('pr-east', 'east')).toEqual([['v2'], ['v2']]);
  });

  it('primary-remote with that cluster a remote: no istiod reads it, no proxy follows it, and validate says so for that model only', () => {
    expect(versionsByCaller('pr-west', 'east')).toEqual([
      ['v1', 'v2'],
      ['v1', 'v2'],
    ]);
    const warnings = load('east').warnings.map((w) => w.message);
    expect(warnings.filter((w) => w.includes('no istiod reads east'))).toEqual([
      "east=...: under model pr-west no istiod reads east's API server (it is served by west's istiod, which reads its own): these resources reach no proxy there",
    ]);
  });
});

describe('config-push with include: to several clusters, one rollout', () => {
  const push = (
    targets: string,
  ) => `${SCENARIO.replace(/models:[\s\S]*$/, 'models: [ { name: mp, controlPlane: multi-primary } ]\n')}
routing:
  destinationRules:
    - { host: back, subsets: [ { name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } } ] }
faults:
  - { type: config-push, at: 2s, ${targets}, include: [${V2_ONLY}] }
`;

  it('clusters: all applies the included files to both API servers at once: one fault, both clusters inside its blast radius', async () => {
    const { faultDomain } = await import('../../src/mesh/fault-domain.js');
    const r = loadScenarioText(push('clusters: all'), 'cc.yaml');
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
    const faults = r.scenario.mesh.faults;
    expect(faults.length).toBe(1);
    const f = faults[0];
    if (f?.type !== 'config-push') throw new Error('expected a config-push');
    expect([f.cluster, ...f.alsoTo.map((t) => t.cluster)]).toEqual(['east', 'west']);
    const model = r.scenario.models[0];
    if (model === undefined) throw new Error('no model');
    expect(faultDomain(f, model, r.scenario.mesh.clusters, r.scenario.mesh.services).clusters).toEqual([
      0, 1,
    ]);
    const rec = record(r.scenario, 'mp');
    rec.runUntil(4_000);
    const back = rec.calls.filter((c) => c.service === 'back');
    const before = back.filter((c) => c.sentMs < 2_000);
    const after = back.filter((c) => c.sentMs > 2_500);
    for (const k of [0, 1]) {
      expect(new Set(before.filter((c) => c.sourceCluster === k).map((c) => c.endpointVersion))).toEqual(
        new Set(['v1', 'v2']),
      );
      expect(new Set(after.filter((c) => c.sourceCluster === k).map((c) => c.endpointVersion))).toEqual(
        new Set(['v2']),
      );
    }
  });

  it('clusters: [west] reaches west only; cluster and clusters together are refused', () => {
    const r = loadScenarioText(push('clusters: [west]'), 'cc.yaml');
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
    const rec = record(r.scenario, 'mp');
    rec.runUntil(4_000);
    const after = rec.calls.filter((c) => c.service === 'back' && c.sentMs > 2_500);
    expect(new Set(after.filter((c) => c.sourceCluster === 0).map((c) => c.endpointVersion))).toEqual(
      new Set(['v1', 'v2']),
    );
    expect(new Set(after.filter((c) => c.sourceCluster === 1).map((c) => c.endpointVersion))).toEqual(
      new Set(['v2']),
    );
    const both = loadScenarioText(push('cluster: east, clusters: [west]'), 'cc.yaml');
    expect(both.ok ? '' : both.issues.map((i) => i.message).join('\n')).toContain(
      'give `cluster` or `clusters`, not both',
    );
  });
});

describe('a config-push to several clusters is checked against each target as the run applies it', () => {
  // east's API server alone holds the DestinationRule with subset v2 (CLUSTER=PATH); the push routes back
  // to v2 in both clusters: west has no such subset, so its calls get 503 NC (Envoy's missing cluster).
  const DR_EAST = join(dir, 'dr-east.yaml');
  writeFileSync(
    DR_EAST,
    `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: back }
spec: { host: back, subsets: [ { name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } } ] }
`,
  );
  const text = `${SCENARIO.replace(/models:[\s\S]*$/, 'models: [ { name: mp, controlPlane: multi-primary } ]\n')}
faults:
  - type: config-push
    at: 2s
    clusters: [east, west]
    virtualServices: [ { hosts: [back], http: [ { route: [ { destination: { host: back, subset: v2 } } ] } ] } ]
`;

  it('validate warns for west only, naming it; the run answers 503 NC in west and routes to v2 in east', () => {
    const r = loadScenarioText(text, 'cc.yaml', { istioConfig: [{ cluster: 'east', path: DR_EAST }] });
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
    const subsetWarnings = r.warnings.filter((w) => w.message.includes('v2'));
    expect(subsetWarnings.map((w) => `${w.line} ${w.path.join('.')}`)).toEqual([
      '23 faults.0.virtualServices.0.http.0.route.0.destination.subset',
    ]);
    expect(subsetWarnings[0]?.message).toMatch(/\(in cluster west\)$/);
    const rec = record(r.scenario, 'mp');
    rec.runUntil(4_000);
    const after = rec.calls.filter((c) => c.service === 'back' && c.sentMs > 2_500);
    const east = after.filter((c) => c.sourceCluster === 0);
    const west = after.filter((c) => c.sourceCluster === 1);
    expect(east.length).toBeGreaterThan(100);
    expect(west.length).toBeGreaterThan(100);
    expect(east.every((c) => c.endpointVersion === 'v2' && c.code === 200)).toBe(true);
    expect(west.every((c) => c.code === 503 && c.endpointId === -1)).toBe(true);
  });
});
