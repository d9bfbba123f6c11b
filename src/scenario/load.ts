/**
 * The scenario pipeline, in order (vega-lite's compile phases):
 *   1. read     file -> text
 *   2. parse    text -> plain data, with a source map for line and column (yaml-source.ts)
 *   3. schema   data -> ScenarioInput, or every form problem (schema.ts, schema-issues.ts)
 *   4. check    ScenarioInput -> every problem of meaning (check.ts)
 *   5. resolve  ScenarioInput -> Scenario, defaults applied (normalize.ts)
 * It returns a result, never throws for bad input: the caller prints the issues.
 */
import { readFile } from 'node:fs/promises';
import { checkScenario } from './check.js';
import type { ScenarioIssue } from './issue.js';
import { message } from './messages.js';
import { normalize } from './normalize.js';
import type { Scenario } from './scenario.js';
import { schemaIssues } from './schema-issues.js';
import { ScenarioInputSchema } from './schema.js';
import { readYaml } from './yaml-source.js';

export type LoadResult = { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] };

/** Scenario files larger than this are not hand-written; refusing them bounds memory. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export async function loadScenarioFile(file: string): Promise<LoadResult> {
  let text: string;
  try {
    const buffer = await readFile(file);
    if (buffer.length > MAX_FILE_BYTES) {
      return fail(file, message.fileUnreadable(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`));
    }
    text = buffer.toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(
      file,
      message.fileUnreadable(
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(e),
      ),
    );
  }
  return loadScenarioText(text, file);
}

export function loadScenarioText(text: string, file: string): LoadResult {
  const read = readYaml(text);
  if (!read.ok) {
    return {
      ok: false,
      issues: read.problems.map((p) => ({
        file,
        line: p.at.line,
        column: p.at.column,
        path: [],
        code: p.code,
        message: p.message,
      })),
    };
  }
  if (read.data === null || typeof read.data !== 'object' || Array.isArray(read.data)) {
    const at = read.source.locate([]);
    return {
      ok: false,
      issues: [{ file, ...at, path: [], code: 'wrong-type', message: message.notAMapping() }],
    };
  }
  const parsed = ScenarioInputSchema.safeParse(read.data);
  if (!parsed.success)
    return { ok: false, issues: sortIssues(schemaIssues(parsed.error.issues, read.data, read.source, file)) };
  const problems = checkScenario(parsed.data);
  if (problems.length > 0) {
    return {
      ok: false,
      issues: sortIssues(
        problems.map((p) => {
          const at = read.source.locate(p.path);
          return { file, line: at.line, column: at.column, ...p } as ScenarioIssue;
        }),
      ),
    };
  }
  return { ok: true, scenario: normalize(parsed.data, file) };
}

function fail(file: string, text: string): LoadResult {
  return {
    ok: false,
    issues: [{ file, line: 0, column: 0, path: [], code: 'file-unreadable', message: text }],
  };
}

function sortIssues(issues: ScenarioIssue[]): ScenarioIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}
