/**
 * Istio's standard metrics of a run as plain data (what istio-telemetry-recorder.ts and
 * istiod-telemetry-recorder.ts record, and report/openmetrics.ts writes), and the shape of the mesh the
 * recorders name workloads from. Plain data: a run in a worker thread hands it back whole.
 */
import type { IstiodTelemetry } from './istiod-telemetry-recorder.js';

/** A workload as Istio's labels name it. */
export interface TelemetryWorkload {
  /** Kubernetes workload (Deployment) name: the service, with `-<version>` when its pods carry one. */
  readonly workload: string;
  readonly namespace: string;
  readonly canonicalService: string;
  /** `service.istio.io/canonical-revision`: the version label, else Istio's default "latest". */
  readonly canonicalRevision: string;
  /** The `version` label, else "unknown" (as Istio's stats filter reports a missing label). */
  readonly version: string;
  readonly app: string;
  /** Istio's CLUSTER_ID. */
  readonly cluster: string;
  /** SPIFFE identity (service account named after the service). */
  readonly principal: string;
}

export interface TelemetrySeries {
  readonly reporter: 'source' | 'destination';
  /** Indexes into `IstioTelemetry.workloads`; -1: unknown (no upstream host was picked). */
  readonly source: number;
  readonly destination: number;
  /** The service the caller addressed (destination_service), by name. */
  readonly destinationService: string;
  readonly responseCode: number;
  readonly responseFlags: string;
  /** Per window: completions. */
  readonly counts: ArrayLike<number>;
  /** Per window: sum of durations, ms. */
  readonly sumsMs: ArrayLike<number>;
  /** Per window, `buckets.length + 1` counts (the last: above every bound), flattened. */
  readonly buckets: ArrayLike<number>;
}

export interface IstioTelemetry {
  /** Simulated time of the first sample (the end of warm-up): every counter is 0 there. */
  readonly startMs: number;
  readonly windowMs: number;
  /** Windows sampled; sample k (0..windows) is at `startMs + k * windowMs`. */
  readonly windows: number;
  readonly namespace: string;
  readonly durationBucketsMs: readonly number[];
  readonly workloads: readonly TelemetryWorkload[];
  readonly series: readonly TelemetrySeries[];
  /** istiod's series (istiod-telemetry-recorder.ts); null: the model has no control plane to report. */
  readonly controlPlane: IstiodTelemetry | null;
}

export interface TelemetryShape {
  readonly services: readonly string[];
  readonly clusters: readonly string[];
  /** Traffic sources: their name and whether clients come through the ingress gateway. */
  readonly traffic: readonly { readonly name: string; readonly via: 'direct' | 'ingress' }[];
  readonly warmupMs: number;
  /** When the simulation stops (duration plus drain): the last sample is at or after it. */
  readonly endMs: number;
  readonly windowMs: number;
  /** The model's istiods by server name (a cluster, or "external"); empty: no control plane to report. */
  readonly istiods: readonly string[];
  /** The simulation clock (control-plane events carry no time). */
  readonly now: () => number;
  /** Kubernetes namespace of every service: meshsim has one (the scenario's `DEFAULT_NAMESPACE`). */
  readonly namespace: string;
}
