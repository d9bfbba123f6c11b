/**
 * An Envoy proxy: a client workload's sidecar, a service replica's sidecar, or a gateway (router). It holds
 * what its istiod last pushed (the snapshot), its xDS connection state, its workload certificate, and its
 * upstream views with their load-balancing, outlier and connection-pool state. Behaviour lives in the
 * control plane (connection, certificates) and the data plane (requests); this is the proxy's state.
 *
 * Layout: a request hop reads a random proxy, which on a large mesh is not in cache. The fields a hop reads
 * (latency stream, certificate expiry, snapshot, last view, zone, cluster, endpoint and kind) are declared
 * first, so V8 lays them out in the object's first 104 bytes (Node's V8 has no pointer compression: 8 bytes
 * a field after a 24-byte header); the balancing stream (copied into each view) and the id follow, then the
 * control plane's fields. The sidecar's
 * latency is drawn by one sampler shared by every proxy with the same distribution, from this proxy's own
 * stream, named by a number (des/distribution.ts `StreamSampler`): no sampler object or closure per proxy.
 */
import type { EventId, StreamDraws, StreamSampler } from '../des/index.js';
import type { Endpoint } from './endpoint.js';
import type { EndpointSnapshot } from './endpoint-snapshot.js';
import type { Istiod } from './istiod.js';
import type { Upstream } from './upstream.js';

export const NodeType = { sidecar: 'sidecar', router: 'router' } as const;
export type NodeType = keyof typeof NodeType;

/** How a proxy draws its own processing latency: a shared sampler, and the proxy's stream in it. */
export interface ProxyLatency {
  readonly sampler: StreamSampler;
  readonly stream: number;
}

/** A proxy's load-balancing stream: shared draws, and the proxy's stream index in them. */
export interface ProxyStream {
  readonly draws: StreamDraws;
  readonly stream: number;
}

/** The largest rounded expiry kept inline: 2^30 - 1 ms (12.4 days), a small integer in every V8 build. */
const CERT_CHECK_CAP_MS = 2 ** 30 - 1;

/**
 * A lower bound on every proxy's rounded certificate expiry (`certOkBeforeMs`) in this process: the lowest
 * value ever given one. Before it, every proxy's certificate is valid (`certsValidAt`), so a hop can skip
 * reading the replica's sidecar (a cold object on a large mesh) for its handshake. Only ever lowered, so it
 * is never above any proxy's current bound, whichever mesh of the process set it; a run with short-lived or
 * expired certificates lowers it and its hops read the sidecars again.
 */
let certFloorMs = CERT_CHECK_CAP_MS;

/** Whether, at `nowMs`, every proxy of this process holds a valid certificate (see `certFloorMs`). */
export function certsValidAt(nowMs: number): boolean {
  return nowMs < certFloorMs;
}

/** Bits of `Proxy.controlFlags`. */
const PUSH_QUEUED = 1;
const CERT_EXPIRED_REPORTED = 2;

export class Proxy {
  /*
   * Read by every request hop (declaration order is V8's in-object layout order: the constructor stores
   * every field in that order, and with tsconfig's useDefineForClassFields false a field exists from its
   * first store). First its latency and its certificate: every hop draws the sending proxy's latency and checks its certificate at the
   * handshake; the proxy it sends to is read for them only through a gateway (a pod's own latency stream
   * is in the view's hop table) or while some certificate may have expired (`certsValidAt`), and that
   * proxy is usually cold on a large mesh, so these three come right after the header, in the object's
   * first cache line more often. Then the sending proxy's route and view (snapshot, last view), where it
   * is (zone, cluster: the path and the recorder), its replica (the recorder's edge) and its kind (the
   * route resolver).
   */
  /** This proxy's latency stream, an index into the shared sampler's states. */
  private readonly latencyStream: number;
  private readonly latencySampler: StreamSampler;
  /**
   * `certExpiresMs` rounded down and capped at CERT_CHECK_CAP_MS, a small integer V8 keeps in the object
   * itself: `hasValidCert` answers from it while the time is before it. A double field is a pointer to a
   * separate number object, one more cache line per handshake on a large mesh (where nearly every hop
   * opens a new connection: a sidecar of a 25,000-pod mesh meets a new host on most requests).
   */
  private certOkBeforeMs: number;
  /** The last config received; kept while istiod is unreachable (its version tells a view is current). */
  snapshot: EndpointSnapshot | undefined;
  /**
   * The default-cluster view asked for last and its service index: most sidecars call one service, and
   * then this is the only view they hold (`defaultUpstream`).
   */
  lastUpstream: Upstream | undefined;
  lastUpstreamService: number;
  readonly zone: number;
  readonly cluster: number;
  /** The replica this sidecar belongs to (undefined for clients and gateways). */
  endpoint: Endpoint | undefined;
  // Read by the route resolver on every call.
  readonly nodeType: NodeType;
  /*
   * Not read per hop: a view copies the balancing stream when it is built (fault, back-off and retry draws
   * read it here), and the id names the proxy to the control plane.
   */
  /** Load balancing, retry backoff and fault draws: this proxy's own stream, by index in shared draws. */
  readonly lbStream: number;
  readonly lbDraws: StreamDraws;
  readonly id: number;

  // Read when a view is (re)built or a subset called.
  /**
   * The default-cluster views of the services called before the last one, by service index, made when a
   * proxy calls a second service: a holey array per proxy, sized by V8 for the index first written, was
   * ~300 bytes (7 MB of a 25,000-pod mesh whose sidecars each call one service).
   */
  private otherUpstreams: (Upstream | undefined)[] | undefined;
  /**
   * Views of subsets by key (service index, subset), made on the first subset call: most proxies never
   * call one, and an empty Map per proxy was ~290 bytes (7 MB of a 25,000-pod mesh).
   */
  subsetUpstreams: Map<number, Upstream> | undefined;

