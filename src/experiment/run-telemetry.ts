/**
 * A run together with Istio's standard metrics and Fortio's per-source record kept alongside it (for the
 * OpenMetrics and Fortio exports): the
 * same parts and the same summary as `runScenario`, since the telemetry observer only reads what passes.
 */
import type { FortioRecord, IstioTelemetry, RunSummary } from '../metrics/index.js';
import type { Scenario } from '../scenario/index.js';
import { type RunOptions, assembleRun, runPart, runParts } from './run.js';

export interface RunWithTelemetry {
  readonly summary: RunSummary;
  readonly telemetry: IstioTelemetry;
  readonly fortio: FortioRecord;
}

export function runScenarioWithTelemetry(scenario: Scenario, options: RunOptions = {}): RunWithTelemetry {
  const withTelemetry: RunOptions = { ...options, telemetry: true };
  const parts = runParts(scenario, withTelemetry);
  const report = options.onProgress;
  const results = parts.map((part, i) =>
    runPart(
      scenario,
      withTelemetry,
      part,
      report === undefined ? undefined : (f: number) => report((i + f) / parts.length),
    ),
  );
  const run = results.find((r) => r.kind === 'faulted');
  if (run?.kind !== 'faulted' || run.telemetry === undefined || run.fortio === undefined)
    throw new Error('runScenarioWithTelemetry: the run part recorded no telemetry');
  return {
    summary: assembleRun(scenario, withTelemetry, results),
    telemetry: run.telemetry,
    fortio: run.fortio,
  };
}
