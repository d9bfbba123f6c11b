/**
 * The malformed scenario files in test/fixtures/bad and what each must be reported as. Every fixture is
 * test/scenario/minimal.yaml with one deliberate problem, stated in its first-line comment.
 *
 * Expected lines are not copied from the program's output: each row names the text the issue must point at
 * (`at`, its `nth` occurrence), and `lineOf` finds that line in the fixture.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IssueCode } from '../../src/scenario/index.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Relative to the repo root, as the CLI tests pass it (and the CLI prints it). */
export const BAD_DIR = 'test/fixtures/bad';
export const MINIMAL_VALID = 'test/scenario/minimal.yaml';

export interface BadFixture {
  fixture: string;
  code: IssueCode;
  /** The issue's path as `formatPath` writes it: `services[1].calls[0].service`, `(top level)`. */
  path: string;
  /** Text (or a pattern) on the line the issue must point at. */
  at: string | RegExp;
  /** Which occurrence of `at` (1-based), when the text repeats. */
  nth?: number;
  /** The "did you mean" expected; `null`: there must be none. */
  suggestion?: string | null;
  /** What the message must say, where the wording matters. */
  message?: RegExp;
  /** Why the line is where it is, when that is not obvious. */
  note?: string;
}

export const BAD_FIXTURES: readonly BadFixture[] = [
  {
    fixture: 'syntax-bad-indent.yaml',
    code: 'syntax',
    path: '(top level)',
    at: /^ {3}serviceTime: 2ms$/,
  },
  {
    fixture: 'syntax-unclosed-bracket.yaml',
    code: 'syntax',
    path: '(top level)',
    at: /^services:$/,
    note: 'the parser finds the list unclosed where the next key starts, the line after the "["',
  },
  { fixture: 'duplicate-key.yaml', code: 'syntax', path: '(top level)', at: /^ {4}serviceTime:$/ },
  {
    fixture: 'servics-typo.yaml',
    code: 'unknown-key',
    path: 'servics',
    at: 'servics:',
    suggestion: 'services',
  },
  {
    fixture: 'serviceTme-typo.yaml',
    code: 'unknown-key',
    path: 'services[0].serviceTme',
    at: 'serviceTme:',
    suggestion: 'serviceTime',
  },
  {
    fixture: 'missing-rate.yaml',
    code: 'missing-key',
    path: 'traffic[0].rate',
    at: '- name: web',
    message: /missing required key "rate" \(expected a rate such as/,
    note: 'a missing key is located at the mapping that lacks it',
  },
  {
    fixture: 'replicas-string.yaml',
    code: 'wrong-type',
    path: 'services[0].deployments[0].replicas',
    at: 'replicas: three',
    message: /expected number, got the text "three"/,
  },
  {
    fixture: 'replicas-fraction.yaml',
    code: 'invalid-value',
    path: 'services[0].deployments[0].replicas',
    at: 'replicas: 1.5',
    message: /whole number, got 1\.5/,
  },
  {
    fixture: 'bad-duration.yaml',
    code: 'invalid-value',
    path: 'duration',
    at: 'duration: 10 minutes',
    message: /expected a duration such as "250ms".*; got "10 minutes"/,
  },
  {
    fixture: 'bad-rate.yaml',
    code: 'invalid-value',
    path: 'traffic[0].rate',
    at: 'rate: 100 per second',
    message: /expected a rate such as "500\/s".*; got "100 per second"/,
  },
  {
    fixture: 'error-rate-over-100.yaml',
    code: 'out-of-range',
    path: 'services[1].errorRate',
    at: 'errorRate: 150%',
    message: /0% to 100%; got "150%"/,
  },
  {
    fixture: 'dist-lognormel.yaml',
    code: 'invalid-value',
    path: 'services[1].serviceTime.dist',
    at: 'dist: lognormel',
    suggestion: 'lognormal',
  },
  {
    fixture: 'call-unknown-service.yaml',
    code: 'unknown-reference',
    path: 'services[0].calls[0].service',
    at: 'service: backnd',
    suggestion: 'backend',
  },
  {
    fixture: 'deployment-unknown-cluster.yaml',
    code: 'unknown-reference',
    path: 'services[1].deployments[0].cluster',
    at: 'cluster: eu-west',
    suggestion: null,
  },
  {
    fixture: 'zone-not-in-cluster.yaml',
    code: 'unknown-reference',
    path: 'services[1].deployments[0].zone',
    at: 'zone: us-east-c',
    suggestion: 'us-east-a',
  },
  {
    fixture: 'call-cycle.yaml',
    code: 'call-cycle',
    path: 'services[1].calls[0].service',
    at: 'service: frontend',
    message: /frontend -> backend -> frontend/,
    note: 'the call that closes the cycle',
  },
  { fixture: 'warmup-not-shorter.yaml', code: 'time-out-of-run', path: 'warmup', at: 'warmup: 10s' },
  {
    fixture: 'step-after-end.yaml',
    code: 'time-out-of-run',
    path: 'traffic[0].steps[1].at',
    at: 'at: 20s',
  },
  {
    fixture: 'shares-not-100.yaml',
    code: 'invalid-value',
    path: 'traffic[0].from',
    at: 'from:',
    message: /add up to 90%/,
  },
  {
    fixture: 'lognormal-p99-below-median.yaml',
    code: 'invalid-value',
    path: 'services[1].serviceTime.p99',
    at: 'p99: 2ms',
  },
  {
    fixture: 'duplicate-service.yaml',
    code: 'duplicate-name',
    path: 'services[2].name',
    at: '- name: backend',
    nth: 2,
  },
  {
    fixture: 'alias-bomb.yaml',
    code: 'alias-limit',
    path: '(top level)',
    at: 'lol2:',
    note: 'the line whose aliases pass 100 copies',
  },
  { fixture: 'too-deep.yaml', code: 'too-deep', path: '(top level)', at: 'zones: [[[' },
  {
    fixture: 'top-level-list.yaml',
    code: 'wrong-type',
    path: '(top level)',
    at: '- name: tiny',
    note: 'where the list begins',
  },
  // Models
  {
    fixture: 'model-unknown-primary.yaml',
    code: 'unknown-reference',
    path: 'models[0].primary',
    at: 'primary: est',
    suggestion: 'east',
  },
  {
    fixture: 'model-remote-of-non-primary.yaml',
    code: 'invalid-value',
    path: 'models[0].remotes.west-2',
    at: 'west-2: east-2',
    message: /not one of this model's primaries \(east, west\)/,
  },
  {
    fixture: 'model-key-for-other-model.yaml',
    code: 'invalid-value',
    path: 'models[0].primary',
    at: 'primary: east',
    message: /belongs to controlPlane: primary-remote, not multi-primary/,
  },
  // Faults
  { fixture: 'fault-outside-run.yaml', code: 'time-out-of-run', path: 'faults[0].at', at: 'at: 20s' },
  {
    fixture: 'fault-type-typo.yaml',
    code: 'invalid-value',
    path: 'faults[0].type',
    at: 'type: pod-failur',
    suggestion: 'pod-failure',
  },
  {
    fixture: 'fault-service-not-deployed.yaml',
    code: 'unknown-reference',
    path: 'faults[0].cluster',
    at: 'cluster: west',
    message: /has no deployment in cluster "west", so this fault would do nothing/,
  },
  {
    fixture: 'fault-key-of-other-type.yaml',
    code: 'unknown-key',
    path: 'faults[0].every',
    at: 'every: 10s',
    suggestion: null,
    message: /allowed keys here: at, for, type, service, cluster, replicas$/,
  },
  {
    fixture: 'fault-churn-too-fast.yaml',
    code: 'out-of-range',
    path: 'faults[0].every',
    at: 'every: 10ms',
    message: /at least 100ms/,
  },
  {
    fixture: 'config-push-overlap.yaml',
    code: 'overlap',
    path: 'faults[1].at',
    at: 'at: 4s',
    message: /timed push from 2s to 7s/,
  },
  // Routing
  {
    fixture: 'routing-unknown-subset.yaml',
    code: 'unknown-reference',
    path: 'routing.virtualServices[0].http[0].route[0].destination.subset',
    at: 'subset: v3',
    message: /subset "v3" of "backend" is not defined by any DestinationRule/,
  },
  {
    fixture: 'routing-weights-not-100.yaml',
    code: 'invalid-value',
    path: 'routing.virtualServices[0].http[0].route',
    at: '- route:',
    message: /add up to 80/,
    note: 'the list of destinations, whose weights are wrong together',
  },
  {
    fixture: 'routing-outlier-interval-zero.yaml',
    code: 'out-of-range',
    path: 'routing.destinationRules[0].trafficPolicy.outlierDetection.interval',
    at: 'interval: 0s',
  },
  // SLO
  {
    fixture: 'slo-availability-over-100.yaml',
    code: 'out-of-range',
    path: 'slo.availability',
    at: 'availability: 150%',
  },
  {
    fixture: 'slo-latency-p95.yaml',
    code: 'unknown-key',
    path: 'slo.latency.p95',
    at: 'p95: 100ms',
    message: /allowed keys here: p50, p90, p99, p999/,
  },
  // Ramps and bursts
  {
    fixture: 'ramp-ends-after-run.yaml',
    code: 'time-out-of-run',
    path: 'traffic[0].steps[0].over',
    at: 'over: 10s',
    message: /ends at 15s, after the run/,
  },
  {
    fixture: 'step-inside-ramp.yaml',
    code: 'overlap',
    path: 'traffic[0].steps[1].at',
    at: 'at: 4s',
    message: /inside the ramp from 2s to 6s/,
  },
  {
    fixture: 'bursty-without-burst.yaml',
    code: 'missing-key',
    path: 'traffic[0].arrival',
    at: 'arrival: bursty',
  },
  {
    fixture: 'burst-not-shorter.yaml',
    code: 'invalid-value',
    path: 'traffic[0].burst.for',
    at: 'for: 3s',
  },
  // Limits
  {
    fixture: 'too-many-requests.yaml',
    code: 'too-large',
    path: 'traffic[0].rate',
    at: 'rate: 10000000/s',
    message: /about 1 billion client requests .* more than the default limit \(50 million\).*--allow-large/,
  },
  {
    fixture: 'max-requests-stated.yaml',
    code: 'too-large',
    path: 'traffic[0].rate',
    at: 'rate: 100/s',
    message: /about 3,000 client requests .* more than report.maxRequests \(1,000\)/,
    note: 'at the traffic source that contributes most',
  },
  // Call graph and numbers
  {
    fixture: 'nested-parallel-group.yaml',
    code: 'nested-group',
    path: 'services[0].calls[0][0]',
    at: '- - - service: backend',
  },
  {
    fixture: 'replicas-1e400.yaml',
    code: 'out-of-range',
    path: 'services[0].deployments[0].replicas',
    at: 'replicas: 1e400',
    message: /too large to represent/,
  },
  {
    fixture: 'seed-huge-integer.yaml',
    code: 'out-of-range',
    path: 'seed',
    at: /^seed: 9{400}$/,
  },
];

export function fixtureText(fixture: string): string {
  return readFileSync(new URL(`../fixtures/bad/${fixture}`, import.meta.url), 'utf8');
}

/**
 * The 1-based line of the `nth` line of `text` that contains `at` (or matches it). Comment lines never
 * count: a fixture's first-line comment may quote the faulty text, and no issue points at a comment.
 */
export function lineOf(text: string, at: string | RegExp, nth = 1): number {
  let seen = 0;
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trimStart().startsWith('#')) continue;
    if (typeof at === 'string' ? line.includes(at) : at.test(line)) {
      seen++;
      if (seen === nth) return i + 1;
    }
  }
  throw new Error(`no line ${nth === 1 ? '' : `(occurrence ${nth}) `}contains ${String(at)}`);
}

export function expectedLine(f: BadFixture): number {
  return lineOf(fixtureText(f.fixture), f.at, f.nth);
}
