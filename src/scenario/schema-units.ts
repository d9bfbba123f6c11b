/**
 * The unit forms every part of the scenario schema shares: names, durations, rates, fractions and
 * distributions. Kept apart from schema.ts so that the routing, model and fault schemas can use them
 * without an import cycle.
 */
import { z } from 'zod';
import { DURATION_PATTERN, PERCENT_PATTERN, RATE_PATTERN, parseFraction } from './units.js';

const NAME_PATTERN = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';
export const Name = z
  .string()
  .regex(new RegExp(NAME_PATTERN), {
    error:
      'expected a DNS-1123 name: lower-case letters, digits, "-" and ".", starting and ending alphanumeric',
  })
  .max(63)
  .describe('A Kubernetes-style name (DNS-1123 label).');

const DURATION_FORM =
  'expected a duration such as "250ms", "1.5s", "10m", "24h", or a number of milliseconds';
const RATE_FORM = 'expected a rate such as "500/s", "30000/m", or a number per second';
const FRACTION_FORM = 'expected a fraction between 0 and 1, or a percentage such as "25%"';
/** A text of the right form is checked against the pattern: say what was expected, not the regex. */
const got = (form: string) => (issue: { input?: unknown }) => `${form}; got "${String(issue.input)}"`;

export const Duration = z
  .union(
    [
      z.number().nonnegative().max(1e12),
      z.string().regex(new RegExp(DURATION_PATTERN), { error: got(DURATION_FORM) }),
    ],
    { error: DURATION_FORM },
  )
  .describe('A duration: "250ms", "1.5s", "10m", "24h", or a number of milliseconds.');

export const Rate = z
  .union(
    [
      z.number().nonnegative().max(1e9),
      z.string().regex(new RegExp(RATE_PATTERN), { error: got(RATE_FORM) }),
    ],
    { error: RATE_FORM },
  )
  .describe('A rate: "500/s", "30000/m", or a number per second.');

const PERCENT_RE = new RegExp(PERCENT_PATTERN);
export const Fraction = z
  .union(
    [
      z.number().min(0).max(1),
      z
        .string()
        .regex(PERCENT_RE, { error: got(FRACTION_FORM) })
        .refine((s) => !PERCENT_RE.test(s) || parseFraction(s) !== undefined, {
          error: got('expected a percentage from 0% to 100%'),
          params: { code: 'out-of-range' },
        }),
    ],
    { error: FRACTION_FORM },
  )
  .describe('A fraction: 0.25 or "25%".');

const PercentileKey = z
  .string()
  .regex(/^p(\d+(\.\d+)?)$/, { error: 'expected a percentile key such as p50, p99 or p99.9' });

const DistributionObject = z.discriminatedUnion(
  'dist',
  [
    z.strictObject({ dist: z.literal('constant'), value: Duration }),
    z.strictObject({ dist: z.literal('exponential'), mean: Duration }),
    z.strictObject({ dist: z.literal('lognormal'), median: Duration, p99: Duration }),
    z.strictObject({ dist: z.literal('normal'), mean: Duration, stddev: Duration }),
    z.strictObject({ dist: z.literal('uniform'), min: Duration, max: Duration }),
    z.strictObject({
      dist: z.literal('pareto'),
      scale: Duration,
      shape: z.number().positive().max(1e6),
    }),
    z.strictObject({ dist: z.literal('empirical'), percentiles: z.record(PercentileKey, Duration) }),
  ],
  {
    error: 'expected dist to be one of constant, exponential, lognormal, normal, uniform, pareto, empirical',
  },
);

export const DistributionInput = z
  .union([Duration, DistributionObject])
  .describe(
    'A distribution: a duration (constant), or {dist: exponential, mean} | {dist: lognormal, median, p99} | ' +
      '{dist: normal, mean, stddev} | {dist: uniform, min, max} | {dist: pareto, scale, shape} | ' +
      '{dist: empirical, percentiles: {p50: 3ms, p90: 8ms, p99: 30ms}}.',
  );

export type DistributionInput = z.infer<typeof DistributionInput>;
