/**
 * A run together with the extra records kept alongside it: Istio's standard metrics (for the OpenMetrics
 * export, `telemetry`), Fortio's per-source record (for the Fortio export, `fortio`), and what k6-style
 * thresholds read (`thresholds`). Each is kept only when asked for: `run --openmetrics` does not pay for
 * Fortio's histograms, nor `run --fortio` for Istio's series. The same parts and the same summary as
 * `runScenario`: the extra observers only read what passes.
 */
import type { FortioRecord, IstioTelemetry, RunSummary, ThresholdRecord } from '../metrics/index.js';
import type { Scenario } from '../scenario/index.js';
import { type RunOptions, type RunPartResult, assembleRun, runPart, runParts } from './run.js';

export interface RunWithRecords {
  readonly summary: RunSummary;
  /** With `telemetry: true`. */
  readonly telemetry?: IstioTelemetry;
  /** With `fortio: true`. */
  readonly fortio?: FortioRecord;
  /** With `thresholds: true`. */
  readonly thresholds?: ThresholdRecord;
}

export function runScenarioWithRecords(scenario: Scenario, options: RunOptions): RunWithRecords {
  const parts = runParts(scenario, options);
  const report = options.onProgress;
  const results = parts.map((part, i) =>
    runPart(
      scenario,
      options,
      part,
      report === undefined ? undefined : (f: number) => report((i + f) / parts.length),
    ),
  );
  return withRecords(scenario, options, results);
}

/** The run's summary and its extra records from its parts (in this thread or from the pool). */
export function withRecords(
  scenario: Scenario,
  options: RunOptions,
  results: readonly RunPartResult[],
): RunWithRecords {
  const run = results.find((r) => r.kind === 'faulted');
  if (run?.kind !== 'faulted') throw new Error('runScenarioWithRecords: no run part');
  if (options.telemetry === true && run.telemetry === undefined)
    throw new Error('runScenarioWithRecords: the run part recorded no telemetry');
  if (options.fortio === true && run.fortio === undefined)
    throw new Error('runScenarioWithRecords: the run part kept no Fortio record');
  if (options.thresholds === true && run.thresholds === undefined)
    throw new Error('runScenarioWithRecords: the run part kept no threshold record');
  return {
    summary: assembleRun(scenario, options, results),
    ...(run.telemetry === undefined ? {} : { telemetry: run.telemetry }),
    ...(run.fortio === undefined ? {} : { fortio: run.fortio }),
    ...(run.thresholds === undefined ? {} : { thresholds: run.thresholds }),
  };
}

export interface RunWithTelemetry {
  readonly summary: RunSummary;
  readonly telemetry: IstioTelemetry;
  readonly fortio: FortioRecord;
}

/** A run with both exports' records (`telemetry` and `fortio`). */
export function runScenarioWithTelemetry(scenario: Scenario, options: RunOptions = {}): RunWithTelemetry {
  const r = runScenarioWithRecords(scenario, { ...options, telemetry: true, fortio: true });
  if (r.telemetry === undefined || r.fortio === undefined) throw new Error('no telemetry');
  return { summary: r.summary, telemetry: r.telemetry, fortio: r.fortio };
}
