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
 *
 * All of the above but the proxy's own state depends only on (snapshot, service, subset, locality class):
 * the PrioritySet (priority-set.ts) is built once per such key, cached on the snapshot, and shared by every
 * proxy that asks for the same key; it is freed with the snapshot once no proxy holds either. Snapshots of
 * different istiods (multi-primary: one per cluster) that list the same endpoints of the service under the
 * same DestinationRule object get the same set too: a second cache, by content (the endpoint ids the set
 * was built from), holds sets weakly, so a 50-cluster mesh does not hold 50 copies of every service. The locality
 * class is what `localityPriority` and split horizon read of the proxy: its network and kind when the
 * cluster spans networks, its cluster and zone when locality load balancing applies, and its labels when
 * `failoverPriority` may match on them. Each proxy then adds an Upstream (upstream.ts) of its own.
 */
import type { ServiceRuntime } from './service-runtime.js';
import type { Proxy } from './proxy.js';
import type { Topology } from './topology.js';
import { Upstream, type HostHealth } from './upstream.js';
import { GatewayHost, PrioritySet, type HostEntry, type UpstreamHost } from './priority-set.js';
import type { Endpoint } from './endpoint.js';
import type { EndpointSnapshot } from './endpoint-snapshot.js';
import type { DestinationRule } from './routing-config.js';
import { effectiveTrafficPolicy, type ResolvedTrafficPolicy } from './traffic/effective-traffic-policy.js';
import { localityPriority, type WorkloadLocality } from './traffic/locality-priority.js';
import { OutlierDetector } from './traffic/outlier-detector.js';
import { outlierFailureOf, type AttemptOutcome } from './traffic/attempt-outcome.js';
import { ConnectionPool } from './traffic/connection-pool.js';
import { ConnectionRows } from './connected-hosts.js';

/** OutlierDetector seen through the upstream's interface: attempt outcomes become Envoy's failure kinds. */
class OutlierHealth implements HostHealth {
  constructor(readonly detector: OutlierDetector) {}
  advance(nowMs: number): boolean {
    return this.detector.advance(nowMs);
  }
  get ejectedCount(): number {
    return this.detector.ejectedCount;
  }
  isEjected(host: number): boolean {
    return this.detector.isEjected(host);
  }
  forEachEjected(visit: (host: number) => void): void {
    this.detector.forEachEjected(visit);
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

/** A host as collected from the endpoints, before priorities. */
interface Collected {
  key: number;
  endpoint: Endpoint | undefined;
  /** The gateway's cluster for a gateway group, or -1 for a pod. */
  gatewayCluster: number;
  cluster: number;
  zone: number;
  weight: number;
}

/** Shared views by key, per snapshot: they live as long as the snapshot (or a proxy's view) does. */
const bySnapshot = new WeakMap<EndpointSnapshot, Map<string, PrioritySet>>();

/** Ids for DestinationRule objects (0: none), for cache keys: a set is shared only under the same rule. */
const ruleIds = new WeakMap<DestinationRule, number>();
let nextRuleId = 1;
function ruleId(rule: DestinationRule | undefined): number {
  if (rule === undefined) return 0;
  let id = ruleIds.get(rule);
  if (id === undefined) {
    id = nextRuleId++;
    ruleIds.set(rule, id);
  }
  return id;
}

/** FNV-1a over the member ids: picks the content cache's entry (equality is then checked in full). */
function membersHash(members: Int32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < members.length; i++) h = Math.imul(h ^ (members[i] as number), 0x01000193);
  return h >>> 0;
}

function sameMembers(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class UpstreamViews {
  /** Label signatures by labels object (proxies of one workload share theirs). */
  private readonly labelKeys = new WeakMap<Readonly<Record<string, string>>, string>();
  /**
   * Sets by content: key (service, subset, rule, locality class, member count and hash) to a weak
   * reference, dropped when the set is collected. Whether a set is found here or rebuilt changes no
   * result (equal content), only memory.
   */
  private readonly byContent = new Map<string, WeakRef<PrioritySet>>();
  /** The connection bitsets of the current views (connected-hosts.ts): one store per mesh. */
  private readonly rows = new ConnectionRows();
  private readonly collected = new FinalizationRegistry<string>((key) => {
    const ref = this.byContent.get(key);
    if (ref !== undefined && ref.deref() === undefined) this.byContent.delete(key);
  });

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
      const last = proxy.lastUpstream;
      if (
        last !== undefined &&
        proxy.lastUpstreamService === service.index &&
        last.snapshotVersion === version
      )
        return last;
      const existing = proxy.defaultUpstream(service.index);
      if (existing !== undefined && existing.snapshotVersion === version) {
        proxy.setDefaultUpstream(service.index, existing);
        return existing;
      }
    }
    return this.rebuilt(proxy, service, subset, version);
  }

