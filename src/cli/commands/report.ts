/**
 * `meshsim report DIR`: re-render a results folder (a run's or a comparison's) from its `summary.json` or
 * `comparison.json`, into the same folder, whole or not at all. For a report made by an older meshsim, or
 * after restyling: the numbers come from the JSON, nothing is simulated again.
 *
 * The folder is replaced whole, so it must be meshsim's own (its `.meshsim-report.json` lists every file
 * in it) or, from a meshsim older than the marker, hold nothing but meshsim's file names; anything else is
 * named and the command refuses, rather than delete someone's notes (report/report-folder.ts).
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { ComparisonResult } from '../../experiment/index.js';
import { OUTPUT_CONTRACT_VERSION, type RunSummary } from '../../metrics/index.js';
import { shellQuote } from '../../experiment/shell-quote.js';
import { ExitCode, UsageError } from '../exit-code.js';
import { checkOutput, writeOutput, type OutputFolder } from '../report-output.js';

interface ReportArgs {
  dir: string | undefined;
}

type Results =
  | { readonly kind: 'comparison'; readonly result: ComparisonResult }
  | { readonly kind: 'run'; readonly summary: RunSummary };

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`meshsim report: ${path}: cannot be read (${(e as Error).message})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`meshsim report: ${path}: not valid JSON (${(e as Error).message})`);
  }
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The output contract a results file was written under: a newer one is refused (its keys may mean what
 * this meshsim does not know); a file from before the field existed (contract 1) is rendered with a
 * warning, since its availability counted late answers as failures when slo.latency.p99 was set.
 */
function checkContract(json: Record<string, unknown>, path: string): void {
  const v = json['contractVersion'];
  if (typeof v === 'number' && v > OUTPUT_CONTRACT_VERSION)
    throw new UsageError(
      `meshsim report: ${path}: written under output contract ${v}; this meshsim reads up to ${OUTPUT_CONTRACT_VERSION}. Re-render it with the meshsim that wrote it (${String(json['meshsimVersion'])}).`,
    );
  if (v === undefined)
    process.stderr.write(
      `meshsim report: warning: ${path} has no contractVersion (written before output contract 2): its availability and requests.succeeded count late answers as failures where slo.latency.p99 was set, and the page labels them as contract 2 does.\n`,
    );
}

/** The folder's results, checked for the fields rendering needs. */
async function readResults(dir: string): Promise<Results> {
  const comparison = await readJson(join(dir, 'comparison.json'));
  if (comparison !== undefined) {
    if (isObject(comparison) && Array.isArray(comparison['models']) && isObject(comparison['verdict'])) {
      checkContract(comparison, join(dir, 'comparison.json'));
      return { kind: 'comparison', result: comparison as unknown as ComparisonResult };
    }
    throw new UsageError(
      `meshsim report: ${join(dir, 'comparison.json')}: not a meshsim comparison (no models or verdict)`,
    );
  }
  const summary = await readJson(join(dir, 'summary.json'));
  if (summary !== undefined) {
    if (isObject(summary) && isObject(summary['requests']) && Array.isArray(summary['timeline'])) {
      checkContract(summary, join(dir, 'summary.json'));
      return { kind: 'run', summary: summary as unknown as RunSummary };
    }
    throw new UsageError(
      `meshsim report: ${join(dir, 'summary.json')}: not a meshsim run summary (no requests or timeline)`,
    );
  }
  throw new UsageError(
    `meshsim report: ${dir} holds neither comparison.json nor summary.json; give a folder written by meshsim run or meshsim compare.`,
  );
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report [dir]',
  describe:
    'Re-render a results folder (HTML, charts, CSV, Markdown) from its summary.json or comparison.json',
  builder: (y: Argv) =>
    y
      .positional('dir', { type: 'string', describe: 'A folder written by meshsim run or meshsim compare' })
      .check((a) => {
        if (a.dir === undefined) {
          throw new UsageError(
            'meshsim report: no results folder given. Name one, e.g. meshsim report reports/quickstart/compare.\nRun "meshsim --help" for usage.',
          );
        }
        return true;
      })
      .example(
        '$0 report reports/quickstart/compare',
        'Rewrite index.html, charts/, csv/ and summary.md from the JSON',
      )
      .example(
        '$0 report /tmp/r && open /tmp/r/index.html',
        'Re-render, then view',
      ) as unknown as Argv<ReportArgs>,
  handler: async (args: ArgumentsCamelCase<ReportArgs>) => {
    const dir = args.dir ?? '';
    try {
      await readdir(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(
        `meshsim report: ${dir}: ${code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : (e as Error).message}`,
      );
    }
    const results = await readResults(dir);
    const report = await import('../../report/index.js');
    const marker = await readFile(join(dir, report.MARKER), 'utf8')
      .then((t) => (JSON.parse(t) as { command?: unknown }).command)
      .catch(() => undefined);
    const out: OutputFolder = {
      dir,
      label: `meshsim report: ${dir}`,
      explicit: true,
      kind: results.kind,
      force: false,
      // The folder keeps the command that made its numbers; an older folder without one says how it was remade.
      command: typeof marker === 'string' ? marker : `meshsim report ${shellQuote(dir)}`,
    };
    await checkOutput(out, 0, { legacyEntries: report.LEGACY_REPORT_ENTRIES });
    const files =
      results.kind === 'comparison'
        ? await report.comparisonReportFiles(results.result)
        : await report.runReportFiles(results.summary);
    await writeOutput(out, files);
    process.stdout.write(
      `report: ${dir} re-rendered from ${results.kind === 'comparison' ? 'comparison.json' : 'summary.json'} (${files.length} files)\n`,
    );
    process.exitCode = ExitCode.OK;
  },
};
