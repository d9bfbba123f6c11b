/**
 * Runs a scenario written inline (YAML) under one of its models and records every call and request, so
 * behaviour tests can ask precise questions of the mesh (which cluster served a call, how many attempts).
 */
import { Engine, RngStreams } from '../../src/des/index.js';
import type { Call, Mesh, MeshObserver, MeshRequest } from '../../src/mesh/index.js';
import { buildMesh, loadScenarioText, pickModel, type Scenario } from '../../src/scenario/index.js';

export interface CallRecord {
  service: string;
  sentMs: number;
  endMs: number;
  code: number;
  flags: number;
  attempts: number;
  sourceCluster: number;
  sourceZone: number;
  endpointCluster: number;
  endpointZone: number;
  /** Endpoint id of the final attempt, -1 if it reached none. */
  endpointId: number;
  /** The serving pod's `version` label, if any. */
  endpointVersion: string | undefined;
  /** The request's headers (Bookinfo's end-user). */
  headers: Readonly<Record<string, string>>;
}

export interface RequestRecord {
  startMs: number;
  endMs: number;
  code: number;
  flags: number;
  clientCluster: number;
  traffic: number;
}

export interface Recording {
  scenario: Scenario;
  mesh: Mesh;
  engine: Engine;
  calls: CallRecord[];
  requests: RequestRecord[];
  rejectedPods: number;
  expiredCerts: number;
  /** Proxies connected to each istiod (by server name), as the last xDS client event said. */
  xdsClients: Map<string, number>;
  /** Runs the simulation up to `ms` (it may be called repeatedly to inspect state in between). */
  runUntil(ms: number): void;
}

export function loadInline(yaml: string): Scenario {
  const r = loadScenarioText(yaml, 'inline.yaml');
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.line}: ${i.path.join('.')}: ${i.message}`).join('\n'));
  return r.scenario;
}

/** `yaml`: the scenario's text, or a scenario already loaded (with load options such as --istio-config). */
export function record(yaml: string | Scenario, modelName?: string, seed = 1): Recording {
  const scenario = typeof yaml === 'string' ? loadInline(yaml) : yaml;
  const model = pickModel(scenario, modelName);
  if (model === undefined) throw new Error(`no model ${modelName}`);
  const engine = new Engine();
  const rec: Omit<Recording, 'mesh'> & { mesh?: Mesh } = {
    scenario,
    engine,
    calls: [],
    requests: [],
    rejectedPods: 0,
    expiredCerts: 0,
    xdsClients: new Map(),
    runUntil: (ms) => engine.run(ms),
  };
  const observer: MeshObserver = {
    requestStarted: () => {},
    requestCompleted: (r: Readonly<MeshRequest>) =>
      rec.requests.push({
        startMs: r.startMs,
        endMs: r.endMs,
        code: r.responseCode,
        flags: r.responseFlags,
        clientCluster: r.clientCluster,
        traffic: r.traffic,
      }),
    callCompleted: (c: Readonly<Call>) =>
      rec.calls.push({
        service: c.service.name,
        sentMs: c.sentMs,
        endMs: c.endMs,
        code: c.responseCode,
        flags: c.responseFlags,
        attempts: c.attempts,
        sourceCluster: c.source.cluster,
        sourceZone: c.source.zone,
        endpointCluster: c.endpoint?.cluster ?? -1,
        endpointZone: c.endpoint?.zone ?? -1,
        endpointId: c.endpoint?.id ?? -1,
        endpointVersion: c.endpoint?.labels['version'],
        headers: c.request.headers,
      }),
    converged: () => {},
    staleProxies: () => {},
    pushed: () => {},
    xdsClients: (istiod, count) => rec.xdsClients.set(istiod, count),
    podCreationRejected: () => rec.rejectedPods++,
    certExpired: () => rec.expiredCerts++,
  };
  const mesh = buildMesh(scenario, model, engine, new RngStreams(seed), observer);
  mesh.start(scenario.durationMs);
  rec.mesh = mesh;
  return rec as Recording;
}

/** Fraction of `xs` for which `p` holds, with the binomial standard error of that fraction. */
export function share<T>(xs: readonly T[], p: (x: T) => boolean): { p: number; se: number; n: number } {
  const n = xs.length;
  const k = xs.filter(p).length;
  const f = n === 0 ? NaN : k / n;
  return { p: f, se: Math.sqrt((f * (1 - f)) / Math.max(1, n)), n };
}
