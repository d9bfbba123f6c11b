/**
 * One proxy's view of one service (an Envoy cluster `outbound|port||host`): the hosts it knows and how many
 * requests it has in flight to each, which is what least-request balancing reads.
 */
import type { Uniform } from '../des/index.js';
import type { Endpoint } from './endpoint.js';
import { pickLeastRequest } from './load-balancer.js';

export class Upstream {
  readonly active: Int32Array;

  constructor(
    readonly hosts: readonly Endpoint[],
    private readonly rng: Uniform,
  ) {
    this.active = new Int32Array(hosts.length);
  }

  /** Picks a host and counts the request as active on it; returns -1 when the view is empty. */
  pick(): number {
    const n = this.hosts.length;
    if (n === 0) return -1;
    const host = n === 1 ? 0 : pickLeastRequest(this.active, n, this.rng);
    this.active[host] = (this.active[host] as number) + 1;
    return host;
  }

  /** The request to `host` has completed. */
  done(host: number): void {
    this.active[host] = (this.active[host] as number) - 1;
  }
}
