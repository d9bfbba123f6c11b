/**
 * istiod's push pipeline (istio-behaviour.md 3.1, 5.3): PILOT_DEBOUNCE_AFTER 100 ms of quiet,
 * PILOT_DEBOUNCE_MAX 10 s at most, then a push per proxy taking the push time.
 */
import { describe, expect, it } from 'vitest';
import { AleaStates, Engine, RngStreams, StreamSampler, sampler } from '../../../src/des/index.js';
import { Proxy, Topology } from '../../../src/mesh/index.js';
import { EndpointRegistry } from '../../../src/mesh/endpoint-registry.js';
import { Infrastructure } from '../../../src/mesh/infrastructure.js';
import { Istiod } from '../../../src/mesh/istiod.js';
import { CONTROL_PLANE } from '../../helpers/mesh-config.js';
import type { MeshObserver } from '../../../src/mesh/index.js';
import { buildMesh } from '../../../src/scenario/index.js';
import { loadInline } from '../../helpers/mesh-run.js';
import { testEndpoint } from '../../helpers/endpoint.js';

interface Pushes {
  /** meshsim's convergence: a change until its last proxy (the run summary's figure). */
  readonly converged: number[];
  /** Per completed push: [time, ms since its debounced push started (undefined: initial push), proxies streaming then]. */
  readonly pushes: [number, number | undefined, number][];
}

function convergence(faults: string): number[] {
  return run(faults).converged;
}

function run(faults: string): Pushes {
  const scenario = loadInline(`
name: debounce
duration: 60s
clusters: [{ name: a, region: r1, zones: [a1] }]
mesh: { controlPlane: { pushTime: 10ms, podStartup: 1s } }
services:
  - { name: backend, deployments: [{ cluster: a, replicas: 4 }], serviceTime: 1ms }
traffic: [{ name: web, entry: backend, from: a, rate: 10/s }]
models: [{ name: mp, controlPlane: multi-primary }]
faults: ${faults}
`);
  const samples: number[] = [];
  const pushes: Pushes['pushes'] = [];
  let streaming = (): number => 0;
  const noop = () => {};
  const observer: MeshObserver = {
    requestStarted: noop,
    requestCompleted: noop,
    callCompleted: noop,
    converged: (ms) => samples.push(ms),
    staleProxies: noop,
    pushed: (sinceStartMs) => pushes.push([engine.now, sinceStartMs, streaming()]),
    xdsClients: noop,
    podCreationRejected: noop,
    certExpired: noop,
  };
  const engine = new Engine();
  const mesh = buildMesh(scenario, scenario.models[0] as never, engine, new RngStreams(1), observer);
  streaming = () => mesh.allProxies.filter((p) => p.connectedTo !== undefined).length;
  mesh.start(scenario.durationMs);
  engine.run(scenario.durationMs);
  return { converged: samples, pushes };
}

/** A proxy for a standalone istiod's tests: no latency, no balancing draws, no metadata. */
function bareProxy(id: number): Proxy {
  return new Proxy(
    id,
    'sidecar',
    0,
    0,
    { sampler: new StreamSampler({ dist: 'constant', value: 0 }, new AleaStates()), stream: 0 },
    { draws: { next: () => 0 }, stream: 0 },
    {},
  );
}

/** One istiod on one cluster, no mesh around it, every push taking 10 ms; `hooks` watch its pushes. */
function standaloneIstiod(hooks: {
  pushed: (sinceStartMs: number | undefined) => void;
  deliver: (proxy: Proxy) => void;
  nextSnapshotVersion: () => number;
}): { engine: Engine; registry: EndpointRegistry; istiod: Istiod } {
  const clusters = [{ name: 'a', region: 'r1', zones: ['a1'], network: 'n' }];
  const engine = new Engine();
  const topology = new Topology(clusters);
  const registry = new EndpointRegistry();
  const istiod = new Istiod('istiod/a', { cluster: 0, region: 'r1' }, 0, 25, {
    engine,
    registry,
    infra: new Infrastructure(topology),
    topology,
    settings: { ...CONTROL_PLANE, pushTime: { dist: 'constant', value: 10 } },
    pushTime: sampler({ dist: 'constant', value: 10 }, () => 0),
    config: () => ({ routing: { virtualServices: [], destinationRules: [] }, version: 0 }),
    ...hooks,
  });
  return { engine, registry, istiod };
}

