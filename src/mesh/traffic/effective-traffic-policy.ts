/**
 * The traffic policy that applies to one Envoy cluster (a host, or one subset of it): the DestinationRule's
 * policy with the subset's blocks laid over it, every omitted block resolved to Istio's default
 * (istio-behaviour.md 4.6: "subset trafficPolicy overrides DR-level fields"; Istio `MergeTrafficPolicy`
 * replaces whole top-level blocks).
 *
 * Contents: `effectiveTrafficPolicy()`, `ResolvedTrafficPolicy`.
 */
import type { LbPolicy } from './load-balancer.js';
import type {
  ConnectionPool,
  DestinationRule,
  LocalityLbSetting,
  OutlierDetection,
  TrafficPolicy,
} from '../routing-config.js';
import { IstioDefaults } from './istio-defaults.js';

/** A traffic policy with nothing left to default. */
export interface ResolvedTrafficPolicy {
  readonly lbPolicy: LbPolicy;
  readonly localityLbSetting: LocalityLbSetting;
  /** undefined when no `outlierDetection` block applies: no ejection, and no locality failover (2.2). */
  readonly outlierDetection: OutlierDetection | undefined;
  readonly connectionPool: ConnectionPool;
  /** Envoy's healthy panic threshold: `minHealthPercent` with outlier detection, else Envoy's 50 %. */
  readonly panicThreshold: number;
}

/**
 * Resolves the policy for `subset` (undefined = the host's default cluster) of `rule` (undefined = no
 * DestinationRule for the host). A subset name the rule does not define gets the rule-level policy; the
 * caller decides that such a route has no cluster (503 NC).
 */
export function effectiveTrafficPolicy(
  rule: DestinationRule | undefined,
  subset?: string,
): ResolvedTrafficPolicy {
  const base = rule?.trafficPolicy;
  const over: TrafficPolicy | undefined =
    subset === undefined ? undefined : rule?.subsets.find((s) => s.name === subset)?.trafficPolicy;
  const loadBalancer = over?.loadBalancer ?? base?.loadBalancer;
  const outlierDetection = over?.outlierDetection ?? base?.outlierDetection;
  return {
    lbPolicy: loadBalancer?.simple ?? IstioDefaults.lbPolicy,
    localityLbSetting: loadBalancer?.localityLbSetting ?? IstioDefaults.localityLbSetting,
    outlierDetection,
    connectionPool: over?.connectionPool ?? base?.connectionPool ?? IstioDefaults.connectionPool,
    panicThreshold:
      outlierDetection === undefined ? IstioDefaults.envoyPanicThreshold : outlierDetection.minHealthPercent,
  };
}
