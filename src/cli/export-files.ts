/**
 * The files `--openmetrics` and `--fortio` add to a run's report folder (written with the rest of it, so
 * the folder's all-or-nothing write covers them):
 *
 * ```
 * openmetrics.txt        Istio's standard metrics and istiod's series, one sample per window, timestamps
 *                        from --metrics-base-time (promtool tsdb create-blocks-from openmetrics)
 * metrics.prom           the same at the end of the run, as one scrape (promtool check metrics)
 * fortio/<traffic>.json  each traffic source as Fortio's result document (fortio report)
 * ```
 */
import type { RunWithRecords } from '../experiment/index.js';
import type { ReportFile } from '../report/index.js';
import { DEFAULT_NAMESPACE, type Scenario } from '../scenario/index.js';

export interface ExportChoice {
  readonly openMetrics: boolean;
  readonly fortio: boolean;
  /** Wall-clock ms of simulated time 0. */
  readonly baseTimeMs: number;
}

/** A traffic source's requested rate (per second) averaged over the measured time, steps included. */
export function meanRequestedRate(
  t: Scenario['mesh']['traffic'][number],
  fromMs: number,
  toMs: number,
): number {
  let area = 0;
  let rate = t.ratePerMs;
  let at = fromMs;
  for (const step of [...t.steps].sort((a, b) => a.atMs - b.atMs)) {
    if (step.atMs <= fromMs) {
      rate = step.ratePerMs;
      continue;
    }
    if (step.atMs >= toMs) break;
    area += rate * (step.atMs - at);
    at = step.atMs;
    rate = step.ratePerMs;
  }
  area += rate * (toMs - at);
  return (area / (toMs - fromMs)) * 1000;
}

export async function exportFiles(
  scenario: Scenario,
  run: RunWithRecords,
  choice: ExportChoice,
): Promise<ReportFile[]> {
  const report = await import('../report/index.js');
  const { MESHSIM_VERSION } = await import('../experiment/index.js');
  const files: ReportFile[] = [];
  if (choice.openMetrics) {
    if (run.telemetry === undefined) throw new Error('openmetrics export: the run recorded no telemetry');
    // One table of label sets for both texts (metricsTexts).
    const texts = report.metricsTexts(run.telemetry, { baseTimeMs: choice.baseTimeMs });
    files.push(
      { name: 'openmetrics.txt', content: texts.openMetrics },
      { name: 'metrics.prom', content: texts.prometheus },
    );
  }
  if (choice.fortio) {
    const f = run.fortio;
    if (f === undefined) throw new Error('fortio export: the run kept no Fortio record');
    for (const [i, t] of scenario.mesh.traffic.entries()) {
      const record = f.traffic[i];
      if (record === undefined) throw new Error(`fortio export: no record of traffic ${t.name}`);
      files.push({
        name: `fortio/${t.name}.json`,
        content: report.fortioResultJson(record, {
          scenario: scenario.name,
          model: run.summary.model,
          seed: run.summary.seed,
          version: MESHSIM_VERSION,
          baseTimeMs: choice.baseTimeMs,
          startMs: f.startMs,
          measuredMs: f.measuredMs,
          url: `http://${t.entry}.${DEFAULT_NAMESPACE}.svc.cluster.local${t.uri}`,
          // A closed loop asks for its max rate, or none (Fortio's "max"); an open loop for its rate.
          requestedQps:
            t.closedLoop === undefined
              ? meanRequestedRate(t, f.startMs, f.startMs + f.measuredMs)
              : t.closedLoop.minIntervalMs > 0
                ? (t.closedLoop.vus / t.closedLoop.minIntervalMs) * 1000
                : 'max',
          numThreads: t.closedLoop?.vus ?? 0,
          timeoutMs: t.timeoutMs,
        }),
      });
    }
  }
  return files;
}
