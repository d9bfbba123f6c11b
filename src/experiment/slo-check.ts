/**
 * The scenario's `slo:` against what a run or a comparison measured, for `--check-slo`. A run is judged on
 * its own figures; a comparison on each model's mean over replications (the interval is printed with it,
 * so a reader sees whether the miss is clear or marginal). A percentile objective with no successful
 * request to measure is missed: nothing met it.
 *
 * Contents: `checkRunSlo`, `checkComparisonSlo`, `SloCheck`, `SloMiss`.
 */
import type { RunSummary } from '../metrics/index.js';
import type { Slo } from '../scenario/index.js';
import type { ComparisonResult, Estimate } from './comparison.js';

/** One objective missed: by which model (null for a single run), and in words. */
export interface SloMiss {
  readonly model: string | null;
  readonly objective: 'availability' | 'latencyP50' | 'latencyP90' | 'latencyP99' | 'latencyP999';
  readonly message: string;
}

export type SloCheck =
  /** The scenario states no objective: nothing to check. */
  | { readonly kind: 'no-slo' }
  | { readonly kind: 'met'; readonly objectives: number }
  | { readonly kind: 'missed'; readonly misses: readonly SloMiss[] };

const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
const ms = (x: number) => `${x.toFixed(2)} ms`;

/** What a run or a model measured, as a value and its words. */
interface Measured {
  readonly availability: { value: number; text: string } | null;
  readonly p50: { value: number; text: string } | null;
  readonly p90: { value: number; text: string } | null;
  readonly p99: { value: number; text: string } | null;
  readonly p999: { value: number; text: string } | null;
}

function objectives(slo: Slo): number {
  return [
    slo.availability,
    slo.latencyMs.p50,
    slo.latencyMs.p90,
    slo.latencyMs.p99,
    slo.latencyMs.p999,
  ].filter((x) => x !== undefined).length;
}

function misses(slo: Slo, m: Measured, model: string | null): SloMiss[] {
  const who = model === null ? '' : `${model}: `;
  const out: SloMiss[] = [];
  if (slo.availability !== undefined) {
    const a = m.availability;
    if (a === null) {
      out.push({
        model,
        objective: 'availability',
        message: `${who}availability not measured (no requests), SLO ${pct(slo.availability)}`,
      });
    } else if (a.value < slo.availability) {
      out.push({
        model,
        objective: 'availability',
        message: `${who}availability ${a.text} is below the SLO of ${pct(slo.availability)}`,
      });
    }
  }
  const latency = [
    ['p50', 'latencyP50', slo.latencyMs.p50, m.p50],
    ['p90', 'latencyP90', slo.latencyMs.p90, m.p90],
    ['p99', 'latencyP99', slo.latencyMs.p99, m.p99],
    ['p99.9', 'latencyP999', slo.latencyMs.p999, m.p999],
  ] as const;
  for (const [label, objective, target, got] of latency) {
    if (target === undefined) continue;
    if (got === null) {
      out.push({
        model,
        objective,
        message: `${who}${label} latency not measured (no successful request), SLO ${ms(target)}`,
      });
    } else if (got.value > target) {
      out.push({
        model,
        objective,
        message: `${who}${label} latency ${got.text} is above the SLO of ${ms(target)}`,
      });
    }
  }
  return out;
}

function outcome(slo: Slo, found: readonly SloMiss[]): SloCheck {
  if (objectives(slo) === 0) return { kind: 'no-slo' };
  return found.length === 0
    ? { kind: 'met', objectives: objectives(slo) }
    : { kind: 'missed', misses: found };
}

/** One run against the SLO. */
export function checkRunSlo(slo: Slo, s: RunSummary): SloCheck {
  const l = s.latencyMs;
  const at = (v: number | undefined) => (v === undefined ? null : { value: v, text: ms(v) });
  const measured: Measured = {
    availability: s.availability === null ? null : { value: s.availability, text: pct(s.availability) },
    p50: at(l?.p50),
    p90: at(l?.p90),
    p99: at(l?.p99),
    p999: at(l?.p999),
  };
  return outcome(slo, misses(slo, measured, null));
}

/** Every model of a comparison against the SLO, on its mean; the interval goes into the words. */
export function checkComparisonSlo(slo: Slo, r: ComparisonResult): SloCheck {
  const est = (e: Estimate | null | undefined, f: (x: number) => string) =>
    e === null || e === undefined
      ? null
      : { value: e.mean, text: `${f(e.mean)} (mean; 95% CI ${f(e.ci95[0])} to ${f(e.ci95[1])})` };
  const found = r.models.flatMap((m) =>
    misses(
      slo,
      {
        availability: est(m.availability, pct),
        p50: est(m.latencyMs.p50, ms),
        p90: est(m.latencyMs.p90, ms),
        p99: est(m.latencyMs.p99, ms),
        p999: est(m.latencyMs.p999, ms),
      },
      m.model,
    ),
  );
  return outcome(slo, found);
}
