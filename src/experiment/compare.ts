/**
 * Compares deployment models: every model under the same R replication seeds (common random numbers),
 * each figure a mean with its 95% Student-t interval, each pairwise difference paired replication by
 * replication with its own interval, and a verdict. The result is plain data, the same bytes for the
 * same scenario, models, replications and seed whatever the number of workers.
 *
 * Contents: `compare`, `comparePlan`, `comparisonOf`, `ComparePlan`, `CompareOptions`, `CompareOutcome`,
 * `CompareProblem`, `compareRerunCommand`.
 */
import type { Scenario } from '../scenario/index.js';
import { faultKind, faultTarget } from '../mesh/index.js';
import { OUTPUT_CONTRACT_VERSION } from '../metrics/index.js';
import { controlPlaneFaults, metricContext, type ModelRuns } from './comparison-metric.js';
import { materialThresholds } from './material.js';
import type { ComparisonResult, FaultWindow } from './comparison.js';
import { replicationExperiment, type Experiment } from './experiment.js';
import { modelComparison } from './model-comparison.js';
import { pairwiseDifferences } from './pairwise-differences.js';
import { replicate, replicationSeeds, type ReplicationPlan, type Replications } from './replicate.js';
import { shellQuote } from './shell-quote.js';
import { istioConfigArgs } from './run.js';
import { verdict } from './verdict.js';
import { MESHSIM_VERSION } from './version.js';

export interface CompareOptions {
  /** Model names, in the order to report them; default: every model of the scenario, in its order. */
  readonly models?: readonly string[];
  /** Replications per model (at least 2, for an interval); default: the scenario's. */
  readonly replications?: number;
  /** Seed of replication 0; default: the scenario's. */
  readonly seed?: number;
  /** Worker threads (1 runs in this thread unless `isolate`); default 1. */
  readonly workers?: number;
  /** Simulations in worker threads even with one worker, so running out of memory is reported (the CLI). */
  readonly isolate?: boolean;
  /** Called with the fraction of all runs done. */
  readonly onProgress?: (fraction: number) => void;
}

/** Why a comparison was not run: bad options, each with a message for the user. */
export type CompareProblem =
  | { readonly code: 'unknown-model'; readonly message: string }
  | { readonly code: 'too-few-replications'; readonly message: string }
  | { readonly code: 'bad-seed'; readonly message: string }
  | { readonly code: 'bad-workers'; readonly message: string };

export type CompareOutcome =
  | { readonly ok: true; readonly result: ComparisonResult }
  | { readonly ok: false; readonly problem: CompareProblem };

/** The command line that reproduces a comparison (workers change nothing, so they are left out). */
export function compareRerunCommand(
  scenario: Scenario,
  models: readonly string[] | undefined,
  replications: number,
  seed: number,
): string {
  const subset = models === undefined ? [] : ['--models', models.join(',')];
  const words = [
    'meshsim',
    'compare',
    scenario.file,
    ...istioConfigArgs(scenario),
    ...subset,
    '--replications',
    String(replications),
    '--seed',
    String(seed),
  ];
  return words.map(shellQuote).join(' ');
}

function checkOptions(
  scenario: Scenario,
  o: CompareOptions,
  replications: number,
  seed: number,
): CompareProblem | undefined {
  const known = scenario.models.map((m) => m.name);
  const unknown = (o.models ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    return {
      code: 'unknown-model',
      message: `no model ${unknown.map((n) => `"${n}"`).join(', ')} in ${scenario.file}; its models: ${known.join(', ')}`,
    };
  }
  if (!(Number.isSafeInteger(replications) && replications >= 2)) {
    return {
      code: 'too-few-replications',
      message: `replications must be a whole number of at least 2 (an interval needs two values), got ${replications}`,
    };
  }
  if (!(Number.isSafeInteger(seed) && seed >= 0)) {
    return { code: 'bad-seed', message: `the seed must be a whole number >= 0, got ${seed}` };
  }
  const workers = o.workers ?? 1;
  if (!(Number.isSafeInteger(workers) && workers >= 1)) {
    return { code: 'bad-workers', message: `workers must be a whole number of at least 1, got ${workers}` };
  }
  return undefined;
}

