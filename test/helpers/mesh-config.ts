/** Builders for small resolved mesh configs, so mesh tests start at the phase they test. */
import type { Distribution } from '../../src/des/index.js';
import type { MeshConfig, ServiceConfig, TrafficConfig } from '../../src/mesh/index.js';

const zero: Distribution = { dist: 'constant', value: 0 };

export function service(name: string, overrides: Partial<ServiceConfig> = {}): ServiceConfig {
  return {
    name,
    deployments: [{ cluster: 'c1', zone: undefined, replicas: 1, labels: {} }],
    concurrency: 1000,
    queueLimit: Infinity,
    blocking: true,
    serviceTime: zero,
    errorRate: 0,
    calls: [],
    ...overrides,
  };
}

export function traffic(
  entry: string,
  ratePerSecond: number,
  overrides: Partial<TrafficConfig> = {},
): TrafficConfig {
  return {
    name: 't',
    entry,
    from: [{ cluster: 'c1', weight: 1 }],
    ratePerMs: ratePerSecond / 1000,
    arrival: 'poisson',
    steps: [],
    ...overrides,
  };
}

export function meshConfig(
  services: ServiceConfig[],
  traffics: TrafficConfig[],
  overrides: Partial<MeshConfig> = {},
): MeshConfig {
  return {
    clusters: [
      { name: 'c1', region: 'r1', zones: ['z1', 'z2'], network: 'n1' },
      { name: 'c2', region: 'r2', zones: ['z3'], network: 'n1' },
    ],
    network: { sameZone: zero, crossZone: zero, crossRegion: zero, pairs: [], jitter: 0 },
    sidecar: { latency: zero },
    services,
    traffic: traffics,
    ...overrides,
  };
}