  // The control plane's.
  /** False once its pod is gone. */
  alive: boolean;
  readonly labels: Readonly<Record<string, string>>;
  /** The istiod that serves this proxy's cluster under the deployment model. */
  istiod: Istiod | undefined;
  /** The istiod it has a live xDS stream to, if any. */
  connectedTo: Istiod | undefined;
  reconnectAttempts: number;
  reconnectTimer: EventId | undefined;
  /** When the current certificate's rotation (or its next retry) is due; earlier rotation timers are stale. */
  certRotateAtMs: number;
  /** When the current certificate expires (Infinity: none issued yet, as before the first push). */
  private certExpiry: number;
  /**
   * `pushQueued` and `certExpiredReported`, one bit each in one field: the inline rounded expiry above
   * took a field, and this gives it back (a proxy per pod: 8 bytes a pod at 100,000 pods).
   */
  private controlFlags: number;

  constructor(
    id: number,
    nodeType: NodeType,
    cluster: number,
    zone: number,
    latency: ProxyLatency,
    lb: ProxyStream,
    labels: Readonly<Record<string, string>>,
  ) {
    // In declaration order (the layout above).
    this.latencyStream = latency.stream;
    this.latencySampler = latency.sampler;
    this.certOkBeforeMs = CERT_CHECK_CAP_MS;
    this.snapshot = undefined;
    this.lastUpstream = undefined;
    this.lastUpstreamService = -1;
    this.zone = zone;
    this.cluster = cluster;
    this.endpoint = undefined;
    this.nodeType = nodeType;
    this.lbStream = lb.stream;
    this.lbDraws = lb.draws;
    this.id = id;
    this.otherUpstreams = undefined;
    this.subsetUpstreams = undefined;
    this.alive = true;
    this.labels = labels;
    this.istiod = undefined;
    this.connectedTo = undefined;
    this.reconnectAttempts = 0;
    this.reconnectTimer = undefined;
    this.certRotateAtMs = Infinity;
    this.certExpiry = Infinity;
    this.controlFlags = 0;
  }

  /** The view of `service`'s default cluster this proxy holds (maybe built for an older snapshot). */
  defaultUpstream(service: number): Upstream | undefined {
    return service === this.lastUpstreamService ? this.lastUpstream : this.otherUpstreams?.[service];
  }

  /** `view` is now the view of `service`'s default cluster, and the one asked for last. */
  setDefaultUpstream(service: number, view: Upstream): void {
    const last = this.lastUpstream;
    if (last !== undefined && service !== this.lastUpstreamService)
      (this.otherUpstreams ??= [])[this.lastUpstreamService] = last;
    this.lastUpstream = view;
    this.lastUpstreamService = service;
  }

  /** Every default-cluster view this proxy holds, one per service it called. */
  get defaultUpstreams(): Upstream[] {
    const views: Upstream[] = [];
    this.otherUpstreams?.forEach((v, s) => {
      if (v !== undefined && s !== this.lastUpstreamService) views.push(v);
    });
    if (this.lastUpstream !== undefined) views.push(this.lastUpstream);
    return views;
  }

  /** How this proxy draws its latency (read when a view's hosts are laid out, priority-set.ts). */
  get latency(): ProxyLatency {
    return { sampler: this.latencySampler, stream: this.latencyStream };
  }

  /** A draw of this proxy's processing latency (ms), from its own stream. */
  sampleLatency(): number {
    return this.latencySampler.sample(this.latencyStream);
  }

  /** The next uniform of this proxy's balancing stream (fault, back-off and balancing draws). */
  drawLb(): number {
    return this.lbDraws.next(this.lbStream);
  }

  /** A push to this proxy is queued at its istiod. */
  get pushQueued(): boolean {
    return (this.controlFlags & PUSH_QUEUED) !== 0;
  }

  set pushQueued(queued: boolean) {
    this.controlFlags = queued ? this.controlFlags | PUSH_QUEUED : this.controlFlags & ~PUSH_QUEUED;
  }

  /** The current certificate's expiry was reported (once per certificate). */
  get certExpiredReported(): boolean {
    return (this.controlFlags & CERT_EXPIRED_REPORTED) !== 0;
  }

  set certExpiredReported(reported: boolean) {
    this.controlFlags = reported
      ? this.controlFlags | CERT_EXPIRED_REPORTED
      : this.controlFlags & ~CERT_EXPIRED_REPORTED;
  }

  /** When the current certificate expires (ms). */
  get certExpiresMs(): number {
    return this.certExpiry;
  }

  set certExpiresMs(ms: number) {
    this.certExpiry = ms;
    // Never above the expiry, so before it the certificate is valid (NaN, never valid, gives the floor).
    const okBefore =
      ms >= CERT_CHECK_CAP_MS
        ? CERT_CHECK_CAP_MS
        : ms >= -CERT_CHECK_CAP_MS
          ? Math.floor(ms)
          : -CERT_CHECK_CAP_MS;
    this.certOkBeforeMs = okBefore;
    if (okBefore < certFloorMs) certFloorMs = okBefore;
  }

  /** Whether a new mTLS handshake can use this proxy's certificate at `nowMs`. */
  hasValidCert(nowMs: number): boolean {
    // The exact expiry only when the time has reached the rounded one (or passed the cap, 12 days).
    return nowMs < this.certOkBeforeMs || nowMs < this.certExpiry;
  }
}
