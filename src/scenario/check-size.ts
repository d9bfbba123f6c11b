/**
 * How much a scenario file asks of the machine, and the limits that keep a stray zero from turning a
 * check into an afternoon: client requests over all models and replications (`report.maxRequests`,
 * default 50 million) and pods (MAX_PODS). Both are lifted by `allowLarge` (the CLI's `--allow-large`).
 *
 * The request estimate is Σ over traffic sources of the rate integrated over the run (steps, ramps and
 * bursts included), times the runs: the models times the replications for `compare` and `validate`, one
 * for `run` (`SizeRuns`). The work estimate (work-estimate.ts) adds what requests alone hide: the calls
 * each makes through the call graph with worst-case retries, times the simulations of a run (one per
 * fault more, for its paired baseline), limited to MAX_CALLS_PER_REQUEST calls per allowed request; a
 * service offered more than its capacity (refused when its unbounded queue would hold more than
 * MAX_QUEUED requests, else a warning naming the service, its offered load and its capacity); and the
 * shared upstream views (refused past MAX_SHARED_VIEW_HOSTS hosts).
 *
 * Contents: `estimateRequests`, `checkSize`, `requestLimitExceeded`, `RequestEstimate`, `SizeRuns`,
 * `MAX_PODS`, `MAX_CALLS_PER_REQUEST`, `MAX_IN_FLIGHT_PER_REQUEST`, `MAX_QUEUED`, `MAX_SHARED_VIEW_HOSTS`.
 */
import type { Problem } from './check.js';
import type { IssuePath } from './issue.js';
import { formatCount, message } from './messages.js';
import { expectedArrivals } from './normalize-traffic.js';
import type { Scenario } from './scenario.js';
import { estimateWork, type WorkEstimate } from './work-estimate.js';

/** Runs a command makes: `compare` (and `validate`) the file's models x replications, `run` one of one. */
export interface SizeRuns {
  readonly models?: number;
  readonly replications?: number;
}

/**
 * Calls, with worst-case retries, allowed per allowed client request: the request limit was sized on the
 * library scenarios, whose requests make 12 to 25.5 such calls each (quickstart 23.7, data-locality 25.5),
 * 2 to 3.3 without retries.
 */
export const MAX_CALLS_PER_REQUEST = 30;

/**
 * Calls one client request may hold in flight at once (parallel groups multiply down the graph): each is
 * a request with its timers and requests overlap, so past this memory, not time, is what runs out.
 * Measured: test/fixtures/size/fan-out.yaml (37,449 at once) runs in a 128 MB heap; the library's peak is 3.
 */
export const MAX_IN_FLIGHT_PER_REQUEST = 100_000;

/**
 * Requests waiting at once in one service's unbounded queue past which a file is refused: each holds a
 * request with its timers and attempt state (a kilobyte or more), so a million is a gigabyte per run.
 */
export const MAX_QUEUED = 1_000_000;

/**
 * Hosts of the shared upstream views past which a file is refused: a view is built once per service and
 * locality class and shared by the proxies (work-estimate.ts), 140 B per host measured, so 5 million is
 * 700 MB per run before traffic (reached only with many locality classes: per-zone failover on a mesh of
 * hundreds of zones). Proxies x hosts no longer costs: each proxy keeps a record per service it calls.
 */
export const MAX_SHARED_VIEW_HOSTS = 5_000_000;

/**
 * Pods past which a file is refused unless allowLarge says otherwise: the largest mesh measured. Every pod
 * is a replica with a queue and a sidecar with a certificate, an xDS stream and two random streams.
 * Building is linear since views are shared (issue 17; measured on the pod-scaling shape, 3 clusters x 12
 * services, two shared cores at load 23-25, CPU time: 1,008 pods 0.23 s, 10,008 pods 0.39 s, 50,004
 * pods 0.97 s, 100,008 pods 1.84 s); what grows is memory (about 2.6 KB per pod: 249 MiB peak live heap
 * for the 100,000-pod bench mesh, 50 clusters x 20 services, 60 s at 5,000 requests/s, test/bench/
 * pod-scaling.ts) and the cost of a request (about 1.9x at 25,000 pods what it is at 1,000: per-pod state
 * no longer fits the caches). Before shared views, 10,000 pods took 4 s to build and 27,500 ran out of a
 * 4 GB heap, hence the old limit of 10,000. A stray zero past 100,000 (a million pods: gigabytes) is
 * still refused.
 */
export const MAX_PODS = 100_000;

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
  if (estimate.total <= scenario.maxRequests) {
    const arrivals = scenario.mesh.traffic.map((t) => expectedArrivals(t, scenario.durationMs));
    const work = workProblems(scenario, estimate, estimateWork(scenario, arrivals), 'the run-size limit');
    return work.find((p) => p.severity === undefined && p.message.startsWith('this would'))?.message;
  }
  const runs = `${estimate.models} model${estimate.models === 1 ? '' : 's'} x ${estimate.replications} replication${estimate.replications === 1 ? '' : 's'}`;
  return message
    .tooManyRequests(estimate.total, estimate.perRun, runs, scenario.maxRequests, 'the run-size limit')
    .replace(/^this file would/, 'this would');
}

