/**
 * Builds a proxy's upstream views from what its istiod pushed, as istiod's EDS and CDS generation would:
 * - the endpoints of the service the snapshot knows as ready, filtered by the subset's labels;
 * - multi-network split horizon (istio-behaviour.md 2.1, ep_filters.go): endpoints on the proxy's own
 *   network as they are; each other network's endpoints collapsed into one east-west gateway host per
 *   (cluster, zone) group, weighted by the number of endpoints it stands for, locality kept; a gateway
 *   itself sees only its own network (REQUESTED_NETWORK_VIEW);
 * - locality priorities relative to the proxy (traffic/locality-priority.ts), active only with
 *   outlierDetection in the DestinationRule, as in Istio;
 * - the DestinationRule's load-balancer policy, outlier detection and connection pool.
 * Views are rebuilt lazily when the proxy's snapshot changed, keeping per-host state for hosts that stay.
 */
import type { ServiceRuntime } from './service-runtime.js';
import type { Proxy } from './proxy.js';
import type { Topology } from './topology.js';
import { Upstream, type HostHealth, type UpstreamHost } from './upstream.js';
import type { DestinationRule } from './routing-config.js';
import { effectiveTrafficPolicy } from './traffic/effective-traffic-policy.js';
import { localityPriority, type WorkloadLocality } from './traffic/locality-priority.js';
import { OutlierDetector } from './traffic/outlier-detector.js';
import { outlierFailureOf, type AttemptOutcome } from './traffic/attempt-outcome.js';
import { ConnectionPool } from './traffic/connection-pool.js';

/** OutlierDetector seen through the upstream's interface: attempt outcomes become Envoy's failure kinds. */
class OutlierHealth implements HostHealth {
  constructor(readonly detector: OutlierDetector) {}
  advance(nowMs: number): boolean {
    return this.detector.advance(nowMs);
  }
  get ejectedCount(): number {
    return this.detector.ejectedCount;
  }
  get ejectedMask(): Uint8Array {
    return this.detector.ejected;
  }
  recordSuccess(host: number): void {
    this.detector.recordSuccess(host);
  }
  recordFailure(host: number, code: number, outcome: AttemptOutcome, nowMs: number): boolean {
    const kind = outlierFailureOf(outcome, code);
    if (kind === undefined) {
      this.detector.recordSuccess(host);
      return false;
    }
    return this.detector.recordFailure(host, kind, nowMs);
  }
}

export class UpstreamViews {
  constructor(
    private readonly topology: Topology,
    private readonly multiNetwork: boolean,
  ) {}

  /** The proxy's view of `service` (or its `subset`); undefined when the subset is not defined. */
  upstreamOf(proxy: Proxy, service: ServiceRuntime, subset: string | undefined): Upstream | undefined {
    const snapshot = proxy.snapshot;
    const version = snapshot?.version ?? -1;
    if (subset === undefined) {
      // The hot path: the service's default cluster, unchanged since the last push.
      const existing = proxy.defaultUpstreams[service.index];
      if (existing !== undefined && existing.snapshotVersion === version) return existing;
    }
    const rule = snapshot?.routing.destinationRules.find((d) => d.host === service.name);
    let subsetIndex = 0;
    if (subset !== undefined) {
      subsetIndex = (rule?.subsets.findIndex((s) => s.name === subset) ?? -1) + 1;
      if (subsetIndex === 0) return undefined;
    }
    const key = service.index * 1024 + subsetIndex;
    const existing = proxy.upstreams.get(key);
    if (existing !== undefined && existing.snapshotVersion === version) return existing;
    const built = this.build(proxy, service, rule, subsetIndex, version, existing);
    proxy.upstreams.set(key, built);
    if (subsetIndex === 0) proxy.defaultUpstreams[service.index] = built;
    return built;
  }

