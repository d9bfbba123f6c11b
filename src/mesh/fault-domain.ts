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
 * - config-push: the clusters the config was applied in (one rollout may name several); proxies elsewhere
 *   that received it (their istiod reads one of those clusters' config) are collateral.
 *
 * Recovery counts from the start for faults the mesh is meant to route around while they last (lost pods,
 * zones, clusters, gateways: endpoints leave the views, retries and failover pick other hosts), and for any
 * fault that lasts until the end of the run (there is no end to count from); from the end for the others
 * (control plane, CA, API server, partitions, injections, config), whose effects the mesh cannot undo
 * until the fault is gone.
 *
 * Contents: `FaultDomain`, `ROUTED_AROUND`, `faultDomain`, `cutsOffControlPlane`.
 */
import {
  EXTERNAL_CONTROL_PLANE,
  clustersOf,
  istiodsOf,
  servingIstiod,
  type DeploymentModel,
} from './deployment-model.js';
import type { FaultConfig, FaultType } from './fault.js';
import type { ClusterConfig, ServiceConfig } from './mesh-config.js';

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
      const server = servingIstiod(model, fault.cluster);
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
    case 'config-push':
      // One rollout to several clusters is one fault: every target cluster is inside it.
      inside = [fault.cluster, ...fault.alsoTo.map((t) => t.cluster)].flatMap(index).sort((a, b) => a - b);
      break;
    default:
      inside = index(fault.cluster);
  }
  return {
    clusters: inside,
    recoveryFrom: ROUTED_AROUND.has(fault.type) || fault.forMs === Infinity ? 'start' : 'end',
  };
}

/**
 * Whether `fault` removes a control plane under `model`, or cuts proxies off from the istiod that serves
 * them: what the single-point-of-failure figure is measured over.
 * - control-plane-outage: always (it stops the istiod serving the named cluster);
 * - cluster-outage of a cluster that hosts an istiod (the mesh stops every istiod in a lost cluster);
 * - api-server-outage of a cluster an istiod reads config from (its own cluster; the external one's config
 *   cluster): the istiod runs but serves a frozen view;
 * - network-partition with a cluster on one side served by an istiod on the other (a remote and its
 *   primary; for the external control plane, its region).
 * A zone-outage does not: the mesh places an istiod in a cluster, not a zone, so a zone outage leaves it
 * running. CA outages stop signing, not xDS, and are left out too.
 */
export function cutsOffControlPlane(
  fault: FaultConfig,
  model: DeploymentModel,
  clusters: readonly ClusterConfig[],
): boolean {
  const servers = new Set(istiodsOf(model));
  switch (fault.type) {
    case 'control-plane-outage':
      return true;
    case 'cluster-outage':
      return servers.has(fault.cluster);
    case 'api-server-outage':
      return [...servers].some((s) =>
        s === EXTERNAL_CONTROL_PLANE ? model.configCluster === fault.cluster : s === fault.cluster,
      );
    case 'network-partition': {
      const regionOf = new Map(clusters.map((c) => [c.name, c.region]));
      const side = (cluster: string, region: string | undefined): 0 | 1 | -1 => {
        const [a, b] = fault.between;
        if (a === cluster || a === region) return 0;
        if (b === cluster || b === region) return 1;
        return -1;
      };
      return clustersOf(model).some((client) => {
        const server = servingIstiod(model, client);
        const mine = side(client, regionOf.get(client));
        if (mine < 0) return false;
        const theirs =
          server === EXTERNAL_CONTROL_PLANE
            ? side('', model.external?.region)
            : side(server, regionOf.get(server));
        return theirs >= 0 && theirs !== mine;
      });
    }
    default:
      return false;
  }
}
