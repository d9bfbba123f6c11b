/**
 * The deployment model: which istiod serves each cluster's proxies, how many istiods that makes, and where
 * each reads its routing config. The one place that knows it: the control plane builds its istiods from
 * it, metrics prices it, experiment words it; none of them reads `servedBy` itself. Every question here is
 * total over the model's clusters: a cluster the model does not list, or an external control plane without
 * a config cluster, is a programmer's error and throws (normalization lists every cluster).
 *
 * Contents: `ControlPlaneModel`, `NetworkModel`, `EXTERNAL_CONTROL_PLANE`, `DeploymentModel`;
 * `clustersOf`, `servingIstiod`, `istiodsOf`, `istiodCount`, `externalRegion`, `clustersServedBy`, `configSourceOf`, `configSources`.
 */

/** Istio's control-plane deployment models (istio-behaviour.md 1.1). */
export const ControlPlaneModel = {
  'multi-primary': 'multi-primary',
  'primary-remote': 'primary-remote',
  hybrid: 'hybrid',
  external: 'external',
} as const;
export type ControlPlaneModel = keyof typeof ControlPlaneModel;
export function isControlPlaneModel(x: unknown): x is ControlPlaneModel {
  return typeof x === 'string' && Object.hasOwn(ControlPlaneModel, x);
}

export const NetworkModel = { single: 'single', multi: 'multi' } as const;
export type NetworkModel = keyof typeof NetworkModel;

/** Name of the control plane that runs outside the mesh in the external model. */
export const EXTERNAL_CONTROL_PLANE = 'external';

/**
 * One deployment model as a wiring of the topology: which istiod serves each cluster's proxies. Every
 * istiod watches every cluster's API server for endpoints (remote secrets everywhere, as the install
 * guides do) and reads routing config from its own cluster (the external one: from the config cluster).
 */
export interface DeploymentModel {
  readonly name: string;
  readonly controlPlane: ControlPlaneModel;
  readonly network: NetworkModel;
  /** Cluster name -> the cluster whose istiod serves it, or EXTERNAL_CONTROL_PLANE. */
  readonly servedBy: Readonly<Record<string, string>>;
  /** Where the external control plane runs (external model only). */
  readonly external: { readonly region: string } | undefined;
  /** The cluster the external istiod reads config from (the first remote, as in Istio's guide). */
  readonly configCluster: string | undefined;
}

/** The clusters the model wires, in the scenario's order. */
export function clustersOf(model: DeploymentModel): readonly string[] {
  return Object.keys(model.servedBy);
}

/** The istiod serving `cluster`'s proxies, webhook and CA: a cluster name, or EXTERNAL_CONTROL_PLANE. */
export function servingIstiod(model: DeploymentModel, cluster: string): string {
  const server = model.servedBy[cluster];
  if (server === undefined)
    throw new Error(`deployment model ${model.name}: cluster ${cluster} has no serving istiod`);
  return server;
}

/** The model's istiods, each once, in the order of the clusters they first serve. */
export function istiodsOf(model: DeploymentModel): readonly string[] {
  return [...new Set(Object.values(model.servedBy))];
}

/** How many istiods the model runs: one per distinct server. */
export function istiodCount(model: DeploymentModel): number {
  return istiodsOf(model).length;
}

/** The region the external control plane runs in; throws for a model without one. */
export function externalRegion(model: DeploymentModel): string {
  if (model.external === undefined)
    throw new Error(`deployment model ${model.name}: no external control plane`);
  return model.external.region;
}

/** The clusters whose proxies `server` serves, in the model's order. */
export function clustersServedBy(model: DeploymentModel, server: string): readonly string[] {
  return clustersOf(model).filter((c) => model.servedBy[c] === server);
}

/**
 * The cluster istiod `server` reads routing config from: its own; for the external control plane, the
 * model's config cluster (scenario-format.md, model semantics).
 */
export function configSourceOf(model: DeploymentModel, server: string): string {
  if (server !== EXTERNAL_CONTROL_PLANE) return server;
  if (model.configCluster === undefined)
    throw new Error(`deployment model ${model.name}: an external control plane needs a config cluster`);
  return model.configCluster;
}

/**
 * The clusters a routing rule must be applied in for every proxy to see it, sorted: multi-primary every
 * cluster; primary-remote the primary; hybrid each primary; external its config cluster. Its length is
 * what runs report as `cost.configPlaces`.
 */
export function configSources(model: DeploymentModel): readonly string[] {
  return [...new Set(istiodsOf(model).map((s) => configSourceOf(model, s)))].sort();
}
