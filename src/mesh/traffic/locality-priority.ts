/**
 * Istio's locality load balancing as pushed to one client proxy: which Envoy priority level each endpoint
 * of a service gets, and which endpoints `distribute` reweights or drops (istio-behaviour.md 2.2 and 4.3;
 * `pilot/pkg/networking/core/loadbalancer/loadbalancer.go`).
 *
 * Contents:
 * - `localityPriority()`: the per-endpoint priorities and weights for one (client, service) pair.
 * - `WorkloadLocality`: what the function needs to know about the client and each endpoint.
 * - `LocalityPriority`: its result.
 * - `TopologyLabel`: the labels Istio adds to every proxy and endpoint, usable in `failoverPriority`.
 *
 * Runs once per endpoint-set or config change, not per request; the result is typed arrays the hot path
 * reads.
 */
import type { LocalityLbSetting } from '../routing-config.js';

/** Labels Istio sets on every proxy and endpoint from its topology (`AugmentLabels`), for `failoverPriority`. */
export const TopologyLabel = {
  network: 'topology.istio.io/network',
  cluster: 'topology.istio.io/cluster',
  region: 'topology.kubernetes.io/region',
  zone: 'topology.kubernetes.io/zone',
  subzone: 'topology.istio.io/subzone',
} as const;
export type TopologyLabel = (typeof TopologyLabel)[keyof typeof TopologyLabel];
export function isTopologyLabel(x: unknown): x is TopologyLabel {
  return typeof x === 'string' && Object.values(TopologyLabel).some((v) => v === x);
}

/** Where a workload (the client proxy, or an endpoint) runs, and its pod labels. */
export interface WorkloadLocality {
  readonly network: string;
  readonly region: string;
  readonly zone: string;
  /**
   * '' when the workload has none, as Istio's Go strings are: the mesh's clusters have no subzones, so every
   * workload the mesh builds has ''; tests set one to check Istio's subzone rules.
   */
  readonly subzone: string;
  readonly cluster: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Load-balancing weight as an endpoint (Istio `LbWeight`): 1 for a pod, a network gateway stands for several. */
  readonly weight: number;
}

/** Priorities and weights of a service's endpoints as one client proxy receives them. */
export interface LocalityPriority {
  /** Priority level per endpoint, 0..levels-1 contiguous; -1 = not sent to this proxy (`distribute`). */
  readonly priority: Int32Array;
  /**
   * Weight multiplier per endpoint: 1 unless `distribute` applies, 0 for dropped endpoints. An endpoint's
   * effective weight is its own weight times this, which gives each locality its `distribute` share.
   */
  readonly weight: Float64Array;
  /** Number of priority levels (0 when there are no endpoints). */
  readonly levels: number;
  /** True when `distribute` applied: Envoy picks a locality by weight first (`locality_weighted_lb_config`). */
  readonly localityWeighted: boolean;
}

/**
 * Assigns Envoy priorities to `endpoints` relative to `client`, as istiod does for that proxy.
 *
 * - `setting` undefined or `enabled: false`: every endpoint at P0, no preference.
 * - `distribute` (the first entry whose `from` matches the client): reweights localities; unlisted
 *   localities get no traffic; no failover; does not need outlier detection.
 * - otherwise, only if `failoverEnabled` (the DestinationRule has `outlierDetection`, or the Service has a
 *   traffic distribution): `failoverPriority` labels, and/or region/zone/subzone P0..P4 with `failover` rules,
 *   then compacted to 0..N. Without it every endpoint stays at P0 (istio-behaviour.md 2.2).
 */
