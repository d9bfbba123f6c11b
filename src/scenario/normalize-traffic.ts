/**
 * `traffic:` as written to the mesh's `TrafficConfig`. The mesh's `OpenLoopSource` knows one thing about
 * rates: steps (a piecewise-constant rate). Ramps and bursts are expressed here as steps:
 * - a ramp `{at, rate, over}` becomes n = min(ceil(over / 1s), 600) steps of over/n each, the i-th at the
 *   line's rate at the middle of its stretch: the rate is off the line by at most half a step's change,
 *   and the expected number of requests over the ramp is exactly that of the straight line;
 * - `arrival: bursty` is Poisson arrivals whose rate is multiplied by `burst.factor` on
 *   [k * every, k * every + for) for k = 1, 2, ... (the run starts calm), two steps per burst.
 * Consecutive steps with the same rate are merged; a step at 0 becomes the initial rate.
 *
 * Contents: `normalizeTraffic`, `rateSteps`, `expectedArrivals`, `RAMP_STEP_MS`, `MAX_RAMP_STEPS`.
 */
import type { Distribution } from '../des/index.js';
import type { RateStepConfig, TrafficConfig } from '../mesh/index.js';
import { arrivalStages, closedLoop, isClosedLoop } from './normalize-load-model.js';
import { Defaults } from './scenario.js';
import type { BurstInput, TrafficInput } from './schema-traffic.js';
import type { DistributionInput } from './schema-units.js';
import { parseDuration, parseFraction, parseRate } from './units.js';

/** Resolution of a ramp: one step per simulated second... */
export const RAMP_STEP_MS = 1000;
/** ...but no more than this many per ramp (a ramp over 10 minutes gets longer steps). */
export const MAX_RAMP_STEPS = 600;

const ms = (x: number | string): number => parseDuration(x) ?? 0;
const perMs = (x: number | string): number => parseRate(x) ?? 0;

export function normalizeTraffic(
  t: TrafficInput,
  durationMs: number,
  distribution: (d: DistributionInput) => Distribution,
  /**
   * Where the Gateway routes send a source naming a `host` (istio/ingress-views.ts `routedEntry`, over
   * the gateways it enters by under every model): its entry when none is written.
   */
  routedEntry?: (t: TrafficInput) => string | undefined,
): TrafficConfig {
  // Left out with `host`: where the Gateway routes send the request (check-ingress.ts made sure there is one).
  const entry = t.entry ?? routedEntry?.(t);
  if (entry === undefined) throw new Error(`traffic ${t.name} has no entry and no Gateway route`);
  const shares =
    typeof t.from === 'string'
      ? [[t.from, 1] as const]
      : Object.entries(t.from).map(([c, s]) => [c, parseFraction(s) ?? 0] as const);
  const closed = isClosedLoop(t);
  const { initialPerMs, steps } = closed
    ? { initialPerMs: 0, steps: [] }
    : rateSteps({ ...t, steps: arrivalStages(t) }, durationMs);
  return {
    name: t.name,
    entry,
    ...(t.host === undefined ? {} : { host: t.host.toLowerCase() }),
    from: shares.filter(([, w]) => w > 0).map(([cluster, weight]) => ({ cluster, weight })),
    ratePerMs: initialPerMs,
    // Bursts are Poisson arrivals at a modulated rate: the mesh sees Poisson with steps.
    arrival: t.arrival === 'constant' ? 'constant' : 'poisson',
    steps,
    via: t.via ?? 'direct',
    headers: t.headers ?? {},
    uri: t.uri ?? '/',
    timeoutMs: t.timeout === undefined ? Defaults.clientTimeoutMs : ms(t.timeout),
    ...(closed ? { closedLoop: closedLoop(t, durationMs, distribution) } : {}),
  };
}

/** The rate over the run as an initial rate and steps (per ms), ramps and bursts expanded. */
export function rateSteps(
  t: Pick<TrafficInput, 'rate' | 'steps' | 'burst' | 'arrival'>,
  durationMs: number,
): { initialPerMs: number; steps: RateStepConfig[] } {
  const base = baseSteps(t.rate === undefined ? 0 : perMs(t.rate), t.steps ?? []);
  const timeline =
    t.arrival === 'bursty' && t.burst !== undefined ? withBursts(base, t.burst, durationMs) : base;
  const merged: RateStepConfig[] = [];
  // A burst may end after the run; a change then would never take effect.
  for (const s of timeline.filter((x) => x.atMs < durationMs)) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.atMs === s.atMs) merged[merged.length - 1] = s;
    else if (last === undefined || last.ratePerMs !== s.ratePerMs) merged.push(s);
  }
  const [first, ...rest] = merged;
  return { initialPerMs: first?.ratePerMs ?? 0, steps: rest };
}

/** The rate from 0 on as steps, the first at 0: jumps as written, ramps as small steps. */
function baseSteps(initialPerMs: number, input: NonNullable<TrafficInput['steps']>): RateStepConfig[] {
  const out: RateStepConfig[] = [{ atMs: 0, ratePerMs: initialPerMs }];
  const sorted = input
    .map((s, k) => ({
      atMs: ms(s.at),
      overMs: s.over === undefined ? 0 : ms(s.over),
      ratePerMs: perMs(s.rate),
      k,
    }))
    .sort((a, b) => a.atMs - b.atMs || a.k - b.k);
  let current = initialPerMs;
  for (const s of sorted) {
    if (s.overMs > 0) {
      const n = Math.min(Math.ceil(s.overMs / RAMP_STEP_MS), MAX_RAMP_STEPS);
      for (let i = 0; i < n; i++) {
        out.push({
          atMs: s.atMs + (s.overMs * i) / n,
          ratePerMs: current + ((s.ratePerMs - current) * (i + 0.5)) / n,
        });
      }
      out.push({ atMs: s.atMs + s.overMs, ratePerMs: s.ratePerMs });
    } else out.push({ atMs: s.atMs, ratePerMs: s.ratePerMs });
    current = s.ratePerMs;
  }
  return out;
}

/** `steps` (sorted, the first at 0) with every burst window's rate multiplied by the factor. */
function withBursts(
  steps: readonly RateStepConfig[],
  burst: BurstInput,
  durationMs: number,
): RateStepConfig[] {
  const everyMs = ms(burst.every);
  const forMs = ms(burst.for);
  const edges: number[] = [];
  for (let k = 1; k * everyMs < durationMs; k++) edges.push(k * everyMs, k * everyMs + forMs);
  const times = [...new Set([...steps.map((s) => s.atMs), ...edges])].sort((a, b) => a - b);
  const out: RateStepConfig[] = [];
  let i = 0;
  for (const atMs of times) {
    while (i + 1 < steps.length && (steps[i + 1] as RateStepConfig).atMs <= atMs) i++;
    const base = (steps[i] as RateStepConfig).ratePerMs;
    const phase = atMs % everyMs;
    const inBurst = atMs >= everyMs && phase < forMs;
    out.push({ atMs, ratePerMs: inBurst ? base * burst.factor : base });
  }
  return out;
}

/** Expected arrivals of a source over [0, durationMs): the integral of its piecewise-constant rate. */
export function expectedArrivals(t: Pick<TrafficConfig, 'ratePerMs' | 'steps'>, durationMs: number): number {
  let total = 0;
  let rate = t.ratePerMs;
  let from = 0;
  for (const s of t.steps) {
    if (s.atMs >= durationMs) break;
    total += rate * (s.atMs - from);
    rate = s.ratePerMs;
    from = s.atMs;
  }
  return total + rate * Math.max(0, durationMs - from);
}
