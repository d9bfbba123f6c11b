/**
 * `meshsim capacity`: per model, the largest value of one parameter at which the scenario's SLO still
 * holds, by bisection. By default the parameter is the total entry rate: every traffic source's rate (and
 * its steps' rates) scaled by one factor, quoted as the sum of the sources' starting rates in req/s;
 * `--vary PATH` names any numeric field instead (a fault's length in ms, a rate in req/s). The parameter is
 * taken to make things worse as it grows.
 *
 * Every step runs the model's R replications on the same seeds (common random numbers across steps, so
 * the answer moves with the parameter, not with the draws) and is judged on the mean over replications,
 * with its confidence (capacity-step.ts). The search first brackets the answer (doubling up from the
 * scenario's own value while the SLO holds, halving down while it misses, or the `range` given), then
 * halves the bracket until it is no wider than the precision: the answer holds at `holds` and misses at
 * `misses`, with `misses - holds <= precision`.
 *
 * The search's steps depend on each other, so a model's search is one job: shards split models, and the
 * worker pool runs each step's replications side by side.
 *
 * Contents: `CapacityOptions`, `CapacityResult`, `CapacityModelResult`, `capacityExperiment`, `CapacityProblem`.
 */
import { loadScenarioText, parseRate, formatIssue, type Scenario } from '../scenario/index.js';
import { judgeStep, sloObjectives, type CapacityStep } from './capacity-step.js';
import type { Experiment, JobResult } from './experiment.js';
import type { JobRunOptions } from './job-runner.js';
import { replicate, replicationSeeds } from './replicate.js';
import { parsePath, setAt, SweepPathError } from './sweep-grid.js';
import { OUTPUT_CONTRACT_VERSION } from '../metrics/index.js';
import { MESHSIM_VERSION } from './version.js';

export interface CapacityOptions {
  /** A field path; undefined: the total entry rate. */
  readonly vary?: string;
  /** [low, high] to search, in the parameter's unit; undefined: bracket from the scenario's value. */
  readonly range?: readonly [number, number];
  /** Stop when the bracket is at most this wide: an amount, or a share of its lower end. */
  readonly precision?: { readonly absolute: number } | { readonly relative: number };
  readonly models?: readonly string[];
  readonly replications?: number;
  readonly seed?: number;
  readonly allowLarge?: boolean;
}

export interface CapacityModelResult {
  readonly model: string;
  /** found: bracketed to the precision; holds-at-top / misses-at-bottom: the answer is beyond the search. */
  readonly status: 'found' | 'holds-at-top' | 'misses-at-bottom';
  /** The largest value seen to hold (the answer), null if none held. */
  readonly holds: number | null;
  /** The smallest value seen to miss, null if none missed. */
  readonly misses: number | null;
  readonly steps: readonly CapacityStep[];
}

export interface CapacityResult {
  readonly scenario: string;
  readonly file: string;
  readonly parameter: string;
  readonly unit: string;
  readonly precision: { readonly absolute: number } | { readonly relative: number };
  readonly replications: number;
  readonly seed: number;
  readonly rerun: string;
  /** `OUTPUT_CONTRACT_VERSION` of the meshsim that wrote it. */
  readonly contractVersion: number;
  readonly meshsimVersion: string;
  readonly slo: readonly { readonly objective: string; readonly target: number }[];
  readonly models: readonly CapacityModelResult[];
}

/** Bad options or a value the scenario's checks refuse: a message for exit 2. */
export class CapacityProblem extends Error {
  override name = 'CapacityProblem';
}

/** Doublings or halvings tried to bracket the answer before saying it is beyond reach. */
const MAX_BRACKET_STEPS = 12;
/** Steps of a search at most, whatever the precision (2^-40 of the bracket is below any float noise). */
const MAX_STEPS = 60;

const isObject = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

/** The value at a path of the raw document (for the scenario's own value of the varied field). */
function getAt(data: unknown, path: string): unknown {
  let node = data;
  for (const step of parsePath(path)) {
    if (step.kind === 'key') node = isObject(node) ? node[step.key] : undefined;
    else if (step.kind === 'index') node = Array.isArray(node) ? node[step.index] : undefined;
    else
      node = Array.isArray(node)
        ? node.find((x) => isObject(x) && String(x[step.key]) === step.value)
        : undefined;
  }
  return node;
}

/** req/s of a rate as written (a number is per second). */
const perSecond = (v: unknown) =>
  typeof v === 'number' || typeof v === 'string' ? (parseRate(v) ?? NaN) * 1000 : NaN;

