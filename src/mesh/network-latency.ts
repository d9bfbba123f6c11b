/**
 * One-way network latency between two zones: a sampler per relation (same zone, cross zone, cross region),
 * with region and cluster pair overrides, scaled by jitter. Resolved once into a zone-by-zone table.
 */
import { sampler, type Sampler, type Uniform } from '../des/index.js';
import type { NetworkLatencyConfig } from './mesh-config.js';
import type { Topology } from './topology.js';

export class NetworkLatency {
  private readonly table: Sampler[];
  private readonly n: number;
  /** One stream per source zone, so that traffic leaving one zone never shifts another zone's samples. */
  private readonly rngs: Uniform[];
  private readonly jitter: number;

  constructor(topology: Topology, config: NetworkLatencyConfig, rngFor: (zone: number) => Uniform) {
    const zones = topology.zones;
    this.n = zones.length;
    this.jitter = config.jitter;
    this.rngs = zones.map((z) => rngFor(z.id));
    const cache = new Map<unknown, Sampler>();
    const samplerOf = (d: NetworkLatencyConfig['sameZone'], from: number): Sampler => {
      const key = `${from}\u0000${JSON.stringify(d)}`;
      let s = cache.get(key);
      if (s === undefined) {
        s = sampler(d, this.rngs[from] as Uniform);
        cache.set(key, s);
      }
      return s;
    };
    const names = (z: (typeof zones)[number]) => [topology.clusterNames[z.cluster] as string, z.region];
    const pairFor = (from: (typeof zones)[number], to: (typeof zones)[number]) => {
      // A cluster pair is more specific than a region pair, so it wins.
      const [fc, fr] = names(from);
      const [tc, tr] = names(to);
      const match = (a: string, b: string) =>
        config.pairs.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a));
      return match(fc as string, tc as string) ?? match(fr as string, tr as string);
    };
    this.table = [];
    for (const from of zones) {
      for (const to of zones) {
        const pair = from.id === to.id ? undefined : pairFor(from, to);
        const d =
          pair?.latency ??
          (from.id === to.id
            ? config.sameZone
            : from.region === to.region
              ? config.crossZone
              : config.crossRegion);
        this.table.push(samplerOf(d, from.id));
      }
    }
  }

  /** A one-way latency sample from zone `from` to zone `to`, in ms. */
  sample(from: number, to: number): number {
    const base = (this.table[from * this.n + to] as Sampler).sample();
    if (this.jitter === 0) return base;
    return base * (1 + this.jitter * (2 * (this.rngs[from] as Uniform)() - 1));
  }
}
