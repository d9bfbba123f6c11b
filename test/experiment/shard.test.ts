/**
 * Shards: every job in exactly one shard for any job count and shard count (a property test), and the
 * ways a shard is named (1-based flag, Kubernetes' 0-based JOB_COMPLETION_INDEX with JOB_COMPLETIONS),
 * with their refusals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseShard,
  resolveShard,
  shardFromEnvironment,
  shardJobIds,
  shardLabel,
} from '../../src/experiment/index.js';

describe('experiment/shard', () => {
  it('shardJobIds: the N shards cover jobs 0..J-1, each exactly once, for any J and N (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 300 }), (jobs, count) => {
        const seen = new Array<number>(jobs).fill(0);
        for (let index = 0; index < count; index++) {
          const ids = shardJobIds(jobs, { index, count });
          // Ascending and in range; balanced (sizes differ by at most one).
          if (ids.some((id, i) => id < 0 || id >= jobs || (i > 0 && id <= (ids[i - 1] as number))))
            return false;
          if (Math.abs(ids.length - jobs / count) >= 1) return false;
          for (const id of ids) seen[id] = (seen[id] as number) + 1;
        }
        return seen.every((n) => n === 1);
      }),
      { numRuns: 300 },
    );
  });

  it('parseShard reads I/N 1-based and refuses 0, I > N and text, saying what it expected', () => {
    expect(parseShard('2/4')).toEqual({ ok: true, shard: { index: 1, count: 4 } });
    expect(parseShard(' 1 / 1 ')).toEqual({ ok: true, shard: { index: 0, count: 1 } });
    const bad = (t: string) => {
      const r = parseShard(t);
      return r.ok ? 'accepted' : r.message;
    };
    expect(bad('0/4')).toMatch(/numbered 1 to 4 \(1-based\), got 0/);
    expect(bad('5/4')).toMatch(/numbered 1 to 4/);
    expect(bad('1/0')).toMatch(/shard count must be 1 to/);
    expect(bad('two/4')).toMatch(/expected I\/N/);
    expect(bad('2')).toMatch(/expected I\/N/);
    expect(shardLabel({ index: 1, count: 4 })).toBe('2/4');
  });

  it('shardFromEnvironment: JOB_COMPLETION_INDEX is 0-based, as Kubernetes sets it; JOB_COMPLETIONS is required with it', () => {
    expect(shardFromEnvironment({})).toBeUndefined();
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '4' })).toEqual({
      ok: true,
      shard: { index: 0, count: 4 },
    });
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '3', JOB_COMPLETIONS: '4' })).toEqual({
      ok: true,
      shard: { index: 3, count: 4 },
    });
    const message = (env: Record<string, string>) => {
      const r = shardFromEnvironment(env);
      return r === undefined || r.ok ? 'accepted' : r.message;
    };
    expect(message({ JOB_COMPLETION_INDEX: '1' })).toMatch(/JOB_COMPLETIONS is not set/);
    expect(message({ JOB_COMPLETION_INDEX: '4', JOB_COMPLETIONS: '4' })).toMatch(/0 to 3 \(0-based/);
    expect(message({ JOB_COMPLETION_INDEX: '-1', JOB_COMPLETIONS: '4' })).toMatch(/0 to 3/);
    expect(message({ JOB_COMPLETION_INDEX: '1', JOB_COMPLETIONS: 'x' })).toMatch(/JOB_COMPLETIONS must be/);
  });

  it('resolveShard: the flag, else the environment; both and different is refused, not one silently winning', () => {
    const env = { JOB_COMPLETION_INDEX: '1', JOB_COMPLETIONS: '4' };
    expect(resolveShard(undefined, {})).toEqual({ ok: true, shard: undefined });
    expect(resolveShard('3/5', {})).toEqual({ ok: true, shard: { index: 2, count: 5 } });
    expect(resolveShard(undefined, env)).toEqual({ ok: true, shard: { index: 1, count: 4 } });
    expect(resolveShard('2/4', env)).toEqual({ ok: true, shard: { index: 1, count: 4 } });
    const r = resolveShard('1/4', env);
    expect(r.ok ? 'accepted' : r.message).toMatch(/--shard 1\/4 disagrees with JOB_COMPLETION_INDEX=1/);
    const f = resolveShard('9/4', {});
    expect(f.ok ? 'accepted' : f.message).toMatch(/^--shard: /);
  });
});