interface Parameter {
  readonly name: string;
  readonly unit: string;
  readonly integer: boolean;
  readonly base: number;
  readonly edit: (x: number) => (data: Record<string, unknown>) => void;
}

function parameter(raw: Record<string, unknown>, vary: string | undefined): Parameter {
  if (vary === undefined) {
    const traffic = Array.isArray(raw['traffic']) ? (raw['traffic'] as unknown[]) : [];
    const base = traffic.reduce<number>((sum, t) => sum + (isObject(t) ? perSecond(t['rate']) : NaN), 0);
    if (!(base > 0))
      throw new CapacityProblem('the scenario has no traffic rate to scale; name a field with --vary');
    return {
      name: 'total entry rate',
      unit: 'req/s',
      integer: false,
      base,
      edit: (x) => (data) => {
        const factor = x / base;
        for (const t of data['traffic'] as Record<string, unknown>[]) {
          t['rate'] = perSecond(t['rate']) * factor;
          for (const s of (t['steps'] as Record<string, unknown>[] | undefined) ?? [])
            s['rate'] = perSecond(s['rate']) * factor;
        }
      },
    };
  }
  let value: unknown;
  try {
    value = getAt(raw, vary);
  } catch (e) {
    if (e instanceof SweepPathError) throw new CapacityProblem(e.message.replace('--set', '--vary'));
    throw e;
  }
  const rate = typeof value === 'string' && value.includes('/') ? perSecond(value) : NaN;
  const base = typeof value === 'number' ? value : rate;
  if (!Number.isFinite(base) || base <= 0)
    throw new CapacityProblem(
      `--vary ${vary}: the file's value there is ${JSON.stringify(value) ?? 'absent'}; capacity needs a positive number or rate to start from (or give --range)`,
    );
  return {
    name: vary,
    unit: Number.isFinite(rate) ? 'req/s' : '',
    integer: typeof value === 'number' && Number.isInteger(value),
    base,
    edit: (x) => (data) => setAt(data, vary, x),
  };
}

export function capacityRerunCommand(
  file: string,
  o: CapacityOptions,
  replications: number,
  seed: number,
): string {
  const p = o.precision ?? { relative: 0.01 };
  return [
    `meshsim capacity ${file}`,
    o.vary === undefined ? '' : ` --vary '${o.vary}'`,
    o.range === undefined ? '' : ` --range ${o.range[0]},${o.range[1]}`,
    ` --precision ${'absolute' in p ? p.absolute : `${p.relative * 100}%`}`,
    o.models === undefined ? '' : ` --models ${o.models.join(',')}`,
    ` --replications ${replications} --seed ${seed}`,
  ].join('');
}

