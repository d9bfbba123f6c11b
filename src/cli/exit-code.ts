/** Exit codes of the output contract (scenario-format.md). */
export const ExitCode = {
  OK: 0,
  /** The run itself failed (a bug, an unwritable report folder). */
  RUN_FAILED: 1,
  /** Bad input: flags or scenario file. */
  BAD_INPUT: 2,
  /** An SLO in `slo:` was missed (only with --check-slo). */
  SLO_MISSED: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad input found by a command: printed as-is (no stack trace), exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
