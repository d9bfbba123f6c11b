/**
 * Same scenario and seed: byte-identical summary.json (and CSVs); another seed: a different one.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { meshsim } from '../helpers/cli.js';

const out = mkdtempSync(join(tmpdir(), 'meshsim-determinism-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function runTo(dir: string, seed: string): Map<string, string> {
  const r = meshsim(['run', 'scenarios/quickstart.yaml', '--seed', seed, '--out', join(out, dir)]);
  expect(r.status, r.stderr).toBe(0);
  // The report folder has subfolders (charts/, csv/): every file, by its path inside the folder.
  const root = join(out, dir);
  const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
  return new Map(
    files.map((d) => {
      const path = join(d.parentPath, d.name);
      return [relative(root, path), readFileSync(path, 'utf8')];
    }),
  );
}

describe('e2e/determinism', () => {
  it('meshsim run quickstart.yaml --seed 7 twice writes byte-identical report files', () => {
    const a = runTo('a', '7');
    const b = runTo('b', '7');
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    expect(a.get('summary.json')).toBeDefined();
    for (const [name, content] of a) expect(b.get(name), name).toBe(content);
  });

  it('meshsim run quickstart.yaml with another seed gives a different summary.json that names its seed', () => {
    const a = runTo('c', '7');
    const b = runTo('d', '8');
    expect(b.get('summary.json')).not.toBe(a.get('summary.json'));
    const summary = JSON.parse(b.get('summary.json') as string) as { seed: number; rerun: string };
    expect(summary.seed).toBe(8);
    expect(summary.rerun).toBe('meshsim run scenarios/quickstart.yaml --model multi-primary --seed 8');
  });

  it('the rerun command of a summary reproduces it exactly', () => {
    const first = runTo('e', '123');
    const rerun = (JSON.parse(first.get('summary.json') as string) as { rerun: string }).rerun
      .split(' ')
      .slice(1);
    const r = meshsim([...rerun, '--out', join(out, 'f')]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'f', 'summary.json'), 'utf8')).toBe(first.get('summary.json'));
  });
});
