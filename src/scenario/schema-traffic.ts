/**
 * `traffic:` in scenario files: open-loop sources of requests (Fortio and k6 "arrival rate" style), with
 * where their clients run, how requests arrive, and how the rate changes over the run: steps (a jump),
 * ramps (a step with `over`: a straight line to the new rate) and periodic bursts.
 *
 * Contents: `TrafficInput`, `RateStepInput`, `BurstInput` (schemas and inferred types).
 */
import { z } from 'zod';
import { Duration, Fraction, Name, Rate, durationAtLeast } from './schema-units.js';

export const RateStepInput = z
  .strictObject({
    at: Duration.describe('When the change starts.'),
    rate: Rate.describe('The rate from `at` on (or, with `over`, reached at `at` + `over`).'),
    over: Duration.optional().describe(
      'Ramp: the rate moves in a straight line from the rate in effect at `at` to `rate`, over this long ' +
        '(simulated as small steps of 1s, or of over/600 for ramps longer than 10m, each at the mean rate ' +
        'of its stretch of the line, so the expected request count is exact). Default 0: a jump.',
    ),
  })
  .meta({ id: 'RateStep', description: 'A rate change: a jump, or with `over` a linear ramp.' });
export type RateStepInput = z.infer<typeof RateStepInput>;

export const BurstInput = z
  .strictObject({
    factor: z
      .number()
      .min(0)
      .max(1000)
      .describe('The rate is multiplied by this during a burst (0 to 1 makes a lull).'),
    every: durationAtLeast(1000, 'one burst a second is already a steady rate').describe(
      'A burst starts at every multiple of this (the first at `every`, so the run starts calm).',
    ),
    for: durationAtLeast(1, 'a burst needs a length').describe(
      'How long each burst lasts; shorter than `every`.',
    ),
  })
  .meta({
    id: 'Burst',
    description:
      'Periodic bursts for `arrival: bursty`: Poisson arrivals whose rate is multiplied by `factor` ' +
      'for `for` out of every `every` (an on-off modulated Poisson process with a deterministic phase).',
  });
export type BurstInput = z.infer<typeof BurstInput>;

export const TrafficInput = z
  .strictObject({
    name: Name,
    entry: Name.describe('The service clients call.'),
    from: z
      .union([Name, z.record(z.string().max(253), Fraction)], {
        error: 'expected a cluster name or a map {cluster: share}',
      })
      .describe('Where clients run: a cluster name, or shares by cluster {us-east-1: 70%, us-east-2: 30%}.'),
    rate: Rate.describe('Requests per unit of time at the start of the run.'),
    arrival: z
      .enum(['poisson', 'constant', 'bursty'])
      .optional()
      .describe(
        'Arrival process: poisson (default; independent clients), constant (evenly spaced), or bursty ' +
          '(poisson with periodic bursts, set by `burst`).',
      ),
    burst: BurstInput.optional().describe(
      'The bursts of arrival: bursty (required then, and only then). Default: none.',
    ),
    steps: z
      .array(RateStepInput)
      .max(1000)
      .optional()
      .describe('Rate changes: [{at: 5m, rate: 2000/s}], ramps with `over`. Default: none.'),
    via: z
      .enum(['direct', 'ingress'])
      .optional()
      .describe(
        "direct (default): in-mesh clients with sidecars; ingress: through the ingress gateway of the client's cluster.",
      ),
    headers: z
      .record(z.string().max(253), z.string().max(8192))
      .optional()
      .describe('Request headers, for VirtualService header matches. Default: none.'),
    uri: z.string().max(2000).optional().describe('Request path, for uri matches; default "/".'),
    timeout: Duration.optional().describe(
      "The client gives up after this long (flag DC); default 60s (k6's default request timeout).",
    ),
  })
  .meta({ id: 'Traffic', description: 'An open-loop source of requests to one entry service.' });
export type TrafficInput = z.infer<typeof TrafficInput>;
