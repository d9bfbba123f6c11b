/**
 * About how many label sets a run's Istio telemetry (istio-telemetry-recorder.ts) will hold, read from the
 * scenario before it runs, so that the report folder's free-space check can count `openmetrics.txt`
 * before a long simulation instead of after it (the writer checks the exact size again before writing).
 *
 * A label set is (reporter, source workload, destination workload, response code, flags); a workload is a
 * service's version in a cluster (or a traffic source's clients, or the ingress gateway, per cluster). Per
 * call edge of the scenario (traffic source to its entry service; service, or one of its versions, to a
 * service it calls) a source workload reaches the destination's workloads in its own cluster (Istio's
 * locality load balancing), or all of them when its cluster has none; each pair reported by both proxies. Outcomes: `OUTCOMES_PER_PAIR` per pair, generous for a run
 * without faults (nearly all 200) and about right for one with a fault (200 plus a few failure codes).
 */
import type { MeshConfig } from '../mesh/index.js';

/** Label sets per (source, destination) workload pair and reporter: 200 and a few failure outcomes. */
export const OUTCOMES_PER_PAIR = 3;

export function estimateTelemetrySeries(mesh: Pick<MeshConfig, 'services' | 'traffic'>): number {
  // Per service, its workloads' clusters (one entry per version and cluster).
  const workloads = new Map<string, readonly string[]>();
  for (const s of mesh.services) {
    const distinct = new Map(
      s.deployments.map((d) => [`${d.labels.version ?? ''}\u0000${d.cluster}`, d.cluster]),
    );
    workloads.set(s.name, [...distinct.values()]);
  }
  /** Destination workloads a caller in `cluster` reaches: its own cluster's (locality), else all of them. */
  const reached = (callee: string, cluster: string): number => {
    const all = workloads.get(callee) ?? [];
    // An external host (ServiceEntry) has no deployments: one destination.
    if (all.length === 0) return 1;
    const local = all.filter((c) => c === cluster).length;
    return local > 0 ? local : all.length;
  };
  let pairs = 0;
  for (const t of mesh.traffic) for (const f of t.from) pairs += reached(t.entry, f.cluster);
  for (const s of mesh.services) {
    const callees = new Set<string>();
    const steps = [s.calls, ...s.deployments.map((d) => d.behaviour?.calls ?? [])];
    for (const step of steps.flat(2)) callees.add(step.service);
    for (const cluster of workloads.get(s.name) ?? [])
      for (const callee of callees) pairs += reached(callee, cluster);
  }
  return pairs * 2 * OUTCOMES_PER_PAIR;
}