export function localityPriority(
  client: WorkloadLocality,
  endpoints: readonly WorkloadLocality[],
  setting: LocalityLbSetting | undefined,
  failoverEnabled: boolean,
): LocalityPriority {
  const n = endpoints.length;
  const priority = new Int32Array(n);
  const weight = new Float64Array(n).fill(1);
  const flat = { priority, weight, levels: n === 0 ? 0 : 1, localityWeighted: false };
  if (setting === undefined || !setting.enabled || n === 0) return flat;

  // One of distribute or failover applies (ApplyLocalityLoadBalancer).
  if (setting.distribute.length > 0) {
    const applied = applyDistribute(client, endpoints, setting.distribute, priority, weight);
    return { ...flat, localityWeighted: applied };
  }
  if (!failoverEnabled) return flat;

  const raw = new Int32Array(n);
  if (setting.failoverPriority.length > 0) {
    const rules = parseFailoverPriority(setting.failoverPriority);
    const clientLabels = topologyLabels(client);
    for (let i = 0; i < n; i++)
      raw[i] = labelPriority(clientLabels, topologyLabels(endpoints[i] as WorkloadLocality), rules);
    if (setting.failover.length > 0) {
      // "priority = failoverPriority-priority×5 + locality priority, then compacted" (applyLocalityFailover).
      const compacted = compact(raw);
      for (let i = 0; i < n; i++)
        raw[i] =
          (compacted.priority[i] as number) * 5 +
          regionPriority(client, endpoints[i] as WorkloadLocality, setting.failover);
    }
  } else {
    for (let i = 0; i < n; i++)
      raw[i] = regionPriority(client, endpoints[i] as WorkloadLocality, setting.failover);
  }
  const { priority: levelOf, levels } = compact(raw);
  return { priority: levelOf, weight, levels, localityWeighted: false };
}

/**
 * Istio `LbPriority` plus the `failover` rule: 0 region+zone+subzone, 1 region+zone, 2 region, 3 other
 * region, 4 other region when a rule from the client's region names a different target region.
 */
function regionPriority(
  client: WorkloadLocality,
  ep: WorkloadLocality,
  failover: LocalityLbSetting['failover'],
): number {
  if (client.region === ep.region) {
    if (client.zone !== ep.zone) return 2;
    return client.subzone === ep.subzone ? 0 : 1;
  }
  // The first rule whose `from` is the client's region decides (the loop breaks on it).
  for (const rule of failover) {
    if (rule.from === client.region) return ep.region === rule.to ? 3 : 4;
  }
  return 3;
}

interface PriorityRule {
  readonly label: string;
  /** "key=value" form: compare endpoints with this value instead of the client's. */
  readonly value: string | undefined;
  /** The entry as written: Istio's "network first" tests it, not the parsed label. */
  readonly entry: string;
}

function parseFailoverPriority(entries: readonly string[]): PriorityRule[] {
  // Istio splits on '=' and only takes a value when there are exactly two parts (priorityLabelOverrides).
  return entries.map((entry) => {
    const parts = entry.split('=');
    return { label: parts[0] as string, value: parts.length === 2 ? parts[1] : undefined, entry };
  });
}

/**
 * Istio `applyFailoverPriorityPerLocality`: with N labels, an endpoint matching the client on all N gets 0,
 * the first mismatch at label j gives N - j. A missing label reads as "" on both sides, as a Go map does
 * (`valueForProxy = proxyLabels[label]` against `istioEndpoint.Labels[label]`): a label absent on a pod is a
 * real state, not an option left unresolved, so the two `?? ''` below stay.
 * Network first (istio-behaviour.md 4.3 [code]): if label 0 is the network and it differs, the other labels
 * still rank the endpoint, shifted down by N, so other-network endpoints come after all same-network ones.
 */
function labelPriority(
  clientLabels: Readonly<Record<string, string>>,
  epLabels: Readonly<Record<string, string>>,
  rules: readonly PriorityRule[],
): number {
  const n = rules.length;
  const mismatch = (j: number): boolean => {
    const rule = rules[j] as PriorityRule;
    const want = rule.value ?? clientLabels[rule.label] ?? '';
    return want !== (epLabels[rule.label] ?? '');
  };
  let shift = 0;
  let from = 0;
  // `includesNetwork := failoverPriorities[0] == label.TopologyNetwork.Name`: the raw entry, so an
  // overridden "topology.istio.io/network=n1" ranks like any other label.
  if ((rules[0] as PriorityRule).entry === TopologyLabel.network && mismatch(0)) {
    shift = n;
    from = 1;
  }
  for (let j = from; j < n; j++) if (mismatch(j)) return shift + n - j;
  return shift;
}

