import { describe, expect, it } from 'vitest';
import {
  cutsOffControlPlane,
  faultDomain,
  faultKind,
  type ClusterConfig,
  type DeploymentModel,
  type FaultConfig,
} from '../../src/mesh/index.js';
import { service } from '../helpers/mesh-config.js';

const CLUSTERS: ClusterConfig[] = [
  { name: 'p', region: 'us', zones: ['p1'], network: 'n1' },
  { name: 'r', region: 'us', zones: ['r1'], network: 'n1' },
  { name: 'e', region: 'eu', zones: ['e1'], network: 'n1' },
];
const SERVICES = [
  service('api', {
    deployments: [
      { cluster: 'p', zone: undefined, replicas: 1, labels: {} },
      { cluster: 'e', zone: undefined, replicas: 1, labels: {} },
    ],
  }),
];

function model(servedBy: Record<string, string>): DeploymentModel {
  return {
    name: 'm',
    controlPlane: 'primary-remote',
    network: 'single',
    servedBy,
    external: undefined,
    configCluster: 'p',
  };
}
const PRIMARY_REMOTE = model({ p: 'p', r: 'p', e: 'p' });
const MULTI_PRIMARY = model({ p: 'p', r: 'r', e: 'e' });
const EXTERNAL = model({ p: 'external', r: 'external', e: 'external' });

const at = { atMs: 1000, forMs: 5000 };

