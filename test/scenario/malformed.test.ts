import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatIssue,
  formatPath,
  loadScenarioFile,
  loadScenarioText,
  type ScenarioIssue,
} from '../../src/scenario/index.js';
import {
  BAD_DIR,
  BAD_FIXTURES,
  MINIMAL_VALID,
  REPO_ROOT,
  expectedLine,
  fixtureText,
  type BadFixture,
} from './bad-fixtures.js';

const fixturePath = (fixture: string) => join(REPO_ROOT, BAD_DIR, fixture);

async function issuesOf(fixture: string): Promise<ScenarioIssue[]> {
  const result = await loadScenarioFile(fixturePath(fixture));
  expect(result.ok, `${fixture} loaded without problems`).toBe(false);
  return result.ok ? [] : result.issues;
}

/** What a row promises, and the same view of every issue, so that a failure prints all of them. */
function summary(
  issue: Pick<ScenarioIssue, 'code' | 'line' | 'suggestion'> & { path: string },
  withSuggestion: boolean,
) {
  return {
    code: issue.code,
    path: issue.path,
    line: issue.line,
    ...(withSuggestion ? { suggestion: issue.suggestion ?? null } : {}),
  };
}

function testName(f: BadFixture): string {
  const hint =
    f.suggestion === undefined
      ? ''
      : f.suggestion === null
        ? ' without suggestion'
        : ` with suggestion ${f.suggestion}`;
  return `loadScenarioFile(${f.fixture}) reports ${f.code} at ${f.path}, line ${expectedLine(f)}${hint}`;
}

describe('loadScenarioFile on malformed scenarios (test/fixtures/bad)', () => {
  it(`loadScenarioFile(${MINIMAL_VALID}), the base of every fixture, is ok`, async () => {
    const result = await loadScenarioFile(join(REPO_ROOT, MINIMAL_VALID));
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
  });

  for (const f of BAD_FIXTURES) {
    it(testName(f), async () => {
      const issues = await issuesOf(f.fixture);
      const withSuggestion = f.suggestion !== undefined;
      const expected = summary(
        {
          code: f.code,
          path: f.path,
          line: expectedLine(f),
          ...(f.suggestion ? { suggestion: f.suggestion } : {}),
        },
        withSuggestion,
      );
      const actual = issues.map((i) => summary({ ...i, path: formatPath(i.path) }, withSuggestion));
      expect(actual).toContainEqual(expected);
      if (f.message !== undefined) {
        const messages = issues.filter((i) => i.code === f.code && formatPath(i.path) === f.path);
        expect(messages.map((i) => i.message)).toContainEqual(expect.stringMatching(f.message));
      }
    });
  }

  it('loadScenarioFile(each bad fixture) gives located messages without stack frames or "Error:"', async () => {
    for (const f of BAD_FIXTURES) {
      for (const issue of await issuesOf(f.fixture)) {
        const where = formatIssue(issue);
        expect(issue.file, where).toBe(fixturePath(f.fixture));
        expect(issue.line, where).toBeGreaterThan(0);
        expect(issue.column, where).toBeGreaterThan(0);
        expect(issue.message.trim(), where).not.toBe('');
        expect(issue.message, where).not.toMatch(/^\s+at /m);
        expect(issue.message, where).not.toMatch(/\bat \S+ \(?\S+:\d+:\d+\)?/);
        expect(issue.message, where).not.toContain('Error:');
        expect(issue.message, where).not.toMatch(/undefined|\[object Object\]|must match pattern/);
      }
    }
  });

  it('every file in test/fixtures/bad has a row, and says what is wrong in its first line', () => {
    const files = readdirSync(join(REPO_ROOT, BAD_DIR)).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(BAD_FIXTURES.map((f) => f.fixture).sort());
    for (const f of files) expect(fixtureText(f), f).toMatch(/^# \S.{10,}\n/);
  });

  it('loadScenarioFile(alias-bomb.yaml) and loadScenarioFile(too-deep.yaml) return within 2 seconds', async () => {
    for (const fixture of ['alias-bomb.yaml', 'too-deep.yaml']) {
      const start = performance.now();
      await issuesOf(fixture);
      expect(performance.now() - start, fixture).toBeLessThan(2000);
    }
  });

  it('loadScenarioFile(missing file) reports file-unreadable naming the cause, at no line', async () => {
    const result = await loadScenarioFile(fixturePath('no-such-file.yaml'));
    expect(result.ok ? [] : result.issues.map((i) => [i.code, i.line, i.message])).toEqual([
      ['file-unreadable', 0, 'cannot read the file: no such file'],
    ]);
  });

  it('loadScenarioText(self-referencing alias) reports the form problem instead of looping', () => {
    const text = fixtureText('call-cycle.yaml').replace('name: tiny', 'name: &self [*self]');
    const result = loadScenarioText(text, 'self.yaml');
    expect(result.ok ? [] : result.issues.map((i) => [i.code, formatPath(i.path)])).toContainEqual([
      'wrong-type',
      'name',
    ]);
  });
});
