/**
 * A sweep: the scenario at every point of a grid of field values (sweep-grid.ts), each point a model
 * comparison on the same replication seeds, so common random numbers hold across models and across the
 * whole grid (a change from one point to the next is the parameter's, not the seeds'). Every point's
 * scenario is the file with its values set, checked by the same pipeline as the file itself.
 *
 * Contents: `SweepOptions`, `SweepResult`, `SweepPointResult`, `SweepAxis`, `sweepAxis`,
 * `loadSweepScenarios`, `sweepExperiment`, `sweepRerunCommand`.
 */
import { loadScenarioText, type LoadOptions, type Scenario, type ScenarioIssue } from '../scenario/index.js';
import { formatIssue, parseDuration, parseFraction, parseRate } from '../scenario/index.js';
import type { ComparisonResult } from './comparison.js';
import {
  comparePlan,
  comparisonOf,
  type CompareOptions,
  type CompareProblem,
  type ComparePlan,
} from './compare.js';
import { replicationExperiment, type Experiment } from './experiment.js';
import type { Replications } from './replicate.js';
import { SweepPathError, setAt, sweepPoints, sweepValue, type SweepSet } from './sweep-grid.js';
import { OUTPUT_CONTRACT_VERSION } from '../metrics/index.js';
import { MESHSIM_VERSION } from './version.js';

export interface SweepOptions extends Omit<CompareOptions, 'workers' | 'isolate' | 'onProgress'> {
  readonly sets: readonly SweepSet[];
}

export interface SweepPointResult {
  /** 1-based, as reports number points. */
  readonly point: number;
  /** The value of each swept path at this point, as written in `--set`. */
  readonly settings: Readonly<Record<string, string>>;
  readonly comparison: ComparisonResult;
}

/** A swept parameter's values as numbers for a chart's axis (rates per second, durations in ms), when they all read as one kind. */
export interface SweepAxis {
  readonly path: string;
  readonly unit: 'number' | 'req/s' | 'ms' | 'ratio' | null;
  /** Per value of `--set`, in its order; null when `unit` is null (the values are labels). */
  readonly values: readonly (number | null)[];
}

export interface SweepResult {
  readonly scenario: string;
  readonly file: string;
  readonly parameters: readonly SweepSet[];
  readonly axes: readonly SweepAxis[];
  readonly models: readonly string[];
  readonly replications: number;
  readonly seed: number;
  readonly rerun: string;
  /** `OUTPUT_CONTRACT_VERSION` of the meshsim that wrote it. */
  readonly contractVersion: number;
  readonly meshsimVersion: string;
  readonly points: readonly SweepPointResult[];
}

