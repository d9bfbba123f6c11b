/**
 * Engine events and timers the mesh schedules per request, call and try on the 3-cluster bench, by callback
 * (the minimal model schedules 10 per request: an arrival, then per call the arrival at a replica, the end of
 * service and the answer's return). Run: `node --import tsx/esm test/bench/event-counts.ts [seconds]`. Callbacks are
 * named as their fields: `arrive` counts both the load generator's arrivals and tries reaching a replica.
 *
 * A per-call timer (route or per-try timeout) or a hop the minimal model does not have would show here as a
 * callback with a count per call above 0 beyond `arrive`, `serviceDone` and `responseArrived`.
 */
import { Engine, RngStreams } from '../../src/des/index.js';
import type { Call, MeshRequest } from '../../src/mesh/index.js';
import { buildMesh } from '../../src/scenario/index.js';
import { benchRecorder, scenarioWith } from './mesh-throughput.js';

const seconds = Number(process.argv[2] ?? 20);
const scenario = scenarioWith(seconds);
const model = scenario.models[0];
if (model === undefined) throw new Error('no model');
const engine = new Engine(4096);
const scheduled = new Map<string, number>();
let cancels = 0;
const count = (fn: { name: string }): void => {
  scheduled.set(fn.name || '(anonymous)', (scheduled.get(fn.name || '(anonymous)') ?? 0) + 1);
};
const schedule = engine.schedule.bind(engine);
const scheduleAt = engine.scheduleAt.bind(engine);
const cancel = engine.cancel.bind(engine);
engine.schedule = (delay, fn, payload) => (count(fn), schedule(delay, fn, payload));
engine.scheduleAt = (time, fn, payload) => (count(fn), scheduleAt(time, fn, payload));
engine.cancel = (id) => (cancels++, cancel(id));
const recorder = benchRecorder(scenario);
let requests = 0;
let calls = 0;
let tries = 0;
const callCompleted = recorder.callCompleted.bind(recorder);
const requestCompleted = recorder.requestCompleted.bind(recorder);
recorder.callCompleted = (c: Readonly<Call>) => {
  calls++;
  tries += c.attempts;
  callCompleted(c);
};
recorder.requestCompleted = (r: Readonly<MeshRequest>) => {
  requests++;
  requestCompleted(r);
};
const mesh = buildMesh(scenario, model, engine, new RngStreams(1), recorder);
mesh.start(scenario.durationMs);
const atStart = new Map(scheduled); // certificate rotations, pushes: not per request
const cancelsAtStart = cancels;
engine.run(scenario.durationMs + 60_000);
console.log(`${requests} requests, ${calls} calls, ${tries} tries, ${engine.processed} events processed`);
let total = 0;
for (const [name, n] of [...scheduled].sort((a, b) => b[1] - a[1])) {
  const after = n - (atStart.get(name) ?? 0);
  total += after;
  console.log(
    `  ${name.padEnd(20)} ${String(after).padStart(9)}  per request ${(after / requests).toFixed(3)}  per call ${(after / calls).toFixed(3)}  per try ${(after / tries).toFixed(3)}`,
  );
}
console.log(
  `  scheduled after start: ${(total / requests).toFixed(3)} per request, ${(total / calls).toFixed(3)} per call; cancelled ${cancels - cancelsAtStart}`,
);