  /**
   * `upstreamOf` past its hot path: a subset, or a view to (re)build. Its own method because its closures
   * capture `service` and `subset`: in `upstreamOf` they made V8 allocate a context on every call, the hot
   * path's included (~100 bytes per try, a quarter of the data plane's allocation in the mesh bench).
   */
  private rebuilt(
    proxy: Proxy,
    service: ServiceRuntime,
    subset: string | undefined,
    version: number,
  ): Upstream | undefined {
    const snapshot = proxy.snapshot;
    const rule = snapshot?.routing.destinationRules.find((d) => d.host === service.name);
    let subsetIndex = 0;
    if (subset !== undefined) {
      subsetIndex = (rule?.subsets.findIndex((s) => s.name === subset) ?? -1) + 1;
      if (subsetIndex === 0) return undefined;
    }
    if (subsetIndex === 0) {
      const existing = proxy.defaultUpstream(service.index);
      const built = this.build(proxy, service, rule, 0, version, existing);
      proxy.setDefaultUpstream(service.index, built);
      return built;
    }
    const key = service.index * 1024 + subsetIndex;
    const subsets = (proxy.subsetUpstreams ??= new Map());
    const existing = subsets.get(key);
    if (existing !== undefined && existing.snapshotVersion === version) return existing;
    const built = this.build(proxy, service, rule, subsetIndex, version, existing);
    subsets.set(key, built);
    return built;
  }

  /** The proxy's own Upstream over the shared set, carrying its state over from `previous`. */
  private build(
    proxy: Proxy,
    service: ServiceRuntime,
    rule: DestinationRule | undefined,
    subsetIndex: number,
    version: number,
    previous: Upstream | undefined,
  ): Upstream {
    const set = this.prioritySet(proxy, service, rule, subsetIndex);
    const policy = set.policy;
    let health: HostHealth | undefined;
    const od = policy.outlierDetection;
    if (od !== undefined) {
      const prevHealth = previous?.healthState;
      const n = set.hosts.length;
      if (
        prevHealth instanceof OutlierHealth &&
        prevHealth.detector.config === od &&
        previous !== undefined
      ) {
        const detector = prevHealth.detector;
        const before = previous.hosts;
        detector.remap(n, (old) => set.indexOfKey((before[old] as UpstreamHost).key));
        health = new OutlierHealth(detector);
      } else health = new OutlierHealth(new OutlierDetector(od, n, 0));
    }
    const pool = policy.connectionPool;
    // The same settings keep the pool, its counters and its waiting line; changed settings (a pushed
    // DestinationRule that adds, tightens or drops limits) make a new one, as Envoy's rebuilt cluster does:
    // attempts already sent finish on the old pool's counters (they hold the old view).
    const carried = previous?.admissionState;
    const admission =
      carried !== undefined && carried.hasSettings(pool, pool.http2)
        ? carried
        : new ConnectionPool(pool, pool.http2);
    const upstream = new Upstream(set, version, proxy.lbDraws, proxy.lbStream, health, admission, this.rows);
    if (previous !== undefined) upstream.inherit(previous);
    return upstream;
  }

