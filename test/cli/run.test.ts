/**
 * `meshsim run` end to end: the report folder in the documented layout, one JSON document with --json,
 * --check-slo exit codes, and bad flags in plain words.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectsNoTrace, meshsim, readTree, scratch } from './spawn-meshsim.js';

const FIXTURE = 'test/fixtures/experiment/two-regions.yaml';
const tmp = scratch('cli-run');
afterAll(tmp.cleanup);

describe.concurrent('meshsim run', { timeout: 60_000 }, () => {
  it('meshsim run two-regions.yaml --model hybrid --json writes summary.json, summary.md, index.html, charts/, csv/', async () => {
    const out = join(tmp.dir, 'json');
    const r = await meshsim(['run', FIXTURE, '--model', 'hybrid', '--json', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const files = readTree(out);
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        'summary.json',
        'summary.md',
        'index.html',
        'csv/timeline.csv',
        'csv/traffic-matrix.csv',
      ]),
    );
    expect([...files.keys()].some((f) => f.startsWith('charts/') && f.endsWith('.svg'))).toBe(true);
    expect(r.stdout).toBe(files.get('summary.json'));
    const summary = JSON.parse(r.stdout) as { model: string; seed: number; rerun: string };
    expect(summary.model).toBe('hybrid');
    expect(summary.rerun).toBe(`meshsim run ${FIXTURE} --model hybrid --seed 5`);
    expect(r.stderr).toBe('');
  });

  it('meshsim run --check-slo exits 0 when the slo is met and 3 naming each missed objective', async () => {
    const [met, missed] = await Promise.all([
      meshsim(['run', FIXTURE, '--check-slo', '--out', join(tmp.dir, 'met')]),
      meshsim([
        'run',
        'test/fixtures/experiment/slo-missed.yaml',
        '--check-slo',
        '--json',
        '--out',
        join(tmp.dir, 'missed'),
      ]),
    ]);
    expect(met.status, met.stderr).toBe(0);
    expect(met.stderr).toContain('every objective met (2 checked)');
    expect(missed.status, missed.stderr).toBe(3);
    expect(missed.stderr).toContain('2 objectives missed');
    expect(missed.stderr).toMatch(/missed: availability \d+\.\d+% is below the SLO of 99\.990%/);
    expect(missed.stderr).toMatch(/missed: p99 latency \d+\.\d+ ms is above the SLO of 1\.00 ms/);
    // --json still prints the summary, and only it, on stdout.
    expect((JSON.parse(missed.stdout) as { scenario: string }).scenario).toBe('slo-missed');
  });

  it('meshsim run (no file) says in plain words that a scenario file is missing', async () => {
    const r = await meshsim(['run']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'meshsim run: no scenario file given. Name one, e.g. node dist/cli/main.js run scenarios/quickstart.yaml, or write a starter with node dist/cli/main.js init.',
    );
    expect(r.stderr).toContain('Run "node dist/cli/main.js --help" for usage.');
    expect(expectsNoTrace(r)).toBeUndefined();
  });

  const bad: { args: string[]; says: RegExp }[] = [
    { args: ['--seed', 'abc'], says: /^meshsim: --seed: expected a whole number >= 0, got "abc"$/m },
    { args: ['--seed', '-3'], says: /--seed: expected a whole number >= 0, got "-3"/ },
    { args: ['--seed', '1.5'], says: /--seed: expected a whole number >= 0, got "1\.5"/ },
    { args: ['--seed'], says: /meshsim: Not enough arguments following: seed/ },
    {
      args: ['--model', 'hybird'],
      says: /--model: no model "hybird" in .*; its models: multi-primary, primary-remote, hybrid, external/,
    },
  ];
  for (const { args, says } of bad) {
    it(`meshsim run two-regions.yaml ${args.join(' ')} exits 2, says why, and writes nothing`, async () => {
      const out = join(tmp.dir, `bad-${args.join('_').replace(/[^\w]/g, '')}`);
      const r = await meshsim(['run', FIXTURE, ...args, '--out', out]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(says);
      expect(r.stderr).not.toContain('NaN');
      expect(expectsNoTrace(r)).toBeUndefined();
      expect(existsSync(out)).toBe(false);
    });
  }
});
