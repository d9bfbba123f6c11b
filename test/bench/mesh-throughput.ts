/**
 * The mesh on a three-cluster, twelve-service scenario where every request crosses three services:
 * simulated requests per second of wall time, events per second against the bare kernel's, and the peak
 * live heap (after collection) for a simulated duration and ten times it: memory must not grow with
 * requests. (Client timeouts keep rate x timeout finished requests referenced until their timer, a bound
 * that does not grow with duration.)
 */
import { Engine, RngStreams } from '../../src/des/index.js';
import {
  RECORD_BUFFER_CAPACITY,
  RecordBuffer,
  RunRecorder,
  type RequestRecord,
} from '../../src/metrics/index.js';
import { buildMesh, loadScenarioText, type Scenario } from '../../src/scenario/index.js';
import type { Advance } from './measure.js';

const chains = [1, 2, 3, 4];
const clusters = ['c1', 'c2', 'c3'];
export const MESH_BENCH_YAML = `
name: bench-3x12
duration: 60s
clusters:
${clusters.map((c, i) => `  - { name: ${c}, region: r${i < 2 ? 1 : 2}, zones: [${c}a, ${c}b] }`).join('\n')}
services:
${chains
  .flatMap((k) =>
    [1, 2, 3].map(
      (h) => `  - name: s${k}-${h}
    deployments: [${clusters.map((c) => `{ cluster: ${c}, replicas: 2 }`).join(', ')}]
    concurrency: 64
    serviceTime: { dist: exponential, mean: 1ms }${h < 3 ? `\n    calls: [{ service: s${k}-${h + 1} }]` : ''}`,
    ),
  )
  .join('\n')}
traffic:
${chains.map((k) => `  - { name: t${k}, entry: s${k}-1, from: { c1: 40%, c2: 40%, c3: 20% }, rate: 1000/s }`).join('\n')}
models: [{ name: mp, controlPlane: multi-primary }]
`;

/** What the warm-up run tells its callers: the events a request takes. */
export interface MeshBenchResult {
  requests: number;
  events: number;
}

export function scenarioWith(durationS: number): Scenario {
  const r = loadScenarioText(
    MESH_BENCH_YAML.replace('duration: 60s', `duration: ${durationS}s`),
    'bench.yaml',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** What the mesh benches' run recorder keeps: the bench mesh is multi-primary, one istiod per cluster. */
const benchShape = (scenario: Scenario): ConstructorParameters<typeof RunRecorder>[0] => ({
  istiods: scenario.mesh.clusters.length,
  clusters: scenario.mesh.clusters.map((c) => c.name),
  services: scenario.mesh.services.map((s) => s.name),
  traffic: scenario.mesh.traffic.map((t) => t.name),
  warmupMs: 0,
  durationMs: scenario.durationMs,
  windowMs: scenario.windowMs,
});

/** The run recorder the mesh benches attach, behind the record buffer a run puts it behind (run.ts). */
export function benchRecorder(scenario: Scenario): RecordBuffer<RunRecorder> {
  return new RecordBuffer(() => new RunRecorder(benchShape(scenario)));
}

/**
 * The mesh benches' warm-up (main.ts, mesh-gap.ts, gap-one.ts): the bench mesh run whole, in ten slices with
 * a full collection after each, then drained and summarized, so that V8 has compiled the run's paths, the
 * summary's included, before anything is timed. Its own time and heap were read by no caller and are not
 * measured (the rows measure theirs in slices of their own); the slices and collections stay, as the rows'
 * figures were measured after them.
 */
export function meshBench(durationS: number): MeshBenchResult {
  const scenario = scenarioWith(durationS);
  const model = scenario.models[0];
  if (model === undefined) throw new Error('no model');
  gc?.();
  const engine = new Engine(4096);
  const recorder = benchRecorder(scenario);
  const mesh = buildMesh(scenario, model, engine, new RngStreams(1), recorder);
  mesh.start(scenario.durationMs);
  const slices = 10;
  for (let i = 1; i <= slices; i++) {
    engine.run((scenario.durationMs * i) / slices);
    gc?.();
  }
  engine.run(scenario.durationMs + 60_000);
  const summary = recorder.drained().summary({ scenario: scenario.name, seed: 1, rerun: '', version: '' });
  gc?.();
  return { requests: summary.requests.total, events: engine.processed };
}

/** The bench recorder, counting the requests that completed (warm-up included) for per-slice rates. */
class CountingRecorder extends RunRecorder {
  completed = 0;
  override requestCompleted(r: Readonly<RequestRecord>): void {
    this.completed++;
    super.requestCompleted(r);
  }
}

/**
 * The bench mesh built and started for `scenario`'s duration, to be advanced slice by slice (measure.ts
 * `interleave`): returns its completed requests so far. The recorder is `benchRecorder`'s, counting
 * completions (one increment and call per request: ~10 of ~30,000 instructions).
 */
export function meshAdvance(scenario: Scenario, seed = 1): Advance {
  const model = scenario.models[0];
  if (model === undefined) throw new Error('no model');
  const engine = new Engine(4096);
  // RECORD_BUFFER=K: the ring's size, to compare sizes under callgrind (record-buffer.ts).
  const capacity = Number(process.env['RECORD_BUFFER'] ?? RECORD_BUFFER_CAPACITY);
  const recorder = new RecordBuffer(() => new CountingRecorder(benchShape(scenario)), capacity);
  const mesh = buildMesh(scenario, model, engine, new RngStreams(seed), recorder);
  mesh.start(scenario.durationMs);
  return (untilMs) => {
    engine.run(untilMs);
    return recorder.drained().completed;
  };
}
