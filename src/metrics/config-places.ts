/**
 * Config consistency risk as a number: the places a routing rule must be applied in for every proxy of
 * the mesh to see it. Each istiod reads routing config from one cluster: its own, or for the external
 * control plane its config cluster (scenario-format.md, model semantics).
 */
import { EXTERNAL_CONTROL_PLANE, type DeploymentModel } from '../mesh/index.js';

/** The clusters a routing rule must be applied in for every proxy to see it, one per config source. */
export function configPlaces(model: DeploymentModel): number {
  const sources = new Set<string>();
  for (const server of Object.values(model.servedBy)) {
    sources.add(server === EXTERNAL_CONTROL_PLANE ? (model.configCluster ?? EXTERNAL_CONTROL_PLANE) : server);
  }
  return sources.size;
}
