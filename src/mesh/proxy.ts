/**
 * An Envoy proxy: a client workload's or a service replica's sidecar. It owns its upstream views (and so its
 * load-balancing state) and adds its own latency to every request it handles.
 */
import type { Sampler, Uniform } from '../des/index.js';
import type { Endpoint } from './endpoint.js';
import { Upstream } from './upstream.js';

export const NodeType = { sidecar: 'sidecar', router: 'router' } as const;
export type NodeType = keyof typeof NodeType;

export class Proxy {
  private readonly upstreams: (Upstream | undefined)[] = [];

  constructor(
    readonly id: number,
    readonly nodeType: NodeType,
    readonly cluster: number,
    readonly zone: number,
    readonly latency: Sampler,
    private readonly lbRng: Uniform,
    /** Supplies the hosts this proxy sees for a service, on first use. */
    private readonly discover: (service: number) => readonly Endpoint[],
  ) {}

  /** This proxy's view of `service`. */
  upstream(service: number): Upstream {
    let u = this.upstreams[service];
    if (u === undefined) {
      u = new Upstream(this.discover(service), this.lbRng);
      this.upstreams[service] = u;
    }
    return u;
  }
}
