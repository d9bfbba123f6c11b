/**
 * The report of one run as a `ReportDocument`: headline figures, requests by client cluster, services,
 * faults and their blast radius, control plane, cost, responses and the traffic matrix.
 */
import type { Breakdown, RunSummary } from '../metrics/index.js';
import { runLabel } from './charts/chart-input.js';
import { runCharts } from './charts/report-charts.js';
import { formatMs, formatNumber, formatPercent, formatSeconds } from './format.js';
import type { ReportDocument, ReportTable } from './report-document.js';
import { EXTERNAL_NOTE, hasExternal, serviceLabel, versionLabel } from './service-label.js';
import { trafficTable } from './traffic-table.js';

const LATENCY_HEADER = ['p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms'];

function breakdownCells(b: Breakdown, slo = false): string[] {
  const l = b.latencyMs;
  return [
    formatNumber(b.requests),
    formatPercent(b.availability),
    ...(slo ? [formatPercent(b.withinSlo)] : []),
    formatMs(l?.p50),
    formatMs(l?.p90),
    formatMs(l?.p99),
    formatMs(l?.p999),
  ];
}

function requestsTable(s: RunSummary): ReportTable {
  const slo = s.withinSlo !== undefined;
  const total: Breakdown = {
    requests: s.requests.total - s.requests.unfinished,
    succeeded: s.requests.succeeded,
    availability: s.availability,
    ...(slo ? { withinSlo: s.withinSlo ?? null } : {}),
    latencyMs: s.latencyMs,
  };
  return {
    id: 'requests',
    title: 'Requests by client cluster',
    header: ['', 'requests', 'availability', ...(slo ? ['within SLO'] : []), ...LATENCY_HEADER],
    rows: [
      ['all requests', ...breakdownCells(total, slo)],
      ...s.byCluster
        .filter((c) => c.requests > 0)
        .map((c) => [`from ${c.cluster}`, ...breakdownCells(c, slo)]),
    ],
    numeric: [false, true, true, ...(slo ? [true] : []), true, true, true, true],
    note:
      'Requests started after warm-up and completed. Availability: answered without error (not 5xx), however late.' +
      (slo
        ? ` Within SLO: answered without error and within slo.latency.p99 (${formatMs(s.slo?.deadlineMs)} ms).`
        : '') +
      ' Latency is end to end for successful requests.' +
      (s.requests.unfinished > 0
        ? ` ${s.requests.unfinished} requests were unfinished at the end of the run.`
        : ''),
  };
}

function servicesTable(s: RunSummary): ReportTable {
  return {
    id: 'services',
    title: 'Services',
    header: ['service', 'calls', 'availability', ...LATENCY_HEADER, 'queue mean ms'],
    note:
      'Availability of calls to the service: answered without error (not 5xx), however late.' +
      (s.byServiceVersion === undefined
        ? ''
        : ' Indented rows: the calls served by each version (the pod label); calls that reached no pod count in the service row only.') +
      (hasExternal(s.byService) ? ` ${EXTERNAL_NOTE}` : ''),
    rows: s.byService.flatMap((b) => [
      [serviceLabel(b), ...breakdownCells(b), formatMs(b.queueMs?.mean)],
      ...(s.byServiceVersion ?? [])
        .filter((v) => v.service === b.service)
        .map((v) => [versionLabel(v), ...breakdownCells(v), '-']),
    ]),
    numeric: [false, true, true, true, true, true, true, true],
  };
}

function faultsTable(s: RunSummary): ReportTable {
  const faults = s.faults ?? [];
  return {
    id: 'faults',
    title: 'Faults and blast radius',
    header: [
      'fault',
      'kind',
      'target',
      'at',
      'for',
      'clusters hit',
      'services hit',
      'traffic failed or slow',
      'failed',
      'slow',
      'collateral',
      'recovered after',
      'availability back after',
    ],
    rows: faults.map((f) => {
      const b = f.blastRadius;
      return [
        f.type,
        f.kind === 'event' ? 'planned event' : 'fault',
        f.target,
        formatSeconds(f.atMs),
        f.forMs === null ? 'until the end' : formatSeconds(f.forMs),
        formatPercent(b?.clusters, 1),
        formatPercent(b?.services, 1),
        formatPercent(b?.traffic, 2),
        formatPercent(b?.failed, 2),
        formatPercent(b?.slow, 2),
        formatPercent(b?.collateral, 2),
        b === null ? '-' : f.timeToRecoverMs === null ? 'never' : formatSeconds(f.timeToRecoverMs),
        b === null || f.availabilityRecoveryMs === undefined
          ? '-'
          : f.availabilityRecoveryMs === null
            ? 'never'
            : formatSeconds(f.availabilityRecoveryMs),
      ];
    }),
    numeric: [false, false, false, true, true, true, true, true, true, true, true, true, true],
    note:
      faults.length === 0
        ? 'No faults in this scenario.'
        : 'Against a paired baseline: the same scenario and seed without the fault. Traffic failed or slow: excess requests over the baseline that failed (5xx or unanswered) or were answered too slowly, over the requests in the fault window; failed and slow are its two parts. Planned events (scale, a graceful rollout) are measured the same way but are not failures. Recovery counts from the fault’s end, or from its start for a fault the mesh routes around, to the end of the last impacted window. Availability back after: from the same instant until the mesh’s rolling availability stays within the error-rate threshold of the baseline’s, to a tenth of a window.',
  };
}

