/**
 * A resolved scenario onto an engine: the live mesh (vega-lite's "build model" phase).
 */
import type { Engine, RngStreams } from '../des/index.js';
import { Mesh, type MeshObserver } from '../mesh/index.js';
import type { Scenario } from './scenario.js';

export function buildMesh(
  scenario: Scenario,
  engine: Engine,
  streams: RngStreams,
  observer: MeshObserver,
): Mesh {
  return new Mesh(engine, streams, scenario.mesh, observer);
}