const quote = (s: string) => (/^[A-Za-z0-9_./:%=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The command line that reproduces a sweep (or, with one value per path, one of its points). */
export function sweepRerunCommand(
  file: string,
  sets: readonly SweepSet[],
  subset: readonly string[] | undefined,
  replications: number,
  seed: number,
): string {
  const s = sets.map((x) => ` --set ${quote(`${x.path}=${x.values.join(',')}`)}`).join('');
  const m = subset === undefined ? '' : ` --models ${subset.join(',')}`;
  return `meshsim sweep ${file}${s}${m} --replications ${replications} --seed ${seed}`;
}

/** The values of a `--set` as numbers of one kind (see `SweepAxis`). */
export function sweepAxis(set: SweepSet): SweepAxis {
  const parsed = set.values.map(sweepValue);
  const all = (f: (v: number | string) => number | undefined, scale = 1): (number | null)[] | undefined => {
    const out = parsed.map((v) => (typeof v === 'number' || typeof v === 'string' ? f(v) : undefined));
    return out.every((x) => x !== undefined) ? out.map((x) => (x as number) * scale) : undefined;
  };
  const numbers = parsed.every((v) => typeof v === 'number') ? (parsed as number[]) : undefined;
  if (numbers !== undefined) return { path: set.path, unit: 'number', values: numbers };
  const rates = all((v) => (typeof v === 'string' && v.includes('/') ? parseRate(v) : undefined), 1000);
  if (rates !== undefined) return { path: set.path, unit: 'req/s', values: rates };
  const durations = all((v) => (typeof v === 'string' ? parseDuration(v) : undefined));
  if (durations !== undefined) return { path: set.path, unit: 'ms', values: durations };
  const fractions = all((v) => (typeof v === 'string' && v.endsWith('%') ? parseFraction(v) : undefined));
  if (fractions !== undefined) return { path: set.path, unit: 'ratio', values: fractions };
  return { path: set.path, unit: null, values: set.values.map(() => null) };
}

/**
 * Every point's scenario from the file's text, or every problem: a bad path (`SweepPathError`) or a value
 * the file's checks refuse, each message naming the point's settings.
 */
export function loadSweepScenarios(
  text: string,
  file: string,
  sets: readonly SweepSet[],
  load: Omit<LoadOptions, 'edit'> = {},
):
  | { ok: true; scenarios: Scenario[]; settings: Record<string, string>[]; warnings: ScenarioIssue[] }
  | { ok: false; problems: string[] } {
  let settings: Record<string, string>[];
  try {
    settings = sweepPoints(sets);
  } catch (e) {
    if (e instanceof SweepPathError) return { ok: false, problems: [e.message] };
    throw e;
  }
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  const warnings = new Map<string, ScenarioIssue>();
  for (const point of settings) {
    const label = Object.entries(point)
      .map(([p, v]) => `${p}=${v}`)
      .join(' ');
    try {
      const r = loadScenarioText(text, file, {
        ...load,
        edit: (data) => {
          for (const [path, value] of Object.entries(point)) setAt(data, path, sweepValue(value));
        },
      });
      for (const w of r.warnings) warnings.set(formatIssue(w), w);
      if (r.ok) scenarios.push(r.scenario);
      else problems.push(...r.issues.map((i) => `with ${label}: ${formatIssue(i)}`));
    } catch (e) {
      if (!(e instanceof SweepPathError)) throw e;
      // A path error is the same at every point: say it once.
      return { ok: false, problems: [e.message] };
    }
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, scenarios, settings, warnings: [...warnings.values()] };
}

/** The sweep as a numbered job list: every point's comparison jobs, point after point. */
export function sweepExperiment(
  scenarios: readonly Scenario[],
  settings: readonly Record<string, string>[],
  options: SweepOptions,
): { ok: true; experiment: Experiment<SweepResult> } | { ok: false; problem: CompareProblem } {
  const plans: ComparePlan[] = [];
  for (const s of scenarios) {
    const planned = comparePlan(s, options);
    if (!planned.ok) return planned;
    plans.push(planned.plan);
  }
  const first = plans[0];
  const base = scenarios[0];
  if (first === undefined || base === undefined) throw new Error('sweepExperiment: a sweep without points');
  const request = {
    sets: options.sets.map((s) => ({ path: s.path, values: [...s.values] })),
    models: first.subset ?? null,
    replications: first.replications,
    seed: first.seed,
  };
  const experiment = replicationExperiment(
    'sweep',
    request,
    scenarios,
    plans.map((p) => p.plan),
    first.seed,
    (replications): SweepResult => ({
      scenario: base.name,
      file: base.file,
      parameters: request.sets,
      axes: request.sets.map(sweepAxis),
      models: first.plan.models.map((m) => m.name),
      replications: first.replications,
      seed: first.seed,
      rerun: sweepRerunCommand(base.file, request.sets, first.subset, first.replications, first.seed),
      contractVersion: OUTPUT_CONTRACT_VERSION,
      meshsimVersion: MESHSIM_VERSION,
      points: scenarios.map((s, i) => {
        const point = settings[i] as Record<string, string>;
        const comparison = comparisonOf(s, plans[i] as ComparePlan, replications[i] as Replications);
        const single = Object.entries(point).map(([path, v]) => ({ path, values: [v] }));
        return {
          point: i + 1,
          settings: point,
          comparison: {
            ...comparison,
            rerun: sweepRerunCommand(base.file, single, first.subset, first.replications, first.seed),
          },
        };
      }),
    }),
  );
  return { ok: true, experiment };
}
