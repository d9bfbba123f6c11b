/**
 * The resolved description a mesh is built from: every default applied, every duration in ms, every rate
 * per ms. `scenario/` produces it from a file; the mesh never sees files or optional fields with defaults.
 */
import type { Distribution } from '../des/index.js';

export interface ClusterConfig {
  readonly name: string;
  readonly region: string;
  readonly zones: readonly string[];
  /** `topology.istio.io/network`; matters only for multi-network models. */
  readonly network: string;
}

/** One-way latency between localities, by relation; `pairs` override by region or cluster pair. */
export interface NetworkLatencyConfig {
  readonly sameZone: Distribution;
  readonly crossZone: Distribution;
  readonly crossRegion: Distribution;
  readonly pairs: readonly NetworkPairConfig[];
  /** Each sampled latency is scaled by a uniform factor in [1 - jitter, 1 + jitter]. */
  readonly jitter: number;
}

export interface NetworkPairConfig {
  /** Region or cluster names; the pair is symmetric. */
  readonly a: string;
  readonly b: string;
  readonly latency: Distribution;
}

export interface SidecarConfig {
  /** Added by one sidecar to one request (outbound or inbound), request and response directions together. */
  readonly latency: Distribution;
}

export interface DeploymentConfig {
  readonly cluster: string;
  /** Zone of every replica; `undefined` spreads replicas over the cluster's zones in turn. */
  readonly zone: string | undefined;
  readonly replicas: number;
  readonly labels: Readonly<Record<string, string>>;
}

export interface CallConfig {
  readonly service: string;
  readonly probability: number;
}

/** A step of a service's work: one call, or a group of calls made in parallel and awaited together. */
export type CallStepConfig = readonly CallConfig[];

export interface ServiceConfig {
  readonly name: string;
  readonly deployments: readonly DeploymentConfig[];
  /** Requests one replica works on at once; more wait in its queue. */
  readonly concurrency: number;
  /** Longest queue a replica keeps before answering 503 at once; `Infinity` for none. */
  readonly queueLimit: number;
  /**
   * true: a request holds its slot while it awaits its downstream calls (thread-per-request servers);
   * false: only for its own service time (event-loop servers).
   */
  readonly blocking: boolean;
  readonly serviceTime: Distribution;
  /** Fraction of requests the application itself answers with 500. */
  readonly errorRate: number;
  readonly calls: readonly CallStepConfig[];
}

export const ArrivalProcess = { poisson: 'poisson', constant: 'constant' } as const;
export type ArrivalProcess = keyof typeof ArrivalProcess;

export interface RateStepConfig {
  readonly atMs: number;
  readonly ratePerMs: number;
}

export interface TrafficConfig {
  readonly name: string;
  /** The service clients call. */
  readonly entry: string;
  /** Share of clients per cluster (weights, summing to 1). */
  readonly from: readonly { readonly cluster: string; readonly weight: number }[];
  readonly ratePerMs: number;
  readonly arrival: ArrivalProcess;
  readonly steps: readonly RateStepConfig[];
}

export interface MeshConfig {
  readonly clusters: readonly ClusterConfig[];
  readonly network: NetworkLatencyConfig;
  readonly sidecar: SidecarConfig;
  readonly services: readonly ServiceConfig[];
  readonly traffic: readonly TrafficConfig[];
}
