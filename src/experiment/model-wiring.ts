/**
 * What a deployment model's wiring says without any simulation: how many istiods it runs, and the
 * clusters a routing rule must be applied in for every proxy to see it (each istiod reads routing config
 * from its own cluster; the external one from its config cluster, scenario-format.md). Used to name the
 * places in verdict sentences and `meshsim models`, and for the istiod count when a run reports no cost.
 *
 * The count of places is `configPlaces` in metrics/ (what runs report as `cost.configPlaces`); this lists
 * them. Both read `DeploymentModel.servedBy`; the natural home of the list is mesh/, next to
 * `DeploymentModel`, with `configPlaces` its length.
 *
 * Contents: `modelWiring`, `ModelWiring`.
 */
import { EXTERNAL_CONTROL_PLANE, type DeploymentModel } from '../mesh/index.js';

export interface ModelWiring {
  /** istiods the model runs: one per distinct server in `servedBy`. */
  readonly istiods: number;
  /**
   * The clusters a rule must be applied in, sorted: multi-primary every cluster; primary-remote the
   * primary; hybrid each primary; external its config cluster.
   */
  readonly configSources: readonly string[];
}

/** The wiring facts of `model`. */
export function modelWiring(model: DeploymentModel): ModelWiring {
  const servers = new Set<string>();
  const sources = new Set<string>();
  for (const server of Object.values(model.servedBy)) {
    servers.add(server);
    // An external istiod without a config cluster still reads its config from one place.
    sources.add(server === EXTERNAL_CONTROL_PLANE ? (model.configCluster ?? EXTERNAL_CONTROL_PLANE) : server);
  }
  return {
    istiods: servers.size,
    configSources: [...sources].sort(),
  };
}
