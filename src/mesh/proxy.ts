/**
 * An Envoy proxy: a client workload's sidecar, a service replica's sidecar, or a gateway (router). It holds
 * what its istiod last pushed (the snapshot), its xDS connection state, its workload certificate, and its
 * upstream views with their load-balancing, outlier and connection-pool state. Behaviour lives in the
 * control plane (connection, certificates) and the data plane (requests); this is the proxy's state.
 */
import type { EventId, Sampler, Uniform } from '../des/index.js';
import type { Endpoint } from './endpoint.js';
import type { EndpointSnapshot } from './endpoint-snapshot.js';
import type { Istiod } from './istiod.js';
import type { Upstream } from './upstream.js';

export const NodeType = { sidecar: 'sidecar', router: 'router' } as const;
export type NodeType = keyof typeof NodeType;

export class Proxy {
  /** The istiod that serves this proxy's cluster under the deployment model. */
  istiod: Istiod | undefined = undefined;
  /** The istiod it has a live xDS stream to, if any. */
  connectedTo: Istiod | undefined = undefined;
  /** The last config received; kept while istiod is unreachable. */
  snapshot: EndpointSnapshot | undefined = undefined;
  pushQueued = false;
  reconnectAttempts = 0;
  reconnectTimer: EventId | undefined = undefined;
  /** False once its pod is gone. */
  alive = true;
  certExpiresMs = Infinity;
  certExpiredReported = false;
  /** Upstream views of each service's default cluster, by service index, rebuilt when the snapshot changes. */
  readonly defaultUpstreams: (Upstream | undefined)[] = [];
  /**
   * Views of subsets by key (service index, subset), made on the first subset call: most proxies never
   * call one, and an empty Map per proxy was ~290 bytes (7 MB of a 25,000-pod mesh).
   */
  subsetUpstreams: Map<number, Upstream> | undefined = undefined;
  /** Round-robin position, for ROUND_ROBIN balancing. */
  rrCursor = 0;

  constructor(
    readonly id: number,
    readonly nodeType: NodeType,
    readonly cluster: number,
    readonly zone: number,
    readonly latency: Sampler,
    readonly lbRng: Uniform,
    readonly labels: Readonly<Record<string, string>>,
  ) {}

  /** The replica this sidecar belongs to (undefined for clients and gateways). */
  endpoint: Endpoint | undefined = undefined;

  /** Whether a new mTLS handshake can use this proxy's certificate at `nowMs`. */
  hasValidCert(nowMs: number): boolean {
    return nowMs < this.certExpiresMs;
  }
}
