/**
 * Every user-facing text about scenario files, in one place (vega-lite's `log/message.ts`), so wording
 * stays consistent and tests can refer to it. Text the user wrote is quoted through `quote`, which shortens
 * it: a 3 MB key must not become a 3 MB message.
 */
import { formatDuration } from './units.js';

const list = (xs: readonly string[], max = 12) =>
  xs.length === 0
    ? '(none)'
    : xs.length > max
      ? `${xs.slice(0, max).map(quote).join(', ')}, ...`
      : xs.map(quote).join(', ');

/** A name or text from the file, shortened to 60 characters for messages. */
export function quote(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** 123456789 as "123.5 million", for request counts. */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${+(n / 1e9).toPrecision(4)} billion`;
  if (n >= 1e6) return `${+(n / 1e6).toPrecision(4)} million`;
  return Math.round(n).toLocaleString('en-US');
}

export const message = {
  fileUnreadable: (reason: string) => `cannot read the file: ${reason}`,
  tooManyIssues: (shown: number) =>
    `only the first ${shown} problems are listed; fix these and validate again to see the rest`,
  duplicateKey: (key: string) =>
    `key "${quote(key)}" appears twice in this mapping; YAML would keep one of them, and which one you meant is a guess`,
  tooDeep: (limit: number) => `nesting deeper than ${limit} levels; no scenario needs more than about 8`,
  notAMapping: () =>
    'expected the file to be a mapping of scenario keys (name, duration, clusters, services, traffic, ...)',
  missingKey: (key: string, expected: string) =>
    `missing required key "${quote(key)}" (expected ${expected})`,
  unknownKey: (key: string, allowed: readonly string[]) =>
    `unknown key "${quote(key)}"; allowed keys here: ${list(allowed, 30)}`,
  wrongType: (expected: string, got: string) => `expected ${expected}, got ${got}`,
  notFinite: () =>
    'the number is too large to represent (it reads as infinity); write a value within the stated range',
  notANumber: () => 'expected a number, got .nan (not a number)',
  tooSmall: (what: string, min: number | bigint, inclusive: boolean) =>
    `${what} must be ${inclusive ? 'at least' : 'more than'} ${min}`,
  tooBig: (what: string, max: number | bigint, inclusive: boolean) =>
    `${what} must be ${inclusive ? 'at most' : 'less than'} ${max}`,
  notInteger: () => 'expected a whole number',
  badEnum: (got: string, options: readonly string[]) => `"${quote(got)}" is not one of ${list(options, 20)}`,
  badDist: (got: string, options: readonly string[]) =>
    `unknown distribution "${quote(got)}"; expected one of ${list(options)}`,
  unknownReference: (kind: string, name: string, known: readonly string[]) =>
    `unknown ${kind} "${quote(name)}"; known ${kind}s: ${list(known)}`,
  zoneNotInCluster: (zone: string, cluster: string, zones: readonly string[]) =>
    `zone "${quote(zone)}" is not a zone of cluster "${quote(cluster)}" (its zones: ${list(zones)})`,
  notDeployedIn: (service: string, cluster: string, clusters: readonly string[]) =>
    `service "${quote(service)}" has no deployment in cluster "${quote(cluster)}", so this fault would do ` +
    `nothing (its clusters: ${list(clusters)})`,
  duplicateName: (kind: string, name: string) => `${kind} "${quote(name)}" is defined more than once`,
  callCycle: (cycle: readonly string[]) =>
    `calls form a cycle: ${cycle.map(quote).join(' -> ')}; a request would never finish (remove one of these calls)`,
  nestedGroup: () =>
    'a parallel group cannot contain another list: calls nest one level only. A group is a flat list ' +
    '[{service: a}, {service: b}]; to fan out further, give the inner calls to a service of their own',
  warmupNotShorter: (warmupMs: number, durationMs: number) =>
    `warmup (${formatDuration(warmupMs)}) must be shorter than duration (${formatDuration(durationMs)})`,
  durationNotPositive: () => 'duration must be longer than 0',
  stepOutsideRun: (atMs: number, durationMs: number) =>
    `a rate step at ${formatDuration(atMs)} is not inside the run (duration ${formatDuration(durationMs)})`,
  rampEndsAfterRun: (endMs: number, durationMs: number) =>
    `this ramp ends at ${formatDuration(endMs)}, after the run (duration ${formatDuration(durationMs)}); ` +
    'shorten `over` or start it earlier',
  stepInsideRamp: (atMs: number, rampAtMs: number, rampEndMs: number) =>
    `a rate step at ${formatDuration(atMs)} falls inside the ramp from ${formatDuration(rampAtMs)} to ` +
    `${formatDuration(rampEndMs)}; let the ramp finish first`,
  duplicateStepTime: (atMs: number) =>
    `two rate steps at ${formatDuration(atMs)}; which rate applies would be a guess (keep one)`,
  burstWithoutBursty: (arrival: string) =>
    `"burst" applies to arrival: bursty only, and this source's arrival is ${arrival}; remove it or set arrival: bursty`,
  burstyWithoutBurst: () =>
    'arrival: bursty needs a "burst" block, e.g. burst: {factor: 4, every: 30s, for: 2s}',
  burstNotShorter: (forMs: number, everyMs: number) =>
    `a burst (for: ${formatDuration(forMs)}) must be shorter than its period (every: ${formatDuration(everyMs)})`,
  tooManyBursts: (count: number, max: number) =>
    `${formatCount(count)} bursts in the run, more than ${formatCount(max)}; make "every" longer`,
  sharesDoNotSum: (sum: number) =>
    `client shares must add up to 100%, they add up to ${+(sum * 100).toFixed(4)}%`,
  emptyShares: () => 'expected at least one cluster with a share above 0',
  lognormalOrder: () => 'a lognormal needs median > 0 and p99 >= median',
  uniformOrder: () => 'a uniform needs min <= max',
  empiricalOrder: () =>
    'percentiles must have increasing values as the percentile increases (p50 <= p90 <= p99 ...), and lie strictly between p0 and p100',
  reconnectMaxBelowInitial: (maxMs: number, initialMs: number) =>
    `reconnectMax (${formatDuration(maxMs)}) must be at least reconnectInitial (${formatDuration(initialMs)})`,
  keyForOtherModel: (key: string, wanted: string, got: string) =>
    `"${key}" belongs to controlPlane: ${wanted}, not ${got}; remove it or change the controlPlane`,
  remoteOfNonPrimary: (remote: string, primary: string, primaries: readonly string[]) =>
    `remote "${quote(remote)}" is attached to "${quote(primary)}", which is not one of this model's primaries (${list(primaries)})`,
  primaryAsRemote: (cluster: string) => `"${quote(cluster)}" is a primary, so it cannot also be a remote`,
  faultOutsideRun: (atMs: number, durationMs: number) =>
    `the fault starts at ${formatDuration(atMs)}, not inside the run (duration ${formatDuration(durationMs)})`,
  partitionWithItself: (name: string) =>
    `a partition needs two different places; both ends are "${quote(name)}"`,
  configPushOverlap: (cluster: string, atMs: number, endMs: number) =>
    `another config-push to "${quote(cluster)}" starts while the timed push from ${formatDuration(atMs)} to ` +
    `${formatDuration(endMs)} lasts; undoing that one would also undo this one (make them follow each other)`,
  windowTooSmall: (windowMs: number, durationMs: number) =>
    `report.window (${formatDuration(windowMs)}) gives more than 100000 windows over ${formatDuration(durationMs)}`,
  tooManyRequests: (estimate: number, perRun: number, runs: string, limit: number, limitSource: string) =>
    `this file would simulate about ${formatCount(estimate)} client requests (${formatCount(perRun)} per run x ${runs}), ` +
    `more than ${limitSource} (${formatCount(limit)}); shorten the duration, lower rates or replications, ` +
    'raise report.maxRequests, or allow it (meshsim --allow-large)',
  tooManyPods: (pods: number, limit: number) =>
    `the deployments (with scale faults) add up to ${formatCount(pods)} pods, more than ${formatCount(limit)}; ` +
    'more than the largest mesh measured, it may not fit in memory (allow it with meshsim --allow-large)',

  // routing:
  unknownSubset: (subset: string, host: string, known: readonly string[]) =>
    `subset "${quote(subset)}" of "${quote(host)}" is not defined by any DestinationRule (its subsets: ${list(known)}); ` +
    'Envoy would answer 503 NC',
  unknownSubsetPushed: (subset: string, host: string, known: readonly string[]) =>
    `subset "${quote(subset)}" of "${quote(host)}" is not defined in this cluster when the push lands (its subsets: ` +
    `${list(known)}): requests on this route get 503 NC. Allowed, to simulate a bad rollout`,
  duplicateSubset: (name: string) =>
    `subset "${quote(name)}" is defined more than once in this DestinationRule`,
  routeWeights: (sum: number) =>
    `the weights of a route with several destinations must add up to 100, they add up to ${sum}`,
  distributeWeights: (sum: number) => `distribute weights must add up to 100, they add up to ${sum}`,
  distributeWithFailover: () =>
    'distribute cannot be combined with failover or failoverPriority (Istio sets one or the other)',
  failoverSameRegion: (region: string) =>
    `failover from "${quote(region)}" to itself has no effect; name another region`,
  badRegex: (pattern: string, reason: string) => `invalid regular expression "${quote(pattern)}": ${reason}`,
  badRetryOn: (value: string) =>
    `"${quote(value)}" is not a retry condition or HTTP status code (retryOn takes e.g. "5xx,connect-failure,503")`,
  badPair: (pair: string) => `expected a pair written "a<->b" (regions or clusters), got "${quote(pair)}"`,
} as const;
