/**
 * A problem with a scenario file, located for the user: file, line, column, the field's path, a stable code
 * (tests and tools key on it) and a message that says what was expected. All problems of a file are
 * collected and reported together; none is an exception.
 */
export type IssuePath = readonly (string | number)[];

export const IssueCode = {
  /** The file cannot be read. */
  'file-unreadable': 'file-unreadable',
  /** YAML (or JSON) syntax. */
  syntax: 'syntax',
  /** YAML aliases expand past the limit (a "billion laughs" file). */
  'alias-limit': 'alias-limit',
  /** Nesting deeper than any scenario needs. */
  'too-deep': 'too-deep',
  'missing-key': 'missing-key',
  'unknown-key': 'unknown-key',
  'wrong-type': 'wrong-type',
  'invalid-value': 'invalid-value',
  'out-of-range': 'out-of-range',
  /** A name that refers to nothing: service, cluster, zone. */
  'unknown-reference': 'unknown-reference',
  'duplicate-name': 'duplicate-name',
  /** A cycle in the call graph. */
  'call-cycle': 'call-cycle',
  /** A time outside the run, or a warm-up not shorter than the run. */
  'time-out-of-run': 'time-out-of-run',
  /** A parallel group inside a parallel group: calls nest one level only. */
  'nested-group': 'nested-group',
  /** Two things that may not overlap in time do (rate ramps, timed config pushes to one cluster). */
  overlap: 'overlap',
  /** The run would simulate more than a stated limit (requests, pods); `allowLarge` lifts it. */
  'too-large': 'too-large',
  /**
   * Real config meshsim does not model: an Istio field accepted and ignored or refused, a resource kind
   * skipped (istio/fields.ts, istio/resources.ts).
   */
  'not-modelled': 'not-modelled',
  /** A resource Istio ignores in part or whole because another one for the same host wins (istio/effective-routing.ts). */
  shadowed: 'shadowed',
  /** More problems than are worth listing: the first MAX_ISSUES are, then this one says so. */
  'too-many-issues': 'too-many-issues',
} as const;
export type IssueCode = keyof typeof IssueCode;

/** An error stops the file from loading; a warning is allowed but worth a look. */
export type IssueSeverity = 'error' | 'warning';

export interface ScenarioIssue {
  readonly file: string;
  /** 1-based; 0 when the problem has no place in the file. */
  readonly line: number;
  readonly column: number;
  readonly path: IssuePath;
  readonly code: IssueCode;
  readonly message: string;
  readonly suggestion?: string;
  /** Absent means 'error'. */
  readonly severity?: IssueSeverity;
}

export function isIssueCode(x: unknown): x is IssueCode {
  return typeof x === 'string' && Object.hasOwn(IssueCode, x);
}

/** `services[1].deployments[0].cluster` */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(top level)' : out;
}

/** One line per issue, compiler style, so editors and CI logs link to the place. */
export function formatIssue(issue: ScenarioIssue): string {
  const place = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const hint = issue.suggestion === undefined ? '' : `. Did you mean "${issue.suggestion}"?`;
  return `${place}: ${issue.severity ?? 'error'} [${issue.code}] ${formatPath(issue.path)}: ${issue.message}${hint}`;
}
