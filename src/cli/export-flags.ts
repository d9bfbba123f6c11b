/**
 * The export flags of run and compare (--openmetrics, run's --fortio, --metrics-base-time), defined once
 * for both, and the one check of their combinations. Part of the shared flags of flags.ts.
 *
 * Contents: `exportFlags`, `checkExportFlags`.
 */
import type { Argv } from 'yargs';
import { UsageError } from './exit-code.js';
import { isoTime } from './flag-values.js';

/** The export flags: Istio's standard metrics (run, compare) and Fortio's result JSON (run). */
const EXPORTS = {
  run: {
    openmetrics:
      "Also write Istio's standard metrics per window: openmetrics.txt (for promtool tsdb create-blocks-from openmetrics) and metrics.prom",
    baseTimeIn: 'the exports',
    flags: ['--openmetrics', '--fortio'],
    exports: 'the exports',
  },
  compare: {
    openmetrics:
      "Also write every model's Istio standard metrics per window into one openmetrics.txt (and metrics.prom), labelled meshsim_model: replication 0 of each model, run once more on the worker pool",
    baseTimeIn: 'openmetrics.txt',
    flags: ['--openmetrics'],
    exports: 'the OpenMetrics export',
  },
} as const;

export function exportFlags(y: Argv, command: 'run' | 'compare'): Argv {
  const e = EXPORTS[command];
  y = y.option('openmetrics', { type: 'boolean', default: false, describe: e.openmetrics });
  if (command === 'run')
    y = y.option('fortio', {
      type: 'boolean',
      default: false,
      describe: "Also write each traffic source as Fortio's result JSON: fortio/<traffic>.json",
    });
  return y
    .option('metrics-base-time', {
      nargs: 1,
      describe: `Wall-clock time of simulated time 0 in ${e.baseTimeIn}, ISO 8601 UTC (default 2026-01-01T00:00:00Z)`,
    })
    .coerce('metrics-base-time', isoTime('--metrics-base-time'));
}

/**
 * The export flags' combinations that would be accepted and then dropped: a base time with no export,
 * an export with no folder to write it to. Checked in the handler after the scenario file, as before.
 */
export function checkExportFlags(
  command: 'run' | 'compare',
  args: {
    readonly openmetrics: boolean;
    readonly fortio?: boolean;
    readonly metricsBaseTime: number | undefined;
    readonly json: boolean;
    readonly out: string | undefined;
  },
): void {
  const e = EXPORTS[command];
  const given = [args.openmetrics ? '--openmetrics' : '', args.fortio === true ? '--fortio' : ''].filter(
    (f) => f !== '',
  );
  if (args.metricsBaseTime !== undefined && given.length === 0)
    throw new UsageError(
      `meshsim: --metrics-base-time: sets the time of ${e.exports}; add ${e.flags.join(' or ')}, or drop it`,
    );
  const first = given[0];
  if (first !== undefined && args.json && args.out === undefined)
    throw new UsageError(
      `meshsim: ${first} writes ${command === 'compare' ? 'openmetrics.txt ' : ''}into the report folder, and --json without --out writes none: add --out DIR`,
    );
}
