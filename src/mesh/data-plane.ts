/**
 * The request path, as Envoy and the applications behind it would run it, split by role:
 *
 *   client ─► source sidecar: route (VirtualService), fault injection, timeouts          client-side.ts
 *     ─► attempt: connection pool, host pick (locality priority, outlier ejection, least request)
 *     ─► [east-west gateway of the host's network] ─► replica sidecar                  connection-path.ts
 *     ─► replica queue ─► service time ─► downstream steps (in order; a parallel group
 *        awaits all) ─► response                                                          replica-side.ts
 *     ─► retry policy ─► caller                                                            client-side.ts
 *
 * How an attempt ends is one vocabulary (traffic/attempt-outcome.ts) shared by the retry policy, outlier
 * detection and the response flags. Connect failures and resets are retried by Istio's default policy (2
 * retries, other hosts); 5xx responses are not (since 1.24). This file builds the three roles and is what
 * the mesh holds: a request in, infrastructure changes in; everything out goes to the observer.
 *
 * Contents: `DataPlane`.
 */
import { AttemptPool, CallPool, RequestPool } from './request-pools.js';
import { ClientSide } from './client-side.js';
import { ConnectionPath } from './connection-path.js';
import type { DataPlaneContext, DataPlaneRoles, TrafficOrigin } from './data-plane-roles.js';
import type { Proxy } from './proxy.js';
import { ReplicaSide } from './replica-side.js';

export class DataPlane implements DataPlaneRoles {
  readonly client: ClientSide;
  readonly path: ConnectionPath;
  readonly replica: ReplicaSide;
  readonly attempts = new AttemptPool();
  readonly calls = new CallPool();
  readonly requests = new RequestPool();

  constructor(ctx: DataPlaneContext) {
    // Each role reaches the others through this object, read when a request needs them (never while
    // constructing), so the three can be built in any order.
    this.client = new ClientSide(ctx, this);
    this.path = new ConnectionPath(ctx, this);
    this.replica = new ReplicaSide(ctx, this);
  }

  /** A client of `origin` sends a request from proxy `client` in `cluster`; `down`: its way in is gone. */
  sendRequest(origin: TrafficOrigin, cluster: number, client: Proxy, down: boolean): void {
    this.client.sendRequest(origin, cluster, client, down);
  }

  /** After any infrastructure change: attempts hung on a path that is open again are reset. */
  pathsChanged(): void {
    this.path.pathsChanged();
  }
}
