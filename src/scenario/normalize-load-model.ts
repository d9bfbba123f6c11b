/**
 * k6's executor vocabulary and Fortio's closed loop, resolved for the mesh (checked by
 * check-load-model.ts):
 * - constant-arrival-rate is meshsim's open loop as written (`rate`, `steps`);
 * - ramping-arrival-rate's `stages` become ramps (`steps` with `over`), each from the end of the previous
 *   stage, so the expected request count is exactly k6's straight lines';
 * - constant-vus and ramping-vus become closed-loop clients; a ramping-vus stage changes the client count
 *   each time its straight line crosses a whole number (k6 moves whole VUs too); a client leaving finishes
 *   the request it has in flight and sends no other (k6's graceful ramp-down, without its time limit).
 *
 * Contents: `isClosedLoop`, `arrivalStages`, `closedLoop`.
 */
import type { ClosedLoopConfig } from '../mesh/index.js';
import type { TrafficInput } from './schema-traffic.js';
import { parseDuration, parseRate } from './units.js';

const ms = (x: number | string): number => parseDuration(x) ?? 0;

export function isClosedLoop(t: Pick<TrafficInput, 'executor'>): boolean {
  return t.executor === 'constant-vus' || t.executor === 'ramping-vus';
}

/** ramping-arrival-rate's stages as meshsim rate steps with `over` (ramps). */
export function arrivalStages(t: TrafficInput): NonNullable<TrafficInput['steps']> {
  if (t.executor !== 'ramping-arrival-rate') return t.steps ?? [];
  let at = 0;
  return (t.stages ?? []).map((s) => {
    const over = ms(s.duration);
    const step = { at, rate: s.target, over };
    at += over;
    return step;
  });
}

/** The closed-loop clients of a constant-vus or ramping-vus source. */
export function closedLoop(
  t: TrafficInput,
  durationMs: number,
  distribution: (d: NonNullable<TrafficInput['thinkTime']>) => ClosedLoopConfig['thinkTime'],
): ClosedLoopConfig {
  const start = t.vus ?? t.connections ?? (t.executor === 'ramping-vus' ? 1 : 0);
  const vuSteps: { atMs: number; vus: number }[] = [];
  if (t.executor === 'ramping-vus') {
    let at = 0;
    let from = start;
    for (const stage of t.stages ?? []) {
      const over = ms(stage.duration);
      const to = typeof stage.target === 'number' ? stage.target : from;
      if (over === 0) vuSteps.push({ atMs: at, vus: to });
      else {
        // The line from `from` to `to` over [at, at + over) crosses each whole number between them once.
        const dir = Math.sign(to - from);
        for (let v = from + dir; dir !== 0 && v !== to + dir; v += dir) {
          const crossing = at + (over * (v - from)) / (to - from);
          vuSteps.push({ atMs: crossing, vus: v });
        }
      }
      at += over;
      from = to;
    }
  }
  const maxRate = t.maxRate === undefined ? 0 : (parseRate(t.maxRate) ?? 0);
  return {
    vus: start,
    vuSteps: vuSteps.filter((s) => s.atMs < durationMs),
    thinkTime: t.thinkTime === undefined ? { dist: 'constant', value: 0 } : distribution(t.thinkTime),
    minIntervalMs: maxRate > 0 && start > 0 ? Math.max(start, ...vuSteps.map((s) => s.vus)) / maxRate : 0,
  };
}
