/**
 * `meshsim compare` end to end through the built CLI: byte-identical report folders for --workers 1 and 2,
 * exactly one JSON document on stdout with --json, --check-slo exit codes, and bad flags (exit 2, a
 * message in plain words, no stack trace, nothing written).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectsNoTrace, meshsim, readTree, scratch, type CliRun } from './spawn-meshsim.js';

const FIXTURE = 'test/fixtures/experiment/two-regions.yaml';
const tmp = scratch('cli-compare');
afterAll(tmp.cleanup);

describe.concurrent('meshsim compare', { timeout: 60_000 }, () => {
  let one: CliRun;
  let two: CliRun;
  beforeAll(async () => {
    [one, two] = await Promise.all([
      meshsim([
        'compare',
        FIXTURE,
        '--replications',
        '3',
        '--workers',
        '1',
        '--json',
        '--out',
        join(tmp.dir, 'w1'),
      ]),
      meshsim([
        'compare',
        FIXTURE,
        '--replications',
        '3',
        '--workers',
        '2',
        '--json',
        '--out',
        join(tmp.dir, 'w2'),
      ]),
    ]);
  }, 60_000);

  it('meshsim compare two-regions.yaml --workers 2 writes the same bytes as --workers 1, file for file', () => {
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    const a = readTree(join(tmp.dir, 'w1'));
    const b = readTree(join(tmp.dir, 'w2'));
    expect([...b.keys()]).toEqual([...a.keys()]);
    expect([...a.keys()]).toEqual(
      expect.arrayContaining(['comparison.json', 'summary.md', 'index.html', 'csv/comparison.csv']),
    );
    for (const [name, content] of a) expect(b.get(name), name).toBe(content);
    expect(two.stdout).toBe(one.stdout);
  });

  it('meshsim compare --json prints exactly one JSON document, the comparison.json of its folder', () => {
    const doc = JSON.parse(one.stdout) as {
      models: { model: string }[];
      verdict: unknown;
      seed: number;
      rerun: string;
    };
    expect(one.stdout).toBe(readTree(join(tmp.dir, 'w1')).get('comparison.json'));
    expect(doc.models.map((m) => m.model)).toEqual(['multi-primary', 'primary-remote', 'hybrid', 'external']);
    expect(doc.seed).toBe(5);
    expect(doc.rerun).toBe(`meshsim compare ${FIXTURE} --replications 3 --seed 5`);
    // Piped output: no progress bar, nothing but (possibly) nothing on stderr.
    expect(one.stderr).toBe('');
  });

  it('meshsim compare --models hybrid,external --check-slo prints a table, the verdict, the rerun line, and exits 0 (slo met)', async () => {
    const out = join(tmp.dir, 'text');
    const r = await meshsim([
      'compare',
      FIXTURE,
      '--models',
      'hybrid,external',
      '--replications',
      '2',
      '--check-slo',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('every objective met (2 checked)');
    expect(r.stdout).toContain('2 models x 2 replications');
    expect(r.stdout).toMatch(/^hybrid\s+\d+\.\d+% \[/m);
    expect(r.stdout).toContain('which model fits:');
    expect(r.stdout).toContain(`report: ${out}`);
    expect(r.stdout).toContain(
      // The terminal says the command the test ran; comparison.json keeps meshsim's own words (above).
      `rerun: node dist/cli/main.js compare ${FIXTURE} --models hybrid,external --replications 2 --seed 5`,
    );
  });

  it('meshsim compare slo-missed.yaml --check-slo exits 3 naming each missed objective, and still writes its report', async () => {
    const out = join(tmp.dir, 'missed');
    const r = await meshsim([
      'compare',
      'test/fixtures/experiment/slo-missed.yaml',
      '--check-slo',
      '--json',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/missed: multi-primary: p99 latency .* is above the SLO of 1\.00 ms/);
    expect(r.stderr).toMatch(/missed: multi-primary: availability .* is below the SLO of 99\.990%/);
    expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
    expect(existsSync(join(out, 'comparison.json'))).toBe(true);
  });

  const bad: { args: string[]; says: RegExp; not?: RegExp }[] = [
    { args: ['--seed', 'abc'], says: /--seed: expected a whole number >= 0, got "abc"/, not: /NaN/ },
    {
      args: ['--replications', '1'],
      says: /--replications: expected a whole number >= 2 \(an interval needs two replications\), got "1"/,
    },
    { args: ['--workers', '0'], says: /--workers: expected a whole number >= 1, got "0"/ },
    { args: ['--workers', '2.5'], says: /--workers: .* got "2\.5"/ },
    {
      args: ['--models', 'multi-primery'],
      says: /--models: no model "multi-primery" in .*; its models: multi-primary, primary-remote, hybrid, external/,
    },
    { args: ['--models', 'a,,b'], says: /--models: expected model names separated by commas/ },
    { args: ['--seed', '1', '--seed', '2'], says: /--seed was given 2 times; give it once/ },
    {
      args: ['--replicatons', '3'],
      says: /Unknown argument: replicatons\n--replicatons: did you mean --replications\?/,
    },
    {
      // The file's own 10 replications pass its size check; the flag must not slip past it.
      args: ['--replications', '100000'],
      says: /--replications: this would simulate about .* client requests \(.* per run x 4 models x 100,?000 replications\), more than the run-size limit .*--allow-large/,
    },
  ];
  for (const { args, says, not } of bad) {
    it(`meshsim compare two-regions.yaml ${args.join(' ')} exits 2 with a plain message and writes nothing`, async () => {
      const out = join(tmp.dir, `bad-${args.join('_').replace(/[^\w]/g, '')}`);
      const r = await meshsim(['compare', FIXTURE, ...args, '--out', out]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(says);
      if (not !== undefined) expect(r.stderr).not.toMatch(not);
      expect(expectsNoTrace(r)).toBeUndefined();
      expect(r.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
    });
  }

  it('meshsim compare (no file) says what is missing in plain words', async () => {
    const r = await meshsim(['compare']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('meshsim compare: no scenario file given');
    expect(expectsNoTrace(r)).toBeUndefined();
  });

  it('meshsim compare outage.yaml --check-slo refuses (exit 2) because the file states no slo, before running', async () => {
    const out = join(tmp.dir, 'no-slo');
    const r = await meshsim(['compare', 'test/fixtures/experiment/outage.yaml', '--check-slo', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('states no objective under slo:');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp.dir)).not.toContain('no-slo');
  });
});
