/**
 * One run: a scenario, one seed, to a `RunSummary`. Arrivals stop at the scenario's duration; requests
 * still in flight then are allowed to finish for up to `DRAIN_MS` more simulated time, so long requests at
 * the end are measured rather than silently dropped; any still open after that are reported as unfinished.
 */
import { Engine, RngStreams } from '../des/index.js';
import { RunRecorder, type RunSummary } from '../metrics/index.js';
import { buildMesh, type Scenario } from '../scenario/index.js';
import { MESHSIM_VERSION } from './version.js';

export const DRAIN_MS = 60_000;

export interface RunOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Called now and then with the fraction of simulated time done (for a progress bar). */
  readonly onProgress?: (fraction: number) => void;
}

/** The command line that reproduces a run. */
export function rerunCommand(scenario: Scenario, seed: number): string {
  return `meshsim run ${scenario.file} --seed ${seed}`;
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): RunSummary {
  const seed = options.seed ?? scenario.seed;
  const engine = new Engine(4096);
  const streams = new RngStreams(seed);
  const recorder = new RunRecorder({
    clusters: scenario.mesh.clusters.map((c) => c.name),
    services: scenario.mesh.services.map((s) => s.name),
    traffic: scenario.mesh.traffic.map((t) => t.name),
    warmupMs: scenario.warmupMs,
    durationMs: scenario.durationMs,
    windowMs: scenario.windowMs,
  });
  const mesh = buildMesh(scenario, engine, streams, recorder);
  mesh.start(scenario.durationMs);
  const end = scenario.durationMs + DRAIN_MS;
  // Run in slices so progress can be reported; slicing does not change the event order.
  const slices = options.onProgress === undefined ? 1 : 100;
  for (let i = 1; i <= slices; i++) {
    engine.run(Math.min(end, (scenario.durationMs * i) / slices));
    options.onProgress?.(i / slices);
  }
  engine.run(end);
  return recorder.summary({
    scenario: scenario.name,
    seed,
    rerun: rerunCommand(scenario, seed),
    version: MESHSIM_VERSION,
  });
}
