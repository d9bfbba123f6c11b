import { describe, expect, it } from 'vitest';
import { modelWiring } from '../../src/experiment/index.js';
import type { DeploymentModel } from '../../src/mesh/index.js';
import { configPlaces } from '../../src/metrics/index.js';

const model = (
  controlPlane: DeploymentModel['controlPlane'],
  servedBy: Record<string, string>,
  configCluster?: string,
): DeploymentModel => ({
  name: controlPlane,
  controlPlane,
  network: 'single',
  servedBy,
  external: controlPlane === 'external' ? { region: 'r1' } : undefined,
  configCluster,
});

const cases: [string, DeploymentModel, number, string[]][] = [
  ['multi-primary over 3 clusters', model('multi-primary', { a: 'a', b: 'b', c: 'c' }), 3, ['a', 'b', 'c']],
  ['primary-remote with primary b', model('primary-remote', { a: 'b', b: 'b', c: 'b' }), 1, ['b']],
  ['hybrid with primaries a and c', model('hybrid', { a: 'a', b: 'a', c: 'c' }), 2, ['a', 'c']],
  ['external with config cluster a', model('external', { a: 'external', b: 'external' }, 'a'), 1, ['a']],
];

describe('experiment/model-wiring', () => {
  for (const [what, m, istiods, places] of cases) {
    it(`modelWiring(${what}) runs ${istiods} istiod(s) and takes rules in ${places.join(', ')}`, () => {
      expect(modelWiring(m)).toEqual({ istiods, configSources: places });
      // The list agrees with the count runs report as cost.configPlaces.
      expect(configPlaces(m)).toBe(places.length);
    });
  }
});
