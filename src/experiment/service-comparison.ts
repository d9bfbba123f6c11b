/**
 * One model's per-service figures over its replications, and per service version (issue 13, point 5: the
 * `version` label of the serving replica, as `RunSummary.byServiceVersion`): each figure a mean with its
 * 95% interval, like the model's own. A service or version a replication did not report counts as zero
 * calls in that replication (it served none), while its availability and latency are left out of that
 * replication's observations (nothing measured is never a zero).
 *
 * Contents: `serviceComparisons`, `ServiceComparison`, `ServiceVersionComparison`.
 */
import type { Breakdown, RunSummary } from '../metrics/index.js';
import type { Estimate } from './comparison.js';
import { estimate } from './estimate.js';

export interface ServiceComparison {
  readonly service: string;
  /** Present, `external`, for a ServiceEntry host (as the run summary's `byService[].kind`). */
  readonly kind?: 'external';
  /** Calls per replication (started after warm-up). */
  readonly requests: Estimate | null;
  readonly availability: Estimate | null;
  /** Answered calls (not 5xx), as the run summary's `byService` latency. */
  readonly latencyMs: { readonly p50: Estimate | null; readonly p99: Estimate | null };
}

export interface ServiceVersionComparison extends ServiceComparison {
  /** The serving replica's `version` label. Calls that reached no replica count in the service row only. */
  readonly version: string;
}

function figures(rows: readonly (Breakdown | undefined)[]): Omit<ServiceComparison, 'service' | 'kind'> {
  return {
    requests: estimate(
      rows.map((b) => b?.requests ?? 0),
      3,
    ),
    availability: estimate(
      rows.map((b) => b?.availability),
      8,
      'fraction',
    ),
    latencyMs: {
      p50: estimate(
        rows.map((b) => b?.latencyMs?.p50),
        4,
      ),
      p99: estimate(
        rows.map((b) => b?.latencyMs?.p99),
        4,
      ),
    },
  };
}

/**
 * Per service (in the first replication's order, then any a later one added) and, when any replication
 * broke calls down by version, per service version (by service, then version, as the runs order them).
 */
export function serviceComparisons(runs: readonly RunSummary[]): {
  byService: ServiceComparison[];
  byServiceVersion?: ServiceVersionComparison[];
} {
  const services = [...new Set(runs.flatMap((r) => r.byService.map((b) => b.service)))];
  const byService = services.map((service): ServiceComparison => {
    const rows = runs.map((r) => r.byService.find((b) => b.service === service));
    const external = rows.some((b) => b?.kind === 'external');
    return { service, ...(external ? { kind: 'external' as const } : {}), ...figures(rows) };
  });
  if (!runs.some((r) => r.byServiceVersion !== undefined)) return { byService };
  const keys = new Map<string, { service: string; version: string }>();
  for (const r of runs)
    for (const v of r.byServiceVersion ?? [])
      keys.set(`${v.service}\u0000${v.version}`, { service: v.service, version: v.version });
  const order = (s: string) => services.indexOf(s);
  const byServiceVersion = [...keys.values()]
    .sort(
      (a, b) =>
        order(a.service) - order(b.service) || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0),
    )
    .map(({ service, version }): ServiceVersionComparison => ({
      service,
      version,
      ...figures(
        runs.map((r) => r.byServiceVersion?.find((v) => v.service === service && v.version === version)),
      ),
    }));
  return { byService, byServiceVersion };
}
