/**
 * `meshsim models`, `meshsim init` and `--help` on every command: the explanations, the starter scenario
 * (it validates and runs; it is never overwritten without --force) and examples everywhere.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectsNoTrace, meshsim, scratch } from './spawn-meshsim.js';

const tmp = scratch('cli-models-init');
afterAll(tmp.cleanup);

describe.concurrent('meshsim models | init | --help', { timeout: 60_000 }, () => {
  it('meshsim models explains multi-primary, primary-remote, hybrid and external, each with when to choose it', async () => {
    const r = await meshsim(['models']);
    expect(r.status, r.stderr).toBe(0);
    for (const name of ['multi-primary', 'primary-remote', 'hybrid', 'external']) {
      expect(r.stdout).toMatch(new RegExp(`^${name}\\n  \\S`, 'm'));
    }
    expect(r.stdout.match(/^ {2}When: Choose it/gm)?.length).toBe(4);
    expect(r.stdout).toContain('network: multi');
  });

  it('meshsim models outage.yaml --json adds who serves whom, istiods and config places per model', async () => {
    const r = await meshsim(['models', 'test/fixtures/experiment/outage.yaml', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      models: { name: string }[];
      wiring: { name: string; istiods: number; configPlaces: string[]; servedBy: Record<string, string> }[];
    };
    expect(doc.models.map((m) => m.name)).toEqual(['multi-primary', 'primary-remote', 'hybrid', 'external']);
    expect(doc.wiring).toEqual([
      expect.objectContaining({ name: 'multi-primary', istiods: 2, configPlaces: ['east-1', 'east-2'] }),
      expect.objectContaining({
        name: 'primary-remote',
        istiods: 1,
        configPlaces: ['east-1'],
        servedBy: { 'east-1': 'east-1', 'east-2': 'east-1' },
      }),
    ]);
  });

  it('meshsim init <file> writes a starter that validates and runs; again refuses (exit 2) unless --force', async () => {
    const file = join(tmp.dir, 'mesh.yaml');
    const first = await meshsim(['init', file]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`wrote ${file}`);
    // The printed next steps are the command the test ran (node .../main.js), not a bare meshsim that
    // needs npm link.
    expect(first.stdout).toMatch(/^ {2}node \S*main\.js validate /m);
    const starter = readFileSync(file, 'utf8');
    // The editor line points at meshsim's own schema, relative to the file written.
    const schemaLine = starter.split('\n')[0] ?? '';
    expect(schemaLine).toMatch(/^# yaml-language-server: \$schema=\S+meshsim\.schema\.json$/);
    const schema = join(tmp.dir, schemaLine.replace(/^.*\$schema=/, ''));
    expect(JSON.parse(readFileSync(schema, 'utf8'))).toHaveProperty('$schema');
    const [valid, run] = await Promise.all([
      meshsim(['validate', file]),
      meshsim(['run', file, '--json', '--out', join(tmp.dir, 'starter-run')]),
    ]);
    expect(valid.status, valid.stderr).toBe(0);
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      scenario: string;
      requests: { total: number };
      faults: unknown[];
    };
    expect(summary.scenario).toBe('my-mesh');
    expect(summary.requests.total).toBeGreaterThan(1000);
    expect(summary.faults.length).toBe(1);

    writeFileSync(file, '# mine\n');
    const again = await meshsim(['init', file]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('exists; nothing was written');
    expect(expectsNoTrace(again)).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe('# mine\n');
    const forced = await meshsim(['init', file, '--force']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(starter);
  });

  it('meshsim validate -o json prints every problem as JSON on stdout, exit 2 when any', async () => {
    const bad = 'test/fixtures/bad/bad-rate.yaml';
    const r = await meshsim(['validate', 'scenarios/quickstart.yaml', bad, '-o', 'json']);
    expect(r.status).toBe(2);
    const out = JSON.parse(r.stdout) as {
      files: { file: string; ok: boolean; problems: { line: number; message: string; path: unknown[] }[] }[];
    };
    expect(out.files.map((f) => [f.file, f.ok])).toEqual([
      ['scenarios/quickstart.yaml', true],
      [bad, false],
    ]);
    expect(out.files[1]?.problems.length).toBeGreaterThan(0);
    expect(out.files[1]?.problems[0]?.line).toBeGreaterThan(0);
    expect(out.files[1]?.problems[0]?.message).toMatch(/rate/);
  });

  it('meshsim init with no file writes my-mesh.yaml in the working folder', async () => {
    const r = await meshsim(['init'], { cwd: tmp.dir });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(tmp.dir, 'my-mesh.yaml'), 'utf8')).toContain('name: my-mesh');
  });

  for (const command of [
    '',
    'run',
    'compare',
    'sweep',
    'capacity',
    'merge',
    'validate',
    'report',
    'models',
    'init',
    'calibrate',
  ]) {
    it(`meshsim ${command} --help shows examples and exits 0`, async () => {
      const r = await meshsim([...(command === '' ? [] : [command]), '--help']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('Examples:');
      expect(r.stdout).toMatch(/^ {2}meshsim /m);
    });
  }

  it('meshsim (no command) and meshsim bogus exit 2 naming the commands', async () => {
    const [none, bogus] = await Promise.all([meshsim([]), meshsim(['comapre'])]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain(
      'Name a command: run, compare, sweep, capacity, merge, validate, report, models, init, import or calibrate',
    );
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toMatch(/Did you mean compare\?/);
  });
});
