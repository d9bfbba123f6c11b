/**
 * One run: a scenario, one deployment model, one seed, to a `RunSummary`. Arrivals stop at the scenario's
 * duration; requests still in flight then may finish for up to `DRAIN_MS` more simulated time, so long
 * requests at the end are measured rather than silently dropped; any still open after that are reported
 * as unfinished.
 *
 * With faults, the run is followed by one paired baseline per fault (the same scenario, model and seed
 * without that fault) to measure its blast radius: 1 + faults simulations in all, unless
 * `baselines: false`.
 */
import { Engine, RngStreams } from '../des/index.js';
import { Topology, type DeploymentModel } from '../mesh/index.js';
import {
  RunRecorder,
  costConstants,
  estimateCost,
  type BlastRadiusThresholds,
  type CostConstants,
  type RunSummary,
} from '../metrics/index.js';
// Not the scenario index: it loads the parser and schema (zod, yaml), which a replication worker, handed
// an already checked scenario, does not need.
import { buildMesh, pickModel } from '../scenario/build.js';
import type { Scenario } from '../scenario/index.js';
import { measureFaultImpacts } from './fault-impacts.js';
import { MESHSIM_VERSION } from './version.js';

export const DRAIN_MS = 60_000;

export interface RunOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** The deployment model's name; default: the scenario's first. */
  readonly model?: string;
  /** Called now and then with the fraction of simulated time done (for a progress bar), baselines included. */
  readonly onProgress?: (fraction: number) => void;
  /**
   * Measure each fault's blast radius against a paired baseline run without it (default true). Each fault
   * costs one more simulation; false lists faults without blast radius.
   */
  readonly baselines?: boolean;
  /** Overrides of the blast-radius thresholds (metrics.md's 1 point and 50% by default). */
  readonly blastRadius?: Partial<BlastRadiusThresholds>;
  /** Overrides of the cost model's constants (published figures and list prices by default). */
  readonly cost?: Partial<CostConstants>;
}

/** The command line that reproduces a run. */
export function rerunCommand(scenario: Scenario, seed: number, model: string | undefined): string {
  return `meshsim run ${scenario.file}${model === undefined ? '' : ` --model ${model}`} --seed ${seed}`;
}

export class UnknownModelError extends Error {
  override name = 'UnknownModelError';
}

/** Runs the scenario once (and its paired baselines); every random stream derives from the seed alone. */
export function runScenario(scenario: Scenario, options: RunOptions = {}): RunSummary {
  const seed = options.seed ?? scenario.seed;
  const model = pickModel(scenario, options.model);
  if (model === undefined) {
    throw new UnknownModelError(
      `no model "${options.model}" in ${scenario.file}; its models: ${scenario.models.map((m) => m.name).join(', ')}`,
    );
  }
  const baselines = options.baselines ?? true;
  const runs = 1 + (baselines ? scenario.mesh.faults.length : 0);
  const report = options.onProgress;
  const progressOf =
    report === undefined ? () => undefined : (run: number) => (f: number) => report((run + f) / runs);
  const recorder = simulate(scenario, model, seed, () => true, progressOf(0));
  const summary = recorder.summary({
    scenario: scenario.name,
    model: model.name,
    seed,
    rerun: rerunCommand(
      scenario,
      seed,
      options.model === undefined && scenario.models.length === 1 ? undefined : model.name,
    ),
    version: MESHSIM_VERSION,
  });
  const impacts = measureFaultImpacts(scenario, model, seed, recorder, {
    baselines,
    thresholds: options.blastRadius ?? {},
    progressOf: (i) => progressOf(1 + i),
  });
  const mesh = scenario.mesh;
  const cost = estimateCost(
    {
      model,
      clusters: mesh.clusters,
      services: mesh.services,
      traffic: mesh.traffic,
      gateways: mesh.gateways,
      measuredSeconds: (scenario.durationMs - scenario.warmupMs) / 1000,
      crossings: recorder.crossings(),
    },
    costConstants(options.cost),
  );
  return { ...summary, faults: impacts.faults, blastRadiusMethod: impacts.method, cost };
}

/** Builds and runs one simulation, returning its recorder (so callers can compare windows of two runs). */
export function simulate(
  scenario: Scenario,
  model: DeploymentModel,
  seed: number,
  faultFilter: (index: number) => boolean,
  onProgress?: (fraction: number) => void,
): RunRecorder {
  const engine = new Engine(4096);
  const streams = new RngStreams(seed);
  const recorder = new RunRecorder({
    istiods: new Set(Object.values(model.servedBy)).size,
    clusters: scenario.mesh.clusters.map((c) => c.name),
    services: scenario.mesh.services.map((s) => s.name),
    traffic: scenario.mesh.traffic.map((t) => t.name),
    zones: new Topology(scenario.mesh.clusters).zones,
    warmupMs: scenario.warmupMs,
    durationMs: scenario.durationMs,
    windowMs: scenario.windowMs,
    deadlineMs: scenario.slo.latencyMs.p99 ?? Infinity,
    sloAvailability: scenario.slo.availability,
    now: () => engine.now,
  });
  const mesh = buildMesh(scenario, model, engine, streams, recorder, faultFilter);
  mesh.start(scenario.durationMs);
  const end = scenario.durationMs + DRAIN_MS;
  // Run in slices so progress can be reported; slicing does not change the event order.
  const slices = onProgress === undefined ? 1 : 100;
  for (let i = 1; i <= slices; i++) {
    engine.run(Math.min(end, (scenario.durationMs * i) / slices));
    onProgress?.(i / slices);
  }
  engine.run(end);
  recorder.endOfRun({ pendingChanges: mesh.tracker.pendingChanges });
  return recorder;
}
