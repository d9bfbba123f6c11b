/**
 * Distributions whose parameters pass the schema one by one but not together: a lognormal's p99 below its
 * median, a uniform's min above its max, empirical percentiles out of order. Every distribution of the
 * file is found by walking it (an object with a `dist` key), so one added to the schema later is checked
 * without a change here.
 *
 * Contents: `checkDistributions`, `empiricalKnots`.
 */
import type { Problem } from './check.js';
import type { IssuePath } from './issue.js';
import { message } from './messages.js';
import type { ScenarioInput } from './schema.js';
import { parseDuration } from './units.js';

const ms = (x: unknown): number =>
  typeof x === 'number' || typeof x === 'string' ? (parseDuration(x) ?? 0) : 0;

/** Maps of user names (a pod label may well be called `dist`) and routing, which holds no distribution. */
const NOT_DISTRIBUTIONS = new Set(['labels', 'headers', 'routing', 'virtualServices', 'destinationRules']);

/** Every inconsistent distribution in `input`, located at the field to change. */
export function checkDistributions(input: ScenarioInput): Problem[] {
  const problems: Problem[] = [];
  const add = (path: IssuePath, text: string) =>
    problems.push({ path, code: 'invalid-value', message: text });
  // Iterative: the schema bounds nesting already, but a walk should not depend on that.
  const stack: [unknown, IssuePath][] = [[input, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop() as [unknown, IssuePath];
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      node.forEach((item, i) => stack.push([item, [...path, i]]));
      continue;
    }
    const d = node as Record<string, unknown>;
    if (typeof d['dist'] === 'string') {
      checkOne(d, path, add);
      continue;
    }
    for (const [key, value] of Object.entries(d))
      if (!NOT_DISTRIBUTIONS.has(key)) stack.push([value, [...path, key]]);
  }
  return problems;
}

function checkOne(d: Record<string, unknown>, path: IssuePath, add: (p: IssuePath, t: string) => void): void {
  // Located at the field to change: median when it is 0, else p99; max for a uniform.
  if (d['dist'] === 'lognormal' && !(ms(d['median']) > 0 && ms(d['p99']) >= ms(d['median'])))
    add([...path, ms(d['median']) > 0 ? 'p99' : 'median'], message.lognormalOrder());
  if (d['dist'] === 'uniform' && ms(d['min']) > ms(d['max'])) add([...path, 'max'], message.uniformOrder());
  if (d['dist'] === 'empirical') {
    const knots = empiricalKnots((d['percentiles'] ?? {}) as Record<string, number | string>);
    const ok =
      knots.length > 0 &&
      knots.every(([p], i) => p > 0 && p < 1 && (i === 0 || p > (knots[i - 1] as [number, number])[0])) &&
      knots.every(([, v], i) => i === 0 || v >= (knots[i - 1] as [number, number])[1]);
    if (!ok) add([...path, 'percentiles'], message.empiricalOrder());
  }
}

/** `{p50: 3ms, p99.9: 40ms}` as sorted [probability, ms] pairs. */
export function empiricalKnots(percentiles: Record<string, number | string>): [number, number][] {
  return Object.entries(percentiles)
    .map(([k, v]): [number, number] => [Number(k.slice(1)) / 100, parseDuration(v) ?? 0])
    .sort((a, b) => a[0] - b[0]);
}
