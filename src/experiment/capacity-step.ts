/**
 * One step of a capacity search: a model's R replications at one value of the varied parameter, judged
 * against the scenario's SLO on the mean over replications (as `compare --check-slo` judges), with the
 * confidence of that judgement: for each objective, the one-sided Student-t probability that the true mean
 * is on the side the step decided, P(T_{n-1} < |mean - target| / SE); the step's confidence is its least
 * sure objective's (a step that holds holds on every objective; one that misses misses on at least one,
 * and its confidence is that of its surest miss).
 *
 * Contents: `CapacityStep`, `ObjectiveCheck`, `judgeStep`, `tCdf`, `sloObjectives`, `SloObjective`.
 */
import { tQuantile } from '../metrics/index.js';
import type { RunSummary } from '../metrics/index.js';
import type { Slo } from '../scenario/index.js';

export interface SloObjective {
  readonly name: 'availability' | 'latencyP50' | 'latencyP90' | 'latencyP99' | 'latencyP999';
  readonly target: number;
  readonly better: 'higher' | 'lower';
  readonly of: (s: RunSummary) => number | null;
}

export interface ObjectiveCheck {
  readonly objective: SloObjective['name'];
  readonly target: number;
  /** Mean over replications, null when not measured (no request, or no successful one). */
  readonly mean: number | null;
  readonly ci95: readonly [number, number] | null;
  readonly met: boolean;
  /** One-sided confidence that the true mean is on the side `met` says. */
  readonly confidence: number;
}

export interface CapacityStep {
  readonly value: number;
  readonly holds: boolean;
  readonly confidence: number;
  readonly objectives: readonly ObjectiveCheck[];
}

/** The scenario's objectives, each read the same way from a run. */
export function sloObjectives(slo: Slo): SloObjective[] {
  const l = slo.latencyMs;
  const latency = (
    name: SloObjective['name'],
    target: number | undefined,
    key: 'p50' | 'p90' | 'p99' | 'p999',
  ): SloObjective[] =>
    target === undefined ? [] : [{ name, target, better: 'lower', of: (s) => s.latencyMs?.[key] ?? null }];
  return [
    ...(slo.availability === undefined
      ? []
      : [
          {
            name: 'availability' as const,
            target: slo.availability,
            better: 'higher' as const,
            of: (s: RunSummary) => s.availability,
          },
        ]),
    ...latency('latencyP50', l.p50, 'p50'),
    ...latency('latencyP90', l.p90, 'p90'),
    ...latency('latencyP99', l.p99, 'p99'),
    ...latency('latencyP999', l.p999, 'p999'),
  ];
}

/** P(T <= t) for Student's t with `df` degrees of freedom, by inverting `tQuantile` (bisection on p). */
export function tCdf(t: number, df: number): number {
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (tQuantile(mid, df) < t) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function check(o: SloObjective, runs: readonly RunSummary[]): ObjectiveCheck {
  const values = runs.map(o.of);
  if (values.some((v) => v === null))
    // Nothing measured in some replication: nothing met the objective there (slo-check.ts says the same).
    return { objective: o.name, target: o.target, mean: null, ci95: null, met: false, confidence: 1 };
  const xs = values as number[];
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const se = sd / Math.sqrt(n);
  const half = se === 0 ? 0 : tQuantile(0.975, n - 1) * se;
  const met = o.better === 'higher' ? mean >= o.target : mean <= o.target;
  const margin = Math.abs(mean - o.target);
  const confidence = se === 0 ? 1 : tCdf(margin / se, n - 1);
  return { objective: o.name, target: o.target, mean, ci95: [mean - half, mean + half], met, confidence };
}

/** Judges a step's runs against the objectives. */
export function judgeStep(
  value: number,
  objectives: readonly SloObjective[],
  runs: readonly RunSummary[],
): CapacityStep {
  const checks = objectives.map((o) => check(o, runs));
  const holds = checks.every((c) => c.met);
  const confidence = holds
    ? Math.min(...checks.map((c) => c.confidence))
    : Math.max(...checks.filter((c) => !c.met).map((c) => c.confidence));
  return { value, holds, confidence, objectives: checks };
}
