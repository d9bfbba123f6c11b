/**
 * A service replica (Istio's `IstioEndpoint` backed by a pod): its locality, labels, worker slots and queue,
 * and its sidecar. Whether it is ready or gone is reality, kept by the EndpointRegistry. It is also the
 * host a proxy's view lists for the pod (priority-set.ts `UpstreamHost`, tagged `kind` 'pod').
 *
 * Layout: the endpoint is its own worker slots (a des Resource) rather than holding one. A request hop
 * reads the host it picked, the endpoint, and its slots; on a 25,000-pod mesh each was a separate cold
 * object (a sidecar sends about a request a second, each to a host it has not touched for seconds), so
 * a hop paid a cache miss per object. One object of 128 bytes now holds what three (256 bytes) did.
 */
import { Resource } from '../des/index.js';
import type { Proxy } from './proxy.js';

/**
 * The longest waiting line of a replica with no `queueLimit`, a small integer where Infinity made V8 keep
 * the field in a number object of its own per pod (16 bytes, and one more object for every full collection
 * to mark and sweep). It cannot be reached: 2^30 - 1 waiting tries hold far more than Node's heap (a waiting
 * request is a kilobyte or more, check-size.ts `MAX_QUEUED`), so the run fails on memory long before a try
 * could be refused for it.
 */
const UNLIMITED_LINE = 2 ** 30 - 1;

export class Endpoint extends Resource {
  constructor(
    readonly id: number,
    readonly service: number,
    readonly cluster: number,
    readonly zone: number,
    readonly labels: Readonly<Record<string, string>>,
    readonly sidecar: Proxy,
    /** Worker slots (the deployment's `concurrency`) and the longest line waiting for one. */
    concurrency: number,
    queueLimit: number = Infinity,
  ) {
    super(concurrency, Math.min(queueLimit, UNLIMITED_LINE));
  }

  /** The union's tag (on the prototype: no field per pod). */
  get kind(): 'pod' {
    return 'pod';
  }

  /** Stable identity across view rebuilds: the endpoint id (as a gateway host's key is its group's). */
  get key(): number {
    return this.id;
  }

  /** The replica's worker slots and their waiting line: the endpoint itself (see the layout note). */
  get slots(): Resource {
    return this;
  }
}
