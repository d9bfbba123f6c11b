/**
 * The request path's objects whose comments place fields by V8's in-object layout (Proxy, Upstream,
 * ConnectionPool, and the pooled MeshRequest, Call and Attempt; Endpoint in endpoint.test.ts). Own string keys enumerate in the order the fields were first
 * stored, which is V8's layout order. With tsconfig's useDefineForClassFields false that is the constructor's
 * store order (initializers first), not the declaration order: a new field, or an initializer added to a field
 * the constructor stores later, moves every field after it, and this test names the move.
 */
import { describe, expect, it } from 'vitest';
import { AleaStates, StreamSampler } from '../../src/des/index.js';
import { Proxy } from '../../src/mesh/index.js';
import { Attempt, Call, MeshRequest } from '../../src/mesh/request.js';
import type { ServiceRuntime } from '../../src/mesh/service-runtime.js';
import { PrioritySet } from '../../src/mesh/priority-set.js';
import { Upstream } from '../../src/mesh/upstream.js';
import { effectiveTrafficPolicy } from '../../src/mesh/traffic/effective-traffic-policy.js';
import { unlimitedPool } from '../helpers/connection-pool.js';
import { testEndpoint } from '../helpers/endpoint.js';

const proxy = (): Proxy =>
  new Proxy(
    7,
    'sidecar',
    0,
    0,
    { sampler: new StreamSampler({ dist: 'constant', value: 0 }, new AleaStates()), stream: 0 },
    { draws: { next: () => 0 }, stream: 0 },
    {},
  );

describe('mesh: hot objects keep the field order their comments lay out', () => {
  it('Proxy: latency and certificate first, then route, view, place, replica and kind', () => {
    expect(Object.keys(proxy())).toEqual([
      'latencyStream',
      'latencySampler',
      'certOkBeforeMs',
      'snapshot',
      'lastUpstream',
      'lastUpstreamService',
      'zone',
      'cluster',
      'endpoint',
      'nodeType',
      'lbStream',
      'lbDraws',
      'id',
      'otherUpstreams',
      'subsetUpstreams',
      'alive',
      'labels',
      'istiod',
      'connectedTo',
      'reconnectAttempts',
      'reconnectTimer',
      'certRotateAtMs',
      'certExpiry',
      'controlFlags',
    ]);
  });

  it("Upstream: what a try's end reads first, then the pick's and the start's", () => {
    const hosts = [1, 2].map((k) => ({
      host: testEndpoint(k, proxy()),
      weight: 1,
      priority: 0,
      locality: -1,
      localityWeight: 0,
    }));
    const set = new PrioritySet(hosts, effectiveTrafficPolicy(undefined), Int32Array.from([1, 2]));
    const view = new Upstream(set, 0, { next: () => 0 }, 0, undefined, unlimitedPool());
    expect(Object.keys(view)).toEqual([
      'successor',
      'activeHost',
      'activeN',
      'countsAdmission',
      'health',
      'activeMore',
      'snapshotVersion',
      'set',
      'usable',
      'policy',
      'draws',
      'stream',
      'bits',
      'bitsAt',
      'small',
      'admission',
      'wide',
      'rows',
      'row',
      'cursor',
      'gateways',
      'pending',
    ]);
  });

  it('ConnectionPool: what every admission and release reads first', () => {
    expect(Object.keys(unlimitedPool())).toEqual([
      'http2',
      'active',
      'limits',
      'pending',
      'retries',
      'overflows',
    ]);
  });

  it('MeshRequest, Call, Attempt: the stale check, then the hop links (read by every engine callback)', () => {
    const request = new MeshRequest(0, 0, 0, 0, {}, '/');
    const call = new Call(request, undefined, { name: 'back' } as ServiceRuntime, proxy());
    expect(Object.keys(new Attempt(call)).slice(0, 4)).toEqual(['live', 'call', 'endpoint', 'holdsSlot']);
    expect(Object.keys(call).slice(0, 5)).toEqual(['live', 'service', 'request', 'source', 'parent']);
    expect(Object.keys(request).slice(0, 3)).toEqual(['live', 'calls', 'traffic']);
  });
});
