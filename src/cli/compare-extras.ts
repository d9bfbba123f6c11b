/**
 * What `compare` adds per model when asked (`--openmetrics`) or when the file has `thresholds:`: each
 * model's replication 0 run again with its extra records, on the worker pool in worker threads (the records
 * are plain data; every model's run and baselines side by side, and an out-of-memory is the pool's message
 * and exit 2, not a V8 abort of the process). Replication 0 runs on the comparison's own seed, so these are
 * the same runs, byte for byte, as the comparison's first replication of each model.
 *
 * - `openmetrics.txt` / `metrics.prom`: every model in one text, labelled `meshsim_model` (see
 *   report/openmetrics.ts MODEL_LABEL for why one file);
 * - thresholds: evaluated per model, as k6 evaluates a run (a comparison's intervals are for the verdict;
 *   a k6 threshold is a pass/fail on one run), printed per model, `k6/<model>.json` in k6's summary shape.
 */
import type { JobRunOptions, ThresholdOutcome } from '../experiment/index.js';
import type { ReportFile } from '../report/index.js';
import type { Scenario } from '../scenario/index.js';

export interface CompareExtras {
  readonly files: ReportFile[];
  readonly thresholds: readonly { readonly model: string; readonly outcomes: readonly ThresholdOutcome[] }[];
}

export async function compareExtras(
  scenario: Scenario,
  models: readonly string[],
  seed: number,
  choice: { readonly openMetrics: boolean; readonly baseTimeMs: number | undefined },
  pool: JobRunOptions,
): Promise<CompareExtras> {
  const experiment = await import('../experiment/index.js');
  const report = await import('../report/index.js');
  const thresholds = scenario.thresholds.length > 0;
  const records = await experiment.runModelsWithRecordsParallel(
    scenario,
    models,
    { seed, telemetry: choice.openMetrics, thresholds },
    pool,
  );
  const runs = records.map((r, i) => ({ model: models[i] ?? '', ...r }));
  const files: ReportFile[] = [];
  if (choice.openMetrics) {
    const telemetry = runs.map((r) => {
      if (r.telemetry === undefined) throw new Error(`compare: the run of ${r.model} kept no telemetry`);
      return { model: r.model, telemetry: r.telemetry };
    });
    // One table of label sets for both texts (metricsTextsOfModels), as `run` does.
    const texts = report.metricsTextsOfModels(telemetry, {
      ...(choice.baseTimeMs === undefined ? {} : { baseTimeMs: choice.baseTimeMs }),
    });
    files.push(
      { name: 'openmetrics.txt', content: texts.openMetrics },
      { name: 'metrics.prom', content: texts.prometheus },
    );
  }
  const outcomes = runs.flatMap((r) =>
    r.thresholds === undefined
      ? []
      : [
          {
            model: r.model,
            outcomes: experiment.evaluateThresholds(scenario.thresholds, r.thresholds, r.summary),
            summary: r.summary,
          },
        ],
  );
  for (const o of outcomes)
    files.push({
      name: `k6/${o.model}.json`,
      content: report.k6SummaryJson(o.outcomes, {
        scenario: o.summary.scenario,
        model: o.summary.model,
        seed: o.summary.seed,
        rerun: o.summary.rerun,
      }),
    });
  return { files, thresholds: outcomes.map(({ model, outcomes: list }) => ({ model, outcomes: list })) };
}
