/**
 * `--istio-config CLUSTER=PATH` puts resources in one cluster's API server. Which proxies see them depends
 * on the deployment model, as the mesh models config sources (mesh/control-plane.ts): an istiod reads
 * routing config from its own cluster (a primary), the external istiod from its config cluster; a remote
 * cluster's proxies get what their primary's istiod reads. So resources applied to a remote's API server
 * reach no proxy under that model: said per model, not dropped in silence.
 *
 * Contents: `unreadClusterConfig`, `configClusters`.
 */
import { EXTERNAL_CONTROL_PLANE, type DeploymentModel } from '../../mesh/index.js';
import type { ScenarioIssue } from '../issue.js';
import type { Scenario } from '../scenario.js';

/** The clusters whose API server some istiod reads routing config from, under `model`. */
export function configClusters(model: DeploymentModel): Set<string> {
  const out = new Set<string>();
  for (const server of Object.values(model.servedBy))
    if (server === EXTERNAL_CONTROL_PLANE) {
      if (model.configCluster !== undefined) out.add(model.configCluster);
    } else out.add(server);
  return out;
}

/** A warning per (cluster given its own config, model under which no istiod reads that cluster). */
export function unreadClusterConfig(scenario: Scenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  for (const cluster of Object.keys(scenario.mesh.clusterRouting))
    for (const model of scenario.models) {
      if (configClusters(model).has(cluster)) continue;
      const by = model.servedBy[cluster];
      issues.push({
        file: '--istio-config',
        line: 0,
        column: 0,
        path: [],
        code: 'not-modelled',
        severity: 'warning',
        message: `${cluster}=...: under model ${model.name} no istiod reads ${cluster}'s API server (${by === EXTERNAL_CONTROL_PLANE ? `the external control plane reads ${model.configCluster ?? 'its config cluster'}` : `it is served by ${by ?? 'another cluster'}'s istiod, which reads its own`}): these resources reach no proxy there`,
      });
    }
  return issues;
}
