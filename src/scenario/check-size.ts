/**
 * How much a scenario file asks of the machine, and the limits that keep a stray zero from turning a
 * check into an afternoon: client requests over all models and replications (`report.maxRequests`,
 * default 50 million) and pods (MAX_PODS). Both are lifted by `allowLarge` (the CLI's `--allow-large`).
 *
 * The request estimate is Σ over traffic sources of the rate integrated over the run (steps, ramps and
 * bursts included), times the models, times the replications: what `compare` would run. It counts client
 * requests, not the downstream calls each makes.
 *
 * Contents: `estimateRequests`, `checkSize`, `RequestEstimate`, `MAX_PODS`.
 */
import type { Problem } from './check.js';
import type { IssuePath } from './issue.js';
import { message } from './messages.js';
import { expectedArrivals } from './normalize-traffic.js';
import type { Scenario } from './scenario.js';

/**
 * Every pod is a replica with a queue and a sidecar with a certificate and an xDS stream, and building
 * the mesh grows faster than linearly with them (measured on two cores: 1,000 pods 0.2 s, 10,000 pods
 * 4 s, 50,000 pods 7 minutes), so beyond this a file is refused unless allowLarge says otherwise.
 */
export const MAX_PODS = 10_000;

export interface RequestEstimate {
  /** Expected client requests of one run (one model, one replication). */
  readonly perRun: number;
  readonly models: number;
  readonly replications: number;
  /** perRun x models x replications. */
  readonly total: number;
  /** Index of the traffic source that contributes most to a run. */
  readonly largestSource: number;
}

/**
 * Expected client requests of `scenario`; `models` and `replications` default to the file's (a caller
 * running one model once, or overriding replications, passes its own).
 */
export function estimateRequests(
  scenario: Scenario,
  options: { readonly models?: number; readonly replications?: number } = {},
): RequestEstimate {
  const perSource = scenario.mesh.traffic.map((t) => expectedArrivals(t, scenario.durationMs));
  const perRun = perSource.reduce((a, b) => a + b, 0);
  const models = options.models ?? scenario.models.length;
  const replications = options.replications ?? scenario.replications;
  const largestSource = perSource.indexOf(Math.max(...perSource));
  return { perRun, models, replications, total: perRun * models * replications, largestSource };
}

/**
 * Why running `scenario` with other models or replications than its file's (compare's `--models`,
 * `--replications`) would pass its request limit, or undefined when it would not: the load-time check only
 * saw the file's own numbers.
 */
export function requestLimitExceeded(
  scenario: Scenario,
  options: { readonly models?: number; readonly replications?: number },
): string | undefined {
  const estimate = estimateRequests(scenario, options);
  if (estimate.total <= scenario.maxRequests) return undefined;
  const runs = `${estimate.models} model${estimate.models === 1 ? '' : 's'} x ${estimate.replications} replication${estimate.replications === 1 ? '' : 's'}`;
  return message
    .tooManyRequests(estimate.total, estimate.perRun, runs, scenario.maxRequests, 'the run-size limit')
    .replace(/^this file would/, 'this would');
}

/** The size problems of a resolved scenario; none when `allowLarge`. */
export function checkSize(scenario: Scenario, explicitLimit: boolean): Problem[] {
  const problems: Problem[] = [];
  const estimate = estimateRequests(scenario);
  if (estimate.total > scenario.maxRequests) {
    const runs = `${estimate.models} model${estimate.models === 1 ? '' : 's'} x ${estimate.replications} replication${estimate.replications === 1 ? '' : 's'}`;
    problems.push({
      path: ['traffic', Math.max(0, estimate.largestSource), 'rate'],
      code: 'too-large',
      message: message.tooManyRequests(
        estimate.total,
        estimate.perRun,
        runs,
        scenario.maxRequests,
        explicitLimit ? 'report.maxRequests' : 'the default limit',
      ),
    });
  }
  let pods = 0;
  let largest: { path: IssuePath; replicas: number } = { path: ['services'], replicas: -1 };
  scenario.mesh.services.forEach((s, si) =>
    s.deployments.forEach((d, di) => {
      pods += d.replicas;
      if (d.replicas > largest.replicas)
        largest = { path: ['services', si, 'deployments', di, 'replicas'], replicas: d.replicas };
    }),
  );
  for (const f of scenario.mesh.faults) if (f.type === 'scale') pods += f.replicas;
  if (pods > MAX_PODS)
    problems.push({ path: largest.path, code: 'too-large', message: message.tooManyPods(pods, MAX_PODS) });
  return problems;
}
