import { describe, expect, it } from 'vitest';
import { configSources, istiodCount, servingIstiod, type DeploymentModel } from '../../src/mesh/index.js';

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

describe('mesh/deployment-model', () => {
  for (const [what, m, istiods, places] of cases) {
    it(`istiodCount and configSources(${what}): ${istiods} istiod(s), rules in ${places.join(', ')}`, () => {
      expect(istiodCount(m)).toBe(istiods);
      expect(configSources(m)).toEqual(places);
    });
  }

  it('servingIstiod(model, cluster) throws for a cluster the model does not wire', () => {
    const m = model('multi-primary', { a: 'a' });
    expect(servingIstiod(m, 'a')).toBe('a');
    expect(() => servingIstiod(m, 'z')).toThrow(/cluster z has no serving istiod/);
  });

  it('configSources(external without a config cluster) throws instead of guessing a place', () => {
    expect(() => configSources(model('external', { a: 'external' }))).toThrow(/config cluster/);
  });
});
