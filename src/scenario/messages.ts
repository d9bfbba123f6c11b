/**
 * Every user-facing text about scenario files, in one place (vega-lite's `log/message.ts`), so wording
 * stays consistent and tests can refer to it.
 */
import { formatDuration } from './units.js';

const list = (xs: readonly string[], max = 12) =>
  xs.length === 0 ? '(none)' : xs.length > max ? `${xs.slice(0, max).join(', ')}, ...` : xs.join(', ');

export const message = {
  fileUnreadable: (reason: string) => `cannot read the file: ${reason}`,
  notAMapping: () =>
    'expected the file to be a mapping of scenario keys (name, duration, clusters, services, traffic, ...)',
  missingKey: (key: string, expected: string) => `missing required key "${key}" (expected ${expected})`,
  unknownKey: (key: string, allowed: readonly string[]) =>
    `unknown key "${key}"; allowed keys here: ${list(allowed, 30)}`,
  wrongType: (expected: string, got: string) => `expected ${expected}, got ${got}`,
  tooSmall: (what: string, min: number | bigint, inclusive: boolean) =>
    `${what} must be ${inclusive ? 'at least' : 'more than'} ${min}`,
  tooBig: (what: string, max: number | bigint, inclusive: boolean) =>
    `${what} must be ${inclusive ? 'at most' : 'less than'} ${max}`,
  notInteger: () => 'expected a whole number',
  badEnum: (got: string, options: readonly string[]) => `"${got}" is not one of ${list(options)}`,
  badDist: (got: string, options: readonly string[]) =>
    `unknown distribution "${got}"; expected one of ${list(options)}`,
  unknownReference: (kind: string, name: string, known: readonly string[]) =>
    `unknown ${kind} "${name}"; known ${kind}s: ${list(known)}`,
  zoneNotInCluster: (zone: string, cluster: string, zones: readonly string[]) =>
    `zone "${zone}" is not a zone of cluster "${cluster}" (its zones: ${list(zones)})`,
  duplicateName: (kind: string, name: string) => `${kind} "${name}" is defined more than once`,
  callCycle: (cycle: readonly string[]) =>
    `calls form a cycle: ${cycle.join(' -> ')}; a request would never finish (remove one of these calls)`,
  warmupNotShorter: (warmupMs: number, durationMs: number) =>
    `warmup (${formatDuration(warmupMs)}) must be shorter than duration (${formatDuration(durationMs)})`,
  durationNotPositive: () => 'duration must be longer than 0',
  stepOutsideRun: (atMs: number, durationMs: number) =>
    `a rate step at ${formatDuration(atMs)} is not inside the run (duration ${formatDuration(durationMs)})`,
  sharesDoNotSum: (sum: number) =>
    `client shares must add up to 100%, they add up to ${+(sum * 100).toFixed(4)}%`,
  emptyShares: () => 'expected at least one cluster with a share above 0',
  noReplicas: (service: string) =>
    `service "${service}" has no replicas in any deployment; requests to it could only fail (set replicas >= 1)`,
  lognormalOrder: () => 'a lognormal needs median > 0 and p99 >= median',
  uniformOrder: () => 'a uniform needs min <= max',
  empiricalOrder: () =>
    'percentiles must have increasing values as the percentile increases (p50 <= p90 <= p99 ...), and lie strictly between p0 and p100',
  keyForOtherModel: (key: string, wanted: string, got: string) =>
    `"${key}" belongs to controlPlane: ${wanted}, not ${got}; remove it or change the controlPlane`,
  remoteOfNonPrimary: (remote: string, primary: string, primaries: readonly string[]) =>
    `remote "${remote}" is attached to "${primary}", which is not one of this model's primaries (${primaries.join(', ')})`,
  primaryAsRemote: (cluster: string) => `"${cluster}" is a primary, so it cannot also be a remote`,
  faultOutsideRun: (atMs: number, durationMs: number) =>
    `the fault starts at ${formatDuration(atMs)}, not inside the run (duration ${formatDuration(durationMs)})`,
  partitionWithItself: (name: string) => `a partition needs two different places; both ends are "${name}"`,
  windowTooSmall: (windowMs: number, durationMs: number) =>
    `report.window (${formatDuration(windowMs)}) gives more than 100000 windows over ${formatDuration(durationMs)}`,
} as const;
