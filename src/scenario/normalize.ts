/**
 * `ScenarioInput` (as written, checked) to `Scenario` (resolved), phase 5 of load.ts: defaults applied,
 * units converted, shorthands expanded (ramps and bursts into rate steps, config pushes into each
 * cluster's whole config). Runs only on input that passed the schema and the checks.
 *
 * Contents: `normalize`, `distribution`.
 */
import type { Distribution } from '../des/index.js';
import {
  pilotConcurrencyDefault,
  type CallConfig,
  type MeshConfig,
  type ServiceConfig,
} from '../mesh/index.js';
import { empiricalKnots } from './check-distributions.js';
import { normalizeFault } from './normalize-faults.js';
import { blastRadiusSettings, costSettings, materialSettings } from './normalize-measurement.js';
import { defaultModels, resolveModel } from './normalize-models.js';
import { normalizeRouting } from './normalize-routing.js';
import { normalizeThresholds } from './normalize-thresholds.js';
import { normalizeTraffic } from './normalize-traffic.js';
import { HostResolver } from './istio/host-resolver.js';
import { ingressViews, routedEntry } from './istio/ingress-views.js';
import { resolvePushed, routingTimelineByCluster } from './routing-timeline.js';
import type { ResolvedRoutingInput } from './istio/effective-routing.js';
import type { ExternalServiceInput } from './schema-external.js';
import { Defaults, type Scenario } from './scenario.js';
import type { DistributionInput, ScenarioInput, ServiceInput } from './schema.js';
import { parseDuration, parseFraction } from './units.js';

const ms = (x: number | string): number => parseDuration(x) ?? 0;
const fraction = (x: number | string): number => parseFraction(x) ?? 0;

export function distribution(d: DistributionInput): Distribution {
  if (typeof d !== 'object') return { dist: 'constant', value: ms(d) };
  switch (d.dist) {
    case 'constant':
      return { dist: 'constant', value: ms(d.value) };
    case 'exponential':
      return { dist: 'exponential', mean: ms(d.mean) };
    case 'lognormal':
      return { dist: 'lognormal', median: ms(d.median), p99: ms(d.p99) };
    case 'normal':
      return { dist: 'normal', mean: ms(d.mean), stddev: ms(d.stddev) };
    case 'uniform':
      return { dist: 'uniform', min: ms(d.min), max: ms(d.max) };
    case 'pareto':
      return { dist: 'pareto', scale: ms(d.scale), shape: d.shape };
    case 'empirical':
      return { dist: 'empirical', percentiles: empiricalKnots(d.percentiles) };
  }
}

function calls(steps: ServiceInput['calls']): CallConfig[][] {
  return (steps ?? []).map((step) =>
    (Array.isArray(step) ? step : [step]).map((c): CallConfig => ({
      service: c.service,
      probability: fraction(c.probability ?? 1),
      onError:
        c.onError === undefined ? 'fail' : typeof c.onError === 'string' ? c.onError : c.onError.respond,
      app:
        c.timeout === undefined && c.retries === undefined
          ? undefined
          : {
              timeoutMs: c.timeout === undefined ? 0 : ms(c.timeout),
              retries: c.retries?.attempts ?? 0,
              backoffMs: ms(c.retries?.backoff ?? 0),
            },
    })),
  );
}

function service(s: ServiceInput): ServiceConfig {
  return {
    name: s.name,
    deployments: s.deployments.map((d) => {
      const v = d.labels?.['version'] === undefined ? undefined : s.versions?.[d.labels['version']];
      return {
        cluster: d.cluster,
        zone: d.zone,
        replicas: d.replicas ?? 1,
        labels: d.labels ?? {},
        behaviour:
          v === undefined
            ? undefined
            : {
                serviceTime: v.serviceTime === undefined ? undefined : distribution(v.serviceTime),
                errorRate: v.errorRate === undefined ? undefined : fraction(v.errorRate),
                calls: v.calls === undefined ? undefined : calls(v.calls),
              },
      };
    }),
    concurrency: s.concurrency ?? Defaults.concurrency,
    queueLimit: s.queueLimit ?? Infinity,
    blocking: s.blocking ?? true,
    serviceTime: distribution(s.serviceTime),
    errorRate: fraction(s.errorRate ?? 0),
    calls: calls(s.calls),
  };
}

/** A ServiceEntry host as the mesh runs it: no deployments, its own latency, service time and errors. */
function externalService(e: ExternalServiceInput): ServiceConfig {
  return {
    name: e.host,
    deployments: [],
    concurrency: 1,
    queueLimit: Infinity,
    blocking: false,
    serviceTime: e.serviceTime === undefined ? { dist: 'constant', value: 0 } : distribution(e.serviceTime),
    errorRate: fraction(e.errorRate ?? 0),
    calls: [],
    external: {
      latency: distribution(e.latency),
      latencyFrom: Object.entries(e.latencyFrom ?? {}).map(([region, d]) => ({
        region,
        latency: distribution(d),
      })),
      errorStatus: e.errorStatus ?? 503,
    },
  };
}

