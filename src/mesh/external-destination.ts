/**
 * A host outside the clusters, as a ServiceEntry brings it into the mesh (`location: MESH_EXTERNAL`): the
 * calling proxy's Envoy opens the connection to it directly (no east-west gateway, no pod, no sidecar at
 * the other end), so a try takes the round trip from the caller's locality plus the host's own service
 * time, and answers with the host's own error rate. Envoy's route-level behaviour (VirtualService
 * timeout, retries, fault injection) applies to it as to any host, in the data plane; the host itself is
 * one destination without hosts of its own, so the DestinationRule's per-host settings (outlier detection,
 * connection pool, load balancing) have nothing to act on (validate says so).
 *
 * Contents: `ExternalDestination`, `ExternalConfig`.
 */
import { sampler, type Distribution, type Sampler, type Uniform } from '../des/index.js';

export interface ExternalConfig {
  /** Round trip from a calling proxy to the host and back. */
  readonly latency: Distribution;
  /** The round trip from callers in a region, overriding `latency` for them. */
  readonly latencyFrom: readonly { readonly region: string; readonly latency: Distribution }[];
  /** Status of the host's own errors. */
  readonly errorStatus: number;
}

export class ExternalDestination {
  /** Round trip by the calling proxy's cluster index. */
  private readonly roundTrip: readonly Sampler[];

  constructor(
    config: ExternalConfig,
    /** Region of each cluster, by index. */
    clusterRegions: readonly string[],
    private readonly serviceTime: Sampler,
    private readonly errorRate: number,
    private readonly rng: Uniform,
    /** A stream per distinct latency (the default one and each region's). */
    stream: (key: string) => Uniform,
  ) {
    const byRegion = new Map(config.latencyFrom.map((l) => [l.region, l.latency]));
    const samplers = new Map<string, Sampler>();
    this.roundTrip = clusterRegions.map((region) => {
      const key = byRegion.has(region) ? region : '*';
      let s = samplers.get(key);
      if (s === undefined) {
        s = sampler(byRegion.get(region) ?? config.latency, stream(key));
        samplers.set(key, s);
      }
      return s;
    });
    this.errorStatus = config.errorStatus;
  }

  private readonly errorStatus: number;

  /** Time from the try leaving the caller's proxy to the answer reaching it. */
  answerAfterMs(sourceCluster: number): number {
    return (this.roundTrip[sourceCluster] as Sampler).sample() + this.serviceTime.sample();
  }

  /** The status of the next answer. */
  status(): number {
    return this.errorRate > 0 && this.rng() < this.errorRate ? this.errorStatus : 200;
  }
}
