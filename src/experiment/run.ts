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
import { Topology, istiodCount, istiodsOf, type DeploymentModel } from '../mesh/index.js';
import {
  FortioRecorder,
  ExportRecorders,
  RecordBuffer,
  IstioTelemetryRecorder,
  type FortioRecord,
  ThresholdRecorder,
  type ThresholdRecord,
  type IstioTelemetry,
  type TelemetryShape,
  RunRecorder,
  costConstants,
  runUnitsFromJSON,
  runUnitsToJSON,
  type CrossingCounts,
  type RunUnitsJSON,
  estimateCost,
  type BlastRadiusThresholds,
  type CostConstants,
  type RunSummary,
} from '../metrics/index.js';
// Not the scenario index: it loads the parser and schema (zod, yaml), which a replication worker, handed
// an already checked scenario, does not need (test/experiment/worker-imports.test.ts).
import { buildMesh, pickModel } from '../scenario/build.js';
import { DEFAULT_NAMESPACE } from '../scenario/istio/host-resolver.js';
import type { Scenario } from '../scenario/index.js';
import { faultImpact, faultImpactMethod } from './fault-impacts.js';
import { shellQuote } from './shell-quote.js';
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
  /**
   * Blast-radius thresholds, key by key over the scenario's `report.blastRadius` (whose keys left out are
   * metrics.md's 1 point and 50%).
   */
  readonly blastRadius?: Partial<BlastRadiusThresholds>;
  /**
   * Cost-model constants, key by key over the scenario's `cost:` (whose keys left out are the published
   * figures and list prices).
   */
  readonly cost?: Partial<CostConstants>;
  /**
   * Also record Istio's standard metrics per window (`IstioTelemetryRecorder`) in the run's part, for the
   * OpenMetrics export; baselines never do.
   */
  readonly telemetry?: boolean;
  /**
   * Also record each traffic source as Fortio records it (`FortioRecorder`) in the run's part, for the
   * Fortio export; baselines never do. Apart from `telemetry`: each export pays only for its own records.
   */
  readonly fortio?: boolean;
  /** Also keep what the scenario's `thresholds:` read (`ThresholdRecorder`) in the run's part. */
  readonly thresholds?: boolean;
}

/** The command that reruns one run, shell-quoted (safe to paste whatever the file is called). */
export function rerunCommand(scenario: Scenario, seed: number, model: string | undefined): string {
  const words = [
    'meshsim',
    'run',
    scenario.file,
    ...istioConfigArgs(scenario),
    ...(model === undefined ? [] : ['--model', model]),
    '--seed',
    String(seed),
  ];
  return words.map(shellQuote).join(' ');
}

/** `--istio-config PATH` for each path the scenario was loaded with, as separate words. */
export function istioConfigArgs(scenario: Scenario): string[] {
  return (scenario.istioConfig ?? []).flatMap((p) => ['--istio-config', p]);
}

export class UnknownModelError extends Error {
  override name = 'UnknownModelError';
}

/** Runs the scenario once (and its paired baselines); every random stream derives from the seed alone. */
export function runScenario(scenario: Scenario, options: RunOptions = {}): RunSummary {
  const parts = runParts(scenario, options);
  const report = options.onProgress;
  const progressOf = (i: number) =>
    report === undefined ? undefined : (f: number) => report((i + f) / parts.length);
  return assembleRun(
    scenario,
    options,
    parts.map((part, i) => runPart(scenario, options, part, progressOf(i))),
  );
}

/** The part number of the run itself; parts 0, 1, ... are the paired baselines of faults 0, 1, ... */
export const FAULTED_PART = -1;

/**
 * What one simulation of a run leaves for `assembleRun`: plain data (structured-clone safe), so parts can
 * run in worker threads and be put together where the run was asked for.
 */
export type RunPartResult =
  | {
      readonly kind: 'faulted';
      /** Without `faults`, `blastRadiusMethod` and `cost`, which need the baselines. */
      readonly summary: RunSummary;
      readonly units: RunUnitsJSON;
      readonly crossings: CrossingCounts;
      /** With `RunOptions.telemetry` only. */
      readonly telemetry?: IstioTelemetry;
      /** With `RunOptions.fortio` only: each traffic source as Fortio records it. */
      readonly fortio?: FortioRecord;
      /** With `RunOptions.thresholds` only: the cells k6-style thresholds read. */
      readonly thresholds?: ThresholdRecord;
    }
  | { readonly kind: 'baseline'; readonly fault: number; readonly units: RunUnitsJSON };