/** `routing`: every cluster's routing before any push, as istiod resolves it (istio/effective-routing.ts). */
export function normalize(
  input: ScenarioInput,
  file: string,
  routing?: ResolvedRoutingInput,
  /** Clusters that start with routing of their own (`--istio-config CLUSTER=PATH`), by name. */
  clusterRouting?: Readonly<Record<string, ResolvedRoutingInput>>,
): Scenario {
  const durationMs = ms(input.duration);
  const pushed = routingTimelineByCluster(input, routing, clusterRouting);
  const resolver = HostResolver.of(input);
  const initialRouting = normalizeRouting(routing ?? input.routing);
  // The Gateway routes each source meets where it enters, as validate checked them (ingress-views.ts).
  const ingressOf = ingressViews(input, routing ?? input.routing, clusterRouting);
  const net = input.network;
  const constant = (value: number): Distribution => ({ dist: 'constant', value });
  const cp = input.mesh?.controlPlane;
  const sidecarLatency: Distribution =
    input.mesh?.sidecar?.latency === undefined
      ? Defaults.sidecarLatency
      : distribution(input.mesh.sidecar.latency);
  const gateway = (
    g: { replicas?: number | undefined; latency?: DistributionInput | undefined } | undefined,
  ) => ({
    replicas: g?.replicas ?? Defaults.gatewayReplicas,
    latency: g?.latency === undefined ? sidecarLatency : distribution(g.latency),
  });
  const mesh: Omit<MeshConfig, 'model'> = {
    clusters: input.clusters.map((c) => ({
      name: c.name,
      region: c.region,
      zones: c.zones ?? [`${c.region}-a`],
      network: c.network ?? Defaults.network,
    })),
    network: {
      sameZone: net?.sameZone === undefined ? constant(Defaults.sameZoneMs) : distribution(net.sameZone),
      crossZone: net?.crossZone === undefined ? constant(Defaults.crossZoneMs) : distribution(net.crossZone),
      crossRegion:
        net?.crossRegion === undefined ? constant(Defaults.crossRegionMs) : distribution(net.crossRegion),
      pairs: Object.entries(net?.pairs ?? {}).map(([pair, d]) => {
        const [a, b] = pair.split('<->').map((x) => x.trim());
        return { a: a ?? '', b: b ?? '', latency: distribution(d) };
      }),
      jitter: fraction(net?.jitter ?? 0),
    },
    sidecar: { latency: sidecarLatency },
    // External hosts after the services, so the services' indices (and streams) are as without them.
    services: [...input.services.map(service), ...(input.externalServices ?? []).map(externalService)],
    traffic: input.traffic.map((t) =>
      normalizeTraffic(t, durationMs, distribution, (x) => routedEntry(ingressOf(x))),
    ),
    controlPlane: {
      debounceAfterMs: cp?.debounceAfter === undefined ? Defaults.debounceAfterMs : ms(cp.debounceAfter),
      debounceMaxMs: cp?.debounceMax === undefined ? Defaults.debounceMaxMs : ms(cp.debounceMax),
      pushTime: cp?.pushTime === undefined ? Defaults.pushTime : distribution(cp.pushTime),
      pushThrottle: cp?.pushThrottle ?? pilotConcurrencyDefault(cp?.istiodCores ?? Defaults.istiodCores),
      istiodCores: cp?.istiodCores ?? Defaults.istiodCores,
      reconnectInitialMs:
        cp?.reconnectInitial === undefined ? Defaults.reconnectInitialMs : ms(cp.reconnectInitial),
      reconnectMaxMs: cp?.reconnectMax === undefined ? Defaults.reconnectMaxMs : ms(cp.reconnectMax),
      certTtlMs: cp?.certTtl === undefined ? Defaults.certTtlMs : ms(cp.certTtl),
      certRotationFraction:
        cp?.certRotation === undefined ? Defaults.certRotationFraction : fraction(cp.certRotation),
      podStartup: cp?.podStartup === undefined ? Defaults.podStartup : distribution(cp.podStartup),
    },
    gateways: {
      eastWest: gateway(input.mesh?.eastWestGateway),
      ingress: gateway(input.mesh?.ingressGateway),
    },
    routing: initialRouting,
    clusterRouting: Object.fromEntries(
      Object.entries(clusterRouting ?? {}).map(([c, r]) => [c, normalizeRouting(r)]),
    ),
    faults: (input.faults ?? [])
      .map((f, i) => {
        const merged = pushed.get(i);
        return normalizeFault(
          f,
          merged === undefined
            ? undefined
            : new Map([...merged].map(([c, r]) => [c, resolvePushed(r, f, resolver)])),
        );
      })
      .sort((a, b) => a.atMs - b.atMs),
  };
  const slo = input.slo;
  return {
    name: input.name,
    description: input.description ?? '',
    seed: input.seed ?? Defaults.seed,
    durationMs,
    warmupMs: ms(input.warmup ?? Defaults.warmupMs),
    windowMs: ms(input.report?.window ?? Defaults.windowMs),
    mesh,
    models: (input.models ?? defaultModels(mesh.clusters)).map((m) => resolveModel(m, mesh.clusters)),
    slo: {
      availability: slo?.availability === undefined ? undefined : fraction(slo.availability),
      latencyMs: {
        p50: slo?.latency?.p50 === undefined ? undefined : ms(slo.latency.p50),
        p90: slo?.latency?.p90 === undefined ? undefined : ms(slo.latency.p90),
        p99: slo?.latency?.p99 === undefined ? undefined : ms(slo.latency.p99),
        p999: slo?.latency?.p999 === undefined ? undefined : ms(slo.latency.p999),
      },
    },
    replications: input.report?.replications ?? Defaults.replications,
    maxRequests: input.report?.maxRequests ?? Defaults.maxRequests,
    cost: costSettings(input.cost),
    blastRadius: blastRadiusSettings(input.report?.blastRadius),
    thresholds: normalizeThresholds(input.thresholds),
    material: materialSettings(input.report?.material),
    file,
  };
}
