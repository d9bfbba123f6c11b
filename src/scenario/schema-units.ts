/**
 * The unit forms every part of the scenario schema shares: names, durations, rates, fractions and
 * distributions. Kept apart from schema.ts so that the routing, model and fault schemas can use them
 * without an import cycle.
 *
 * Each form carries a JSON Schema id (`.meta({id})`), so the generated schema names it once in `$defs`
 * and editors show "Duration" rather than a regular expression. Values are bounded here, in the text form
 * too: "99999999999999999999h" matches the duration pattern but is a 37-digit number of milliseconds, and
 * a bound checked only on plain numbers would let it through as Infinity.
 *
 * Contents: `Name`, `Duration`, `durationAtLeast`, `Rate`, `Fraction`, `Ratio`, `DistributionInput`,
 * `MAX_DURATION_MS`, `MAX_RATE_PER_S`, `MAX_RATIO`.
 */
import { z } from 'zod';
import {
  DURATION_PATTERN,
  PERCENT_PATTERN,
  RATE_PATTERN,
  formatDuration,
  parseDuration,
  parseFraction,
  parseRate,
  parseRatio,
} from './units.js';

const NAME_PATTERN = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';
export const Name = z
  .string()
  .regex(new RegExp(NAME_PATTERN), {
    error:
      'expected a DNS-1123 name: lower-case letters, digits, "-" and ".", starting and ending alphanumeric',
  })
  .max(63)
  .meta({ id: 'Name', description: 'A Kubernetes-style name (DNS-1123 label).' });

/** About 31.7 years: longer than any simulated run or timeout a scenario needs, and exact in a double. */
export const MAX_DURATION_MS = 1e12;
/** A billion requests per second: far above any one traffic source a simulator can run. */
export const MAX_RATE_PER_S = 1e9;
/** A million-fold: past any rise worth a threshold, and it keeps a 400-digit percentage out. */
export const MAX_RATIO = 1e6;

const DURATION_FORM =
  'expected a duration such as "250ms", "1.5s", "10m", "24h", or a number of milliseconds';
const RATE_FORM = 'expected a rate such as "500/s", "30000/m", or a number per second';
const FRACTION_FORM = 'expected a fraction between 0 and 1, or a percentage such as "25%"';
const RATIO_FORM = 'expected a ratio of at least 0 such as 0.5, or a percentage such as "50%" or "250%"';
/** A text of the right form is checked against the pattern: say what was expected, not the regex. */
const got = (form: string) => (issue: { input?: unknown }) => `${form}; got "${shorten(issue.input)}"`;
const shorten = (x: unknown) => {
  const s = String(x);
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
};
const OUT_OF_RANGE = { code: 'out-of-range' } as const;
/** No duration, rate or fraction needs more characters; longer text is refused before any pattern runs. */
const MAX_UNIT_TEXT = 64;
const tooLong = (form: string) => `${form}; got a text of more than ${MAX_UNIT_TEXT} characters`;

const DURATION_RE = new RegExp(DURATION_PATTERN);
export const Duration = z
  .union(
    [
      z.number().nonnegative().max(MAX_DURATION_MS),
      z
        .string()
        .max(MAX_UNIT_TEXT, { error: tooLong(DURATION_FORM) })
        .regex(DURATION_RE, { error: got(DURATION_FORM) })
        .refine((s) => !DURATION_RE.test(s) || (parseDuration(s) ?? Infinity) <= MAX_DURATION_MS, {
          error: got(`expected a duration of at most ${MAX_DURATION_MS} ms (about 31 years)`),
          params: OUT_OF_RANGE,
        }),
    ],
    { error: DURATION_FORM },
  )
  .meta({
    id: 'Duration',
    description: 'A duration: "250ms", "1.5s", "10m", "24h", "500us", "2d", or a number of milliseconds.',
  });

/**
 * A duration of at least `minMs`: for intervals that schedule work again and again, where 0 (or nearly)
 * would make the simulation loop at one instant.
 */
export function durationAtLeast(minMs: number, why: string) {
  return Duration.refine((d) => (parseDuration(d) ?? 0) >= minMs, {
    error: `expected at least ${formatDuration(minMs)}: ${why}`,
    params: OUT_OF_RANGE,
  });
}

