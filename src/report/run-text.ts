/** The summary a person reads in the terminal after `meshsim run`. */
import type { Breakdown, RunSummary } from '../metrics/index.js';
import { EXTERNAL_NOTE, hasExternal, serviceLabel, versionLabel } from './service-label.js';
import { textTable } from './text-table.js';

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(3)}%`);
const ms = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(2));

function row(name: string, b: Breakdown, slo = false): (string | number)[] {
  return [
    name,
    b.requests,
    pct(b.availability),
    ...(slo ? [pct(b.withinSlo ?? null)] : []),
    ms(b.latencyMs?.min),
    ms(b.latencyMs?.mean),
    ms(b.latencyMs?.stddev ?? undefined),
    ms(b.latencyMs?.p50),
    ms(b.latencyMs?.p90),
    ms(b.latencyMs?.p99),
    ms(b.latencyMs?.p999),
  ];
}

/** The terminal summary of a run: tables by client cluster and service, responses, and the rerun line. */
export function runText(s: RunSummary, reportDir: string | undefined): string {
  const slo = s.withinSlo !== undefined;
  const header = [
    '',
    'requests',
    'availability',
    ...(slo ? ['within SLO'] : []),
    'min ms',
    'mean ms',
    'sd ms',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'p99.9 ms',
  ];
  const total: Breakdown = {
    requests: s.requests.total - s.requests.unfinished,
    succeeded: s.requests.succeeded,
    availability: s.availability,
    ...(slo ? { withinSlo: s.withinSlo ?? null } : {}),
    latencyMs: s.latencyMs,
  };
  const out = [
    `meshsim: ${s.scenario}, seed ${s.seed}, ${s.durationMs / 1000}s simulated (warm-up ${s.warmupMs / 1000}s excluded)`,
    '',
    textTable(header, [
      row('all requests', total, slo),
      ...s.byCluster.filter((c) => c.requests > 0).map((c) => row(`from ${c.cluster}`, c, slo)),
    ]),
    '',
    textTable(
      ['service', 'calls', 'availability', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'queue mean ms'],
      s.byService.flatMap((b) => [
        [...row(serviceLabel(b), b), ms(b.queueMs?.mean)],
        // Its versions (the serving pod's version label) right under it.
        ...(s.byServiceVersion ?? [])
          .filter((v) => v.service === b.service)
          .map((v) => [...row(versionLabel(v), v), '-']),
      ]),
    ),
    ...(hasExternal(s.byService) ? [EXTERNAL_NOTE] : []),
    '',
    `responses: ${s.responses.map((r) => `${r.code} ${r.flags} x${r.count}`).join(', ') || 'none'}` +
      (s.requests.unfinished > 0 ? `; ${s.requests.unfinished} unfinished at the end of the run` : ''),
    `availability: answered without error${slo ? '; within SLO: also within slo.latency.p99' : ''}; ` +
      `latency is end to end for successful requests; mean ${ms(s.latencyMs?.mean)} ms` +
      (s.latencyMs?.meanStdErr != null
        ? ` (+/- ${(1.96 * s.latencyMs.meanStdErr).toFixed(3)} ms, 95%, batch means)`
        : ''),
  ];
  if (reportDir !== undefined) out.push(`report: ${reportDir}`);
  out.push(`rerun: ${s.rerun}`);
  return `${out.join('\n')}\n`;
}
