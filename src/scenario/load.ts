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
import { resolveRouting, withPushedIncludes, type IstioConfigPath } from './istio/routing-sources.js';
import { checkIngressTraffic } from './check-ingress.js';
import { ingressViews } from './istio/ingress-views.js';
import { unreadClusterConfig } from './istio/cluster-config.js';
import { partialInput, type PartialInput } from './partial-input.js';
import { MAX_FILE_BYTES, readScenarioFileText } from './read-text-file.js';

export { MAX_FILE_BYTES };
import { readYaml, readYamlStream, type YamlSource } from './yaml-source.js';

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
  /**
   * Istio resource files or folders applied after the scenario's own routing (the CLI's repeatable
   * `--istio-config [CLUSTER=]PATH`), relative to the working directory.
   */
  readonly istioConfig?: readonly IstioConfigPath[];
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
  // Only a file the YAML library calls multi-document is parsed again, as a stream.
  const several =
    !read.ok && read.problems.some((p) => p.message.includes('multiple documents'))
      ? multipleDocuments(text, file)
      : undefined;
  if (several !== undefined) return { ok: false, issues: [several], warnings: [] };
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
  const resourceFile = asResourceFile(read.data);
  if (resourceFile !== undefined)
    return {
      ok: false,
      issues: [
        { file, ...read.source.locate(['kind']), path: ['kind'], code: 'wrong-type', message: resourceFile },
      ],
      warnings: [],
    };
  const parsed = ScenarioInputSchema.safeParse(read.data);
  if (!parsed.success) {
    const form = schemaIssues(parsed.error.issues, read.data, read.source, file, MAX_ISSUES + 1);
    // The meaning checks still run on every part that passed, so one pass shows every problem.
    // Past MAX_ISSUES form problems the list is cut anyway; the extra pass would only cost time.
    const partial =
      form.length > MAX_ISSUES
        ? undefined
        : partialInput(
            read.data,
            parsed.error.issues.map((i) => i.path),
          );
    const meaning = partial === undefined ? [] : partialMeaning(partial, read.source, file, options);
    return {
      ok: false,
      issues: capped(sortIssues([...form, ...meaning.filter((i) => i.severity !== 'warning')]), file),
      warnings: capped(sortIssues(meaning.filter((i) => i.severity === 'warning')), file),
    };
  }
  const routing = resolveRouting(parsed.data, read.source, file, options.istioConfig);
  // Config-pushes' included resources become their entries, so checks and the run read one scenario.
  const data = withPushedIncludes(parsed.data, routing.pushes);
  const checked = [
    ...checkScenario(data, routing.routing, routing.clusterRouting).map((p) => locate(p, read.source, file)),
    ...checkIngressTraffic(data, ingressViews(data, routing.routing, routing.clusterRouting)).map((p) =>
      locate(p, read.source, file),
    ),
    ...routing.issues,
  ];
  const issues = checked.filter((i) => i.severity !== 'warning');
  const warnings = sortIssues(checked.filter((i) => i.severity === 'warning'));
  if (issues.length > 0)
    return { ok: false, issues: capped(sortIssues(issues), file), warnings: capped(warnings, file) };
  const normalized = normalize(data, file, routing.routing, routing.clusterRouting);
  warnings.push(...unreadClusterConfig(normalized));
  const scenario =
    options.istioConfig === undefined || options.istioConfig.length === 0
      ? normalized
      : {
          ...normalized,
          // As typed, so the rerun command repeats CLUSTER=PATH.
          istioConfig: options.istioConfig.map((c) =>
            c.cluster === undefined ? c.path : `${c.cluster}=${c.path}`,
          ),
        };
  const size = checkSize(scenario, parsed.data.report?.maxRequests !== undefined, options.runs).map((p) =>
    locate(p, read.source, file),
  );
  warnings.push(...size.filter((i) => i.severity === 'warning'));
  const tooLarge = size.filter((i) => i.severity !== 'warning');
  if (options.allowLarge !== true && tooLarge.length > 0)
    return { ok: false, issues: sortIssues(tooLarge), warnings: sortIssues(warnings) };
  return { ok: true, scenario, warnings: capped(warnings, file) };
}

/**
 * The meaning checks on the parts that passed the schema: the scenario's own, and those of the Istio
 * resources it includes or is given (read, checked where written and resolved as for a valid file), and
 * the ingress traffic against the Gateway routes; so a form error in one part hides nothing in another.
 */
function partialMeaning(
  partial: PartialInput,
  source: YamlSource,
  file: string,
  options: LoadOptions,
): ScenarioIssue[] {
  const routing = resolveRouting(partial.input, source, file, options.istioConfig);
  const data = withPushedIncludes(partial.input, routing.pushes);
  const problems = [
    ...checkScenario(data, routing.routing, routing.clusterRouting),
    ...checkIngressTraffic(data, ingressViews(data, routing.routing, routing.clusterRouting)),
  ];
  return [
    ...partial.keep(problems).map((p) => locate(p, source, file)),
    ...partial.keepIssues(routing.issues, file, (path) => source.locate(path)),
  ];
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

/** By place: files in the order they first appear (the scenario first), then line and column. */
function sortIssues(issues: ScenarioIssue[]): ScenarioIssue[] {
  const files = [...new Set(issues.map((i) => i.file))];
  return issues.sort(
    (a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line || a.column - b.column,
  );
}

/**
 * A multi-document file (`---` between documents) given as the scenario: Kubernetes manifests, most
 * likely. Said in plain words instead of the YAML library's own text.
 */
function multipleDocuments(text: string, file: string): ScenarioIssue | undefined {
  const stream = readYamlStream(text);
  if (!stream.ok) return undefined;
  const docs = stream.documents.filter((d) => d.data !== null && d.data !== undefined);
  if (docs.length < 2) return undefined;
  const second = docs[1] as (typeof docs)[number];
  const resource = docs.map((d) => asResourceFile(d.data)).find((m) => m !== undefined);
  return {
    file,
    ...second.source.locate([]),
    path: [],
    code: 'syntax',
    message:
      resource === undefined
        ? `a scenario is one YAML document; this file holds ${docs.length} (separated by ---)`
        : `this file holds ${docs.length} documents, ${resource.replace('this is a Kubernetes resource', 'Kubernetes resources such as')}`,
  };
}

/**
 * A Kubernetes or Istio resource given where a scenario was expected: say what to do with it instead of
 * listing apiVersion, kind, metadata and spec as unknown keys.
 */
function asResourceFile(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const o = data as Record<string, unknown>;
  if (typeof o['apiVersion'] !== 'string' || typeof o['kind'] !== 'string') return undefined;
  return (
    `this is a Kubernetes resource (${o['apiVersion']} ${o['kind']}), not a meshsim scenario: list Istio ` +
    'resource files under `routing.include` of a scenario or pass them with `--istio-config`, and turn ' +
    'Deployments and Services into a scenario with `meshsim import kubernetes`'
  );
}
