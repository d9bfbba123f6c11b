/**
 * Where a command's report folder goes, checked before anything is simulated and written at the end:
 * `--out DIR` (its parent must exist), else a default folder under `reports/` (created as needed), or no
 * folder at all with `--json` and no `--out`. Refusals and file-system errors become bad input (exit 2)
 * naming the path and the cause; see report/report-folder.ts for what is refused and why.
 *
 * Contents: `outputFolder`, `checkOutput`, `writeOutput`, `OutputFolder`.
 */
import { MESHSIM_VERSION } from '../experiment/version.js';
import type { ReportFile } from '../report/index.js';
import { UsageError } from './exit-code.js';
import { shellQuote } from '../experiment/shell-quote.js';

export interface OutputFolder {
  readonly dir: string;
  /** How messages name it: `--out DIR`, or the default folder. */
  readonly label: string;
  readonly explicit: boolean;
  readonly kind: 'run' | 'comparison';
  readonly force: boolean;
  readonly command: string;
}

/** Flags that change where and how a report is written or computed, never its numbers. */
const WITH_VALUE = new Set(['--out', '--workers']);
const WITHOUT_VALUE = new Set(['--force', '--json']);

/**
 * The command line that wrote a folder, for its marker: without `--out`, `--workers`, `--force` and
 * `--json`, so that two folders of the same results are byte-identical whatever the folder or threads.
 */
function commandLine(): string {
  const args = process.argv.slice(2);
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const name = a.split('=')[0] ?? a;
    if (WITH_VALUE.has(a)) i++;
    else if (!WITH_VALUE.has(name) && !WITHOUT_VALUE.has(name)) kept.push(a);
  }
  return ['meshsim', ...kept].map(shellQuote).join(' ');
}

/** The folder a command writes, or undefined when it writes none (`--json` without `--out`). */
export function outputFolder(
  command: string,
  args: { readonly out: string | undefined; readonly json: boolean; readonly force?: boolean },
  kind: 'run' | 'comparison',
  defaultDir: string,
): OutputFolder | undefined {
  if (args.out === undefined && args.json) return undefined;
  const explicit = args.out !== undefined;
  const dir = args.out ?? defaultDir;
  return {
    dir,
    label: `meshsim ${command}: ${explicit ? `--out ${shellQuote(dir)}` : dir}`,
    explicit,
    kind,
    force: args.force ?? false,
    command: commandLine(),
  };
}

async function asBadInput<T>(f: () => Promise<T>): Promise<T> {
  const report = await import('../report/index.js');
  try {
    return await f();
  } catch (e) {
    if (e instanceof report.ReportFolderError) throw new UsageError(e.message);
    if (e instanceof report.ReportWriteError) throw new UsageError(`meshsim: ${e.message}`);
    throw e;
  }
}

/** Checks `out` before simulating (throws UsageError); `bytes` is the report's estimated size. */
export async function checkOutput(
  out: OutputFolder | undefined,
  bytes: number,
  extra: { readonly scenarioFile?: string; readonly legacyEntries?: ReadonlySet<string> } = {},
): Promise<void> {
  if (out === undefined) return;
  const report = await import('../report/index.js');
  await asBadInput(() =>
    report.checkOutputFolder({
      dir: out.dir,
      label: out.label,
      kind: out.kind,
      force: out.force,
      explicit: out.explicit,
      bytes,
      ...extra,
    }),
  );
}

/** Writes the report with its marker (throws UsageError on a file-system error). */
export async function writeOutput(
  out: OutputFolder | undefined,
  files: readonly ReportFile[],
): Promise<void> {
  if (out === undefined) return;
  const report = await import('../report/index.js');
  const marked = report.withMarker(files, { meshsim: MESHSIM_VERSION, kind: out.kind, command: out.command });
  await asBadInput(() => report.writeReportFolder(out.dir, marked));
}
