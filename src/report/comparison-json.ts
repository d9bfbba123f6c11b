/** `comparison.json`: the comparison as the output contract defines it, two-space indented, newline-ended. */
import type { ComparisonResult } from '../experiment/index.js';

/** The comparison as JSON text, the same as `compare --json` prints. */
export function comparisonJson(result: ComparisonResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
