/**
 * Text that reaches other programs is safe (issue 11, point 7): rerun lines paste into a shell without
 * running anything, CSV cells do not evaluate in a spreadsheet (OWASP CSV Injection), Markdown embeds no
 * HTML or links from its inputs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/experiment/index.js';
import { compareRerunCommand } from '../../src/experiment/compare.js';
import { rerunCommand } from '../../src/experiment/run.js';
import { csvText, neutraliseCell } from '../../src/report/csv-text.js';
import { markdownCode, markdownProse, markdownText } from '../../src/report/markdown.js';
import type { Scenario } from '../../src/scenario/index.js';

const root = mkdtempSync(join(tmpdir(), 'meshsim-text-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** What sh makes of a printed command line: its words, by running `printf` in place of meshsim. */
function wordsAsShellSeesThem(line: string): string[] {
  const script = `${line.replace(/^meshsim /, 'printf "%s\\n" ')}`;
  return execFileSync('sh', ['-c', script], { cwd: root, encoding: 'utf8' }).split('\n').slice(0, -1);
}

describe('printed rerun commands are shell-quoted', () => {
  const hostile = [
    '$(touch pwned).yaml',
    '`touch pwned2`.yaml',
    "it's; touch pwned3 #.yaml",
    'a b\tc.yaml',
    '~/x.yaml',
    '=ls',
    '*.yaml',
  ];

  it.each(hostile)('rerunCommand with the file %j runs nothing and passes the name through whole', (file) => {
    const line = rerunCommand({ file } as unknown as Scenario, 7, 'multi-primary');
    expect(wordsAsShellSeesThem(line)).toEqual(['run', file, '--model', 'multi-primary', '--seed', '7']);
    expect(
      existsSync(join(root, 'pwned')) || existsSync(join(root, 'pwned2')) || existsSync(join(root, 'pwned3')),
    ).toBe(false);
  });

  it('compareRerunCommand quotes the file too, and plain words stay bare', () => {
    const line = compareRerunCommand(
      { file: '$(touch pwned).yaml' } as unknown as Scenario,
      ['a', 'b'],
      3,
      1,
    );
    expect(line).toBe("meshsim compare '$(touch pwned).yaml' --models a,b --replications 3 --seed 1");
    expect(wordsAsShellSeesThem(line)).toEqual([
      'compare',
      '$(touch pwned).yaml',
      '--models',
      'a,b',
      '--replications',
      '3',
      '--seed',
      '1',
    ]);
    expect(shellQuote('scenarios/quickstart.yaml')).toBe('scenarios/quickstart.yaml');
    expect(shellQuote('')).toBe("''");
  });
});

describe('CSV cells are neutralised as OWASP recommends', () => {
  it.each(['=1+1', '+cmd|x', "-2+3+cmd|' /C calc'!A0", '@SUM(A1)', '\tx', '\rx'])(
    '%j gets a leading quote',
    (v) => {
      expect(neutraliseCell(v)).toBe(`'${v}`);
    },
  );

  it('numbers and plain numeric text stay as they are; the file keeps its columns', async () => {
    expect(neutraliseCell('-0.25')).toBe('-0.25');
    expect(neutraliseCell('+3e-4')).toBe('+3e-4');
    expect(neutraliseCell('-12%')).toBe('-12%');
    expect(neutraliseCell('multi-primary')).toBe('multi-primary');
    const text = await csvText([{ name: '=HYPERLINK("http://x")', diff: -0.5 }], ['name', 'diff']);
    expect(text).toBe(`name,diff\n"'=HYPERLINK(""http://x"")",-0.5\n`);
  });
});

describe('Markdown escapes what it embeds', () => {
  it('markdownCode holds any backticks inside one code span', () => {
    expect(markdownCode('meshsim run a.yaml')).toBe('`meshsim run a.yaml`');
    expect(markdownCode('run `x`.yaml')).toBe('``run `x`.yaml``');
    expect(markdownCode('`x')).toBe('`` `x ``');
  });

  it('markdownProse removes raw HTML, links, images and line breaks but keeps arrows', () => {
    expect(markdownProse('<script>alert(1)</script>')).toBe('\\<script>alert(1)\\</script>');
    expect(markdownProse('see [x](http://evil) ![i](http://evil.png)')).toBe(
      'see [x\\](http://evil) !\\[i\\](http://evil.png)',
    );
    expect(markdownProse('a\n# b')).toBe('a # b');
    expect(markdownProse('us-east <-> eu-west')).toBe('us-east <-> eu-west');
  });

  it('markdownText escapes every punctuation mark that means something', () => {
    expect(markdownText('*a*_b_[c](d)<e>#|`')).toBe('\\*a\\*\\_b\\_\\[c\\]\\(d\\)\\<e\\>\\#\\|\\`');
  });
});
