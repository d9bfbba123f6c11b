/**
 * Meaning checks for how a traffic source makes load (k6's executors, Fortio's closed loop): each
 * executor's keys present, the other executors' keys refused rather than ignored, and stages inside the run.
 *
 * Contents: `checkLoadModel`.
 */
import type { Problem } from './check.js';
import type { IssuePath } from './issue.js';
import { message } from './messages.js';
import { isClosedLoop } from './normalize-load-model.js';
import { problemCollector } from './problem-collector.js';
import type { ScenarioInput } from './schema.js';
import { parseDuration } from './units.js';

const ms = (x: number | string): number => parseDuration(x) ?? 0;

export function checkLoadModel(input: ScenarioInput, durationMs: number): Problem[] {
  const { problems, add } = problemCollector();
  input.traffic.forEach((t, ti) => {
    const at: IssuePath = ['traffic', ti];
    const executor = t.executor ?? 'constant-arrival-rate';
    const refuse = (key: string, why: string) => add([...at, key], 'invalid-value', `${key}: ${why}`);
    if (isClosedLoop(t)) {
      for (const key of ['rate', 'arrival', 'burst', 'steps'] as const)
        if (t[key] !== undefined)
          refuse(
            key,
            `${executor} is a closed loop (each client sends when answered); ${key} belongs to open loops (constant-arrival-rate, ramping-arrival-rate)`,
          );
      if (t.vus !== undefined && t.connections !== undefined)
        refuse('connections', 'the same as vus (Fortio -c and k6 vus); give one of the two');
      if (executor === 'constant-vus' && t.vus === undefined && t.connections === undefined)
        add([...at, 'vus'], 'missing-key', 'constant-vus needs vus (or connections): how many clients');
      if (executor === 'constant-vus' && t.stages !== undefined)
        refuse('stages', 'constant-vus keeps its clients; use ramping-vus to change them');
      if (executor === 'ramping-vus' && t.stages === undefined)
        add([...at, 'stages'], 'missing-key', 'ramping-vus needs stages: [{duration, target}]');
      (t.stages ?? []).forEach((s, k) => {
        if (typeof s.target !== 'number' || !Number.isInteger(s.target))
          add(
            [...at, 'stages', k, 'target'],
            'invalid-value',
            `a ramping-vus target is a whole number of VUs, got ${JSON.stringify(s.target)}`,
          );
      });
    } else {
      const why = `${executor} is an open loop (a rate); thinkTime, maxRate, vus and connections belong to constant-vus or ramping-vus`;
      for (const key of ['vus', 'connections', 'thinkTime', 'maxRate'] as const)
        if (t[key] !== undefined) refuse(key, why);
      if (t.rate === undefined)
        add(
          [...at, 'rate'],
          'missing-key',
          message.missingKey(
            'rate',
            `a rate such as "500/s", "30000/m", or a number per second: ${executor} is an open loop; for clients that wait for answers use executor: constant-vus with vus`,
          ),
        );
      if (executor === 'ramping-arrival-rate') {
        if (t.stages === undefined)
          add([...at, 'stages'], 'missing-key', 'ramping-arrival-rate needs stages: [{duration, target}]');
        if (t.steps !== undefined)
          refuse('steps', 'ramping-arrival-rate changes its rate by stages; give stages or steps, not both');
      } else if (t.stages !== undefined)
        refuse('stages', 'stages belong to ramping-arrival-rate and ramping-vus; set executor, or use steps');
    }
    const total = (t.stages ?? []).reduce((sum, s) => sum + ms(s.duration), 0);
    if (total > durationMs)
      add(
        [...at, 'stages'],
        'time-out-of-run',
        `stages last ${total / 1000}s, longer than the run (${durationMs / 1000}s); shorten them or lengthen duration`,
      );
  });
  return problems;
}
