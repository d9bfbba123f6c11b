/**
 * What every meaning check needs: a list of problems, a way to add one, and a name check that adds
 * "unknown X" with a "did you mean" when the name refers to nothing.
 */
import type { Problem } from './check.js';
import type { IssueCode, IssuePath } from './issue.js';
import { message } from './messages.js';
import { suggest } from './suggest.js';

export interface ProblemCollector {
  readonly problems: Problem[];
  add(path: IssuePath, code: IssueCode, text: string, suggestion?: string): void;
  /** Adds unknown-reference unless `name` is one of `known`; returns whether it was. */
  reference(path: IssuePath, kind: string, name: string, known: readonly string[]): boolean;
}

export function problemCollector(): ProblemCollector {
  const problems: Problem[] = [];
  const add = (path: IssuePath, code: IssueCode, text: string, suggestion?: string): void => {
    problems.push({ path, code, message: text, ...(suggestion === undefined ? {} : { suggestion }) });
  };
  const reference = (path: IssuePath, kind: string, name: string, known: readonly string[]): boolean => {
    if (known.includes(name)) return true;
    add(path, 'unknown-reference', message.unknownReference(kind, name, known), suggest(name, known));
    return false;
  };
  return { problems, add, reference };
}