function controlPlaneTable(s: RunSummary): ReportTable[] {
  const c = s.controlPlane;
  if (c === undefined) return [];
  return [
    {
      id: 'control-plane',
      title: 'Control plane',
      header: [
        'istiods',
        'convergence p50 ms',
        'p99 ms',
        'max ms',
        'stale proxy s',
        'pushes',
        'rejected pods',
        'expired certs',
      ],
      rows: [
        [
          formatNumber(c.istiods),
          formatMs(c.convergenceMs?.p50),
          formatMs(c.convergenceMs?.p99),
          formatMs(c.convergenceMs?.max),
          formatNumber(c.staleProxySeconds),
          formatNumber(c.pushes),
          formatNumber(c.rejectedPodCreations),
          formatNumber(c.expiredCertProxies),
        ],
      ],
      numeric: [true, true, true, true, true, true, true, true],
      note: "Convergence: a change until every proxy that should see it has it (meshsim's figure, debounce included; istiod's pilot_proxy_convergence_time, in openmetrics.txt, times each proxy's push from the push's start).",
    },
  ];
}

function costTable(s: RunSummary): ReportTable[] {
  const c = s.cost;
  if (c === undefined) return [];
  return [
    {
      id: 'cost',
      title: 'Cost',
      header: [
        'istiods',
        'istiod vCPU',
        'istiod GB',
        'sidecar vCPU',
        'sidecar GB',
        'gateways',
        'cross-zone GB',
        'cross-region GB',
        'network cost',
        'config places',
      ],
      rows: [
        [
          formatNumber(c.istiods),
          formatNumber(c.istiodVcpu),
          formatNumber(c.istiodMemoryGb),
          formatNumber(c.sidecarVcpu),
          formatNumber(c.sidecarMemoryGb),
          formatNumber(c.gatewayReplicas),
          formatNumber(c.crossZoneGb),
          formatNumber(c.crossRegionGb),
          formatNumber(c.networkCost),
          formatNumber(c.configPlaces),
        ],
      ],
      numeric: Array<boolean>(10).fill(true),
      note: c.method,
    },
  ];
}

function responsesTable(s: RunSummary): ReportTable {
  return {
    id: 'responses',
    title: 'Responses',
    header: ['code', 'Envoy flags', 'count'],
    rows: s.responses.map((r) => [String(r.code), r.flags, formatNumber(r.count)]),
    numeric: [false, false, true],
  };
}

/** One run as a report document. */
export function runDocument(s: RunSummary): ReportDocument {
  const { charts, notes } = runCharts(s);
  const facts: [string, string][] = [
    ['scenario', s.scenario],
    ['model', s.model ?? 'as the scenario wires it'],
    ['seed', String(s.seed)],
    [
      'simulated',
      `${formatNumber(s.durationMs / 1000)} s, first ${formatNumber(s.warmupMs / 1000)} s warm-up excluded, ${formatNumber(s.windowMs / 1000)} s windows`,
    ],
    ['meshsim', s.meshsimVersion],
  ];
  const worst = (s.faults ?? []).filter((f) => f.blastRadius !== null);
  return {
    title: `${s.scenario}: one run${s.model === undefined ? '' : ` of ${s.model}`}`,
    facts,
    rerun: s.rerun,
    highlightsTitle: 'Summary',
    highlights: [
      `Availability ${formatPercent(s.availability)} (answered without error) over ${formatNumber(s.requests.total - s.requests.unfinished)} requests (${runLabel(s)}, seed ${s.seed})${
        s.withinSlo === undefined
          ? ''
          : `; within SLO (also within ${formatMs(s.slo?.deadlineMs)} ms) ${formatPercent(s.withinSlo)}`
      }.`,
      `Latency of successful requests: p50 ${formatMs(s.latencyMs?.p50)} ms, p99 ${formatMs(s.latencyMs?.p99)} ms.`,
      ...(worst.length === 0
        ? []
        : [
            `${worst.length} fault${worst.length === 1 ? '' : 's'} measured against a paired baseline: see "Faults and blast radius".`,
          ]),
    ],
    leadTables: [requestsTable(s)],
    charts,
    detailTables: [
      servicesTable(s),
      faultsTable(s),
      ...controlPlaneTable(s),
      ...costTable(s),
      responsesTable(s),
      trafficTable(
        'traffic',
        'Traffic matrix (calls)',
        s.traffic,
        'Calls by the caller’s cluster (rows) and the serving replica’s cluster (columns).',
      ),
    ],
    notes,
  };
}
