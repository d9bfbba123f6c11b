/**
 * Deployment models as wirings of one topology (istio-behaviour.md 1.1-1.3): which istiod serves each
 * cluster (xDS, CA and injection webhook alike), where it reads config, and which path control traffic takes.
 */
import { describe, expect, it } from 'vitest';
import { record } from '../../helpers/mesh-run.js';

const mesh = (models: string, faults = '[]') => `
name: wiring
duration: 2m
clusters:
  - { name: us1, region: us, zones: [us1a], network: n-us }
  - { name: us2, region: us, zones: [us2a], network: n-us }
  - { name: eu1, region: eu, zones: [eu1a], network: n-eu }
  - { name: eu2, region: eu, zones: [eu2a], network: n-eu }
services:
  - { name: backend, deployments: [{ cluster: us1 }, { cluster: us2 }, { cluster: eu1 }, { cluster: eu2 }], serviceTime: 1ms }
traffic: [{ name: web, entry: backend, from: { us1: 25%, us2: 25%, eu1: 25%, eu2: 25% }, rate: 20/s }]
models: ${models}
faults: ${faults}
`;

/** For each cluster, the istiod serving it, named by where it runs. */
function servedBy(models: string): string[] {
  const r = record(mesh(models));
  return [0, 1, 2, 3].map((c) => r.mesh.controlPlane.istiodOf(c).name);
}

describe('mesh/istio: deployment models', () => {
  it('multi-primary: an istiod per cluster, each reading config from its own cluster', () => {
    const r = record(mesh('[{ name: m, controlPlane: multi-primary }]'));
    expect([0, 1, 2, 3].map((c) => r.mesh.controlPlane.istiodOf(c).name)).toEqual([
      'istiod/us1',
      'istiod/us2',
      'istiod/eu1',
      'istiod/eu2',
    ]);
    expect(r.mesh.controlPlane.istiods.map((i) => i.configCluster)).toEqual([0, 1, 2, 3]);
  });

  it('primary-remote: the primary serves every cluster; hybrid: a primary per region serves its remotes', () => {
    expect(servedBy('[{ name: m, controlPlane: primary-remote, primary: eu1 }]')).toEqual(
      Array(4).fill('istiod/eu1'),
    );
    expect(servedBy('[{ name: m, controlPlane: hybrid }]')).toEqual([
      'istiod/us1',
      'istiod/us1',
      'istiod/eu1',
      'istiod/eu1',
    ]);
    expect(
      servedBy('[{ name: m, controlPlane: hybrid, primaries: [us2, eu1], remotes: { eu2: us2 } }]'),
    ).toEqual(['istiod/us2', 'istiod/us2', 'istiod/eu1', 'istiod/us2']);
  });

  it('external: one istiod outside the mesh serves all, reading config from the first cluster', () => {
    const r = record(mesh('[{ name: m, controlPlane: external, region: eu }]'));
    expect(r.mesh.controlPlane.istiods).toHaveLength(1);
    const istiod = r.mesh.controlPlane.istiodOf(2);
    expect(istiod.location).toEqual({ cluster: undefined, region: 'eu' });
    expect(istiod.configCluster).toBe(0);
  });

  it("every istiod watches every cluster's API server it can reach (remote secrets everywhere)", () => {
    const r = record(mesh('[{ name: m, controlPlane: multi-primary }]'));
    for (const istiod of r.mesh.controlPlane.istiods)
      expect([0, 1, 2, 3].map((c) => istiod.canWatch(c))).toEqual([true, true, true, true]);
  });

  it("a remote reaches its primary's istiod through the primary's east-west gateway (15012/15017)", () => {
    // Losing us1's east-west gateway cuts us2 (a remote of us1) off its istiod, and so off injection.
    const r = record(
      mesh(
        '[{ name: m, controlPlane: hybrid }]',
        '[{ at: 10s, type: gateway-outage, cluster: us1, gateway: east-west }]',
      ),
    );
    r.runUntil(20_000);
    expect([0, 1, 2, 3].map((c) => r.mesh.controlPlane.reachable(c))).toEqual([true, false, true, true]);
  });
});
