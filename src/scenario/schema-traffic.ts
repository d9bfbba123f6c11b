/**
 * `traffic:` in scenario files: open-loop sources of requests (Fortio and k6 "arrival rate" style) or
 * closed-loop clients (Fortio -c, k6 VUs), with
 * where their clients run, how requests arrive, and how the rate changes over the run: steps (a jump),
 * ramps (a step with `over`: a straight line to the new rate) and periodic bursts.
 *
 * Contents: `TrafficInput`, `RateStepInput`, `BurstInput` (schemas and inferred types).
 */
import { z } from 'zod';
import { DistributionInput, Duration, Fraction, Name, Rate, durationAtLeast } from './schema-units.js';

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
    entry: Name.optional().describe(
      'The service clients call. Required, except for traffic `via: ingress` with `host`, where the Gateway routes decide (then, if given, it must be where they send the request). Default: none (the first destination of the Gateway route the request takes).',
    ),
    host: z
      .string()
      .min(1)
      .max(253)
      .optional()
      .describe(
        'With `via: ingress`: the Host the clients ask for (bookinfo.example.com). The ingress gateway routes it by the Gateways and the VirtualServices bound to them, as Envoy picks a virtual host (exact, then *.suffix, then *); no match answers 404 NR. Default: none (the request goes to `entry` by the sidecar routes, no Gateway involved).',
      ),
    from: z
      .union([Name, z.record(z.string().max(253), Fraction)], {
        error: 'expected a cluster name or a map {cluster: share}',
      })
      .describe('Where clients run: a cluster name, or shares by cluster {us-east-1: 70%, us-east-2: 30%}.'),
    rate: Rate.optional().describe(
      "Requests per unit of time at the start of the run (k6's startRate for ramping-arrival-rate). Required for open loops; refused for closed loops (constant-vus, ramping-vus), whose rate is what the mesh allows. Default: none.",
    ),
    executor: z
      .enum(['constant-arrival-rate', 'ramping-arrival-rate', 'constant-vus', 'ramping-vus'])
      .optional()
      .describe(
        "k6's executors. Open loops (requests arrive whatever the answers): constant-arrival-rate (default; `rate`, with `steps`), ramping-arrival-rate (`rate` then `stages` of {duration, target: rate}). Closed loops (Fortio -c, k6 VUs: each client sends its next request when the previous answers, after `thinkTime`): constant-vus (`vus`), ramping-vus (`vus` to start, `stages` of {duration, target: VUs}). Default: constant-arrival-rate.",
      ),
    vus: z
      .int()
      .min(0)
      .max(100_000)
      .optional()
      .describe(
        'Closed loop: virtual users (k6 vus; ramping-vus: startVUs). Same as `connections`. Default: none (ramping-vus: 1).',
      ),
    connections: z
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .describe("Closed loop: Fortio's -c, the same as `vus`; give one of the two. Default: none."),
    thinkTime: DistributionInput.optional().describe(
      "Closed loop: each client's pause between an answer and its next request (k6 sleep). Default 0 (Fortio).",
    ),
    maxRate: Rate.optional().describe(
      "Closed loop: Fortio's -qps with -c: all clients together send at most this, each pacing itself to maxRate / clients. Default: no limit.",
    ),
    stages: z
      .array(
        z.strictObject({
          duration: Duration.describe('How long this stage lasts.'),
          target: z
            .union([z.int().min(0).max(100_000), Rate])
            .describe('VUs reached at its end (ramping-vus) or the rate (ramping-arrival-rate).'),
        }),
      )
      .min(1)
      .max(1000)
      .optional()
      .describe(
        "k6's stages for ramping-arrival-rate and ramping-vus: each moves in a straight line to `target` over `duration`, from the end of the previous one (the first from the start of the run); the last target holds to the end. Default: none.",
      ),
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
  .meta({
    id: 'Traffic',
    description: 'A source of requests to one entry service: an open loop (a rate) or closed-loop clients.',
  });
export type TrafficInput = z.infer<typeof TrafficInput>;
