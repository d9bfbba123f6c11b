/**
 * Meaning checks for `traffic:`: the entry service and client clusters exist, client shares add up to
 * 100%, rate steps and ramps lie inside the run and do not overlap, and bursts fit their period.
 *
 * Contents: `checkTraffic`, `MAX_BURSTS`.
 */
import type { Problem } from './check.js';
import type { IssuePath } from './issue.js';
import { message } from './messages.js';
import { problemCollector } from './problem-collector.js';
import type { ScenarioInput } from './schema.js';

import { parseDuration, parseFraction } from './units.js';

/** Each burst is two rate steps for the traffic source; more than this is a different arrival process. */
export const MAX_BURSTS = 10_000;

const ms = (x: number | string): number => parseDuration(x) ?? 0;

export function checkTraffic(input: ScenarioInput, durationMs: number): Problem[] {
  const { problems, add, reference } = problemCollector();
  const clusters = input.clusters.map((c) => c.name);
  const services = input.services.map((s) => s.name);

  input.traffic.forEach((t, ti) => {
    const at: IssuePath = ['traffic', ti];
    if (t.entry !== undefined) reference([...at, 'entry'], 'service', t.entry, services);
    else if (t.host === undefined)
      add(
        [...at, 'entry'],
        'missing-key',
        'missing key "entry": the service clients call (only traffic `via: ingress` with `host` may leave it to the Gateway routes)',
      );
    if (t.host !== undefined && t.via !== 'ingress')
      add(
        [...at, 'host'],
        'invalid-value',
        '`host` names what clients ask the ingress gateway for; it needs `via: ingress` (in-mesh clients call `entry`)',
      );
    if (typeof t.from === 'string') reference([...at, 'from'], 'cluster', t.from, clusters);
    else {
      let sum = 0;
      for (const [cluster, share] of Object.entries(t.from)) {
        reference([...at, 'from', cluster], 'cluster', cluster, clusters);
        sum += parseFraction(share) ?? 0;
      }
      if (sum === 0) add([...at, 'from'], 'invalid-value', message.emptyShares());
      else if (Math.abs(sum - 1) > 1e-6) add([...at, 'from'], 'invalid-value', message.sharesDoNotSum(sum));
    }

    const steps = (t.steps ?? []).map((s, k) => ({
      k,
      atMs: ms(s.at),
      endMs: ms(s.at) + (s.over === undefined ? 0 : ms(s.over)),
    }));
    // In time order, a step that starts before the latest ramp so far has ended falls inside it.
    let ramp: { atMs: number; endMs: number } | undefined;
    let previousAt = -1;
    for (const s of [...steps].sort((a, b) => a.atMs - b.atMs || a.k - b.k)) {
      const path = [...at, 'steps', s.k];
      if (s.atMs >= durationMs)
        add([...path, 'at'], 'time-out-of-run', message.stepOutsideRun(s.atMs, durationMs));
      else if (s.endMs > durationMs)
        add([...path, 'over'], 'time-out-of-run', message.rampEndsAfterRun(s.endMs, durationMs));
      if (s.atMs === previousAt) add([...path, 'at'], 'invalid-value', message.duplicateStepTime(s.atMs));
      else if (ramp !== undefined && s.atMs < ramp.endMs)
        add([...path, 'at'], 'overlap', message.stepInsideRamp(s.atMs, ramp.atMs, ramp.endMs));
      previousAt = s.atMs;
      if (s.endMs > s.atMs && (ramp === undefined || s.endMs > ramp.endMs)) ramp = s;
    }

    const arrival = t.arrival ?? 'poisson';
    if (t.burst !== undefined && arrival !== 'bursty')
      add([...at, 'burst'], 'invalid-value', message.burstWithoutBursty(arrival));
    if (arrival === 'bursty' && t.burst === undefined)
      add([...at, 'arrival'], 'missing-key', message.burstyWithoutBurst());
    if (t.burst !== undefined) {
      const everyMs = ms(t.burst.every);
      const forMs = ms(t.burst.for);
      if (forMs >= everyMs)
        add([...at, 'burst', 'for'], 'invalid-value', message.burstNotShorter(forMs, everyMs));
      const bursts = everyMs > 0 ? Math.floor(durationMs / everyMs) : Infinity;
      if (bursts > MAX_BURSTS)
        add([...at, 'burst', 'every'], 'out-of-range', message.tooManyBursts(bursts, MAX_BURSTS));
    }
  });
  return problems;
}
