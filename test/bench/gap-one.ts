/**
 * One side of the mesh row, alone, for callgrind: the bench mesh (with the row's counting recorder) or the
 * minimal model, advanced to MARK1 then MARK2 s simulated and on to SECONDS. At each mark it writes
 * $MARK_DIR/markK (requests completed so far) and waits for $MARK_DIR/goK, so that `callgrind_control -d`
 * can dump the counts there: the second dump holds exactly the interval between the marks.
 *
 *   MARK_DIR=/tmp/x valgrind --tool=callgrind --cache-sim=yes --LL=1048576,16,64 --branch-sim=yes \
 *     --dump-instr=yes node --expose-gc --single-threaded --predictable --predictable-gc-schedule --perf-basic-prof \
 *     --import tsx/esm test/bench/gap-one.ts mesh|mesh-null|minimal SECONDS MARK1 MARK2
 *
 * With PROGRESS=1 (and no marks) it prints a line per simulated second, to place `--trace-gc-nvp`'s
 * collections in simulated time.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { meshAdvance, meshBench, scenarioWith } from './mesh-throughput.js';
import { minimalMeshAdvance, minimalMeshBench } from './minimal-mesh.js';
import { unrecordedAdvance } from './pod-scaling.js';

const [kind, secondsArg, ...markArgs] = process.argv.slice(2);
const seconds = Number(secondsArg);
// ROW=1: the mesh row's warm-ups first, so the kernel's code is compiled from both models' feedback, as in
// the row's one process.
if (process.env.ROW === '1') {
  meshBench(10);
  minimalMeshBench(scenarioWith(10), 10_000);
}
const scenario = scenarioWith(seconds);
const advance =
  kind === 'mesh'
    ? meshAdvance(scenario)
    : kind === 'mesh-null'
      ? unrecordedAdvance(scenario)
      : kind === 'minimal'
        ? minimalMeshAdvance(scenario, seconds * 1000)
        : undefined;
if (advance === undefined) throw new Error(`gap-one: kind ${kind}: mesh, mesh-null or minimal`);
const dir = process.env.MARK_DIR;
const gc = (globalThis as { gc?: () => void }).gc;
const nap = new Int32Array(new SharedArrayBuffer(4));
markArgs.map(Number).forEach((m, k) => {
  const done = advance(m * 1000);
  if (dir === undefined) return;
  // As the row does before each slice (with --expose-gc): a full collection, so that the interval starts
  // with no incremental marking under way (the row's slices have none: test/bench/mesh-gap.ts, --trace-gc).
  gc?.();
  writeFileSync(`${dir}/mark${k + 1}`, `${done}\n`);
  while (!existsSync(`${dir}/go${k + 1}`)) Atomics.wait(nap, 0, 0, 200);
});
// PROGRESS=1: a line per simulated second (to place --trace-gc's collections in simulated time).
if (process.env.PROGRESS === '1')
  for (let t = 1; t < seconds; t++) console.log(`SIM ${t} s, ${advance(t * 1000)} requests`);
console.log(`${kind} ${seconds} s: ${advance(seconds * 1000 + 60_000)} requests`);