  /** The shared set for the proxy's key, built on first use. */
  private prioritySet(
    proxy: Proxy,
    service: ServiceRuntime,
    rule: DestinationRule | undefined,
    subsetIndex: number,
  ): PrioritySet {
    const subset = subsetIndex > 0 ? rule?.subsets[subsetIndex - 1] : undefined;
    const policy = effectiveTrafficPolicy(rule, subset?.name);
    const snapshot = proxy.snapshot;
    if (snapshot === undefined) return new PrioritySet([], policy, new Int32Array(0));
    let cache = bySnapshot.get(snapshot);
    if (cache === undefined) {
      cache = new Map();
      bySnapshot.set(snapshot, cache);
    }
    const key = `${service.index}/${subsetIndex}/${ruleId(rule)}/${this.localityClass(proxy, policy)}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const included = service.endpoints.filter(
      (e) => snapshot.knows(e.id) && (subset === undefined || matches(e.labels, subset.labels)),
    );
    const members = Int32Array.from(included, (e) => e.id);
    const contentKey = `${key}/${members.length}/${membersHash(members)}`;
    const same = this.byContent.get(contentKey)?.deref();
    if (same !== undefined && sameMembers(same.members, members)) {
      cache.set(key, same);
      return same;
    }
    const set = this.buildSet(proxy, included, members, policy);
    cache.set(key, set);
    this.byContent.set(contentKey, new WeakRef(set));
    this.collected.register(set, contentKey);
    return set;
  }

  /**
   * What of the proxy its hosts' priorities and split horizon depend on (see the module comment): proxies
   * with equal classes get equal PrioritySets.
   */
  private localityClass(proxy: Proxy, policy: ResolvedTrafficPolicy): string {
    const network = this.multiNetwork ? `${this.networkOf(proxy.cluster)}|${proxy.nodeType}` : '';
    const setting = policy.localityLbSetting;
    if (!setting.enabled) return network;
    // `distribute` matches the client's locality; failover (with outlier detection) ranks by it.
    if (setting.distribute.length === 0 && policy.outlierDetection === undefined) return network;
    const where = `${network}|${proxy.cluster}|${proxy.zone}`;
    return setting.failoverPriority.length === 0 ? where : `${where}|${this.labelKey(proxy.labels)}`;
  }

  private labelKey(labels: Readonly<Record<string, string>>): string {
    let key = this.labelKeys.get(labels);
    if (key === undefined) {
      key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      this.labelKeys.set(labels, key);
    }
    return key;
  }

  private buildSet(
    proxy: Proxy,
    included: readonly Endpoint[],
    members: Int32Array,
    policy: ResolvedTrafficPolicy,
  ): PrioritySet {
    const myNetwork = this.networkOf(proxy.cluster);
    const hosts: Collected[] = [];
    const groups = new Map<number, Collected>();
    for (const e of included) {
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
    // The client is one pod: its weight as an endpoint is 1 (localityPriority does not read it).
    const client = this.locality(proxy.cluster, proxy.zone, proxy.labels, 1);
    const priorities = localityPriority(
      client,
      hosts.map((h) => this.locality(h.cluster, h.zone, h.endpoint?.labels ?? {}, h.weight)),
      policy.localityLbSetting,
      policy.outlierDetection !== undefined,
    );
    const entries: HostEntry[] = [];
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
      let weight = h.weight * m;
      let locality = -1;
      let localityWeight = 0;
      if (priorities.localityWeighted) {
        locality = localityOf.get(h.zone) as number;
        weight = h.weight;
        localityWeight = m * (localityTotal[locality] as number);
      }
      entries.push({
        // A pod's host is its endpoint itself (priority-set.ts `UpstreamHost`).
        host: h.endpoint ?? new GatewayHost(h.key, h.gatewayCluster, h.zone),
        weight,
        priority: p,
        locality,
        localityWeight,
      });
    });
    return new PrioritySet(entries, policy, members);
  }

  private networkOf(cluster: number): string {
    return this.topology.clusters[cluster]?.network ?? '';
  }

  private locality(
    cluster: number,
    zone: number,
    labels: Readonly<Record<string, string>>,
    weight: number,
  ): WorkloadLocality {
    const c = this.topology.clusters[cluster];
    return {
      network: c?.network ?? '',
      region: c?.region ?? '',
      zone: this.topology.zones[zone]?.name ?? '',
      // The mesh's clusters have no subzones (ClusterConfig names zones only).
      subzone: '',
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
