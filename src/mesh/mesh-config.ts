/**
 * The resolved description a mesh is built from: every default applied, every duration in ms, every rate
 * per ms. `scenario/` produces it from a file; the mesh never sees files or optional fields with defaults.
 */
import type { Distribution } from '../des/index.js';
import type { DeploymentModel } from './deployment-model.js';
import type { ExternalConfig } from './external-destination.js';
import type { FaultConfig } from './fault.js';
import type { RoutingConfig } from './routing-config.js';

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
  /** This version's own behaviour (Bookinfo's reviews v1 calls no ratings); unset fields are the service's. */
  readonly behaviour?: VersionBehaviourConfig | undefined;
}

export interface VersionBehaviourConfig {
  readonly serviceTime?: Distribution | undefined;
  readonly errorRate?: number | undefined;
  readonly calls?: readonly CallStepConfig[] | undefined;
}

export interface CallConfig {
  readonly service: string;
  readonly probability: number;
  /**
   * What the application does when the call fails (after Envoy's retries): 'fail' answers 500 (what the
   * scenario's default resolves to), 'continue' carries on without it, a number answers that status.
   */
  readonly onError: 'fail' | 'continue' | number;
  /**
   * The application's own timeout and retries for the call (outside Envoy, app-call.ts); undefined when it
   * has neither: one try, waiting as long as Envoy does.
   */
  readonly app: AppCallConfig | undefined;
}

/** An application's own handling of one call, resolved: every field set, 0 where the scenario gave none. */
export interface AppCallConfig {
  /** Its timeout for one try; 0: none. */
  readonly timeoutMs: number;
  /** Tries after the first (Istio HTTPRetry.attempts counts the same way); 0: none. */
  readonly retries: number;
  /** Its wait before each retry. */
  readonly backoffMs: number;
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
  /**
   * A ServiceEntry host outside the clusters (external-destination.ts): no deployments; `serviceTime` and
   * `errorRate` are the host's own. Undefined for the scenario's services.
   */
  readonly external?: ExternalConfig | undefined;
}

export const ArrivalProcess = { poisson: 'poisson', constant: 'constant' } as const;
export type ArrivalProcess = keyof typeof ArrivalProcess;

export interface RateStepConfig {
  readonly atMs: number;
  readonly ratePerMs: number;
}

/**
 * Closed-loop clients (Fortio -c, k6 constant-vus and ramping-vus): each sends its next request when the
 * previous one answered, after a think time, and no sooner than `minIntervalMs` after its previous send.
 */
export interface ClosedLoopConfig {
  /** Clients at the start. */
  readonly vus: number;
  /** Later client counts (k6 ramping-vus: one change each time the line crosses a whole VU), in time order. */
  readonly vuSteps: readonly { readonly atMs: number; readonly vus: number }[];
  readonly thinkTime: Distribution;
  /** Fortio's per-connection pacing, N / maxRate; 0 without a max rate. */
  readonly minIntervalMs: number;
}

export interface TrafficConfig {
  readonly name: string;
  /** direct: clients are in-mesh workloads with sidecars; ingress: they come through the ingress gateway. */
  readonly via: 'direct' | 'ingress';
  readonly headers: Readonly<Record<string, string>>;
  readonly uri: string;
  /** The client gives up after this long (DC); Infinity for never. */
  readonly timeoutMs: number;
  /**
   * The service clients call. With `host`, where the ingress gateway's routes send the request (reports
   * and estimates use it; the run routes by `host`).
   */
  readonly entry: string;
  /** `via: ingress` only: the Host clients ask for, routed by the Gateway routes (ingress-routes.ts). */
  readonly host?: string;
  /** Share of clients per cluster (weights, summing to 1). */
  readonly from: readonly { readonly cluster: string; readonly weight: number }[];
  readonly ratePerMs: number;
  readonly arrival: ArrivalProcess;
  readonly steps: readonly RateStepConfig[];
  /** Closed-loop clients instead of open-loop arrivals (then `ratePerMs` is 0 and `steps` empty). */
  readonly closedLoop?: ClosedLoopConfig;
}

export interface MeshConfig {
  readonly clusters: readonly ClusterConfig[];
  readonly network: NetworkLatencyConfig;
  readonly sidecar: SidecarConfig;
  readonly services: readonly ServiceConfig[];
  readonly traffic: readonly TrafficConfig[];
  readonly model: DeploymentModel;
  readonly controlPlane: ControlPlaneConfig;
  readonly gateways: GatewaysConfig;
  /** Routing config present in every cluster at the start. */
  readonly routing: RoutingConfig;
  /**
   * Clusters whose API server starts with a routing config of its own (`--istio-config CLUSTER=PATH`),
   * by cluster name (empty when none does); the others start with `routing`. An istiod reads its config
   * cluster's only.
   */
  readonly clusterRouting: Readonly<Record<string, RoutingConfig>>;
  readonly faults: readonly FaultConfig[];
}

/** istiod and xDS timings (defaults in scenario/scenario.ts, each with its source). */
export interface ControlPlaneConfig {
  readonly debounceAfterMs: number;
  readonly debounceMaxMs: number;
  /** Time to compute and send one proxy's push. */
  readonly pushTime: Distribution;
  /** Pushes in flight at once per istiod (PILOT_PUSH_THROTTLE). */
  readonly pushThrottle: number;
  /** istiod's GOMAXPROCS: sets its xDS request rate limit (PILOT_MAX_REQUESTS_PER_SECOND) and default throttle. */
  readonly istiodCores: number;
  readonly reconnectInitialMs: number;
  readonly reconnectMaxMs: number;
  readonly certTtlMs: number;
  /** Fraction of the certificate lifetime after which rotation starts (SECRET_GRACE_PERIOD_RATIO). */
  readonly certRotationFraction: number;
  /** Time from a pod's creation to its container being ready, injection and cert permitting. */
  readonly podStartup: Distribution;
}

export interface GatewaysConfig {
  readonly eastWest: { readonly replicas: number; readonly latency: Distribution };
  readonly ingress: { readonly replicas: number; readonly latency: Distribution };
}
