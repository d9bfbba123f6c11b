/**
 * Where a fault lives, for blast radius: the clusters whose clients are "inside" it (their pain is expected;
 * everyone else's is collateral), and whether recovery counts from the fault's start or its end.
 *
 * The failed domain, per fault type:
 * - cluster-outage, api-server-outage, gateway-outage, zone-outage: the named cluster (the zone's cluster);
 * - control-plane-outage, ca-outage: the cluster that hosts the failed istiod under the model, i.e. the one
 *   serving the named cluster (a primary-remote outage named by a remote is the primary's). Clients of the
 *   clusters it serves from afar (remotes) are collateral: that is the isolation the model gives up. The
 *   external control plane hosts no clients, so all of its impact is collateral;
 * - pod-failure, pod-churn, scale: the cluster of the pods;
 * - latency-injection, error-injection: the named cluster, else every cluster the service runs in;
 * - network-partition: every cluster on either side (named, or in a named region); clients elsewhere are
 *   collateral;
 * - config-push: the cluster the config was applied in; proxies elsewhere that received it (their istiod
 *   reads that cluster's config) are collateral.
 *
 * Recovery counts from the start for faults the mesh is meant to route around while they last (lost pods,
 * zones, clusters, gateways: endpoints leave the views, retries and failover pick other hosts), and for any
 * fault that lasts until the end of the run (there is no end to count from); from the end for the others
 * (control plane, CA, API server, partitions, injections, config), whose effects the mesh cannot undo
 * until the fault is gone.
 */
import {
  EXTERNAL_CONTROL_PLANE,
  type ClusterConfig,
  type DeploymentModel,
  type FaultConfig,
  type FaultType,
  type ServiceConfig,
} from '../mesh/index.js';

/** A fault's failed domain and where its recovery is counted from. */
export interface FaultDomain {
  /** Indices of the clusters inside the failed domain, ascending. */
  readonly clusters: readonly number[];
  readonly recoveryFrom: 'start' | 'end';
}

/** Fault types the mesh is meant to route around while they last. */
export const ROUTED_AROUND: ReadonlySet<FaultType> = new Set<FaultType>([
  'pod-failure',
  'pod-churn',
  'rollout',
  'scale',
  'zone-outage',
  'cluster-outage',
  'gateway-outage',
]);

/** The failed domain of `fault` under `model` (see the module comment for the definition per type). */
export function faultDomain(
  fault: FaultConfig,
  model: DeploymentModel,
  clusters: readonly ClusterConfig[],
  services: readonly ServiceConfig[],
): FaultDomain {
  const index = (name: string): number[] => {
    const i = clusters.findIndex((c) => c.name === name);
    return i < 0 ? [] : [i];
  };
  let inside: number[];
  switch (fault.type) {
    case 'control-plane-outage':
    case 'ca-outage': {
      const server = model.servedBy[fault.cluster] ?? fault.cluster;
      inside = server === EXTERNAL_CONTROL_PLANE ? [] : index(server);
      break;
    }
    case 'network-partition': {
      const [a, b] = fault.between;
      inside = clusters.flatMap((c, i) => ([a, b].some((x) => x === c.name || x === c.region) ? [i] : []));
      break;
    }
    case 'latency-injection':
    case 'error-injection': {
      if (fault.cluster !== undefined) inside = index(fault.cluster);
      else {
        const hosts = new Set(
          services.find((s) => s.name === fault.service)?.deployments.map((d) => d.cluster) ?? [],
        );
        inside = clusters.flatMap((c, i) => (hosts.has(c.name) ? [i] : []));
      }
      break;
    }
    default:
      inside = index(fault.cluster);
  }
  return {
    clusters: inside,
    recoveryFrom: ROUTED_AROUND.has(fault.type) || fault.forMs === Infinity ? 'start' : 'end',
  };
}