/**
 * The simulations a run needs: the run itself, then one paired baseline per fault unless `baselines` is
 * false. They are independent: a pool runs them side by side, finer-grained than whole runs.
 */
export function runParts(scenario: Scenario, options: RunOptions = {}): number[] {
  const baselines = options.baselines ?? true;
  return [FAULTED_PART, ...(baselines ? scenario.mesh.faults.map((_, i) => i) : [])];
}

function modelOf(scenario: Scenario, options: RunOptions): DeploymentModel {
  const model = pickModel(scenario, options.model);
  if (model === undefined) {
    throw new UnknownModelError(
      `no model "${options.model}" in ${scenario.file}; its models: ${scenario.models.map((m) => m.name).join(', ')}`,
    );
  }
  return model;
}

/** Runs one part of a run (see `runParts`). */
export function runPart(
  scenario: Scenario,
  options: RunOptions,
  part: number,
  onProgress?: (fraction: number) => void,
): RunPartResult {
  const seed = options.seed ?? scenario.seed;
  const model = modelOf(scenario, options);
  if (part !== FAULTED_PART) {
    const baseline = simulate(scenario, model, seed, (j) => j !== part, onProgress);
    return { kind: 'baseline', fault: part, units: runUnitsToJSON(baseline.unitWindows) };
  }
  const exporting = options.telemetry === true || options.fortio === true || options.thresholds === true;
  const exportsOf = (run: RunRecorder, now: () => number): ExportRecorders =>
    new ExportRecorders(
      run,
      options.telemetry === true
        ? new IstioTelemetryRecorder(telemetryShape(scenario, model, now))
        : undefined,
      options.fortio === true
        ? new FortioRecorder(
            scenario.mesh.traffic.map((t) => t.name),
            scenario.warmupMs,
            scenario.durationMs,
          )
        : undefined,
      options.thresholds === true
        ? new ThresholdRecorder({
            traffic: scenario.mesh.traffic.map((t) => t.name),
            clusters: scenario.mesh.clusters.map((c) => c.name),
            services: scenario.mesh.services.map((s) => s.name),
            warmupMs: scenario.warmupMs,
            durationMs: scenario.durationMs,
            deadlineMs: scenario.slo.latencyMs.p99 ?? Infinity,
          })
        : undefined,
    );
  // Without exports the run recorder is the buffer's only recorder (no dispatch through ExportRecorders
  // in the replay loop); it is wrapped after the run only so that both cases are read alike below.
  const recorders = exporting
    ? record(scenario, model, seed, () => true, onProgress, exportsOf)
    : new ExportRecorders(
        simulate(scenario, model, seed, () => true, onProgress),
        undefined,
        undefined,
        undefined,
      );
  const { run: recorder, telemetry, fortio, thresholds } = recorders;
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
  return {
    kind: 'faulted',
    summary,
    units: runUnitsToJSON(recorder.unitWindows),
    crossings: recorder.crossings(),
    ...(telemetry === undefined ? {} : { telemetry: telemetry.telemetry(scenario.durationMs) }),
    ...(fortio === undefined ? {} : { fortio: fortio.record() }),
    ...(thresholds === undefined ? {} : { thresholds: thresholds.record() }),
  };
}

function telemetryShape(scenario: Scenario, model: DeploymentModel, now: () => number): TelemetryShape {
  return {
    services: scenario.mesh.services.map((s) => s.name),
    clusters: scenario.mesh.clusters.map((c) => c.name),
    traffic: scenario.mesh.traffic.map((t) => ({ name: t.name, via: t.via })),
    warmupMs: scenario.warmupMs,
    endMs: scenario.durationMs + DRAIN_MS,
    windowMs: scenario.windowMs,
    istiods: istiodsOf(model),
    now,
    namespace: DEFAULT_NAMESPACE,
  };
}

/**
 * The run's summary from its parts (in any order): each fault's blast radius against its baseline, and
 * the cost model over the measured traffic. Every part goes through its plain form, wherever it ran, so
 * one thread and many give the same bytes.
 */
