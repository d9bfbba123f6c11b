/**
 * Keeps the dependency arrows of shared/design/architecture.md true: reads every import under src/ and
 * fails on a forbidden one. report/ may use metrics/ and experiment/ types only (`import type`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.js';
import { typeScriptFiles } from './helpers/source-files.js';

const SRC = join(REPO_ROOT, 'src');

/** module -> modules it may import at run time; `typesOnly` may be imported with `import type` only. */
const ALLOWED: Record<string, { runtime: string[]; typesOnly?: string[] }> = {
  des: { runtime: [] },
  mesh: { runtime: ['des'] },
  scenario: { runtime: ['des', 'mesh'] },
  metrics: { runtime: ['des', 'mesh'] },
  experiment: { runtime: ['scenario', 'mesh', 'metrics', 'des'] },
  report: { runtime: [], typesOnly: ['metrics', 'experiment'] },
  calibrate: { runtime: ['des'], typesOnly: ['mesh'] },
  cli: { runtime: ['des', 'mesh', 'scenario', 'metrics', 'experiment', 'report', 'calibrate'] },
};

interface ImportLine {
  file: string;
  from: string;
  to: string;
  typeOnly: boolean;
}

export function importsOf(file: string, text: string): ImportLine[] {
  const out: ImportLine[] = [];
  const re =
    /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;
  const from = relative(SRC, file).split(/[\\/]/)[0] as string;
  for (const m of text.matchAll(re)) {
    const spec = m[4] ?? m[5] ?? '';
    if (!spec.startsWith('.')) continue;
    const target = relative(SRC, resolve(dirname(file), spec)).split(/[\\/]/)[0] as string;
    // `import { type A, type B }` is type-only too.
    const names = m[3] ?? '';
    const inlineTypesOnly =
      /^\{[^}]*\}$/.test(names) &&
      names
        .slice(1, -1)
        .split(',')
        .every((n) => /^\s*type\s/.test(n) || n.trim() === '');
    out.push({
      file: relative(REPO_ROOT, file),
      from,
      to: target,
      typeOnly: m[2] !== undefined || inlineTypesOnly,
    });
  }
  return out;
}

function violations(all: ImportLine[]): string[] {
  return all
    .filter((i) => i.from !== i.to)
    .filter((i) => {
      const rule = ALLOWED[i.from];
      if (rule === undefined) return true;
      if (rule.runtime.includes(i.to)) return false;
      return !(i.typeOnly && rule.typesOnly?.includes(i.to));
    })
    .map((i) => `${i.file}: ${i.from} -> ${i.to}${i.typeOnly ? ' (type)' : ''}`);
}

describe('architecture', () => {
  const all = typeScriptFiles(SRC).flatMap((f) => importsOf(f, readFileSync(f, 'utf8')));

  it('every folder under src/ is a known module', () => {
    const modules = readdirSync(SRC).filter((f) => statSync(join(SRC, f)).isDirectory());
    expect(modules.filter((m) => !(m in ALLOWED))).toEqual([]);
  });

  it('no import crosses a forbidden arrow', () => {
    expect(all.length).toBeGreaterThan(50);
    expect(violations(all)).toEqual([]);
  });

  it('the checker catches forbidden arrows (des -> mesh, mesh -> metrics, metrics -> report, runtime report -> metrics)', () => {
    const fake = (file: string, text: string) => importsOf(join(SRC, file), text);
    const bad = [
      ...fake('des/engine.ts', "import { Mesh } from '../mesh/index.js';"),
      ...fake('mesh/mesh.ts', "import { RunRecorder } from '../metrics/index.js';"),
      ...fake('metrics/tally.ts', "import { summaryJson } from '../report/index.js';"),
      ...fake('report/run-csv.ts', "import { round } from '../metrics/index.js';"),
      ...fake('experiment/run.ts', "import { main } from '../cli/main.js';"),
    ];
    expect(violations(bad)).toHaveLength(5);
    const fine = [
      ...fake('report/run-csv.ts', "import type { RunSummary } from '../metrics/index.js';"),
      ...fake('report/run-csv.ts', "import { type RunSummary, type Breakdown } from '../metrics/index.js';"),
      ...fake('mesh/mesh.ts', "import { Engine } from '../des/index.js';"),
    ];
    expect(violations(fine)).toEqual([]);
  });
});