/** The search as an experiment of one job per model (see experiment.ts). */
export function capacityExperiment(
  scenario: Scenario,
  text: string,
  options: CapacityOptions,
): Experiment<CapacityResult> {
  const objectives = sloObjectives(scenario.slo);
  if (objectives.length === 0)
    throw new CapacityProblem(
      `${scenario.file} states no objective under slo:, so there is no capacity to find; add one, e.g. slo: { availability: 99.9%, latency: { p99: 250ms } }`,
    );
  const replications = options.replications ?? scenario.replications;
  const seed = options.seed ?? scenario.seed;
  if (!(Number.isSafeInteger(replications) && replications >= 2))
    throw new CapacityProblem(`replications must be a whole number of at least 2, got ${replications}`);
  const known = scenario.models.map((m) => m.name);
  const unknown = (options.models ?? []).filter((m) => !known.includes(m));
  if (unknown.length > 0)
    throw new CapacityProblem(
      `no model ${unknown.map((n) => `"${n}"`).join(', ')} in ${scenario.file}; its models: ${known.join(', ')}`,
    );
  const models = options.models === undefined ? known : [...new Set(options.models)];
  const precision = options.precision ?? { relative: 0.01 };
  const width = (lo: number) => ('absolute' in precision ? precision.absolute : precision.relative * lo);
  // The parsed document as the loader reads it (YAML or JSON, anchors expanded): the varied field's own value.
  let raw: Record<string, unknown> = {};
  loadScenarioText(text, scenario.file, { allowLarge: true, edit: (d) => (raw = structuredClone(d)) });
  const param = parameter(raw, options.vary);
  if (options.range !== undefined && !(options.range[0] > 0 && options.range[1] > options.range[0]))
    throw new CapacityProblem(
      `--range: expected LOW,HIGH with 0 < LOW < HIGH, got ${options.range.join(',')}`,
    );
  const seeds = replicationSeeds(seed, replications);
  const request = {
    vary: options.vary ?? null,
    range: options.range ?? null,
    precision,
    models,
    replications,
    seed,
    text,
    allowLarge: options.allowLarge ?? false,
  };

  const scenarioAt = (x: number): Scenario => {
    const r = loadScenarioText(text, scenario.file, {
      allowLarge: options.allowLarge ?? false,
      edit: param.edit(x),
    });
    if (!r.ok)
      throw new CapacityProblem(
        `at ${param.name} = ${x} ${param.unit}, the scenario does not pass its checks:\n${r.issues.map(formatIssue).join('\n')}`,
      );
    return r.scenario;
  };

  const search = async (model: string, pool: JobRunOptions): Promise<CapacityModelResult> => {
    const steps: CapacityStep[] = [];
    const evaluate = async (x: number): Promise<boolean> => {
      const s = scenarioAt(x);
      const m = s.models.find((d) => d.name === model);
      if (m === undefined) throw new CapacityProblem(`at ${x}, the scenario has no model ${model}`);
      const replicated = await replicate(s, { models: [m], seeds }, pool);
      const step = judgeStep(x, objectives, replicated.runs[0] ?? []);
      steps.push(step);
      return step.holds;
    };
    const round = (x: number) => (param.integer ? Math.round(x) : x);
    let holds: number | null = null;
    let misses: number | null = null;
    if (options.range !== undefined) {
      const [lo, hi] = options.range;
      if (await evaluate(round(lo))) holds = round(lo);
      else return { model, status: 'misses-at-bottom', holds: null, misses: round(lo), steps };
      if (await evaluate(round(hi)))
        return { model, status: 'holds-at-top', holds: round(hi), misses: null, steps };
      misses = round(hi);
    } else {
      let x = round(param.base);
      if (await evaluate(x)) {
        holds = x;
        for (let i = 0; i < MAX_BRACKET_STEPS && misses === null; i++) {
          x = round(x * 2);
          if (await evaluate(x)) holds = x;
          else misses = x;
        }
        if (misses === null) return { model, status: 'holds-at-top', holds, misses, steps };
      } else {
        misses = x;
        for (let i = 0; i < MAX_BRACKET_STEPS && holds === null; i++) {
          const next = round(x / 2);
          if (next === x) break;
          x = next;
          if (await evaluate(x)) holds = x;
          else misses = x;
        }
        if (holds === null) return { model, status: 'misses-at-bottom', holds, misses, steps };
      }
    }
    let lo: number = holds;
    let hi: number = misses;
    while (steps.length < MAX_STEPS && hi - lo > Math.max(width(lo), param.integer ? 1 : 0)) {
      const mid = param.integer ? Math.floor((lo + hi) / 2) : (lo + hi) / 2;
      if (mid === lo || mid === hi) break;
      if (await evaluate(mid)) lo = mid;
      else hi = mid;
    }
    return { model, status: 'found', holds: lo, misses: hi, steps };
  };

  const assemble = (results: readonly unknown[]): CapacityResult => ({
    scenario: scenario.name,
    file: scenario.file,
    parameter: param.name,
    unit: param.unit,
    precision,
    replications,
    seed,
    rerun: capacityRerunCommand(scenario.file, { ...options, precision }, replications, seed),
    contractVersion: OUTPUT_CONTRACT_VERSION,
    meshsimVersion: MESHSIM_VERSION,
    slo: objectives.map((o) => ({ objective: o.name, target: o.target })),
    models: results as CapacityModelResult[],
  });
  const run = async (ids: readonly number[], pool: JobRunOptions): Promise<JobResult[]> => {
    const out: JobResult[] = [];
    for (const [i, id] of ids.entries()) {
      const model = models[id];
      if (model === undefined) throw new Error(`no job ${id} of ${models.length}`);
      const onProgress = pool.onProgress;
      const result = await search(model, {
        ...pool,
        // Steps are not known in advance: progress counts models done.
        ...(onProgress === undefined
          ? {}
          : { onProgress: (f: number) => onProgress((i + f * 0.5) / ids.length) }),
      });
      out.push({ job: id, result });
    }
    return out;
  };
  return {
    kind: 'capacity',
    request,
    scenarios: [scenario],
    seed,
    jobs: models.length,
    describe: (id) => `the capacity search of model ${models[id] ?? id}`,
    run,
    assemble,
    runAll: async (pool) =>
      assemble(
        (
          await run(
            models.map((_, i) => i),
            pool,
          )
        ).map((r) => r.result),
      ),
  };
}
