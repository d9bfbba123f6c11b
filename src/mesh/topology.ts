/**
 * Clusters, regions and zones as dense numeric ids, so the hot path indexes arrays instead of maps.
 */
import type { ClusterConfig } from './mesh-config.js';

export interface ZoneInfo {
  readonly id: number;
  readonly name: string;
  readonly cluster: number;
  readonly region: string;
}

export class Topology {
  readonly clusterNames: readonly string[];
  /** Every (cluster, zone) pair is its own zone id: two clusters may share a cloud zone name. */
  readonly zones: readonly ZoneInfo[];
  private readonly clusterIndex = new Map<string, number>();
  private readonly zoneIds: readonly (readonly number[])[];

  constructor(readonly clusters: readonly ClusterConfig[]) {
    this.clusterNames = clusters.map((c) => c.name);
    const zones: ZoneInfo[] = [];
    this.zoneIds = clusters.map((c, ci) => {
      this.clusterIndex.set(c.name, ci);
      return c.zones.map((z) => {
        const info = { id: zones.length, name: z, cluster: ci, region: c.region };
        zones.push(info);
        return info.id;
      });
    });
    this.zones = zones;
  }

  /** Index of the named cluster; throws for unknown names (scenario/ has already checked them). */
  cluster(name: string): number {
    const i = this.clusterIndex.get(name);
    if (i === undefined) throw new Error(`unknown cluster ${name}`);
    return i;
  }

  /** Zone ids of a cluster, in declaration order. */
  zonesOf(cluster: number): readonly number[] {
    return this.zoneIds[cluster] as readonly number[];
  }

  /** Zone id of a named zone in a cluster. */
  zone(cluster: number, name: string): number {
    const id = this.zonesOf(cluster).find((z) => this.zones[z]?.name === name);
    if (id === undefined) throw new Error(`unknown zone ${name} in cluster ${this.clusterNames[cluster]}`);
    return id;
  }
}
