/**
 * What calibration reads, whatever the source (Prometheus's HTTP API, its saved query results, a Kiali
 * graph): Istio's request telemetry per edge and response, over one time range, and replica counts.
 */

/** A workload as Istio's labels name it. `workload` "unknown": a caller outside the mesh. */
export interface WorkloadRef {
  readonly workload: string;
  readonly namespace: string;
  /** Canonical service (the `app` label); for a destination, the service the caller addressed. */
  readonly service: string;
  /** `version` label, "unknown" when unset. */
  readonly version: string;
  /** Istio's cluster id, "unknown" when unset. */
  readonly cluster: string;
}

/** Counts and latency of one edge and response over the range. */
export interface EdgeSample {
  readonly reporter: 'source' | 'destination';
  readonly source: WorkloadRef;
  readonly destination: WorkloadRef;
  readonly responseCode: number;
  /** Envoy's response flags, "-" for none. */
  readonly responseFlags: string;
  /** Requests in the range. */
  readonly requests: number;
  /** Sum of durations (ms) in the range; undefined when the source has no histogram (Kiali). */
  readonly durationSumMs?: number;
  /** Cumulative bucket counts in the range by upper bound (ms), ascending, +Inf left out. */
  readonly durationBuckets?: readonly { readonly le: number; readonly count: number }[];
}

/** Replicas of a Deployment (kube-state-metrics `kube_deployment_spec_replicas`). */
export interface ReplicaSample {
  readonly namespace: string;
  readonly deployment: string;
  /** The `cluster` label when the Prometheus federates clusters; undefined otherwise. */
  readonly cluster?: string;
  readonly replicas: number;
}

export interface Observations {
  /** Where they came from, for the written file's comments (a URL and range, or a file name). */
  readonly origin: string;
  readonly rangeSeconds: number;
  readonly edges: readonly EdgeSample[];
  readonly replicas: readonly ReplicaSample[];
}

/** A located problem in calibration input: exit 2 with this text. */
export class CalibrationInputError extends Error {
  override readonly name = 'CalibrationInputError';
}
