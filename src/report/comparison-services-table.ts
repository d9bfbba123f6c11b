/**
 * The services of a comparison: per service, then its versions (the serving pod's `version` label)
 * indented right under it, as the run report's services table shows them. The report has one table per
 * model, each figure a mean over replications with its 95% interval; the terminal has one table with the
 * models side by side (means only, to fit a terminal; the intervals are in the report). Every figure is
 * also in csv/services.csv.
 *
 * Contents: `comparisonServicesTables`, `comparisonServicesText`.
 */
import type { ComparisonResult, ModelComparison, ServiceComparison } from '../experiment/index.js';
import { textTable } from './text-table.js';
import { formatEstimate, formatMs, formatPercent } from './format.js';
import type { ReportTable } from './report-document.js';
import { EXTERNAL_NOTE, hasExternal, serviceLabel, versionLabel } from './service-label.js';

function cells(s: ServiceComparison): string[] {
  return [
    s.requests === null ? '-' : Math.round(s.requests.mean).toLocaleString('en-US'),
    formatEstimate(s.availability, (x) => formatPercent(x, 3)),
    formatEstimate(s.latencyMs.p50, formatMs),
    formatEstimate(s.latencyMs.p99, formatMs),
  ];
}

function servicesTable(m: ModelComparison): ReportTable {
  const versions = m.byServiceVersion;
  return {
    id: `services-${m.model}`,
    title: `Services: ${m.model}`,
    header: ['service', 'calls', 'availability', 'p50 ms', 'p99 ms'],
    rows: (m.byService ?? []).flatMap((b) => [
      [serviceLabel(b), ...cells(b)],
      ...(versions ?? []).filter((v) => v.service === b.service).map((v) => [versionLabel(v), ...cells(v)]),
    ]),
    numeric: [false, true, true, true, true],
    note:
      'Mean over replications [95% confidence interval]; calls: mean per replication.' +
      (versions === undefined
        ? ''
        : ' Indented rows: the calls served by each version (the pod label); calls that reached no pod count in the service row only.') +
      (hasExternal(m.byService ?? []) ? ` ${EXTERNAL_NOTE}` : ''),
  };
}

/** One table per model that has per-service figures (comparisons built before them have none). */
export function comparisonServicesTables(r: ComparisonResult): ReportTable[] {
  return r.models.filter((m) => m.byService !== undefined).map(servicesTable);
}

/**
 * The terminal's services table: a row per service and version, per model its mean availability and
 * p99; undefined when no model has per-service figures.
 */
export function comparisonServicesText(r: ComparisonResult): string | undefined {
  const models = r.models.filter((m) => m.byService !== undefined);
  if (models.length === 0) return undefined;
  // Every model runs the same services; the union keeps a row any model reported, in first-seen order.
  const rows = new Map<string, { service: string; kind?: 'external'; version?: string }>();
  for (const m of models)
    for (const b of m.byService ?? []) {
      if (!rows.has(b.service)) rows.set(b.service, b.kind === undefined ? { service: b.service } : b);
      for (const v of (m.byServiceVersion ?? []).filter((x) => x.service === b.service))
        rows.set(`${b.service}\u0000${v.version}`, { service: b.service, version: v.version });
    }
  const ordered = [...rows.values()].sort(
    (a, b) => order(models, a.service) - order(models, b.service) || byVersion(a.version, b.version),
  );
  const figure = (m: ModelComparison, row: { service: string; version?: string }) =>
    row.version === undefined
      ? m.byService?.find((b) => b.service === row.service)
      : m.byServiceVersion?.find((v) => v.service === row.service && v.version === row.version);
  const mean = (e: { mean: number } | null | undefined, f: (x: number) => string) =>
    e === null || e === undefined ? '-' : f(e.mean);
  const table = textTable(
    ['service', ...models.flatMap((m) => [`${m.model} availability`, `${m.model} p99 ms`])],
    ordered.map((row) => [
      row.version === undefined ? serviceLabel(row) : versionLabel({ ...row, version: row.version }),
      ...models.flatMap((m) => {
        const f = figure(m, row);
        return [mean(f?.availability, (x) => formatPercent(x, 3)), mean(f?.latencyMs.p99, formatMs)];
      }),
    ]),
  );
  const notes = [
    'per service (indented: per version of the serving pod), mean over replications; intervals, p50 and calls in the report and csv/services.csv',
    ...(hasExternal(ordered) ? [EXTERNAL_NOTE] : []),
  ];
  return `${table}\n${notes.join('\n')}`;
}

/** A service's position in the first model that reports it. */
function order(models: readonly ModelComparison[], service: string): number {
  for (const m of models) {
    const i = (m.byService ?? []).findIndex((b) => b.service === service);
    if (i >= 0) return i;
  }
  return Number.MAX_SAFE_INTEGER;
}

/** The service's own row first, then its versions in code-unit order (as the run orders them). */
function byVersion(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}
