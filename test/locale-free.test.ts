/**
 * Reports and written scenarios must not depend on the host's locale: Node's `localeCompare` and
 * `toLocaleString` without a locale follow LANG / LC_ALL (under LANG=et_EE.UTF-8, `['s','t','z']` sorts
 * as s, z, t: Estonian puts z after s). So every call under src/ names its locale; this test reads the
 * sources and fails on a call that does not, and shows the dependence it guards against in a child
 * process with an Estonian locale.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.js';
import { typeScriptFiles } from './helpers/source-files.js';

const SRC = join(REPO_ROOT, 'src');

/**
 * Calls of `localeCompare(` or `toLocaleString(` whose argument list (up to its closing parenthesis,
 * nested ones included) has no string literal naming a locale; comments are skipped.
 */
export function unlocalizedCalls(file: string, text: string): string[] {
  const found: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/\/\/.*$/gm, '');
  const re = /\.(localeCompare|toLocaleString)\(/g;
  for (let m = re.exec(code); m !== null; m = re.exec(code)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < code.length && depth > 0; i++) {
      if (code[i] === '(') depth++;
      else if (code[i] === ')') depth--;
    }
    const args = code.slice(start, i - 1);
    if (!/['"][a-z]{2}(?:-[A-Z]{2})?['"]/.test(args)) {
      const line = code.slice(0, m.index).split('\n').length;
      found.push(`${file}:${line}: .${m[1]}(${args})`);
    }
  }
  return found;
}

describe('output does not depend on the host locale', () => {
  it('every localeCompare / toLocaleString under src/ names its locale', () => {
    const all = typeScriptFiles(SRC);
    expect(all.length).toBeGreaterThan(50);
    const bad = all.flatMap((f) => unlocalizedCalls(relative(REPO_ROOT, f), readFileSync(f, 'utf8')));
    expect(bad).toEqual([]);
  });

  it('the checker catches a call without a locale, and passes one with it', () => {
    expect(unlocalizedCalls('x.ts', 'xs.sort((a, b) => a.name.localeCompare(b.name));')).toHaveLength(1);
    expect(unlocalizedCalls('x.ts', 'const s = n.toLocaleString();')).toHaveLength(1);
    expect(unlocalizedCalls('x.ts', "xs.sort((a, b) => f(a).localeCompare(f(b), 'en'));")).toEqual([]);
    expect(unlocalizedCalls('x.ts', "const s = n.toLocaleString('en-US');")).toEqual([]);
    expect(unlocalizedCalls('x.ts', '// a.localeCompare(b) in a comment')).toEqual([]);
  });

  it('the dependence is real: under an Estonian locale the default order differs and "en" does not', () => {
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        "const x=['z','t','s'];console.log(JSON.stringify([[...x].sort((a,b)=>a.localeCompare(b)),[...x].sort((a,b)=>a.localeCompare(b,'en'))]))",
      ],
      { encoding: 'utf8', env: { ...process.env, LC_ALL: 'et_EE.UTF-8', LANG: 'et_EE.UTF-8' } },
    );
    expect(child.status).toBe(0);
    const [host, en] = JSON.parse(child.stdout) as [string[], string[]];
    expect(en).toEqual(['s', 't', 'z']);
    // Node built with full ICU (as Node 20's official builds are) follows LC_ALL.
    expect(host).toEqual(['s', 'z', 't']);
  });
});