const count = (n: number, what: string) => `${formatCount(n)} ${what}${n === 1 ? '' : 's'}`;
const perSecond = (n: number) => `${n >= 100 ? formatCount(Math.round(n)) : n.toPrecision(3)}/s`;

/** The work problems (calls, overload, views) of `work`; overload below MAX_QUEUED is a warning. */
function workProblems(
  scenario: Scenario,
  estimate: RequestEstimate,
  work: WorkEstimate,
  limitSource: string,
): Problem[] {
  const problems: Problem[] = [];
  const runs = estimate.models * estimate.replications;
  const calls = work.callsPerSimulation * work.simulationsPerRun * runs;
  const limit = scenario.maxRequests * MAX_CALLS_PER_REQUEST;
  // Past the request limit the call count says nothing more: that refusal comes first and alone.
  if (calls > limit && estimate.total <= scenario.maxRequests) {
    const widest = work.callsPerRequest.indexOf(Math.max(...work.callsPerRequest));
    const source = scenario.mesh.traffic[widest];
    problems.push({
      path: ['traffic', Math.max(0, widest), 'entry'],
      code: 'too-large',
      message:
        `this would simulate about ${formatCount(calls)} calls: a client request of "${source?.name}" makes up to ` +
        `${formatCount(work.callsPerRequest[widest] ?? 0)} calls through the call graph (probabilities, parallel groups, ` +
        `worst-case retries; ${formatCount(work.expectedCallsPerRequest[widest] ?? 0)} without retries), x ` +
        `${count(estimate.perRun, 'request')} per simulation x ${count(work.simulationsPerRun, 'simulation')} per run ` +
        `(the run and a baseline per fault) x ${count(runs, 'run')}; more than ${formatCount(limit)} ` +
        `(${limitSource} x ${MAX_CALLS_PER_REQUEST} calls per request). Narrow the fan-out, lower rates or the duration, ` +
        'or allow it (meshsim --allow-large)',
    });
  }
  const widestNow = Math.max(...work.inFlightPerRequest);
  if (widestNow > MAX_IN_FLIGHT_PER_REQUEST) {
    const i = work.inFlightPerRequest.indexOf(widestNow);
    problems.push({
      path: ['traffic', i, 'entry'],
      code: 'too-large',
      message:
        `one client request of "${scenario.mesh.traffic[i]?.name}" can hold ${formatCount(widestNow)} calls in flight at once ` +
        `(the calls of a parallel group run together, and groups below multiply), more than ${formatCount(MAX_IN_FLIGHT_PER_REQUEST)}: ` +
        'memory runs out before time does. Narrow the parallel groups, or allow it (meshsim --allow-large)',
    });
  }
  work.services.forEach((load, i) => {
    if (load.overloadedSeconds <= 0) return;
    const refuse = !load.queueLimited && load.peakQueued > MAX_QUEUED;
    const what =
      `service "${load.service}" is offered ${perSecond(load.offeredPerSecond)} at peak but can serve at most ` +
      `${perSecond(load.capacityPerSecond)} (replicas x concurrency / mean service time) for ${formatCount(load.overloadedSeconds)} s`;
    const consequence = load.queueLimited
      ? 'its queue fills and the rest are rejected (queueLimit)'
      : `its queue has no limit and grows to about ${count(Math.round(load.peakQueued), 'waiting request')}`;
    problems.push({
      path: ['services', i, 'deployments'],
      code: 'too-large',
      severity: refuse ? undefined : 'warning',
      message: `${what}: ${consequence}${refuse ? `, more than ${formatCount(MAX_QUEUED)} (memory grows with it); add replicas or concurrency, set queueLimit, lower the rate, or allow it (meshsim --allow-large)` : ''}`,
    } as Problem);
  });
  if (work.sharedViewHosts > MAX_SHARED_VIEW_HOSTS)
    problems.push({
      path: ['services'],
      code: 'too-large',
      message:
        `the shared upstream views hold about ${formatCount(work.sharedViewHosts)} hosts (one view per called service and locality ` +
        `class: per zone where a DestinationRule turns on locality failover or distribute), more than ${formatCount(MAX_SHARED_VIEW_HOSTS)}: ` +
        'hundreds of megabytes per run before any traffic; fewer replicas or zones, or allow it (meshsim --allow-large)',
    });
  return problems;
}

/**
 * The size problems of a resolved scenario for `runs` (default: the file's models x replications);
 * warnings (severity 'warning') are worth printing even with allowLarge, errors are lifted by it.
 */
export function checkSize(scenario: Scenario, explicitLimit: boolean, runs: SizeRuns = {}): Problem[] {
  const problems: Problem[] = [];
  const estimate = estimateRequests(scenario, runs);
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
  const arrivals = scenario.mesh.traffic.map((t) => expectedArrivals(t, scenario.durationMs));
  problems.push(
    ...workProblems(
      scenario,
      estimate,
      estimateWork(scenario, arrivals),
      explicitLimit ? 'report.maxRequests' : 'the default request limit',
    ),
  );
  return problems;
}
