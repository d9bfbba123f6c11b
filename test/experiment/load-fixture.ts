/** Loads a scenario under test/fixtures/experiment/ (paths relative to the repo root, as vitest runs). */
import { loadScenarioFile, type Scenario } from '../../src/scenario/index.js';

export const EXPERIMENT_FIXTURES = 'test/fixtures/experiment';

export async function loadFixture(name: string): Promise<Scenario> {
  const loaded = await loadScenarioFile(`${EXPERIMENT_FIXTURES}/${name}`);
  if (!loaded.ok) throw new Error(`${name} does not load: ${JSON.stringify(loaded.issues, null, 2)}`);
  return loaded.scenario;
}
