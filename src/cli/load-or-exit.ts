/** Loads scenario files for commands; prints every issue to stderr and reports bad input. */
import { formatIssue, loadScenarioFile, type Scenario } from '../scenario/index.js';
import { UsageError } from './exit-code.js';

export async function loadOrThrow(file: string): Promise<Scenario> {
  const result = await loadScenarioFile(file);
  if (result.ok) return result.scenario;
  const n = result.issues.length;
  throw new UsageError(
    `${result.issues.map(formatIssue).join('\n')}\n${file}: ${n} problem${n === 1 ? '' : 's'}; nothing was run.`,
  );
}