/** The scenario's faults as drawn on charts: `forMs` null for "until the end". */
function faultWindows(scenario: Scenario, models: CompareModels): FaultWindow[] {
  const spof = new Set(controlPlaneFaults(scenario, models));
  return scenario.mesh.faults.map((f, i) => ({
    type: f.type,
    kind: faultKind(f.type),
    controlPlane: spof.has(i),
    atMs: f.atMs,
    forMs: Number.isFinite(f.forMs) ? f.forMs : null,
    target: faultTarget(f),
  }));
}

type CompareModels = Scenario['models'];

/** A comparison's settled options: the models in report order and the shared seeds. */
export interface ComparePlan {
  readonly plan: ReplicationPlan;
  /** The `--models` subset as given (deduplicated), for the rerun command; undefined for every model. */
  readonly subset: readonly string[] | undefined;
  readonly replications: number;
  readonly seed: number;
}

/** Settles a comparison's options against the scenario, or says what is wrong with them. */
export function comparePlan(
  scenario: Scenario,
  options: CompareOptions = {},
): { ok: true; plan: ComparePlan } | { ok: false; problem: CompareProblem } {
  const replications = options.replications ?? scenario.replications;
  const seed = options.seed ?? scenario.seed;
  const problem = checkOptions(scenario, options, replications, seed);
  if (problem !== undefined) return { ok: false, problem };
  const subset = options.models === undefined ? undefined : [...new Set(options.models)];
  const models =
    subset === undefined
      ? scenario.models
      : subset.flatMap((name) => scenario.models.filter((m) => m.name === name));
  return {
    ok: true,
    plan: { plan: { models, seeds: replicationSeeds(seed, replications) }, subset, replications, seed },
  };
}

/** The comparison of a plan's runs: the same bytes wherever and in whatever order the runs were made. */
export function comparisonOf(scenario: Scenario, p: ComparePlan, replicated: Replications): ComparisonResult {
  const runs: ModelRuns[] = p.plan.models.map((model, i) => ({
    model,
    runs: replicated.runs[i] ?? [],
    ctx: metricContext(scenario, model, p.plan.models),
  }));
  return {
    scenario: scenario.name,
    clusterRegions: scenario.mesh.clusters.map((c) => ({ cluster: c.name, region: c.region })),
    file: scenario.file,
    replications: p.replications,
    seed: p.seed,
    rerun: compareRerunCommand(scenario, p.subset, p.replications, p.seed),
    contractVersion: OUTPUT_CONTRACT_VERSION,
    meshsimVersion: MESHSIM_VERSION,
    durationMs: scenario.durationMs,
    warmupMs: scenario.warmupMs,
    windowMs: scenario.windowMs,
    faults: faultWindows(scenario, p.plan.models),
    models: runs.map((m) => modelComparison(scenario, m.model, m.runs, m.ctx, p.plan.seeds)),
    material: materialThresholds(scenario),
    differences: pairwiseDifferences(runs, materialThresholds(scenario)),
    verdict: verdict(scenario, runs),
  };
}

/** Runs the comparison; bad options come back as a problem, never half a result. */
export async function compare(scenario: Scenario, options: CompareOptions = {}): Promise<CompareOutcome> {
  const planned = comparePlan(scenario, options);
  if (!planned.ok) return planned;
  const replicated = await replicate(scenario, planned.plan.plan, {
    workers: options.workers ?? 1,
    ...(options.isolate === undefined ? {} : { isolate: options.isolate }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  return { ok: true, result: comparisonOf(scenario, planned.plan, replicated) };
}

/** The comparison as a numbered job list, for shards and `merge` (see experiment.ts). */
export function compareExperiment(
  scenario: Scenario,
  options: Omit<CompareOptions, 'workers' | 'isolate' | 'onProgress'> = {},
): { ok: true; experiment: Experiment<ComparisonResult> } | { ok: false; problem: CompareProblem } {
  const planned = comparePlan(scenario, options);
  if (!planned.ok) return planned;
  const p = planned.plan;
  // What rebuilds this job list: the subset as given, replications and seed (not the worker count).
  const request = { models: p.subset ?? null, replications: p.replications, seed: p.seed };
  return {
    ok: true,
    experiment: replicationExperiment('compare', request, [scenario], [p.plan], p.seed, ([r]) =>
      comparisonOf(scenario, p, r as Replications),
    ),
  };
}
