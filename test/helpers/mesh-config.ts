/** Builders for small resolved mesh configs, so mesh tests start at the phase they test. */
import type { Distribution } from '../../src/des/index.js';
import type {
  CallConfig,
  ControlPlaneConfig,
  DeploymentModel,
  MeshConfig,
  ServiceConfig,
  TrafficConfig,
} from '../../src/mesh/index.js';

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

/**
 * A call the application makes `probability` of the time, with no timeout or retries of its own, failing
 * its request when it fails (the scenario's default).
 */
export function call(name: string, probability = 1): CallConfig {
  return { service: name, probability, onError: 'fail', app: undefined };
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
    via: 'direct',
    headers: {},
    uri: '/',
    timeoutMs: 60_000,
    ...overrides,
  };
}

/** One istiod per cluster, flat network: the simplest wiring (multi-primary, single network). */
export const MULTI_PRIMARY: DeploymentModel = {
  name: 'multi-primary',
  controlPlane: 'multi-primary',
  network: 'single',
  servedBy: { c1: 'c1', c2: 'c2' },
  external: undefined,
  configCluster: undefined,
};

/** Istio's defaults, with constant push and start-up times so that traces are exact. */
export const CONTROL_PLANE: ControlPlaneConfig = {
  debounceAfterMs: 100,
  debounceMaxMs: 10_000,
  pushTime: { dist: 'constant', value: 10 },
  pushThrottle: 25,
  istiodCores: 2,
  reconnectInitialMs: 500,
  reconnectMaxMs: 30_000,
  certTtlMs: 24 * 3600_000,
  certRotationFraction: 0.5,
  podStartup: { dist: 'constant', value: 5000 },
};

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
    model: MULTI_PRIMARY,
    controlPlane: CONTROL_PLANE,
    gateways: { eastWest: { replicas: 2, latency: zero }, ingress: { replicas: 2, latency: zero } },
    routing: { virtualServices: [], destinationRules: [] },
    clusterRouting: {},
    faults: [],
    ...overrides,
  };
}
