/**
 * The comparison report's per-model tables: availability and latency with the model's wiring, the single
 * point of failure and data locality, cost, and control-plane health; each figure a mean with its 95%
 * interval over the paired replications.
 *
 * Contents: `modelsTable`, `spofLocalityTable`, `costTable`, `controlPlaneTable`.
 */
import type { ComparisonResult, Estimate } from '../experiment/index.js';
import { CI_NOTE, ms, num, pct } from './comparison-cells.js';
import { formatEstimate, formatNumber, formatSeconds } from './format.js';
import type { ReportTable } from './report-document.js';

export function modelsTable(r: ComparisonResult): ReportTable {
  const slo = r.models.some((m) => m.withinSlo !== undefined);
  return {
    id: 'models',
    title: 'Models: availability and latency',
    header: [
      'model',
      'control plane',
      'network',
      'availability',
      ...(slo ? ['within SLO'] : []),
      'p50 ms',
      'p99 ms',
    ],
    rows: r.models.map((m) => [
      m.model,
      m.wiring.controlPlane,
      m.wiring.network,
      formatEstimate(m.availability, pct(3)),
      ...(slo ? [formatEstimate(m.withinSlo ?? null, pct(3))] : []),
      formatEstimate(m.latencyMs.p50, ms),
      formatEstimate(m.latencyMs.p99, ms),
    ]),
    numeric: [false, false, false, true, ...(slo ? [true] : []), true, true],
    note: `${CI_NOTE} Availability: requests answered without error (not 5xx), however late.${
      slo ? ' Within SLO: answered without error and within slo.latency.p99.' : ''
    } Latency is end to end for successful requests.`,
  };
}

export function spofLocalityTable(r: ComparisonResult): ReportTable {
  const e = (x: Estimate | null | undefined, digits: number) => formatEstimate(x ?? null, pct(digits));
  return {
    id: 'spof-locality',
    title: 'Single point of failure and data locality',
    header: ['model', 'availability in control-plane outage', 'cross-cluster calls', 'cross-region calls'],
    rows: r.models.map((m) => [
      m.model,
      e(m.controlPlaneOutageAvailability, 3),
      e(m.locality?.crossClusterShare, 2),
      e(m.locality?.crossRegionShare, 2),
    ]),
    numeric: [false, true, true, true],
    note: `${spofCoverage(r)} Cross-cluster and cross-region calls: share of calls served by a replica in another cluster or another region than the caller’s (- in a one-region mesh). ${CI_NOTE}`,
  };
}

/** Which faults the single point of failure is measured over. */
function spofCoverage(r: ComparisonResult): string {
  // A comparison written before `controlPlane` was added measured control-plane-outage faults only.
  const over = r.faults.filter((f) => f.controlPlane ?? f.type === 'control-plane-outage');
  return over.length === 0
    ? 'Availability in control-plane outage: - because no fault removes a control plane or cuts proxies off from it (control-plane-outage; cluster-outage of a cluster hosting an istiod; api-server-outage of a config cluster; a partition between remotes and their primary).'
    : `Availability in control-plane outage: requests answered without error in the windows that overlap ${over
        .map((f) => `${f.type} ${f.target} @ ${formatSeconds(f.atMs)}`)
        .join(
          '; ',
        )} (faults that remove a control plane or cut proxies off from it under at least one model), i.e. what the mesh still serves while an istiod is lost or out of reach.`;
}

export function costTable(r: ComparisonResult): ReportTable {
  const e = (x: Estimate | null | undefined) => formatEstimate(x ?? null, num);
  return {
    id: 'cost',
    title: 'Cost',
    header: [
      'model',
      'istiods',
      'istiod vCPU',
      'istiod GB',
      'sidecar vCPU',
      'cross-zone GB',
      'cross-region GB',
      'config places',
    ],
    rows: r.models.map((m) => {
      const c = m.cost;
      return [
        m.model,
        formatNumber(c?.istiods),
        e(c?.istiodVcpu),
        e(c?.istiodMemoryGb),
        e(c?.sidecarVcpu),
        e(c?.crossZoneGb),
        e(c?.crossRegionGb),
        formatNumber(c?.configPlaces),
      ];
    }),
    numeric: [false, true, true, true, true, true, true, true],
    note: 'Config places: where a routing rule must be applied for the whole mesh to see it.',
  };
}

export function controlPlaneTable(r: ComparisonResult): ReportTable {
  const e = (x: Estimate | null | undefined, f: (v: number) => string) => formatEstimate(x ?? null, f);
  return {
    id: 'control-plane',
    title: 'Control-plane health',
    header: ['model', 'convergence p99 ms', 'stale proxy s', 'rejected pods'],
    rows: r.models.map((m) => {
      const h = m.controlPlaneHealth;
      return [
        m.model,
        e(h?.convergenceP99Ms, ms),
        e(h?.staleProxySeconds, num),
        e(h?.rejectedPodCreations, num),
      ];
    }),
    numeric: [false, true, true, true],
    note: "Convergence: a change until every proxy that should see it has it (meshsim's figure, debounce included; istiod's pilot_proxy_convergence_time, in openmetrics.txt, times each proxy's push from the push's start).",
  };
}
