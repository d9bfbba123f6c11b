/**
 * The measurements behind work-estimate.ts's heap constants: runs one pod-scaling mesh (pod-scaling.ts's
 * shape) and prints its peak live heap (after a full collection, at ten points, minus the heap before
 * building) with what it held: pods, proxy-service pairs, pooled connections, shared sets and their hosts.
 *
 *   node --expose-gc --import tsx/esm test/bench/heap-fit.ts CHAINS LENGTH REPLICAS CLUSTERS DURATION_S
 *   e.g. 4 3 278 3 40 (10,008 pods in 4 chains of 3), 12 1 278 3 40 (the same pods, called by clients only)
 */
import { Engine, RngStreams } from '../../src/des/index.js';
import { benchRecorder } from './mesh-throughput.js';
import { buildMesh, loadScenarioText } from '../../src/scenario/index.js';
import { scalingYaml } from './pod-scaling.js';
const [chains, length, replicas, clusters, durationS] = process.argv.slice(2).map(Number) as [
  number,
  number,
  number,
  number,
  number,
];
const r0 = loadScenarioText(
  scalingYaml({ clusters, chains, length, ratePerSecond: 5000, replicas, durationS }),
  'x.yaml',
  { allowLarge: true },
);
if (!r0.ok) throw new Error(JSON.stringify(r0.issues));
const scenario = r0.scenario;
const gc = (globalThis as { gc: () => void }).gc;
gc();
const before = process.memoryUsage().heapUsed;
const engine = new Engine(4096);
const recorder = benchRecorder(scenario);
const mesh = buildMesh(scenario, scenario.models[0]!, engine, new RngStreams(1), recorder);
mesh.start(scenario.durationMs);
let peak = 0;
for (let i = 1; i <= 10; i++) {
  engine.run((scenario.durationMs * i) / 10);
  gc();
  peak = Math.max(peak, process.memoryUsage().heapUsed - before);
}
let pairs = 0,
  connected = 0,
  active = 0;
const sets = new Set<unknown>();
let setHosts = 0;
for (const p of mesh.allProxies)
  for (const u of [...p.defaultUpstreams, ...(p.subsetUpstreams?.values() ?? [])]) {
    if (u === undefined) continue;
    pairs++;
    connected += u.touchedHosts.connected;
    active += u.touchedHosts.active;
    if (!sets.has(u.set)) {
      sets.add(u.set);
      setHosts += u.hosts.length;
    }
  }
console.log(
  JSON.stringify({
    chains,
    length,
    replicas,
    clusters,
    durationS,
    pods: mesh.registry.size,
    proxies: mesh.allProxies.length,
    pairs,
    connected,
    active,
    sets: sets.size,
    setHosts,
    peakMB: +(peak / 2 ** 20).toFixed(1),
    calls: recorder.drained().summary({ scenario: 'x', seed: 1, rerun: '', version: '' }).requests.total,
  }),
);
