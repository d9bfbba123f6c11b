/**
 * Out of memory for the commands whose main thread used to take a share of the simulations (sweep,
 * capacity, any command's shard, with 2+ workers) or all of them (run with exports or thresholds, compare's
 * exports and thresholds): V8
 * cannot report an out-of-memory in the main thread (the process aborts with its crash dump, exit 134),
 * so these commands run every simulation in a worker
 * thread (`isolate`), where it ends with the message, the rerun command and exit 2 (which an Indexed
 * Job's podFailurePolicy fails at once instead of retrying). The fixture is refused by the size guard;
 * --allow-large lets it run into a 96 MB heap.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { meshsimEnv, traceless } from './cli-spawn.js';

const FILE = 'test/fixtures/size/overloaded-unbounded.yaml';
const env = { NODE_OPTIONS: '--max-old-space-size=96' };
const dir = mkdtempSync(join(tmpdir(), 'meshsim-oom-'));
// capacity needs an slo: to search against.
const withSlo = join(dir, 'overloaded-slo.yaml');
writeFileSync(withSlo, `${readFileSync(FILE, 'utf8')}slo: { availability: 99% }\n`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a simulation out of memory with 2 workers', { timeout: 400_000 }, () => {
  for (const [what, args] of [
    ['sweep', ['sweep', FILE, '--set', 'traffic[0].rate=20000/s,20001/s', '--workers', '2']],
    ['capacity', ['capacity', withSlo, '--range', '15000,20000', '--workers', '2']],
    [
      'a shard of compare',
      ['compare', FILE, '--shard', '1/2', '--parts', join(dir, 'parts'), '--workers', '2'],
    ],
    // Exports kept the run and its baselines in the main thread until their records went to the pool.
    ['run --openmetrics', ['run', FILE, '--openmetrics', '--out', join(dir, 'out'), '--workers', '2']],
    // compare's extras (each model's replication 0 again, with its records) ran in the main thread too; the
    // comparison itself runs out first here (the same run), so this checks the command as a whole; that the
    // extras never run in this thread is test/experiment/run-parallel.test.ts "compare's extras: ...".
    [
      'compare --openmetrics',
      ['compare', FILE, '--openmetrics', '--out', join(dir, 'compare-out'), '--workers', '2'],
    ],
  ] as const)
    it(`${what}: exit 2 with the message naming the run and the ways out, no V8 dump`, async () => {
      const r = await meshsimEnv([...args, '--allow-large', '--json'], { env, timeoutMs: 120_000 });
      expect(r.signal, r.stderr).toBeNull();
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/the run of model multi-primary, replication seed \d+ ran out of memory/);
      expect(r.stderr).toContain('--workers 1');
      expect(r.stderr).toContain('--max-old-space-size');
      expect(r.stderr).toMatch(
        /That run alone: node dist\/cli\/main\.js run \S+ (--model multi-primary )?--seed \d+/,
      );
      expect(r.stderr).not.toMatch(/FATAL ERROR|heap out of memory|<--- Last few GCs --->/);
      expect(traceless(r.stderr)).toBe(true);
      expect(r.stdout).toBe('');
    });
});
