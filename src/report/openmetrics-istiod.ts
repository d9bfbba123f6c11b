/**
 * istiod's series in the text (what istiod-telemetry-recorder.ts records): `pilot_xds_pushes`,
 * `pilot_proxy_convergence_time` and `pilot_xds`, each family once, every run's samples under it.
 */
import type { IstiodTelemetry } from '../metrics/index.js';
import {
  counterValues,
  type Family,
  familyHeader,
  gaugeValues,
  histogramParts,
  histogramLines,
  histogramValues,
  labelText,
  LineParts,
  lineStarts,
  sampleChunks,
  type LabelSetMemory,
  type Times,
} from './openmetrics-lines.js';
import { type ChunkWriter, SampleLines, utf8 } from './text-chunks.js';

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

const CLOSE = utf8('} ');
const PUSHES_PARTS = new LineParts([utf8(`${PUSHES.name}{`)], [CLOSE]);
const XDS_PARTS = new LineParts([utf8(`${XDS.name}{`)], [CLOSE]);

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
  if (planes.length === 0) return;
  familyHeader(w, PUSHES, openMetrics);
  yield* sampleChunks(w, planes.length, (i, memory) => {
    const { cp, t, from, times, withExtra } = planes[i] as IstiodPlane;
    return new SampleLines(
      lineStarts(PUSHES_PARTS, utf8(withExtra('type="eds"')), memory),
      counterValues(Float64Array.from(cp.pushes), t.windows, from, memory),
      times,
      from,
      t.windows,
    );
  });
  familyHeader(w, CONVERGENCE, openMetrics);
  yield* sampleChunks(w, planes.length, (i, memory) => {
    const { cp, t, from, times, withExtra } = planes[i] as IstiodPlane;
    const labels = withExtra('');
    const parts = histogramParts(CONVERGENCE.name, cp.convergenceBucketsS, labels !== '');
    return new SampleLines(
      lineStarts(histogramLines(parts), utf8(labels), memory),
      histogramValues(
        Float64Array.from(cp.convergenceBuckets),
        Float64Array.from(cp.convergenceCounts),
        Float64Array.from(cp.convergenceSumsS),
        parts.le.length,
        t.windows,
        from,
        memory,
      ),
      times,
      from,
      t.windows,
    );
  });
  familyHeader(w, XDS, openMetrics);
  const gauges = planes.flatMap(({ cp, t, from, times, withExtra }) =>
    cp.xdsClients.map(
      ({ istiod, samples }) =>
        (memory: LabelSetMemory) =>
          new SampleLines(
            lineStarts(XDS_PARTS, utf8(withExtra(labelText([['cluster', istiod]]))), memory),
            gaugeValues(Float64Array.from(samples), t.windows, from, memory),
            times,
            from,
            t.windows,
          ),
    ),
  );
  yield* sampleChunks(w, gauges.length, (i, memory) =>
    (gauges[i] as (m: LabelSetMemory) => SampleLines)(memory),
  );
}
