/**
 * Deployment models to `DeploymentModel` wirings. When a scenario names none, every model that fits its
 * clusters is compared: multi-primary; primary-remote with the first cluster as primary; external; and, with
 * clusters in two or more regions, hybrid with the first cluster of each region as its primary (the mixed
 * topology "a primary cluster per region" of the install guide, istio-behaviour.md 1.1). One cluster
 * gives multi-primary only: the others are the same thing there.
 */
import {
  EXTERNAL_CONTROL_PLANE,
  type ClusterConfig,
  type DeploymentModel,
  type NetworkModel,
} from '../mesh/index.js';
import type { ModelInput } from './schema-models.js';

export function defaultNetwork(clusters: readonly ClusterConfig[]): NetworkModel {
  return new Set(clusters.map((c) => c.network)).size > 1 ? 'multi' : 'single';
}

export function defaultModels(clusters: readonly ClusterConfig[]): ModelInput[] {
  if (clusters.length === 1) return [{ name: 'multi-primary', controlPlane: 'multi-primary' }];
  const models: ModelInput[] = [
    { name: 'multi-primary', controlPlane: 'multi-primary' },
    { name: 'primary-remote', controlPlane: 'primary-remote' },
  ];
  if (new Set(clusters.map((c) => c.region)).size > 1)
    models.push({ name: 'hybrid', controlPlane: 'hybrid' });
  models.push({ name: 'external', controlPlane: 'external' });
  return models;
}

export function resolveModel(m: ModelInput, clusters: readonly ClusterConfig[]): DeploymentModel {
  const names = clusters.map((c) => c.name);
  const first = clusters[0] as ClusterConfig;
  const network = m.network ?? defaultNetwork(clusters);
  const servedBy: Record<string, string> = {};
  switch (m.controlPlane) {
    case 'multi-primary':
      for (const n of names) servedBy[n] = n;
      break;
    case 'primary-remote': {
      const primary = m.primary ?? first.name;
      for (const n of names) servedBy[n] = primary;
      break;
    }
    case 'hybrid': {
      const primaries = m.primaries ?? firstOfEachRegion(clusters);
      const regionOf = new Map(clusters.map((c) => [c.name, c.region]));
      for (const c of clusters) {
        if (primaries.includes(c.name)) servedBy[c.name] = c.name;
        else {
          servedBy[c.name] =
            m.remotes?.[c.name] ??
            primaries.find((p) => regionOf.get(p) === c.region) ??
            (primaries[0] as string);
        }
      }
      break;
    }
    case 'external':
      for (const n of names) servedBy[n] = EXTERNAL_CONTROL_PLANE;
      break;
  }
  return {
    name: m.name,
    controlPlane: m.controlPlane,
    network,
    servedBy,
    external: m.controlPlane === 'external' ? { region: m.region ?? first.region } : undefined,
    configCluster: m.controlPlane === 'external' ? first.name : undefined,
  };
}

/** The first cluster of each region, in file order: a hybrid's default primaries. */
export function firstOfEachRegion(clusters: readonly { name: string; region: string }[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const c of clusters) {
    if (seen.has(c.region)) continue;
    seen.add(c.region);
    out.push(c.name);
  }
  return out;
}
