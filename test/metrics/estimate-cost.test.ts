/**
 * The cost model against hand computations. The mesh: cluster p (zones p1, p2) and r (zone r1);
 * api has 3 replicas in p and 2 in r, db 1 in p; clients of one direct traffic source in both.
 * Sidecars: p 3 + 1 replicas + 2 client zones = 6; r 2 + 1 = 3; 9 in all.
 */
import { describe, expect, it } from 'vitest';
import {
  configSources,
  type ClusterConfig,
  type DeploymentModel,
  type GatewaysConfig,
} from '../../src/mesh/index.js';
import {
  DEFAULT_COST_CONSTANTS,
  TrafficMatrix,
  costConstants,
  estimateCost,
  type CostInput,
} from '../../src/metrics/index.js';
import { service, traffic } from '../helpers/mesh-config.js';

const zero = { dist: 'constant', value: 0 } as const;
const CLUSTERS: ClusterConfig[] = [
  { name: 'p', region: 'us', zones: ['p1', 'p2'], network: 'n1' },
  { name: 'r', region: 'us', zones: ['r1'], network: 'n2' },
];
const GATEWAYS: GatewaysConfig = {
  eastWest: { replicas: 2, latency: zero },
  ingress: { replicas: 3, latency: zero },
};

function model(
  controlPlane: DeploymentModel['controlPlane'],
  servedBy: Record<string, string>,
  network: 'single' | 'multi' = 'single',
): DeploymentModel {
  return {
    name: controlPlane,
    controlPlane,
    network,
    servedBy,
    external: controlPlane === 'external' ? { region: 'us' } : undefined,
    configCluster: controlPlane === 'external' ? 'p' : undefined,
  };
}
const PRIMARY_REMOTE = model('primary-remote', { p: 'p', r: 'p' });
const MULTI_PRIMARY = model('multi-primary', { p: 'p', r: 'r' });

function input(m: DeploymentModel, overrides: Partial<CostInput> = {}): CostInput {
  return {
    model: m,
    clusters: CLUSTERS,
    services: [
      service('api', {
        deployments: [
          { cluster: 'p', zone: undefined, replicas: 3, labels: {} },
          { cluster: 'r', zone: undefined, replicas: 2, labels: {} },
        ],
      }),
      service('db', { deployments: [{ cluster: 'p', zone: undefined, replicas: 1, labels: {} }] }),
    ],
    traffic: [
      traffic('api', 100, {
        from: [
          { cluster: 'p', weight: 0.5 },
          { cluster: 'r', weight: 0.5 },
        ],
      }),
    ],
    gateways: GATEWAYS,
    measuredSeconds: 100,
    crossings: { crossZone: 1000, crossRegion: 500, proxyRequests: 200_000 },
    ...overrides,
  };
}

