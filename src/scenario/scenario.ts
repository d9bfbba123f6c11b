/**
 * The checked, resolved scenario: every default applied, every unit converted (ms, per ms, fractions).
 * Later phases see only this, never the file's optional shapes.
 */
import type { DeploymentModel, MeshConfig } from '../mesh/index.js';
import type { Threshold } from './thresholds.js';

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The file's own seed (default 1); a `--seed` flag overrides it per run. */
  readonly seed: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Width of report time-series windows. */
  readonly windowMs: number;
  /** The mesh, less the deployment model, which each run picks from `models`. */
  readonly mesh: Omit<MeshConfig, 'model'>;
  /** Deployment models to compare, in the file's order (never empty). */
  readonly models: readonly DeploymentModel[];
  readonly slo: Slo;
  /** Replications per model for `compare`. */
  readonly replications: number;
  /** Most client requests the file may make over all models and replications (`report.maxRequests`). */
  readonly maxRequests: number;
  /** The cost-model constants the file sets (`cost:`); empty when it sets none. */
  readonly cost: CostSettings;
  /** The blast-radius thresholds the file sets (`report.blastRadius`); empty when it sets none. */
  readonly blastRadius: BlastRadiusSettings;
  /** k6-style thresholds (`thresholds:`), keys in the file's order; empty when it sets none. */
  readonly thresholds: readonly Threshold[];
  /** The material-difference thresholds the file sets (`report.material`); empty when it sets none. */
  readonly material: MaterialSettings;
  /** The path it was read from, as given (used in messages and in the rerun command). */
  readonly file: string;
  /** `--istio-config` paths it was loaded with, in order (the rerun command repeats them). */
  readonly istioConfig?: readonly string[];
}

/** Service-level objectives; each undefined when not stated. */
export interface Slo {
  readonly availability: number | undefined;
  readonly latencyMs: {
    readonly p50: number | undefined;
    readonly p90: number | undefined;
    readonly p99: number | undefined;
    readonly p999: number | undefined;
  };
}

/**
 * Constants of the cost model by the names of metrics/'s `CostConstants`; a key left out keeps its
 * published default. Declared here, as plain data, because scenario/ may not import metrics/: experiment/
 * hands them on, and a test keeps the two shapes the same.
 */
export interface CostSettings {
  readonly istiodVcpuAtReference?: number;
  readonly istiodMemoryGbAtReference?: number;
  readonly istiodReferenceServices?: number;
  readonly istiodReferenceProxies?: number;
  readonly istiodMinVcpu?: number;
  readonly istiodMinMemoryGb?: number;
  readonly sidecarVcpuPer1000Rps?: number;
  readonly sidecarMemoryMb?: number;
  readonly requestBytes?: number;
  readonly responseBytes?: number;
  readonly crossZonePricePerGbEachSide?: number;
  readonly crossRegionPricePerGb?: number;
}

/**
 * Blast-radius thresholds by the names of metrics/'s `BlastRadiusThresholds` (fractions as fractions:
 * 0.01 is one point); a key left out keeps its default. Plain data, for the reason `CostSettings` is.
 */
export interface BlastRadiusSettings {
  readonly errorRateRise?: number;
  readonly p99Rise?: number;
  readonly deadlineFactor?: number;
  readonly minRequests?: number;
  readonly minLatencySamples?: number;
}

/** Defaults, each with where it comes from. */
export const Defaults = {
  seed: 1,
  warmupMs: 0,
  windowMs: 10_000,
  /** Sketch value in scenario-format.md; a typical servlet/worker pool order of magnitude. */
  concurrency: 16,
  /** One flat network, as Istio assumes when `topology.istio.io/network` is unset. */
  network: 'network1',
  /**
   * One-way latencies. Same zone 0.1 ms and cross zone 0.5 ms: inter-AZ pings of 0.25 ms to ~2 ms RTT
   * (istio-behaviour.md 5.5). Cross region 39 ms: half of the 78.75 ms eu-west-1 <-> ca-central-1 ping
   * measured there.
   */
  sameZoneMs: 0.1,
  crossZoneMs: 0.5,
  crossRegionMs: 39,
  /**
   * One sidecar's added latency: lognormal through median 0.48 ms and p99 1.35 ms. Derived from Istio
   * 1.12.3's +1.7 ms p90 / +2.7 ms p99 for client and server sidecars together (istio-behaviour.md 5.1),
   * halved per proxy and fitted through the halved p90 and p99 [inference].
   */
  sidecarLatency: { dist: 'lognormal', median: 0.48, p99: 1.35 },
  replications: 10,
  /**
   * 50 million client requests over all models and replications: about ten minutes of simulation on a
   * two-core machine at the measured 50 to 100 thousand requests per second. Beyond it, a file more likely
   * holds a stray zero than an intent (allowLarge says otherwise).
   */
  maxRequests: 50_000_000,
  /** k6's default request timeout: a client that waits for ever is not a real client. */
  clientTimeoutMs: 60_000,
  /** PILOT_DEBOUNCE_AFTER and PILOT_DEBOUNCE_MAX (istio-behaviour.md 3.1). */
  debounceAfterMs: 100,
  debounceMaxMs: 10_000,
  /** No published per-proxy push-time distribution exists (istio-behaviour.md 5.3); scenario-format.md's sketch value. */
  pushTime: { dist: 'lognormal', median: 50, p99: 1000 },
  /**
   * istiod's GOMAXPROCS: the chart sets no CPU limit, so the Go runtime takes the node's cores; 2 is a small
   * node (an assumption: set `controlPlane.istiodCores` to your nodes' vCPUs). PILOT_PUSH_THROTTLE defaults
   * to min(15 + 5 × cores, 100) = 25 (mesh/control-plane.ts `pilotConcurrencyDefault`).
   */
  istiodCores: 2,
  /** Envoy's xDS reconnect backoff (subscription_factory.h). */
  reconnectInitialMs: 500,
  reconnectMaxMs: 30_000,
  /** SECRET_TTL and SECRET_GRACE_PERIOD_RATIO (istio-behaviour.md 6). */
  certTtlMs: 24 * 3600_000,
  certRotationFraction: 0.5,
  /** Container start with a cached image [assumption]; the sidecar's certificate and first push follow. */
  podStartup: { dist: 'lognormal', median: 5000, p99: 30_000 },
  /** Istio's gateway chart HPA minimum is 1; the AKS add-on's is 2 (istio-behaviour.md 5.2). */
  gatewayReplicas: 2,
} as const;

/** `report.material`, converted: fractions for points, ratios for relative thresholds; only keys set. */
export interface MaterialSettings {
  readonly availability?: number;
  readonly latency?: number;
  readonly cost?: number;
  readonly blastRadius?: number;
  readonly locality?: number;
}
