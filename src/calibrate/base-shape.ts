/**
 * What calibration takes from a base scenario (update mode): each service's call steps, for the order and
 * parallelism telemetry cannot show, and the network's mean one-way latency between clusters, to take the
 * response's way back out of the destination reporter's durations.
 */
import { distributionMean } from '../des/index.js';
import type { MeshConfig } from '../mesh/index.js';
import type { BaseShape } from './infer.js';

/**
 * The base's shape. Between two clusters the one-way mean is averaged over their zone pairs, as pods spread
 * over a cluster's zones (meshsim's default, and Kubernetes' topology spreading); a zone-pinned deployment
 * is not told apart (its calls are few in most meshes; the difference is a fraction of a millisecond).
 */
export function baseShape(mesh: Pick<MeshConfig, 'clusters' | 'network' | 'services'>): BaseShape {
  const calls = new Map(
    mesh.services.map((s) => [s.name, s.calls.map((step) => step.map((c) => c.service))] as const),
  );
  const net = mesh.network;
  const clusters = new Map(mesh.clusters.map((c) => [c.name, c]));
  const pairMean = (a: string, b: string): number | undefined => {
    const p = net.pairs.find((x) => (x.a === a && x.b === b) || (x.a === b && x.b === a));
    return p === undefined ? undefined : distributionMean(p.latency);
  };
  const cache = new Map<string, number>();
  return {
    calls,
    oneWayMs(from: string, to: string): number {
      const key = `${from}\u0000${to}`;
      const known = cache.get(key);
      if (known !== undefined) return known;
      const a = clusters.get(from);
      const b = clusters.get(to);
      let v = 0;
      if (a !== undefined && b !== undefined) {
        const override = pairMean(a.name, b.name) ?? pairMean(a.region, b.region);
        let total = 0;
        for (const za of a.zones)
          for (const zb of b.zones) {
            const same = a.name === b.name && za === zb;
            total += same
              ? distributionMean(net.sameZone)
              : a.name !== b.name && override !== undefined
                ? override
                : a.region === b.region
                  ? distributionMean(net.crossZone)
                  : (override ?? distributionMean(net.crossRegion));
          }
        v = total / (a.zones.length * b.zones.length);
      }
      cache.set(key, v);
      return v;
    },
  };
}
