/**
 * What a deployment model costs to run: istiods and their resources, sidecars, gateways, and the traffic
 * that crosses zones and regions, priced. Structural figures come from the scenario and the model; traffic
 * figures from what the run measured after warm-up. Every constant is in `CostConstants`, with its source.
 *
 * Formulas (also written into `CostSummary.method`):
 * - istiods: one per distinct server of the deployment model (mesh/deployment-model.ts). Each watches every cluster's API server,
 *   so it holds every service; it serves the proxies (sidecars and gateway replicas) of the clusters it
 *   serves. load = max(services / 1000, proxies / 2000), the larger of the two against Istio's published
 *   point; vCPU = max(0.5, 1 x load), memory = max(2 GiB, 1.5 GB x load). Both scale with the larger
 *   dimension because the one published point does not separate them; AKS's published 25 000-sidecar
 *   figures (about 0.6 vCPU and 1.3 GB per 1000 sidecars) are of the same order;
 * - sidecars: every replica's, plus one per direct traffic source and zone of its clusters (the client
 *   workloads the simulation places); memory = sidecars x 60 MB; vCPU = 0.20 x (requests per second
 *   through sidecars) / 1000, where each call counts at its caller's sidecar and, when it reached a
 *   replica, at the replica's (gateway hops are not counted);
 * - gateway replicas: an east-west gateway in every cluster with a multi-network model, else in each
 *   cluster whose istiod serves other clusters (it exposes istiod to them); an ingress gateway in every
 *   cluster that ingress traffic enters, and one for an external control plane (how remotes reach it);
 * - bytes: each call's final attempt carries one request and one response between the caller's zone and
 *   the replica's zone (retries' earlier attempts and gateway detours are not counted); two clusters' zones
 *   with the same name in one region are the same zone; GB = 10^9 bytes;
 * - network cost = cross-zone GB x price x 2 (billed on each side) + cross-region GB x price;
 * - config places: the distinct clusters the model's istiods read routing config from.
 */
import {
  EXTERNAL_CONTROL_PLANE,
  clustersServedBy,
  configSources,
  istiodsOf,
  servingIstiod,
  type ClusterConfig,
  type GatewaysConfig,
  type DeploymentModel,
  type ServiceConfig,
  type TrafficConfig,
} from '../mesh/index.js';
import { DEFAULT_COST_CONSTANTS, type CostConstants } from './cost-constants.js';
import type { CostSummary } from './run-summary.js';
import { round } from './tally.js';
import type { CrossingCounts } from './traffic-matrix.js';

/** What the cost model reads: the scenario's structure under one model, and the run's measured traffic. */
export interface CostInput {
  readonly model: DeploymentModel;
  readonly clusters: readonly ClusterConfig[];
  readonly services: readonly ServiceConfig[];
  readonly traffic: readonly TrafficConfig[];
  readonly gateways: GatewaysConfig;
  /** Simulated seconds the crossings were counted over. */
  readonly measuredSeconds: number;
  readonly crossings: CrossingCounts;
}

const SECONDS_PER_30_DAYS = 30 * 86_400;

