/**
 * Reality: which pods exist and are ready, cluster by cluster, as each cluster's API server would list
 * them. Endpoints get global ids in creation order and keep them; a dead endpoint is never reused (a new
 * pod gets a new IP, hence a new id).
 *
 * A cluster's API server publishes changes only while it is up; when it comes back it publishes what it
 * missed. Listeners (istiods watching that cluster) are told which endpoint changed.
 */
import type { Endpoint } from './endpoint.js';

/**
 * starting: created, not yet ready (waiting for its container, its certificate and its first config);
 * ready: serving; unavailable: not serving but not deleted (its node or cluster is down); terminated: gone;
 * terminating: deleted gracefully, so no longer listed as ready, but still serving until its sidecar has
 * drained (a rollout's old pods).
 */
export const EndpointState = {
  starting: 0,
  ready: 1,
  terminated: 2,
  unavailable: 3,
  terminating: 4,
} as const;
export type EndpointState = (typeof EndpointState)[keyof typeof EndpointState];

export type EndpointListener = (endpoint: Endpoint, ready: boolean) => void;

export class EndpointRegistry {
  readonly all: Endpoint[] = [];
  /** Per endpoint, its state in reality. */
  private state = new Uint8Array(64);
  /**
   * Endpoints now terminated or unavailable. While it is 0 no endpoint is either, and the request path,
   * which asks for every try, arrival and response, reads this instead of each endpoint's state.
   */
  lost = 0;
  /** Per endpoint, whether its cluster's API server lists it as ready (lags reality while the server is down). */
  private published = new Uint8Array(64);
  private readonly listeners: EndpointListener[] = [];
  private readonly realityListeners: ((id: number, ready: boolean) => void)[] = [];

  add(endpoint: Endpoint): void {
    if (endpoint.id !== this.all.length) throw new Error(`endpoint ids must be dense: got ${endpoint.id}`);
    this.all.push(endpoint);
    if (this.all.length > this.state.length) {
      const grow = (a: Uint8Array) => {
        const b = new Uint8Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.state = grow(this.state);
      this.published = grow(this.published);
    }
    this.state[endpoint.id] = EndpointState.starting;
  }

  get size(): number {
    return this.all.length;
  }

  stateOf(id: number): EndpointState {
    return this.state[id] as EndpointState;
  }

  isReady(id: number): boolean {
    return this.state[id] === EndpointState.ready;
  }

  isPublished(id: number): boolean {
    return this.published[id] === 1;
  }

  onChange(listener: EndpointListener): void {
    this.listeners.push(listener);
  }

  /** Listens to reality itself: an endpoint starts or stops being able to serve. */
  onReality(listener: (id: number, ready: boolean) => void): void {
    this.realityListeners.push(listener);
  }

  /** Changes reality; publishes the change at once if `apiServerUp`, otherwise when `republish` is called. */
  setState(id: number, state: EndpointState, apiServerUp: boolean): void {
    const was = this.state[id];
    const wasReady = was === EndpointState.ready;
    this.lost += (isLost(state) ? 1 : 0) - (isLost(was as EndpointState) ? 1 : 0);
    this.state[id] = state;
    const isReady = state === EndpointState.ready;
    if (wasReady !== isReady) for (const l of this.realityListeners) l(id, isReady);
    if (apiServerUp) this.publish(id);
  }

  /** The API server of a cluster came back: publish every endpoint of it whose listing is out of date. */
  republish(cluster: number): void {
    for (const e of this.all) if (e.cluster === cluster) this.publish(e.id);
  }

  private publish(id: number): void {
    const ready = this.state[id] === EndpointState.ready ? 1 : 0;
    if (this.published[id] === ready) return;
    this.published[id] = ready;
    const endpoint = this.all[id] as Endpoint;
    for (const l of this.listeners) l(endpoint, ready === 1);
  }
}

function isLost(state: EndpointState): boolean {
  return state === EndpointState.terminated || state === EndpointState.unavailable;
}