describe('mesh/fault-domain', () => {
  it('faultDomain(control-plane-outage of a remote) is the cluster hosting the istiod that serves it', () => {
    const f: FaultConfig = { ...at, type: 'control-plane-outage', cluster: 'r' };
    expect(faultDomain(f, PRIMARY_REMOTE, CLUSTERS, SERVICES)).toEqual({
      clusters: [0],
      recoveryFrom: 'end',
    });
    expect(faultDomain(f, MULTI_PRIMARY, CLUSTERS, SERVICES).clusters).toEqual([1]);
  });

  it('faultDomain(ca-outage under an external control plane) is empty: every client is collateral', () => {
    const f: FaultConfig = { ...at, type: 'ca-outage', cluster: 'p' };
    expect(faultDomain(f, EXTERNAL, CLUSTERS, SERVICES).clusters).toEqual([]);
  });

  it('faultDomain(network-partition between a region and a cluster) holds both sides', () => {
    const f: FaultConfig = { ...at, type: 'network-partition', between: ['eu', 'r'] };
    expect(faultDomain(f, MULTI_PRIMARY, CLUSTERS, SERVICES)).toEqual({
      clusters: [1, 2],
      recoveryFrom: 'end',
    });
  });

  it('faultDomain(error-injection without a cluster) is every cluster the service runs in', () => {
    const f: FaultConfig = {
      ...at,
      type: 'error-injection',
      service: 'api',
      cluster: undefined,
      httpStatus: 503,
      fraction: 1,
    };
    expect(faultDomain(f, MULTI_PRIMARY, CLUSTERS, SERVICES).clusters).toEqual([0, 2]);
    expect(faultDomain({ ...f, cluster: 'e' }, MULTI_PRIMARY, CLUSTERS, SERVICES).clusters).toEqual([2]);
  });

  it('faultDomain(zone, cluster, gateway, pod faults) is their cluster, recovering from the start', () => {
    const faults: FaultConfig[] = [
      { ...at, type: 'zone-outage', cluster: 'e', zone: 'e1' },
      { ...at, type: 'cluster-outage', cluster: 'e' },
      { ...at, type: 'gateway-outage', cluster: 'e', gateway: 'east-west' },
      { ...at, type: 'pod-failure', service: 'api', cluster: 'e', count: 1 },
      { ...at, type: 'pod-churn', service: 'api', cluster: 'e', everyMs: 1000 },
      { ...at, type: 'scale', service: 'api', cluster: 'e', replicas: 0 },
    ];
    for (const f of faults) {
      expect(faultDomain(f, MULTI_PRIMARY, CLUSTERS, SERVICES), f.type).toEqual({
        clusters: [2],
        recoveryFrom: 'start',
      });
    }
  });

  it('faultDomain(api-server-outage, config-push) recover from the end, or the start when they never end', () => {
    const api: FaultConfig = { ...at, type: 'api-server-outage', cluster: 'r' };
    const push: FaultConfig = {
      ...at,
      type: 'config-push',
      cluster: 'p',
      routing: { virtualServices: [], destinationRules: [] },
      alsoTo: [],
    };
    expect(faultDomain(api, MULTI_PRIMARY, CLUSTERS, SERVICES)).toEqual({
      clusters: [1],
      recoveryFrom: 'end',
    });
    expect(faultDomain(push, PRIMARY_REMOTE, CLUSTERS, SERVICES)).toEqual({
      clusters: [0],
      recoveryFrom: 'end',
    });
    expect(faultDomain({ ...api, forMs: Infinity }, MULTI_PRIMARY, CLUSTERS, SERVICES).recoveryFrom).toBe(
      'start',
    );
  });

  it('cutsOffControlPlane: every fault that removes an istiod or cuts proxies off from it, per model', () => {
    const f = (x: Record<string, unknown>) => ({ ...at, ...x }) as FaultConfig;
    const cases: [FaultConfig, DeploymentModel, boolean][] = [
      [f({ type: 'control-plane-outage', cluster: 'r' }), MULTI_PRIMARY, true],
      // primary-lost: the primary's cluster goes, and its istiod with it.
      [f({ type: 'cluster-outage', cluster: 'p' }), PRIMARY_REMOTE, true],
      [f({ type: 'cluster-outage', cluster: 'r' }), PRIMARY_REMOTE, false],
      [f({ type: 'cluster-outage', cluster: 'r' }), MULTI_PRIMARY, true],
      [f({ type: 'cluster-outage', cluster: 'p' }), EXTERNAL, false],
      // The API server of a cluster an istiod reads config from; the external one reads its config cluster.
      [f({ type: 'api-server-outage', cluster: 'p' }), PRIMARY_REMOTE, true],
      [f({ type: 'api-server-outage', cluster: 'r' }), PRIMARY_REMOTE, false],
      [f({ type: 'api-server-outage', cluster: 'p' }), EXTERNAL, true],
      // A partition between remotes and their primary, not one between clusters that serve themselves.
      [f({ type: 'network-partition', between: ['eu', 'p'] }), PRIMARY_REMOTE, true],
      [f({ type: 'network-partition', between: ['eu', 'p'] }), MULTI_PRIMARY, false],
      [f({ type: 'network-partition', between: ['eu', 'r'] }), PRIMARY_REMOTE, false],
      // istiod lives in a cluster, not a zone: a zone outage leaves it running.
      [f({ type: 'zone-outage', cluster: 'p', zone: 'p1' }), PRIMARY_REMOTE, false],
      [f({ type: 'ca-outage', cluster: 'p' }), PRIMARY_REMOTE, false],
      [f({ type: 'scale', service: 'api', cluster: 'p', replicas: 2 }), PRIMARY_REMOTE, false],
    ];
    for (const [fault, m, expected] of cases)
      expect(
        cutsOffControlPlane(fault, m, CLUSTERS),
        `${JSON.stringify(fault)} ${JSON.stringify(m.servedBy)}`,
      ).toBe(expected);
  });

  it('faultKind: scale and a graceful rollout are planned events; pod churn (pods killed) and every other type a fault', () => {
    expect(faultKind('scale')).toBe('event');
    expect(faultKind('rollout')).toBe('event');
    expect(faultKind('pod-churn')).toBe('fault');
    for (const t of ['control-plane-outage', 'cluster-outage', 'config-push', 'pod-failure'] as const)
      expect(faultKind(t)).toBe('fault');
  });
});