/** Pod labels plus the topology labels Istio adds (`AugmentLabels` overwrites any pod label of the same key). */
function topologyLabels(w: WorkloadLocality): Record<string, string> {
  const out: Record<string, string> = {
    ...w.labels,
    [TopologyLabel.network]: w.network,
    [TopologyLabel.cluster]: w.cluster,
    [TopologyLabel.region]: w.region,
    [TopologyLabel.zone]: w.zone,
  };
  // AugmentLabels sets the subzone label only when the locality has one (`len(subzone) > 0`).
  if (w.subzone !== '') out[TopologyLabel.subzone] = w.subzone;
  return out;
}

/** Renumbers priorities to 0..N-1 keeping their order ("Priorities should range from 0 to N without skipping"). */
function compact(raw: Int32Array): { priority: Int32Array; levels: number } {
  const distinct = [...new Set(raw)].sort((a, b) => a - b);
  const rank = new Map(distinct.map((p, i) => [p, i]));
  return { priority: raw.map((p) => rank.get(p) ?? 0), levels: distinct.length };
}

/** Istio `util.LocalityMatch`: "region/zone/subzone" with "*" (or a missing part) matching anything. */
function localityMatches(w: WorkloadLocality, pattern: string): boolean {
  const [region = '', zone = '', subzone = ''] = pattern.split('/');
  return (
    (region === '*' || region === w.region) &&
    (zone === '*' || zone === '' || zone === w.zone) &&
    (subzone === '*' || subzone === '' || subzone === w.subzone)
  );
}

/** One `LocalityLbEndpoints`: the endpoints of one locality and the sum of their weights. */
interface LocalityGroup {
  readonly members: number[];
  total: number;
  readonly locality: WorkloadLocality;
}

/**
 * Istio `applyLocalityWeights`. Endpoints are grouped by locality (one `LocalityLbEndpoints` each, weighted
 * by the sum of its endpoint weights). For the first `distribute` entry matching the client, each `to`
 * pattern (in key order) claims the groups it matches that no earlier pattern claimed, and gives each
 * ⌈groupWeight·w/Σ claimed group weights⌉; a `to` weight of 0 leaves the group at its original weight
 * (Istio only sets positive weights). Unclaimed groups lose their endpoints. Returns whether an entry applied.
 */
function applyDistribute(
  client: WorkloadLocality,
  endpoints: readonly WorkloadLocality[],
  distribute: LocalityLbSetting['distribute'],
  priority: Int32Array,
  weight: Float64Array,
): boolean {
  const rule = distribute.find((d) => localityMatches(client, d.from));
  if (rule === undefined) return false;
  const groups = new Map<string, LocalityGroup>();
  endpoints.forEach((ep, i) => {
    const key = `${ep.region}/${ep.zone}/${ep.subzone}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { members: [], total: 0, locality: ep };
      groups.set(key, g);
    }
    g.members.push(i);
    g.total += ep.weight;
  });
  const unclaimed = new Set(groups.values());
  const groupWeight = new Map<LocalityGroup, number>();
  for (const [pattern, w] of Object.entries(rule.to)) {
    const claimed = [...unclaimed].filter((g) => localityMatches(g.locality, pattern));
    const claimedTotal = claimed.reduce((s, g) => s + g.total, 0);
    for (const g of claimed) {
      unclaimed.delete(g);
      const share = (g.total * w) / claimedTotal;
      groupWeight.set(g, share > 0 ? Math.ceil(share) : g.total);
    }
  }
  for (const g of groups.values()) {
    const w = groupWeight.get(g);
    for (const i of g.members) {
      if (w === undefined) {
        priority[i] = -1;
        weight[i] = 0;
      } else weight[i] = w / g.total;
    }
  }
  return true;
}
