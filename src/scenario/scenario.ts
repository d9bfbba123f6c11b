/**
 * The checked, resolved scenario: every default applied, every unit converted (ms, per ms, fractions).
 * Later phases see only this, never the file's optional shapes.
 */
import type { MeshConfig } from '../mesh/index.js';

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The file's own seed (default 1); a `--seed` flag overrides it per run. */
  readonly seed: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Width of report time-series windows. */
  readonly windowMs: number;
  readonly mesh: MeshConfig;
  /** The path it was read from, as given (used in messages and in the rerun command). */
  readonly file: string;
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
} as const;
