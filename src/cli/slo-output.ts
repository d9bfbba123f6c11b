/**
 * `--check-slo` on the command line: refuse before running when the scenario states no objective (a gate
 * that checks nothing would pass silently), and after the run print every missed objective on stderr and
 * give exit code 3.
 *
 * Contents: `requireSlo`, `sloExitCode`, `thresholdsExitCode`.
 */
import type { SloCheck } from '../experiment/slo-check.js';
import type { ThresholdOutcome } from '../experiment/thresholds.js';
import type { Scenario } from '../scenario/index.js';
import { ExitCode, UsageError } from './exit-code.js';

/** Throws bad input when `--check-slo` is asked of a scenario without `slo:`. */
export function requireSlo(scenario: Scenario, command: 'run' | 'compare' | 'merge' = 'run'): void {
  const { availability, latencyMs } = scenario.slo;
  if (
    [availability, latencyMs.p50, latencyMs.p90, latencyMs.p99, latencyMs.p999].some(
      (x) => x !== undefined,
    ) ||
    // run and compare evaluate thresholds:; merge (a comparison's parts) keeps no threshold record.
    (command !== 'merge' && scenario.thresholds.length > 0)
  )
    return;
  if (command === 'merge' && scenario.thresholds.length > 0)
    throw new UsageError(
      `meshsim: --check-slo: merge checks ${scenario.file}'s slo:, which states no objective; its thresholds: are evaluated by meshsim run and compare (merge keeps no per-run record to evaluate them on)`,
    );
  throw new UsageError(
    `meshsim: --check-slo: ${scenario.file} states no objective under slo: and no thresholds:, so there is nothing to check; add one, e.g. slo: { availability: 99.9%, latency: { p99: 250ms } } or thresholds: { http_req_duration: ['p(95)<250'] }`,
  );
}

/** Prints the outcome of the check on stderr and returns the exit code it calls for. */
export function sloExitCode(check: SloCheck, file: string): ExitCode {
  switch (check.kind) {
    case 'no-slo':
      return ExitCode.OK;
    case 'met':
      process.stderr.write(`slo: ${file}: every objective met (${check.objectives} checked)\n`);
      return ExitCode.OK;
    case 'missed':
      process.stderr.write(
        `slo: ${file}: ${check.misses.length} objective${check.misses.length === 1 ? '' : 's'} missed\n` +
          check.misses.map((m) => `  missed: ${m.message}\n`).join(''),
      );
      return ExitCode.SLO_MISSED;
  }
}

/** Names every failed threshold expression on stderr; exit 3 when one failed. */
export function thresholdsExitCode(outcomes: readonly ThresholdOutcome[], file: string): ExitCode {
  const failed = outcomes.flatMap((o) =>
    o.results.filter((r) => !r.ok).map((r) => `  missed: ${o.key} '${r.source}'\n`),
  );
  if (failed.length === 0) return ExitCode.OK;
  process.stderr.write(
    `thresholds: ${file}: ${failed.length} threshold${failed.length === 1 ? '' : 's'} missed\n${failed.join('')}`,
  );
  return ExitCode.SLO_MISSED;
}
