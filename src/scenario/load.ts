/**
 * The scenario pipeline, in order (vega-lite's compile phases):
 *   1. read     file -> text (a regular UTF-8 file of at most MAX_FILE_BYTES; read-text-file.ts)
 *   2. parse    text -> plain data, with a source map for line and column (yaml-source.ts); alias
 *               expansion and nesting are bounded here
 *   3. schema   data -> ScenarioInput, or every form problem (schema.ts, schema-issues.ts)
 *   4. check    ScenarioInput -> every problem of meaning, and warnings (check.ts)
 *   5. resolve  ScenarioInput -> Scenario, defaults applied (normalize.ts)
 *   6. size     Scenario -> the run-size limits, unless allowLarge (check-size.ts)
 * It returns a result, never throws for bad input: the caller prints the issues.
 *
 * Contents: `loadScenarioFile`, `loadScenarioText`, `LoadResult`, `LoadOptions`, `MAX_FILE_BYTES`.
 */
import { checkScenario, type Problem } from './check.js';
import { checkSize, type SizeRuns } from './check-size.js';
import type { ScenarioIssue } from './issue.js';
import { message } from './messages.js';
import { normalize } from './normalize.js';
import type { Scenario } from './scenario.js';
import { schemaIssues } from './schema-issues.js';
import { ScenarioInputSchema } from './schema.js';
import { MAX_FILE_BYTES, readScenarioFileText } from './read-text-file.js';

export { MAX_FILE_BYTES };
import { readYaml, type YamlSource } from './yaml-source.js';

/**
 * `ok: false` carries every error in `issues`; `warnings` (both cases) are allowed but worth printing,
 * such as a config-push routing to a subset that does not exist (a simulated bad rollout).
 */
export type LoadResult =
  | { ok: true; scenario: Scenario; warnings: ScenarioIssue[] }
  | { ok: false; issues: ScenarioIssue[]; warnings: ScenarioIssue[] };

export interface LoadOptions {
  /**
   * Accept a file over the run-size limits (report.maxRequests, default 50 million client requests over
   * all models and replications; MAX_PODS pods). The CLI's `--allow-large`.
   */
  readonly allowLarge?: boolean;
  /**
   * Changes the parsed document before the schema (a sweep's `--set path=value`), so the changed
   * scenario passes every check a file does, located at the changed field's line. May throw: its errors
   * pass through to the caller.
   */
  readonly edit?: (data: Record<string, unknown>) => void;
  /** The runs the size is checked for: `run` passes one model, one replication; default the file's. */
  readonly runs?: SizeRuns;
}

/** Problems listed per file: past these, a count says how many more there are. */
export const MAX_ISSUES = 100;

export async function loadScenarioFile(file: string, options: LoadOptions = {}): Promise<LoadResult> {
  // Regular files only, size checked before the read and the read bounded (read-text-file.ts).
  const read = await readScenarioFileText(file);
  if (!read.ok) return { ok: false, issues: [read.issue], warnings: [] };
  const text = read.text;
  return loadScenarioText(text, file, options);
}

export function loadScenarioText(text: string, file: string, options: LoadOptions = {}): LoadResult {
  // Characters, not bytes: a bound of the same order, for text that did not come from a file.
  if (text.length > MAX_FILE_BYTES)
    return fail(file, message.fileUnreadable(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`));
  const read = readYaml(text);
  if (!read.ok) {
    return {
      ok: false,
      issues: capped(
        read.problems.map((p) => ({
          file,
          line: p.at.line,
          column: p.at.column,
          path: [],
          code: p.code,
          message: p.message,
        })),
        file,
      ),
      warnings: [],
    };
  }
  if (read.data === null || typeof read.data !== 'object' || Array.isArray(read.data)) {
    const at = read.source.locate([]);
    return {
      ok: false,
      issues: [{ file, ...at, path: [], code: 'wrong-type', message: message.notAMapping() }],
      warnings: [],
    };
  }
  options.edit?.(read.data as Record<string, unknown>);
  const parsed = ScenarioInputSchema.safeParse(read.data);
  if (!parsed.success)
    return {
      ok: false,
      issues: capped(
        sortIssues(schemaIssues(parsed.error.issues, read.data, read.source, file, MAX_ISSUES + 1)),
        file,
      ),
      warnings: [],
    };
  const checked = checkScenario(parsed.data).map((p) => locate(p, read.source, file));
  const issues = checked.filter((i) => i.severity !== 'warning');
  const warnings = sortIssues(checked.filter((i) => i.severity === 'warning'));
  if (issues.length > 0)
    return { ok: false, issues: capped(sortIssues(issues), file), warnings: capped(warnings, file) };
  const scenario = normalize(parsed.data, file);
  const size = checkSize(scenario, parsed.data.report?.maxRequests !== undefined, options.runs).map((p) =>
    locate(p, read.source, file),
  );
  warnings.push(...size.filter((i) => i.severity === 'warning'));
  const tooLarge = size.filter((i) => i.severity !== 'warning');
  if (options.allowLarge !== true && tooLarge.length > 0)
    return { ok: false, issues: sortIssues(tooLarge), warnings: sortIssues(warnings) };
  return { ok: true, scenario, warnings: capped(warnings, file) };
}

/** The first MAX_ISSUES issues, and one more saying that the list stops there. */
function capped(issues: ScenarioIssue[], file: string): ScenarioIssue[] {
  if (issues.length <= MAX_ISSUES) return issues;
  return [
    ...issues.slice(0, MAX_ISSUES),
    {
      file,
      line: 0,
      column: 0,
      path: [],
      code: 'too-many-issues',
      message: message.tooManyIssues(MAX_ISSUES),
    },
  ];
}

function locate(p: Problem, source: YamlSource, file: string): ScenarioIssue {
  const at = source.locate(p.path);
  return {
    file,
    line: at.line,
    column: at.column,
    path: p.path,
    code: p.code,
    message: p.message,
    ...(p.suggestion === undefined ? {} : { suggestion: p.suggestion }),
    ...(p.severity === undefined ? {} : { severity: p.severity }),
  };
}

function fail(file: string, text: string): LoadResult {
  return {
    ok: false,
    issues: [{ file, line: 0, column: 0, path: [], code: 'file-unreadable', message: text }],
    warnings: [],
  };
}

function sortIssues(issues: ScenarioIssue[]): ScenarioIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}
