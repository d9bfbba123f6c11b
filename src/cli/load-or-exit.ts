/**
 * Loads scenario files for commands: prints the file's warnings on stderr (never stdout, which may carry
 * JSON), and turns its errors into bad input with every issue listed. The scenario module is imported on
 * first use, so commands that never read a scenario start faster.
 */
import type { Scenario } from '../scenario/index.js';
import { UsageError } from './exit-code.js';

export interface LoadFlags {
  /** `--allow-large`: accept a file over the run-size limits. */
  readonly allowLarge?: boolean;
  /** The runs the size is checked for (`run`: one); default the file's models x replications. */
  readonly runs?: { readonly models: number; readonly replications: number };
  /** `--istio-config PATH` values, in order. */
  readonly istioConfig?: readonly string[] | undefined;
}

/**
 * The `--istio-config` values as load options: `PATH` applies to every cluster the model reads config
 * from; `CLUSTER=PATH` to that cluster's API server only (which istiods read it depends on the model).
 */
export function istioConfigPaths(
  values: readonly string[] | undefined,
): { path: string; cluster?: string }[] {
  return (values ?? []).map((v) => {
    const m = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)=(.+)$/.exec(v);
    if (m === null) return { path: v };
    return { cluster: m[1] as string, path: m[3] as string };
  });
}

/** The file's text, or bad input: read (bounded) before the scenario pipeline is even loaded. */
async function readOrThrow(file: string): Promise<string> {
  const { readScenarioFileText } = await import('../scenario/read-text-file.js');
  const read = await readScenarioFileText(file);
  if (read.ok) return read.text;
  const { formatIssue } = await import('../scenario/issue.js');
  throw new UsageError(`${formatIssue(read.issue)}\n${file}: 1 problem; nothing was run.`);
}

export async function loadOrThrow(file: string, flags: LoadFlags = {}): Promise<Scenario> {
  const istioConfig = istioConfigPaths(flags.istioConfig);
  const text = await readOrThrow(file);
  const { formatIssue, loadScenarioText } = await import('../scenario/index.js');
  const result = loadScenarioText(text, file, {
    allowLarge: flags.allowLarge ?? false,
    ...(flags.runs === undefined ? {} : { runs: flags.runs }),
    istioConfig,
  });
  for (const w of result.warnings) process.stderr.write(`${formatIssue(w)}\n`);
  if (result.ok) return result.scenario;
  const n = result.issues.length;
  throw new UsageError(
    `${result.issues.map(formatIssue).join('\n')}\n${file}: ${n} problem${n === 1 ? '' : 's'}; nothing was run.`,
  );
}
