/**
 * RunSummaries with chosen figures, for verdict and SLO tests: one real run of a tiny scenario as the
 * base (so every field a summary has is present), with the figures under test overridden.
 */
import { metricContext, runScenario, type ModelRuns } from '../../src/experiment/index.js';
import type { DeploymentModel } from '../../src/mesh/index.js';
import type { RunSummary } from '../../src/metrics/index.js';
import type { Scenario } from '../../src/scenario/index.js';
import { loadFixture } from './load-fixture.js';

export interface Figures {
  readonly availability?: number;
  readonly p99?: number;
  readonly collateral?: number;
}

let base: Promise<{ scenario: Scenario; run: RunSummary }> | undefined;

/** The outage fixture and one short run of it. */
export function baseRun(): Promise<{ scenario: Scenario; run: RunSummary }> {
  base ??= (async () => {
    const scenario = await loadFixture('outage.yaml');
    return { scenario, run: runScenario(scenario, { baselines: false }) };
  })();
  return base;
}

/**
 * A copy of `run` with the given figures. Its cost and control-plane figures are left out: they belong to
 * the base run's model, so the counts come from each model's wiring instead.
 */
export function withFigures(run: RunSummary, f: Figures): RunSummary {
  const latency = run.latencyMs;
  const rest: RunSummary = { ...run };
  delete (rest as { cost?: unknown }).cost;
  delete (rest as { controlPlane?: unknown }).controlPlane;
  return {
    ...rest,
    ...(f.availability === undefined ? {} : { availability: f.availability }),
    ...(f.p99 === undefined || latency === null ? {} : { latencyMs: { ...latency, p99: f.p99 } }),
    ...(f.collateral === undefined
      ? {}
      : {
          faults: [
            {
              type: 'control-plane-outage',
              atMs: 10_000,
              forMs: 20_000,
              target: 'istiod serving east-1',
              blastRadius: {
                clusters: 0.5,
                services: 0.5,
                traffic: f.collateral * 2,
                collateral: f.collateral,
              },
              timeToRecoverMs: 1000,
            },
          ],
        }),
  };
}

/** A model whose replication k has figures `figures[k]`, under the wiring of `model`. */
export function modelRuns(
  scenario: Scenario,
  model: DeploymentModel,
  run: RunSummary,
  figures: readonly Figures[],
): ModelRuns {
  return {
    model,
    runs: figures.map((f) => withFigures(run, f)),
    ctx: metricContext(scenario, model),
  };
}

/** `model` renamed, to compare several models with the same wiring. */
export function renamed(model: DeploymentModel, name: string): DeploymentModel {
  return { ...model, name };
}