describe('metrics/estimate-cost', () => {
  it('estimateCost(primary-remote) matches the hand computation', () => {
    const c = estimateCost(input(PRIMARY_REMOTE));
    // One istiod serving 6 + 3 sidecars + 2 east-west replicas (p exposes istiod to r) = 11 proxies, 2
    // services: load = max(2/1000, 11/2000) = 0.0055, under the 500m / 2 GiB floor.
    expect(c.istiods).toBe(1);
    expect(c.istiodVcpu).toBe(0.5);
    expect(c.istiodMemoryGb).toBe(2.147484); // 2 GiB = 2^31 bytes
    expect(c.gatewayReplicas).toBe(2);
    // 200 000 sidecar requests over 100 s = 2000/s; 0.20 vCPU per 1000/s.
    expect(c.proxyRps).toBe(2000);
    expect(c.sidecarVcpu).toBe(0.4);
    // 9 sidecars x 60 MB.
    expect(c.sidecars).toBe(9);
    expect(c.sidecarMemoryGb).toBe(0.54);
    // 1000 and 500 calls x (1024 + 1024) bytes.
    expect(c.crossZoneGb).toBe(0.002048);
    expect(c.crossRegionGb).toBe(0.001024);
    // 0.002048 GB x $0.01 x 2 sides + 0.001024 GB x $0.02 = $0.00006144; x 2 592 000 s / 100 s.
    expect(c.networkCost).toBeCloseTo(0.00006144, 12);
    expect(c.networkCostPer30Days).toBe(1.592525);
    expect(c.configPlaces).toBe(1);
    expect(c.measuredSeconds).toBe(100);
    expect(c.method).toContain('max(services/1000, proxies served/2000)');
  });

  it('estimateCost(multi-primary) runs one istiod per cluster, each at the floor, and reads config in two places', () => {
    const c = estimateCost(input(MULTI_PRIMARY));
    expect(c.istiods).toBe(2);
    expect(c.istiodVcpu).toBe(1);
    expect(c.istiodMemoryGb).toBe(4.294967);
    expect(c.gatewayReplicas).toBe(0); // one network, nobody served from afar
    expect(c.configPlaces).toBe(2);
  });

  it('estimateCost(multi-network multi-primary) has an east-west gateway per cluster', () => {
    expect(estimateCost(input(model('multi-primary', { p: 'p', r: 'r' }, 'multi'))).gatewayReplicas).toBe(4);
  });

  it('estimateCost(external) counts the ingress exposing the external istiod and one config place', () => {
    const c = estimateCost(input(model('external', { p: 'external', r: 'external' })));
    expect(c.istiods).toBe(1);
    expect(c.gatewayReplicas).toBe(3);
    expect(c.configPlaces).toBe(1);
  });

  it('estimateCost(..., costConstants(overrides)) scales istiod above the floor and reprices bytes', () => {
    const k = costConstants({
      istiodReferenceProxies: 5,
      requestBytes: 500,
      responseBytes: 1500,
      crossRegionPricePerGb: 0.08,
    });
    expect(k.sidecarMemoryMb).toBe(DEFAULT_COST_CONSTANTS.sidecarMemoryMb);
    const c = estimateCost(input(PRIMARY_REMOTE), k);
    // load = 11 proxies / 5 = 2.2: 2.2 vCPU, 3.3 GB (both above the 0.5 vCPU / 2.147 GB floor).
    expect(c.istiodVcpu).toBe(2.2);
    expect(c.istiodMemoryGb).toBe(3.3);
    expect(c.crossRegionGb).toBe(0.001); // 500 calls x 2000 bytes
    expect(c.networkCost).toBeCloseTo(0.002 * 0.01 * 2 + 0.001 * 0.08, 12);
    expect(c.method).toContain('x 0.08');
  });

  it('estimateCost(ingress traffic) counts ingress replicas in the clusters it enters', () => {
    const c = estimateCost(
      input(MULTI_PRIMARY, {
        traffic: [traffic('api', 100, { via: 'ingress', from: [{ cluster: 'r', weight: 1 }] })],
      }),
    );
    expect(c.gatewayReplicas).toBe(3);
    expect(c.sidecars).toBe(6); // replicas only: ingress clients have no sidecars
  });

  it('configSources(hybrid) has one place per primary', () => {
    expect(configSources(model('hybrid', { a: 'a', b: 'a', c: 'c', d: 'c' }))).toHaveLength(2);
  });

  it('TrafficMatrix.crossings() treats same-named zones of one region as one zone', () => {
    const m = new TrafficMatrix(
      ['a', 'b'],
      [
        { region: 'us', name: 'z1' }, // a/z1
        { region: 'us', name: 'z2' }, // a/z2
        { region: 'us', name: 'z1' }, // b/z1: the same cloud zone as a/z1
        { region: 'eu', name: 'z1' }, // b/z1 of another region
      ],
    );
    m.call(0, 1, 0, 2, true); // same zone, other cluster: free
    m.call(0, 0, 0, 1, true); // cross zone
    m.call(0, 1, 1, 3, false); // cross region, never reached the replica
    m.unroutedCall();
    expect(m.crossings()).toEqual({ crossZone: 1, crossRegion: 1, proxyRequests: 2 + 2 + 1 + 1 });
    expect(m.callMatrix()).toEqual([
      { from: 'a', to: 'a', requests: 1 },
      { from: 'a', to: 'b', requests: 2 },
    ]);
  });

  it('TrafficMatrix.request(client, served) counts a request once in each cluster that served it', () => {
    const m = new TrafficMatrix(['a', 'b', 'c'], []);
    m.request(0, 0b011);
    m.request(2, 0b100);
    expect(m.requestMatrix()).toEqual([
      { from: 'a', to: 'a', requests: 1 },
      { from: 'a', to: 'b', requests: 1 },
      { from: 'c', to: 'c', requests: 1 },
    ]);
  });
});
