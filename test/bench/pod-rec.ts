/**
 * One recorded mesh of the pod row (the bench's RecordBuffer and counting recorder, as `main.ts pods`
 * records), for callgrind: the JIT is warmed on a 28-replica mesh, then the measured mesh runs to WARM_S,
 * writes MARK_DIR/mark1 and waits for go1 (the runner turns instrumentation on), runs to UNTIL_S, writes
 * mark2 and waits for go2 (the runner dumps). Without MARK_DIR it just runs. The runner starts it under
 * `valgrind --tool=callgrind --instr-atstart=no --cache-sim=yes --LL=1048576,16,64 --dump-instr=yes`, and
 * at the marks calls `callgrind_control -i on PID`, then `callgrind_control -d PID`; functions come from
 * /tmp/perf-PID.map. Compare LL misses without V8's write-barrier page-flag tests (`testb [reg+0x8],0x2`
 * after an `andq` with 0xfffc0000, found in a --print-opt-code listing of the same run): a virtually
 * indexed simulated cache puts every 256 KB page header in one set, so their misses swing with heap layout
 * on a large mesh and are not data.
 *   node --single-threaded --predictable --predictable-gc-schedule --perf-basic-prof --import tsx/esm \
 *     test/bench/pod-rec.ts REPLICAS WARM_S UNTIL_S        (28 = 1,008 pods, 694 = 24,984 pods)
 */
import { existsSync, writeFileSync } from 'node:fs';
import { loadScenarioText, type Scenario } from '../../src/scenario/index.js';
import { meshAdvance } from './mesh-throughput.js';
import { scalingYaml } from './pod-scaling.js';

function load(yaml: string): Scenario {
  const r = loadScenarioText(yaml, 'pod-scaling.yaml', { allowLarge: true });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario;
}
function mark(n: number): void {
  const dir = process.env.MARK_DIR;
  if (dir === undefined) return;
  writeFileSync(`${dir}/mark${n}`, '');
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(`${dir}/go${n}`)) Atomics.wait(cell, 0, 0, 20);
}
const shape = { clusters: 3, chains: 4, length: 3, ratePerSecond: 5000 };
const [a, w, b] = process.argv.slice(2).map(Number) as [number, number, number];
meshAdvance(load(scalingYaml({ ...shape, replicas: 28, durationS: 6 })))(6000);
const advance = meshAdvance(load(scalingYaml({ ...shape, replicas: a, durationS: 40 })));
const warm = advance(w * 1000);
mark(1);
const done = advance(b * 1000);
mark(2);
console.log(`pods replicas ${a}: ${done - warm} requests between ${w} s and ${b} s`);
