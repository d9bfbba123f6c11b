import { describe, expect, it } from 'vitest';
import type { Proxy } from '../../src/mesh/index.js';
import { testEndpoint } from '../helpers/endpoint.js';
import { EndpointRegistry, EndpointState } from '../../src/mesh/endpoint-registry.js';

describe('mesh/endpoint-registry: lost', () => {
  it('counts the endpoints now terminated or unavailable, through every change of state', () => {
    const registry = new EndpointRegistry();
    const sidecar = {} as Proxy;
    for (let id = 0; id < 3; id++) registry.add(testEndpoint(id, sidecar));
    /** `lost` must equal a count over every endpoint, for the request path skips their states while it is 0. */
    const counted = () =>
      [0, 1, 2].filter((id) => {
        const s = registry.stateOf(id);
        return s === EndpointState.terminated || s === EndpointState.unavailable;
      }).length;
    const seen: number[] = [];
    const set = (id: number, state: EndpointState) => {
      registry.setState(id, state, true);
      expect(registry.lost).toBe(counted());
      seen.push(registry.lost);
    };
    expect(registry.lost).toBe(0);
    set(0, EndpointState.ready);
    set(1, EndpointState.ready);
    set(0, EndpointState.unavailable);
    set(0, EndpointState.unavailable); // the same state again counts once
    set(1, EndpointState.terminating);
    set(1, EndpointState.terminated);
    set(0, EndpointState.ready);
    set(2, EndpointState.terminated);
    expect(seen).toEqual([0, 0, 1, 1, 1, 2, 1, 2]);
  });
});