export function assembleRun(
  scenario: Scenario,
  options: RunOptions,
  parts: readonly RunPartResult[],
): RunSummary {
  const model = modelOf(scenario, options);
  const run = parts.find((p) => p.kind === 'faulted');
  if (run?.kind !== 'faulted') throw new Error(`assembleRun: the run itself is not among its parts`);
  const faulted = runUnitsFromJSON(run.units);
  const baselineOf = new Map<number, RunPartResult & { kind: 'baseline' }>();
  for (const p of parts) if (p.kind === 'baseline') baselineOf.set(p.fault, p);
  const measured = (options.baselines ?? true) && scenario.mesh.faults.length > 0;
  // Read from the scenario here, not by callers: parts assembled from workers must measure alike.
  const thresholds = overridden<BlastRadiusThresholds>(scenario.blastRadius, options.blastRadius);
  const faults = scenario.mesh.faults.map((_, i) => {
    const baseline = baselineOf.get(i);
    if (measured && baseline === undefined)
      throw new Error(`assembleRun: the baseline of fault ${i} is not among the parts`);
    return faultImpact(
      scenario,
      model,
      i,
      faulted,
      baseline === undefined ? undefined : runUnitsFromJSON(baseline.units),
      thresholds,
    );
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
      crossings: run.crossings,
    },
    costConstants(overridden<CostConstants>(scenario.cost, options.cost)),
  );
  return {
    ...run.summary,
    clusterRegions: mesh.clusters.map((c) => ({ cluster: c.name, region: c.region })),
    faults,
    blastRadiusMethod: faultImpactMethod(scenario, thresholds, options.baselines ?? true),
    cost,
  };
}

/** `base` with every key `overrides` sets; an undefined (from an untyped caller) does not erase a key. */
function overridden<T>(base: Partial<T>, overrides: Partial<T> | undefined): Partial<T> {
  const out: Partial<T> = { ...base };
  for (const key of Object.keys(overrides ?? {}) as (keyof T)[]) {
    const value = overrides?.[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Builds and runs one simulation, returning its recorder (so callers can compare windows of two runs). */
export function simulate(
  scenario: Scenario,
  model: DeploymentModel,
  seed: number,
  faultFilter: (index: number) => boolean,
  onProgress?: (fraction: number) => void,
): RunRecorder {
  return record(scenario, model, seed, faultFilter, onProgress, (run) => run);
}

/**
 * Builds and runs one simulation into the recorders `recordersOf` makes around the run's recorder (given
 * the clock), and returns them once every record reached them. They are made inside the record buffer
 * (record-buffer.ts), which is the mesh's observer, and reached only through its `drained()`: nothing
 * here can read a recorder that has not seen the whole run.
 */
function record<S extends RunRecorder | ExportRecorders>(
  scenario: Scenario,
  model: DeploymentModel,
  seed: number,
  faultFilter: (index: number) => boolean,
  onProgress: ((fraction: number) => void) | undefined,
  recordersOf: (run: RunRecorder, now: () => number) => S,
): S {
  const engine = new Engine(4096);
  const streams = new RngStreams(seed);
  const now = () => engine.now;
  const buffer = new RecordBuffer(() =>
    recordersOf(
      new RunRecorder({
        istiods: istiodCount(model),
        clusters: scenario.mesh.clusters.map((c) => c.name),
        services: scenario.mesh.services.map((s) => s.name),
        externalServices: scenario.mesh.services.flatMap((s, i) => (s.external === undefined ? [] : [i])),
        traffic: scenario.mesh.traffic.map((t) => t.name),
        zones: new Topology(scenario.mesh.clusters).zones,
        warmupMs: scenario.warmupMs,
        durationMs: scenario.durationMs,
        windowMs: scenario.windowMs,
        deadlineMs: scenario.slo.latencyMs.p99 ?? Infinity,
        sloAvailability: scenario.slo.availability,
        now,
      }),
      now,
    ),
  );
  const mesh = buildMesh(scenario, model, engine, streams, buffer, faultFilter);
  mesh.start(scenario.durationMs);
  const end = scenario.durationMs + DRAIN_MS;
  // Run in slices so progress can be reported; slicing does not change the event order.
  const slices = onProgress === undefined ? 1 : 100;
  for (let i = 1; i <= slices; i++) {
    engine.run(Math.min(end, (scenario.durationMs * i) / slices));
    onProgress?.(i / slices);
  }
  engine.run(end);
  const recorders = buffer.drained();
  const drained: RunRecorder | ExportRecorders = recorders;
  const run = drained instanceof ExportRecorders ? drained.run : drained;
  run.endOfRun({ pendingChanges: mesh.tracker.pendingChanges });
  return recorders;
}
