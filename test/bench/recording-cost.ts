/**
 * What recording costs the mesh row: the mesh row's measure (measure.ts `interleave`: the bench mesh and
 * the minimal model in alternating slices of 30 s simulated, median of the slice pairs' ratios of CPU per
 * request) with the mesh's observer either the run's recorders (`recorded`, as the row) or one that records
 * nothing (`null`, pod-scaling.ts `unrecordedAdvance`). Not a bench row: it reports figures.
 *
 *   node --expose-gc --import tsx/esm test/bench/recording-cost.ts recorded|null [SECONDS] [SLICES]
 *
 * One kind per process, warm-up included: with both observers in one process the mesh's call sites would
 * see two observer classes and be compiled for both. Run the two kinds alternately, several times: the
 * host's speed moves between runs as much as the figure does.
 */
import { meshAdvance, scenarioWith } from './mesh-throughput.js';
import { minimalMeshAdvance, minimalMeshBench } from './minimal-mesh.js';
import { interleave, median, spread } from './measure.js';
import { unrecordedAdvance } from './pod-scaling.js';

const kind = process.argv[2];
const seconds = Number(process.argv[3] ?? 480);
const slices = Number(process.argv[4] ?? 16);
if (kind !== 'recorded' && kind !== 'null') throw new Error('recording-cost: kind recorded or null');
const advanceOf = kind === 'recorded' ? meshAdvance : unrecordedAdvance;
// Warm-up of the JIT with this kind's observer only, and of the minimal model, as the row warms both.
advanceOf(scenarioWith(10))(10_000);
minimalMeshBench(scenarioWith(10), 10_000);
const scenario = scenarioWith(seconds);
const r = interleave(
  advanceOf(scenario),
  minimalMeshAdvance(scenario, seconds * 1000),
  0,
  (seconds * 1000) / slices,
  slices,
);
const rate = (cpu: readonly number[], requests: readonly number[]) =>
  median(cpu.map((c, i) => (requests[i] as number) / c));
console.log(
  `${kind}: mesh / minimal ${median(r.ratios).toFixed(3)} (median of ${slices} slice pairs, ${spread(r.ratios)}); ` +
    `mesh ${(rate(r.cpuA, r.requestsA) / 1000).toFixed(1)} k requests per CPU s, minimal ${(rate(r.cpuB, r.requestsB) / 1000).toFixed(1)} k`,
);
