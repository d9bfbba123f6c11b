/** `summary.json`: the run summary as the output contract defines it, two-space indented, newline-ended. */
import type { RunSummary } from '../metrics/index.js';

/** The run summary as JSON text, the same as `run --json` prints. */
export function summaryJson(summary: RunSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}
