/**
 * The fault: what can go wrong on a scenario's timeline (its type and its target), in the mesh's resolved
 * shape, and the words reports use for it. Where a fault's damage is expected (its failed domain) is in
 * fault-domain.ts; how the mesh applies it, in fault-injector.ts.
 *
 * Contents: `FaultType`, `FaultConfig`, `IntOrPercent`, `RollingUpdate`; `faultTarget`, `PLANNED_EVENTS`,
 * `faultKind`.
 */
import type { Distribution } from '../des/index.js';
import type { RoutingConfig } from './routing-config.js';

export const FaultType = {
  'control-plane-outage': 'control-plane-outage',
  'ca-outage': 'ca-outage',
  'cluster-outage': 'cluster-outage',
  'zone-outage': 'zone-outage',
  'api-server-outage': 'api-server-outage',
  'gateway-outage': 'gateway-outage',
  'network-partition': 'network-partition',
  'pod-failure': 'pod-failure',
  'pod-churn': 'pod-churn',
  rollout: 'rollout',
  scale: 'scale',
  'latency-injection': 'latency-injection',
  'error-injection': 'error-injection',
  'config-push': 'config-push',
} as const;
export type FaultType = keyof typeof FaultType;

/** A fault on the timeline; `forMs` is Infinity when it lasts until the end. */
export type FaultConfig = { readonly atMs: number; readonly forMs: number } & (
  | {
      readonly type: 'control-plane-outage' | 'ca-outage' | 'cluster-outage' | 'api-server-outage';
      readonly cluster: string;
    }
  | { readonly type: 'zone-outage'; readonly cluster: string; readonly zone: string }
  | { readonly type: 'gateway-outage'; readonly cluster: string; readonly gateway: 'east-west' | 'ingress' }
  | { readonly type: 'network-partition'; readonly between: readonly [string, string] }
  | {
      readonly type: 'pod-failure';
      readonly service: string;
      readonly cluster: string;
      readonly count: number;
    }
  | {
      readonly type: 'pod-churn';
      readonly service: string;
      readonly cluster: string;
      readonly everyMs: number;
    }
  | {
      readonly type: 'rollout';
      readonly service: string;
      readonly cluster: string;
      readonly strategy: RollingUpdate;
    }
  | { readonly type: 'scale'; readonly service: string; readonly cluster: string; readonly replicas: number }
  | {
      readonly type: 'latency-injection';
      readonly service: string;
      readonly cluster: string | undefined;
      readonly delay: Distribution;
      readonly fraction: number;
    }
  | {
      readonly type: 'error-injection';
      readonly service: string;
      readonly cluster: string | undefined;
      readonly httpStatus: number;
      readonly fraction: number;
    }
  | {
      readonly type: 'config-push';
      /** The (first) cluster the config is applied to, and its whole config once applied. */
      readonly cluster: string;
      readonly routing: RoutingConfig;
      /**
       * Further clusters of the same rollout (`clusters:`), each with its whole config once applied: one
       * fault, applied to every cluster at once, one blast radius. Empty for a push to one cluster.
       */
      readonly alsoTo: readonly { readonly cluster: string; readonly routing: RoutingConfig }[];
    }
);

/** A Kubernetes int-or-percent (`maxSurge: 1` or `maxSurge: 25%`). */
export interface IntOrPercent {
  readonly value: number;
  /** true: `value` is a percent of the desired replicas. */
  readonly percent: boolean;
}

/** A Deployment's RollingUpdate strategy and its pods' graceful termination. */
export interface RollingUpdate {
  readonly maxSurge: IntOrPercent;
  readonly maxUnavailable: IntOrPercent;
  /** Istio ProxyConfig `terminationDrainDuration`: the sidecar drains this long after SIGTERM. */
  readonly drainMs: number;
  /** Pod `terminationGracePeriodSeconds`: the kubelet kills the pod at the latest after this. */
  readonly gracePeriodMs: number;
}

/** What a fault hit, in words for reports. */
export function faultTarget(f: FaultConfig): string {
  switch (f.type) {
    case 'network-partition':
      return `${f.between[0]} <-> ${f.between[1]}`;
    case 'zone-outage':
      return `${f.cluster}/${f.zone}`;
    case 'gateway-outage':
      return `${f.gateway} gateway of ${f.cluster}`;
    case 'control-plane-outage':
    case 'ca-outage':
      return `istiod serving ${f.cluster}`;
    case 'pod-failure':
    case 'pod-churn':
    case 'rollout':
    case 'scale':
      return `${f.service} in ${f.cluster}`;
    case 'latency-injection':
    case 'error-injection':
      return f.cluster === undefined ? f.service : `${f.service} in ${f.cluster}`;
    case 'config-push':
      return [f.cluster, ...f.alsoTo.map((t) => t.cluster)].join(', ');
    default:
      return f.cluster;
  }
}

/**
 * Planned changes: a `scale` step and a graceful `rollout` (a Deployment rolling update: pods unlisted and
 * drained before they stop) are what operators do on purpose. They are reported with their own effect but
 * never averaged into the headline blast radius of failures. `pod-churn` kills pods without a drain (its
 * ReplicaSet replaces them): that is a failure, so it stays a fault. A `config-push` stays a fault: meshsim cannot tell a good
 * push from a bad one before it runs, so its effect is judged with the failures and shown on its own row.
 */
export const PLANNED_EVENTS: ReadonlySet<FaultType> = new Set<FaultType>(['scale', 'rollout']);

/** `event` for a planned change, `fault` for a failure (what the headline blast radius averages). */
export function faultKind(type: FaultType): 'fault' | 'event' {
  return PLANNED_EVENTS.has(type) ? 'event' : 'fault';
}
