/**
 * A replication worker runs an already checked scenario: the module it loads (dist/experiment/
 * replication-worker.js, through run.js) must not pull in the scenario parser's packages, yaml and zod
 * (run.ts says why it imports from scenario/build.js, not the scenario index). s36 broke this once with one
 * value import from the index, and nothing noticed: each worker then loaded 238 zod modules and yaml.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'meshsim-worker-imports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The packages (yaml, zod) among the modules that importing `module` resolves, in a fresh node. */
function parserPackagesLoadedBy(module: string): string[] {
  const hook = join(dir, 'hook.mjs');
  writeFileSync(
    hook,
    `export async function resolve(s, c, n) {
  const r = await n(s, c);
  const m = /node_modules\\/(yaml|zod)\\//.exec(r.url);
  if (m) process.stdout.write(m[1] + '\\n');
  return r;
}\n`,
  );
  const main = join(dir, 'main.mjs');
  writeFileSync(
    main,
    `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hook).href)});
try {
  await import(${JSON.stringify(pathToFileURL(module).href)});
} catch (e) {
  // The worker's module refuses to run outside a worker thread: that check is its first statement, run
  // after every import it makes is loaded, which is all this counts.
  if (!/runs in a worker thread/.test(e.message)) throw e;
}
process.stdout.write('imported\\n');\n`,
  );
  const r = spawnSync(process.execPath, [main], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  // The import itself must have finished, or an empty list would prove nothing.
  expect(lines.at(-1)).toBe('imported');
  return [...new Set(lines.slice(0, -1))];
}

describe('what a replication worker loads', () => {
  it('the scenario index loads yaml and zod (so the check below can see them)', () => {
    expect(parserPackagesLoadedBy('dist/scenario/index.js').sort()).toEqual(['yaml', 'zod']);
  });

  it('dist/experiment/replication-worker.js loads neither', () => {
    expect(parserPackagesLoadedBy('dist/experiment/replication-worker.js')).toEqual([]);
  });
});
