/**
 * The only way data leaves the mesh: metrics/ implements this. Records are the live objects, read-only
 * to the observer, so that observing allocates nothing. They are valid during the callback only: requests,
 * calls and attempts are reused once done (request-pools.ts), so an observer copies what it keeps.
 *
 * A run's observer copies what its recorders read of the three hot hooks (`requestStarted`,
 * `callCompleted`, `requestCompleted`) and records them later, in batches, out of the request path
 * (metrics/record-buffer.ts): what a hot hook reports is its argument's fields at the call, never the
 * mesh's state (or the clock) at the time it is recorded. The other hooks are recorded as they come.
 */
import type { Call, MeshRequest } from './request.js';

export interface MeshObserver {
  /** A client sent a request. */
  requestStarted(request: Readonly<MeshRequest>): void;
  /** A call finished: its final response (after retries) reached the calling proxy. */
  callCompleted(call: Readonly<Call>): void;
  /** A client request got its final response (or the client gave up). */
  requestCompleted(request: Readonly<MeshRequest>): void;
  /** An endpoint or config change reached every proxy that should see it, `ms` after it happened. */
  converged(ms: number): void;
  /** The number of proxies whose endpoint view differs from reality is now `count`. */
  staleProxies(count: number, nowMs: number): void;
  /**
   * istiod pushed config to one proxy. `sinceStartMs`: from the start of the push it belongs to (after
   * debounce, istiod's StartPush) to this proxy's push completing, what istiod records per proxy as
   * `pilot_proxy_convergence_time` (pilot/pkg/xds/ads.go); undefined for the initial push on connect,
   * which istiod does not record.
   */
  pushed(sinceStartMs: number | undefined): void;
  /**
   * The number of proxies holding an xDS stream to an istiod changed to `count` (istiod's `pilot_xds`
   * gauge: a stream opened on connect, closed on disconnect, pod removal or the istiod going down).
   * `istiod`: the server's name as the deployment model names it (a cluster, or "external").
   */
  xdsClients(istiod: string, count: number): void;
  /** The injection webhook refused a pod (its istiod unreachable). */
  podCreationRejected(): void;
  /** A proxy's workload certificate expired. */
  certExpired(): void;
}
