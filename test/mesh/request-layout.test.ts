/**
 * The request objects' field order, which is V8's in-object layout order (request.ts, Layout): what most
 * engine callbacks read right after the header, so that a pooled object gone cold costs fewer cache lines.
 */
import { describe, expect, it } from 'vitest';
import { Attempt, Call, MeshRequest } from '../../src/mesh/request.js';
import type { Proxy } from '../../src/mesh/proxy.js';
import type { ServiceRuntime } from '../../src/mesh/service-runtime.js';

describe('mesh/request: layout', () => {
  it('puts the stale check and the hop links first (own keys enumerate in layout order)', () => {
    const request = new MeshRequest(0, 0, 0, 0, {}, '/');
    const call = new Call(request, undefined, { name: 'back' } as ServiceRuntime, {} as Proxy);
    expect(Object.keys(new Attempt(call, 0)).slice(0, 4)).toEqual(['live', 'call', 'endpoint', 'holdsSlot']);
    expect(Object.keys(call).slice(0, 5)).toEqual(['live', 'service', 'request', 'source', 'parent']);
    expect(Object.keys(request).slice(0, 3)).toEqual(['live', 'calls', 'traffic']);
  });
});
