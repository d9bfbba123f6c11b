/**
 * A resolved scenario onto an engine: the live mesh (vega-lite's "build model" phase).
 */
import type { Engine, RngStreams } from '../des/index.js';
import { Mesh, type DeploymentModel, type MeshObserver } from '../mesh/index.js';
import type { Scenario } from './scenario.js';

/** Builds the mesh of `scenario` under `model`, optionally leaving out some faults (for paired baselines). */
export function buildMesh(
  scenario: Scenario,
  model: DeploymentModel,
  engine: Engine,
  streams: RngStreams,
  observer: MeshObserver,
  faultFilter: (index: number) => boolean = () => true,
): Mesh {
  const faults = scenario.mesh.faults.filter((_, i) => faultFilter(i));
  return new Mesh(engine, streams, { ...scenario.mesh, faults, model }, observer);
}

/** The model named `name`, or the scenario's first. */
export function pickModel(scenario: Scenario, name: string | undefined): DeploymentModel | undefined {
  if (name === undefined) return scenario.models[0];
  return scenario.models.find((m) => m.name === name);
}
