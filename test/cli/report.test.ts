/**
 * `meshsim report DIR`: re-renders a run's or a comparison's folder from its JSON, byte for byte what the
 * run wrote, and refuses folders it did not write.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectsNoTrace, meshsim, readTree, scratch } from './spawn-meshsim.js';

const tmp = scratch('cli-report');
afterAll(tmp.cleanup);

describe.concurrent('meshsim report', { timeout: 60_000 }, () => {
  it('meshsim report <run folder> rewrites index.html, charts/ and csv/ from summary.json, the same bytes', async () => {
    const dir = join(tmp.dir, 'run');
    const r = await meshsim(['run', 'test/fixtures/experiment/slo-missed.yaml', '--out', dir]);
    expect(r.status, r.stderr).toBe(0);
    const before = readTree(dir);
    rmSync(join(dir, 'index.html'));
    rmSync(join(dir, 'csv'), { recursive: true });
    const again = await meshsim(['report', dir]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('re-rendered from summary.json');
    expect(readTree(dir)).toEqual(before);
  });

  it('meshsim report <comparison folder> re-renders it from comparison.json, the same bytes', async () => {
    const dir = join(tmp.dir, 'cmp');
    const r = await meshsim(['compare', 'test/fixtures/experiment/slo-missed.yaml', '--out', dir]);
    expect(r.status, r.stderr).toBe(0);
    const before = readTree(dir);
    rmSync(join(dir, 'summary.md'));
    const again = await meshsim(['report', dir]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('re-rendered from comparison.json');
    expect(readTree(dir)).toEqual(before);
  });

  it('meshsim report: summary.json states its output contract; a newer one is refused, one without it (contract 1) warned about', async () => {
    const dir = join(tmp.dir, 'contract');
    const r = await meshsim(['run', 'test/fixtures/experiment/slo-missed.yaml', '--out', dir]);
    expect(r.status, r.stderr).toBe(0);
    const path = join(dir, 'summary.json');
    const summary = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(summary['contractVersion']).toBe(2);
    expect(Object.keys(summary).indexOf('contractVersion')).toBe(
      Object.keys(summary).indexOf('meshsimVersion') - 1,
    );

    writeFileSync(path, JSON.stringify({ ...summary, contractVersion: 3 }));
    const before = readTree(dir);
    const newer = await meshsim(['report', dir]);
    expect(newer.status).toBe(2);
    expect(newer.stderr).toContain('written under output contract 3; this meshsim reads up to 2');
    expect(expectsNoTrace(newer)).toBeUndefined();
    expect(readTree(dir)).toEqual(before);

    const old: Record<string, unknown> = { ...summary };
    delete old['contractVersion'];
    writeFileSync(path, JSON.stringify(old));
    const older = await meshsim(['report', dir]);
    expect(older.status, older.stderr).toBe(0);
    expect(older.stderr).toContain('has no contractVersion (written before output contract 2)');
  });

  it('meshsim report refuses (exit 2) a folder holding files it did not write, and leaves them', async () => {
    const dir = join(tmp.dir, 'foreign');
    mkdirSync(dir);
    writeFileSync(join(dir, 'summary.json'), '{"requests": {}, "timeline": []}');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const r = await meshsim(['report', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('holds files meshsim did not write (notes.txt, summary.json)');
    expect(readTree(dir).get('notes.txt')).toBe('mine');
  });

  it('meshsim report with no folder, a missing folder, or one without results exits 2 saying which', async () => {
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    const broken = join(tmp.dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'comparison.json'), '{ not json');
    const [none, missing, nothing, bad] = await Promise.all([
      meshsim(['report']),
      meshsim(['report', join(tmp.dir, 'nope')]),
      meshsim(['report', empty]),
      meshsim(['report', broken]),
    ]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('meshsim report: no results folder given');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such folder');
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toContain('holds neither comparison.json nor summary.json');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('comparison.json: not valid JSON');
    for (const r of [none, missing, nothing, bad]) expect(expectsNoTrace(r)).toBeUndefined();
  });
});
