/**
 * A replica made outside Workloads, for tests that need a host or a registry entry but no deployment:
 * Endpoint takes a complete EndpointContext (no field defaults in src for fixtures), so the defaults a
 * test leaves unsaid live here.
 */
import { Endpoint, type EndpointContext, type Proxy } from '../../src/mesh/index.js';

/**
 * Service, cluster and zone 0, no labels, one worker slot, no line limit, and no deployment: -1, which the
 * service graph refuses (service-graph.ts `firstSight`), so a test endpoint that reaches a run recorder
 * fails loudly instead of being counted as deployment 0's.
 */
export function testEndpoint(id: number, sidecar: Proxy, c: Partial<EndpointContext> = {}): Endpoint {
  return new Endpoint({
    id,
    service: 0,
    cluster: 0,
    zone: 0,
    labels: {},
    sidecar,
    concurrency: 1,
    queueLimit: Infinity,
    deployment: -1,
    ...c,
  });
}