describe('mesh/istio: debounce and push', () => {
  it('one pod change reaches every proxy after the 100 ms quiet period plus one push time', () => {
    const samples = convergence('[{ at: 10s, type: pod-failure, service: backend, cluster: a }]');
    // The kill converges at 100 + 10 ms (fewer proxies than the push throttle, so pushes run in parallel);
    // so does its replacement turning ready 1 s later.
    expect(samples).toEqual([110, 110]);
  });

  it('pilot_proxy_convergence_time as istiod records it: one observation per proxy per push, from the push start (after debounce) to that proxy', () => {
    // istio/istio pilot/pkg/xds/ads.go at 86c9f01f: StartPush sets req.Start = time.Now() after the
    // debounce and enqueues every client; pushConnection records time.Since(pushRequest.Start) once per
    // proxy pushed. Initial pushes on connect (processRequest) record none.
    const { converged, pushes } = run('[{ at: 10s, type: pod-failure, service: backend, cluster: a }]');
    const debounced = pushes.filter(([, since]) => since !== undefined);
    // Two debounced pushes (the kill at 10 s, the replacement ready at 11 s), each completing 100 ms of
    // quiet plus one 10 ms push time after its change; every push lane is free (fewer proxies than
    // PILOT_PUSH_THROTTLE), so each proxy's observation is exactly the push time, not the debounce.
    const starts = [...new Set(debounced.map(([at, since]) => at - (since as number)))];
    expect(starts).toHaveLength(2);
    expect(debounced.every(([, since]) => since === 10)).toBe(true);
    // count = proxies x pushes: each push has one observation per proxy streaming when it completes.
    for (const start of starts) {
      const ofPush = debounced.filter(([at, since]) => at - (since as number) === start);
      expect(ofPush.length).toBe(ofPush[0]?.[2]);
      expect(ofPush.length).toBeGreaterThan(3);
    }
    // meshsim's own figure (the summary's) is a different quantity: one per change, debounce included.
    expect(converged).toEqual([110, 110]);
    // The replacement pod's initial push on connect is counted as a push but not observed.
    expect(pushes.length - debounced.length).toBeGreaterThan(0);
  });

  it('a proxy still waiting for its initial push when a debounced push starts gets a separate push, observed from that start', () => {
    // istio/istio at 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c: a connecting proxy is registered (ads.go
    // initConnection -> addCon) before its initial push, which processRequest sends from the stream, outside
    // the push queue. StartPush (ads.go) sets req.Start and Enqueues every client from AllClients(), this one
    // included; pushqueue.go Enqueue finds no pending or processing entry for it (the initial push is not in
    // the queue), so it queues a request of its own; the stream sends it after the initial push
    // (discovery.go doSendPushes -> PushCh) and pushConnection records time.Since(pushRequest.Start).
    const pushes: [at: number, proxy: number, since: number | undefined][] = [];
    const { engine, registry, istiod } = standaloneIstiod({
      nextSnapshotVersion: () => pushes.length,
      // pushed() comes just before deliver() for the same proxy: deliver names it.
      pushed: (since) => pushes.push([engine.now, -1, since]),
      deliver: (proxy) => {
        const last = pushes[pushes.length - 1];
        if (last !== undefined) last[1] = proxy.id;
      },
    });
    const a = bareProxy(0);
    a.connectedTo = istiod;
    istiod.connected.add(a);
    const endpoint = testEndpoint(0, a);
    registry.add(endpoint);
    const b = bareProxy(1);
    // An endpoint event at 905 ms: the debounced push starts at 1005 ms (100 ms of quiet).
    engine.schedule(905, () => istiod.endpointPublished(endpoint, true), undefined);
    // b connects at 1000 ms: its initial push runs 1000-1010 ms, so the debounced push finds it waiting.
    engine.schedule(
      1000,
      () => {
        b.connectedTo = istiod;
        istiod.connected.add(b);
        istiod.enqueue(b);
      },
      undefined,
    );
    engine.run(5_000);
    expect(pushes).toEqual([
      [1010, 1, undefined], // b's initial push: not observed
      [1015, 0, 10], // a, from the push's start at 1005 ms
      [1020, 1, 15], // b's own request, pushed after its initial push: 15 ms from the same start
    ]);
  });

  it('a steady stream of changes is pushed at least every 10 s (PILOT_DEBOUNCE_MAX)', () => {
    // Endpoint events every 50 ms never leave 100 ms of quiet: only the 10 s maximum forces a push.
    const pushes: number[] = [];
    const { engine, registry, istiod } = standaloneIstiod({
      nextSnapshotVersion: () => pushes.length,
      deliver: () => pushes.push(engine.now),
      pushed: () => {},
    });
    const proxy = bareProxy(0);
    proxy.connectedTo = istiod;
    istiod.connected.add(proxy);
    const endpoint = testEndpoint(0, proxy);
    registry.add(endpoint);
    let ready = false;
    const flip = (): void => {
      ready = !ready;
      istiod.endpointPublished(endpoint, ready);
      if (engine.now < 25_000) engine.schedule(50, flip, undefined);
    };
    engine.schedule(1000, flip, undefined);
    engine.run(40_000);
    // First event at 1 s: pushes at 11 s and 21 s (debounce max), each delivered 10 ms later, then one after
    // the last event at 25 s plus 100 ms of quiet.
    expect(pushes).toEqual([11_010, 21_010, 25_110]);
  });
});
