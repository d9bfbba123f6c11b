/**
 * istiod's series in the text (what istiod-telemetry-recorder.ts records): `pilot_xds_pushes`,
 * `pilot_proxy_convergence_time` and `pilot_xds`, each family once, every run's samples under it.
 */
import type { IstiodTelemetry } from '../metrics/index.js';
import {
  counterLines,
  type Family,
  familyHeader,
  histogramLines,
  histogramParts,
  labelText,
  type Times,
} from './openmetrics-lines.js';
import { type ChunkWriter, utf8 } from './text-chunks.js';

/**
 * istiod's series, names, types and labels from istio/istio pilot/pkg/xds/monitoring.go at 86c9f01f:
 * `pilot_xds_pushes` (a Sum, label `type`), `pilot_proxy_convergence_time` (a Distribution, no label),
 * `pilot_xds` (a Gauge, label `version`: the connected proxies' Istio version, recorded in ads.go
 * addCon/removeCon).
 */
const PUSHES: Family = {
  name: 'pilot_xds_pushes',
  type: 'counter',
  noTotal: true,
  help: 'Pushes to proxies (meshsim: one push carries endpoints and routes, counted as type eds).',
};
const XDS: Family = {
  name: 'pilot_xds',
  type: 'gauge',
  help: 'Number of endpoints connected to this pilot using XDS (meshsim: per istiod, labelled with the cluster it runs in or "external"; no version label, meshsim models no proxy versions).',
};
const CONVERGENCE: Family = {
  name: 'pilot_proxy_convergence_time',
  type: 'histogram',
  help: "Delay in seconds between config change and a proxy receiving all required configuration (meshsim as istiod records it: one observation per proxy per debounced push, from the push start after debounce to that proxy's push; initial pushes on connect not recorded).",
};

const PUSHES_OPEN = utf8(`${PUSHES.name}{`);
const XDS_OPEN = utf8(`${XDS.name}{`);
const CLOSE = utf8('} ');

/** One run's istiod series and how its samples are written (see render in openmetrics.ts). */
export interface IstiodPlane {
  readonly cp: IstiodTelemetry;
  readonly t: { readonly windows: number };
  /** The first sample written (0, or the last for a final scrape). */
  readonly from: number;
  readonly times: Times;
  /** Labels with the run's extra labels after them. */
  readonly withExtra: (labels: string) => string;
}

/** istiod's families, when any run has a control plane; yields full chunks as they fill. */
export function* istiodLines(
  w: ChunkWriter,
  planes: readonly IstiodPlane[],
  openMetrics: boolean,
): Generator<Uint8Array, void, undefined> {
  if (planes.length > 0) {
    familyHeader(w, PUSHES, openMetrics);
    for (const { cp, t, from, times, withExtra } of planes) {
      counterLines(
        w,
        { head: PUSHES_OPEN, labels: utf8(withExtra('type="eds"')), tail: CLOSE },
        cp.pushes,
        t.windows,
        times,
        from,
      );
    }
    familyHeader(w, CONVERGENCE, openMetrics);
    for (const { cp, t, from, times, withExtra } of planes) {
      const labels = withExtra('');
      yield* histogramLines(
        w,
        histogramParts(CONVERGENCE.name, cp.convergenceBucketsS, labels !== ''),
        utf8(labels),
        cp.convergenceBuckets,
        cp.convergenceCounts,
        cp.convergenceSumsS,
        t.windows,
        times,
        from,
      );
    }
    familyHeader(w, XDS, openMetrics);
    for (const { cp, t, from, times, withExtra } of planes) {
      for (const { istiod, samples } of cp.xdsClients) {
        const labels = utf8(withExtra(labelText([['cluster', istiod]])));
        for (let k = from; k <= t.windows; k++)
          w.line(XDS_OPEN, labels, CLOSE, samples[k] ?? 0, times[k] as Uint8Array);
      }
    }
  }
}