/** The cost of `input.model` under `constants` (see the module comment for every formula). */
export function estimateCost(
  input: CostInput,
  constants: CostConstants = DEFAULT_COST_CONSTANTS,
): CostSummary {
  const k = constants;
  const { model, clusters } = input;
  const sidecars = clusters.map((c) => sidecarsIn(c, input.services, input.traffic));
  const gateways = clusters.map((c) => gatewayReplicasIn(c, input));
  const external = istiodsOf(model).includes(EXTERNAL_CONTROL_PLANE) ? input.gateways.ingress.replicas : 0;

  const servers = [...new Set(clusters.map((c) => servingIstiod(model, c.name)))];
  let istiodVcpu = 0;
  let istiodMemoryGb = 0;
  for (const server of servers) {
    let proxies = 0;
    clusters.forEach((c, i) => {
      if (servingIstiod(model, c.name) === server)
        proxies += (sidecars[i] as number) + (gateways[i] as number);
    });
    const load = Math.max(
      input.services.length / k.istiodReferenceServices,
      proxies / k.istiodReferenceProxies,
    );
    istiodVcpu += Math.max(k.istiodMinVcpu, k.istiodVcpuAtReference * load);
    istiodMemoryGb += Math.max(k.istiodMinMemoryGb, k.istiodMemoryGbAtReference * load);
  }

  const totalSidecars = sum(sidecars);
  const seconds = input.measuredSeconds;
  const proxyRps = seconds > 0 ? input.crossings.proxyRequests / seconds : 0;
  const bytesPerCall = k.requestBytes + k.responseBytes;
  const crossZoneGb = (input.crossings.crossZone * bytesPerCall) / 1e9;
  const crossRegionGb = (input.crossings.crossRegion * bytesPerCall) / 1e9;
  const networkCost =
    crossZoneGb * k.crossZonePricePerGbEachSide * 2 + crossRegionGb * k.crossRegionPricePerGb;

  return {
    istiods: servers.length,
    istiodVcpu: round(istiodVcpu, 6),
    istiodMemoryGb: round(istiodMemoryGb, 6),
    sidecarVcpu: round((k.sidecarVcpuPer1000Rps * proxyRps) / 1000, 6),
    sidecarMemoryGb: round((totalSidecars * k.sidecarMemoryMb) / 1000, 6),
    gatewayReplicas: sum(gateways) + external,
    crossZoneGb: round(crossZoneGb, 9),
    crossRegionGb: round(crossRegionGb, 9),
    networkCost: round(networkCost, 9),
    configPlaces: configSources(model).length,
    method: costMethod(k),
    measuredSeconds: round(seconds, 3),
    networkCostPer30Days: seconds > 0 ? round((networkCost * SECONDS_PER_30_DAYS) / seconds, 6) : 0,
    sidecars: totalSidecars,
    proxyRps: round(proxyRps, 3),
  };
}

function sidecarsIn(
  cluster: ClusterConfig,
  services: readonly ServiceConfig[],
  traffic: readonly TrafficConfig[],
): number {
  let n = 0;
  for (const s of services) for (const d of s.deployments) if (d.cluster === cluster.name) n += d.replicas;
  for (const t of traffic) {
    if (t.via === 'direct' && t.from.some((f) => f.cluster === cluster.name && f.weight > 0))
      n += cluster.zones.length;
  }
  return n;
}

function gatewayReplicasIn(cluster: ClusterConfig, input: CostInput): number {
  const { model } = input;
  const servesOthers = clustersServedBy(model, cluster.name).some((c) => c !== cluster.name);
  const eastWest = model.network === 'multi' || servesOthers ? input.gateways.eastWest.replicas : 0;
  const ingressUsed = input.traffic.some(
    (t) => t.via === 'ingress' && t.from.some((f) => f.cluster === cluster.name && f.weight > 0),
  );
  return eastWest + (ingressUsed ? input.gateways.ingress.replicas : 0);
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/** The formulas and their sources, in words, with the constants in force. */
export function costMethod(k: CostConstants): string {
  const mem = round(k.istiodMinMemoryGb, 3);
  return [
    `istiod: load = max(services/${k.istiodReferenceServices}, proxies served/${k.istiodReferenceProxies}); vCPU = max(${k.istiodMinVcpu}, ${k.istiodVcpuAtReference} x load), memory GB = max(${mem}, ${k.istiodMemoryGbAtReference} x load) per istiod (Istio performance page: 1 vCPU, 1.5 GB at 1000 services / 2000 sidecars; minimum = istiod's default request 500m / 2 GiB).`,
    `Sidecars: ${k.sidecarVcpuPer1000Rps} vCPU per 1000 requests/s through them (each call at the caller's and the replica's sidecar) and ${k.sidecarMemoryMb} MB each (Istio 1.24 figures).`,
    'Gateways: east-west in every cluster of a multi-network model or hosting an istiod for other clusters; ingress where ingress traffic enters; one ingress for an external control plane.',
    `Bytes: ${k.requestBytes} B request + ${k.responseBytes} B response per call between caller and replica zones (Istio's 1 KB load-test payload; retries and gateway detours not counted).`,
    `Network cost: cross-zone GB x ${k.crossZonePricePerGbEachSide} x 2 sides + cross-region GB x ${k.crossRegionPricePerGb} (AWS EC2 list prices in USD; override for your cloud and discounts).`,
    'Config places: distinct clusters the istiods read routing config from.',
  ].join(' ');
}