const RATE_RE = new RegExp(RATE_PATTERN);
export const Rate = z
  .union(
    [
      z.number().nonnegative().max(MAX_RATE_PER_S),
      z
        .string()
        .max(MAX_UNIT_TEXT, { error: tooLong(RATE_FORM) })
        .regex(RATE_RE, { error: got(RATE_FORM) })
        .refine((s) => !RATE_RE.test(s) || (parseRate(s) ?? Infinity) * 1000 <= MAX_RATE_PER_S, {
          error: got('expected a rate of at most 1000000000/s'),
          params: OUT_OF_RANGE,
        }),
    ],
    { error: RATE_FORM },
  )
  .meta({ id: 'Rate', description: 'A rate: "500/s", "30000/m", "2/ms", "100rps", or a number per second.' });

const PERCENT_RE = new RegExp(PERCENT_PATTERN);
export const Fraction = z
  .union(
    [
      z.number().min(0).max(1),
      z
        .string()
        .max(MAX_UNIT_TEXT, { error: tooLong(FRACTION_FORM) })
        .regex(PERCENT_RE, { error: got(FRACTION_FORM) })
        .refine((s) => !PERCENT_RE.test(s) || parseFraction(s) !== undefined, {
          error: got('expected a percentage from 0% to 100%'),
          params: OUT_OF_RANGE,
        }),
    ],
    { error: FRACTION_FORM },
  )
  .meta({ id: 'Fraction', description: 'A fraction: 0.25 or "25%".' });

/** A fraction that may exceed 1: how much a figure may rise over another (a p99 by 250%). */
export const Ratio = z
  .union(
    [
      z.number().min(0).max(MAX_RATIO),
      z
        .string()
        .max(MAX_UNIT_TEXT, { error: tooLong(RATIO_FORM) })
        .regex(PERCENT_RE, { error: got(RATIO_FORM) })
        .refine((s) => !PERCENT_RE.test(s) || (parseRatio(s) ?? Infinity) <= MAX_RATIO, {
          error: got(`expected a percentage of at most ${MAX_RATIO * 100}%`),
          params: OUT_OF_RANGE,
        }),
    ],
    { error: RATIO_FORM },
  )
  .meta({
    id: 'Ratio',
    description: 'A ratio of at least 0: 0.5 or "50%"; unlike a fraction it may exceed 1 ("250%").',
  });

const PercentileKey = z
  .string()
  .regex(/^p(\d+(\.\d+)?)$/, { error: 'expected a percentile key such as p50, p99 or p99.9' });

const DistributionObject = z.discriminatedUnion(
  'dist',
  [
    z.strictObject({ dist: z.literal('constant'), value: Duration }),
    z.strictObject({ dist: z.literal('exponential'), mean: Duration }),
    z.strictObject({
      dist: z.literal('lognormal'),
      median: Duration.describe('The 50th percentile; above 0.'),
      p99: Duration.describe('The 99th percentile; at least the median.'),
    }),
    z.strictObject({
      dist: z.literal('normal'),
      mean: Duration,
      stddev: Duration.describe(
        'Standard deviation of the normal before truncation: samples below 0 are redrawn (a normal truncated at 0), so the mean drawn is above `mean` when stddev is large.',
      ),
    }),
    z.strictObject({ dist: z.literal('uniform'), min: Duration, max: Duration }),
    z.strictObject({
      dist: z.literal('pareto'),
      scale: Duration.describe('The smallest value.'),
      // Below about 0.05 nearly every sample overflows to Infinity: such a latency never ends.
      shape: z.number().min(0.05).max(1e6).describe('Tail index; at most 1 means an infinite mean.'),
    }),
    z.strictObject({
      dist: z.literal('empirical'),
      percentiles: z
        .record(PercentileKey, Duration)
        .describe('Values at percentiles, e.g. {p50: 3ms, p90: 8ms, p99: 30ms}; monotone interpolation.'),
    }),
  ],
  {
    error: 'expected dist to be one of constant, exponential, lognormal, normal, uniform, pareto, empirical',
  },
);

export const DistributionInput = z.union([Duration, DistributionObject]).meta({
  id: 'Distribution',
  description:
    'A distribution: a duration (constant), or {dist: exponential, mean} | {dist: lognormal, median, p99} | ' +
    '{dist: normal, mean, stddev} | {dist: uniform, min, max} | {dist: pareto, scale, shape} | ' +
    '{dist: empirical, percentiles: {p50: 3ms, p90: 8ms, p99: 30ms}}.',
});

export type DistributionInput = z.infer<typeof DistributionInput>;