  private build(
    proxy: Proxy,
    service: ServiceRuntime,
    rule: DestinationRule | undefined,
    subsetIndex: number,
    version: number,
    previous: Upstream | undefined,
  ): Upstream {
    const snapshot = proxy.snapshot;
    const subset = subsetIndex > 0 ? rule?.subsets[subsetIndex - 1] : undefined;
    const policy = effectiveTrafficPolicy(rule, subset?.name);
    const myNetwork = this.networkOf(proxy.cluster);
    const hosts: {
      key: number;
      endpoint: ServiceRuntime['endpoints'][number] | undefined;
      gatewayCluster: number;
      cluster: number;
      zone: number;
      weight: number;
    }[] = [];
    const groups = new Map<number, (typeof hosts)[number]>();
    for (const e of service.endpoints) {
      if (snapshot === undefined || !snapshot.knows(e.id)) continue;
      if (subset !== undefined && !matches(e.labels, subset.labels)) continue;
      const sameNetwork = !this.multiNetwork || this.networkOf(e.cluster) === myNetwork;
      if (sameNetwork) {
        hosts.push({
          key: e.id,
          endpoint: e,
          gatewayCluster: -1,
          cluster: e.cluster,
          zone: e.zone,
          weight: 1,
        });
      } else if (proxy.nodeType === 'sidecar') {
        // Split horizon: the remote network is reached through its east-west gateway, one host per locality.
        const groupKey = -(1 + e.zone);
        const g = groups.get(groupKey);
        if (g === undefined) {
          const host = {
            key: groupKey,
            endpoint: undefined,
            gatewayCluster: e.cluster,
            cluster: e.cluster,
            zone: e.zone,
            weight: 1,
          };
          groups.set(groupKey, host);
          hosts.push(host);
        } else g.weight++;
      }
    }
    const client = this.locality(proxy.cluster, proxy.zone, proxy.labels);
    const priorities = localityPriority(
      client,
      hosts.map((h) => this.locality(h.cluster, h.zone, h.endpoint?.labels ?? {}, h.weight)),
      policy.localityLbSetting,
      policy.outlierDetection !== undefined,
    );
    const upstreamHosts: UpstreamHost[] = [];
    // With `distribute`, Istio sends one LocalityLbEndpoints per locality with its weight and sets
    // `locality_weighted_lb_config`: the locality weight stays the locality's, apart from the hosts' own
    // weights (a gateway host's endpoint count), so Envoy can choose the locality first.
    const localityOf = new Map<number, number>();
    const localityTotal: number[] = [];
    if (priorities.localityWeighted)
      hosts.forEach((h, i) => {
        if ((priorities.priority[i] as number) < 0) return;
        let l = localityOf.get(h.zone);
        if (l === undefined) {
          l = localityTotal.length;
          localityOf.set(h.zone, l);
          localityTotal.push(0);
        }
        localityTotal[l] = (localityTotal[l] as number) + h.weight;
      });
    hosts.forEach((h, i) => {
      const p = priorities.priority[i] as number;
      const m = priorities.weight[i] as number;
      if (p < 0 || m <= 0) return;
      if (priorities.localityWeighted) {
        const l = localityOf.get(h.zone) as number;
        const localityWeight = m * (localityTotal[l] as number);
        upstreamHosts.push(
          new Host(h.key, h.endpoint, h.gatewayCluster, h.cluster, h.zone, h.weight, p, l, localityWeight),
        );
      } else
        upstreamHosts.push(
          new Host(h.key, h.endpoint, h.gatewayCluster, h.cluster, h.zone, h.weight * m, p, -1, 0),
        );
    });
    let health: HostHealth | undefined;
    const od = policy.outlierDetection;
    if (od !== undefined) {
      const prevHealth = previous?.healthState;
      const detector =
        prevHealth instanceof OutlierHealth && prevHealth.detector.config === od
          ? prevHealth.detector
          : new OutlierDetector(od, 0, 0);
      const oldIndex = new Map<number, number>();
      previous?.hosts.forEach((h, i) => oldIndex.set(h.key, i));
      detector.resize(
        upstreamHosts.length,
        Int32Array.from(upstreamHosts, (h) => oldIndex.get(h.key) ?? -1),
      );
      health = new OutlierHealth(detector);
    }
    const pool = policy.connectionPool;
    const admission = previous?.admissionState ?? new ConnectionPool(pool, pool.http2);
    const upstream = new Upstream(
      upstreamHosts,
      version,
      policy.lbPolicy,
      proxy.lbRng,
      health,
      admission,
      pool.connectTimeoutMs,
      policy.panicThreshold,
    );
    if (previous !== undefined) upstream.inherit(previous);
    return upstream;
  }

  private networkOf(cluster: number): string {
    return this.topology.clusters[cluster]?.network ?? '';
  }

  private locality(
    cluster: number,
    zone: number,
    labels: Readonly<Record<string, string>>,
    weight = 1,
  ): WorkloadLocality {
    const c = this.topology.clusters[cluster];
    return {
      network: c?.network ?? '',
      region: c?.region ?? '',
      zone: this.topology.zones[zone]?.name ?? '',
      cluster: c?.name ?? '',
      labels,
      weight,
    };
  }
}

function matches(
  labels: Readonly<Record<string, string>>,
  selector: Readonly<Record<string, string>>,
): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

/**
 * An upstream host as built here. A class, not object literals: every host then has one hidden class, so
 * the request path's loads of `endpoint` and `gatewayCluster` stay monomorphic (spread literals rebuilt on
 * every push made those loads megamorphic).
 */
class Host implements UpstreamHost {
  constructor(
    readonly key: number,
    readonly endpoint: ServiceRuntime['endpoints'][number] | undefined,
    readonly gatewayCluster: number,
    readonly cluster: number,
    readonly zone: number,
    readonly weight: number,
    readonly priority: number,
    readonly locality: number,
    readonly localityWeight: number,
  ) {}
}
