/**
 * The per-model services table of a comparison report: per service, then its versions (the serving
 * pod's `version` label) indented right under it, as the run report's services table shows them; each
 * figure a mean over replications with its 95% interval. Every figure is also in csv/services.csv.
 *
 * Contents: `comparisonServicesTables`.
 */
import type { ComparisonResult, ModelComparison, ServiceComparison } from '../experiment/index.js';
import { formatEstimate, formatMs, formatPercent } from './format.js';
import type { ReportTable } from './report-document.js';

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
      [b.service, ...cells(b)],
      ...(versions ?? [])
        .filter((v) => v.service === b.service)
        .map((v) => [`  ${b.service} ${v.version}`, ...cells(v)]),
    ]),
    numeric: [false, true, true, true, true],
    note:
      'Mean over replications [95% confidence interval]; calls: mean per replication.' +
      (versions === undefined
        ? ''
        : ' Indented rows: the calls served by each version (the pod label); calls that reached no pod count in the service row only.'),
  };
}

/** One table per model that has per-service figures (comparisons built before them have none). */
export function comparisonServicesTables(r: ComparisonResult): ReportTable[] {
  return r.models.filter((m) => m.byService !== undefined).map(servicesTable);
}
