/**
 * Shards end to end through the built CLI: four `compare` processes with Kubernetes' Indexed Job variables
 * (JOB_COMPLETION_INDEX 0-based, JOB_COMPLETIONS) merge to the bytes of one `compare` (stdout and every
 * report file); a shard killed mid-way leaves no part, merge names it, and rerun alone it gives the same
 * bytes; duplicate and mismatched parts are refused with the files named, exit 2, nothing written.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectsNoTrace, meshsim, reportTree, scratch, type CliRun } from './spawn-meshsim.js';

const FIXTURE = 'test/fixtures/experiment/two-regions.yaml';
const COMMON = ['compare', FIXTURE, '--replications', '3', '--workers', '1'];
const tmp = scratch('cli-shards');
afterAll(tmp.cleanup);
const at = (...p: string[]) => join(tmp.dir, ...p);
const k8s = (index: number, count: number) => ({
  JOB_COMPLETION_INDEX: String(index),
  JOB_COMPLETIONS: String(count),
});

describe('meshsim compare --shard / JOB_COMPLETION_INDEX, meshsim merge', { timeout: 120_000 }, () => {
  let one: CliRun;
  let shards: CliRun[];
  let merged: CliRun;
  beforeAll(async () => {
    [one, ...shards] = await Promise.all([
      meshsim([...COMMON, '--json', '--out', at('one')]),
      ...[0, 1, 2, 3].map((i) => meshsim([...COMMON, '--parts', at('parts')], { env: k8s(i, 4) })),
    ]);
    merged = await meshsim(['merge', at('parts'), '--json', '--out', at('merged')]);
  }, 120_000);

  it('four shard processes with the Kubernetes variables merge byte-identical to one compare', () => {
    expect(one.status, one.stderr).toBe(0);
    for (const s of shards) expect(s.status, s.stderr).toBe(0);
    expect(shards.map((s) => /shard (\d)\/4: (\d+) of (\d+) jobs/.exec(s.stdout)?.slice(1)).sort()).toEqual([
      ['1', '3', '12'],
      ['2', '3', '12'],
      ['3', '3', '12'],
      ['4', '3', '12'],
    ]);
    expect(readdirSync(at('parts')).sort()).toEqual([
      'shard-1-of-4.meshsim-part.json',
      'shard-2-of-4.meshsim-part.json',
      'shard-3-of-4.meshsim-part.json',
      'shard-4-of-4.meshsim-part.json',
    ]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(one.stdout);
    const a = reportTree(at('one'));
    const b = reportTree(at('merged'));
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, bytes] of a) expect(b.get(name), name).toBe(bytes);
    // Not vacuous: the comparison is there, with every model.
    expect((JSON.parse(one.stdout) as { models: unknown[] }).models.length).toBeGreaterThan(1);
  });

  it('a shard killed mid-way leaves no part; merge names it; rerun alone it gives the same bytes', async () => {
    mkdirSync(at('rerun'));
    for (const i of [1, 2, 4])
      copyFileSync(
        at('parts', `shard-${i}-of-4.meshsim-part.json`),
        at('rerun', `shard-${i}-of-4.meshsim-part.json`),
      );
    const killed = await meshsim([...COMMON, '--parts', at('rerun')], {
      env: k8s(2, 4),
      onSpawn: (kill) => setTimeout(kill, 150),
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(at('rerun', 'shard-3-of-4.meshsim-part.json'))).toBe(false);
    const missing = await meshsim(['merge', at('rerun'), '--out', at('not-written')]);
    expect(missing.status).toBe(2);
    expect(expectsNoTrace(missing)).toBeUndefined();
    expect(missing.stderr).toMatch(
      /shard 3\/4 is missing \(JOB_COMPLETION_INDEX=2\); rerun it alone with --shard 3\/4/,
    );
    expect(existsSync(at('not-written'))).toBe(false);

    const again = await meshsim([...COMMON, '--shard', '3/4', '--parts', at('rerun')]);
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(at('rerun', 'shard-3-of-4.meshsim-part.json'), 'utf8')).toBe(
      readFileSync(at('parts', 'shard-3-of-4.meshsim-part.json'), 'utf8'),
    );
    const remerged = await meshsim(['merge', at('rerun'), '--json', '--out', at('remerged')]);
    expect(remerged.status, remerged.stderr).toBe(0);
    expect(remerged.stdout).toBe(one.stdout);
  });

  it('refuses a duplicated shard, naming both files', async () => {
    mkdirSync(at('dup'));
    copyFileSync(at('parts', 'shard-1-of-4.meshsim-part.json'), at('dup', 'shard-1-of-4.meshsim-part.json'));
    const r = await meshsim(['merge', at('parts'), at('dup'), '--out', at('dup-out')]);
    expect(r.status).toBe(2);
    expect(expectsNoTrace(r)).toBeUndefined();
    expect(r.stderr).toContain(
      `shard 1/4 is there 2 times: ${at('dup', 'shard-1-of-4.meshsim-part.json')}, ${at('parts', 'shard-1-of-4.meshsim-part.json')}`,
    );
    expect(existsSync(at('dup-out'))).toBe(false);
  });

  it('refuses parts of another seed or split, naming the file and what differs', async () => {
    const other = await meshsim([...COMMON, '--seed', '9', '--shard', '1/4', '--parts', at('other-seed')]);
    expect(other.status, other.stderr).toBe(0);
    const mixed = [2, 3, 4].map((i) => at('parts', `shard-${i}-of-4.meshsim-part.json`));
    const r = await meshsim(['merge', at('other-seed'), ...mixed, '--out', at('mixed-out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/shard-2-of-4\.meshsim-part\.json is of another seed \(seed \d+, not 9\)/);
    expect(existsSync(at('mixed-out'))).toBe(false);

    const split = await meshsim([...COMMON, '--shard', '1/3', '--parts', at('split')]);
    expect(split.status, split.stderr).toBe(0);
    const r2 = await meshsim(['merge', at('split'), ...mixed]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(
      /split\/shard-1-of-3\.meshsim-part\.json is of another split \(3 shards, not 4\)/,
    );
  });

  it('a shard refuses a folder holding another plan, a file it did not write, and a bad shard', async () => {
    const r = await meshsim([...COMMON, '--seed', '9', '--shard', '2/4', '--parts', at('parts')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/holds parts of another plan/);
    const env = await meshsim([...COMMON, '--parts', at('x')], { env: { JOB_COMPLETION_INDEX: '1' } });
    expect(env.status).toBe(2);
    expect(env.stderr).toMatch(/JOB_COMPLETIONS is not set/);
    const flag = await meshsim([...COMMON, '--shard', '0/4']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/--shard: shards are numbered 1 to 4 \(1-based\), got 0/);
    const notOurs = await meshsim(['merge', FIXTURE]);
    expect(notOurs.status).toBe(2);
    expect(notOurs.stderr).toMatch(/two-regions\.yaml: not JSON/);
  });
});

describe('meshsim sweep sharded over four Kubernetes-indexed processes, merged', { timeout: 120_000 }, () => {
  const SWEEP = [
    'sweep',
    FIXTURE,
    '--set',
    'traffic[0].rate=100/s,200/s',
    '--set',
    'services[name=back].concurrency=4,16',
    '--models',
    'multi-primary,primary-remote',
    '--replications',
    '2',
    '--workers',
    '1',
  ];
  let one: CliRun;
  let shards: CliRun[];
  beforeAll(async () => {
    [one, ...shards] = await Promise.all([
      meshsim([...SWEEP, '--json', '--out', at('sweep-one')]),
      ...[0, 1, 2, 3].map((i) => meshsim([...SWEEP, '--parts', at('sweep-parts')], { env: k8s(i, 4) })),
    ]);
  }, 120_000);

  it('merge gives the bytes of one sweep: stdout, sweep.json, CSV, charts and page', async () => {
    expect(one.status, one.stderr).toBe(0);
    for (const s of shards) expect(s.status, s.stderr).toBe(0);
    const merged = await meshsim(['merge', at('sweep-parts'), '--json', '--out', at('sweep-merged')]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(one.stdout);
    const a = reportTree(at('sweep-one'));
    const b = reportTree(at('sweep-merged'));
    expect([...a.keys()]).toContain('csv/sweep.csv');
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, bytes] of a) expect(b.get(name), name).toBe(bytes);
    const result = JSON.parse(one.stdout) as { points: { settings: Record<string, string> }[] };
    expect(result.points.map((p) => p.settings)).toEqual([
      { 'traffic[0].rate': '100/s', 'services[name=back].concurrency': '4' },
      { 'traffic[0].rate': '100/s', 'services[name=back].concurrency': '16' },
      { 'traffic[0].rate': '200/s', 'services[name=back].concurrency': '4' },
      { 'traffic[0].rate': '200/s', 'services[name=back].concurrency': '16' },
    ]);
  });
});

describe('meshsim capacity sharded by model, merged', { timeout: 120_000 }, () => {
  it('two shard processes (one model each) merge to the bytes of one capacity search', async () => {
    const CAPACITY = [
      'capacity',
      FIXTURE,
      '--range',
      '50,400',
      '--precision',
      '50%',
      '--models',
      'multi-primary,primary-remote',
      '--replications',
      '2',
      '--workers',
      '1',
    ];
    const [one, ...shards] = await Promise.all([
      meshsim([...CAPACITY, '--json', '--out', at('cap-one')]),
      ...[0, 1].map((i) => meshsim([...CAPACITY, '--parts', at('cap-parts')], { env: k8s(i, 2) })),
    ]);
    expect(one.status, one.stderr).toBe(0);
    for (const s of shards) expect(s.status, s.stderr).toBe(0);
    expect(shards.map((s) => /: (\d+) of 2 jobs of capacity/.exec(s.stdout)?.[1])).toEqual(['1', '1']);
    const merged = await meshsim(['merge', at('cap-parts'), '--json', '--out', at('cap-merged')]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(one.stdout);
    expect(reportTree(at('cap-merged'))).toEqual(reportTree(at('cap-one')));
    const result = JSON.parse(one.stdout) as { models: { model: string; steps: unknown[] }[] };
    expect(result.models.map((m) => m.model)).toEqual(['multi-primary', 'primary-remote']);
    for (const m of result.models) expect(m.steps.length).toBeGreaterThanOrEqual(2);
  });
});
