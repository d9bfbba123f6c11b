import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { RngStreams, replicationSeed } from '../../src/des/index.js';
import { AleaStates } from '../../src/des/alea-states.js';

const draw = (rng: () => number, n: number) => Array.from({ length: n }, () => rng());

describe('des/rng-streams', () => {
  it('stream(name) is reproducible: same seed and name give the same sequence', () => {
    expect(draw(new RngStreams(42).stream('arrivals/web'), 5)).toEqual(
      draw(new RngStreams(42).stream('arrivals/web'), 5),
    );
  });

  it("a stream draws seedrandom's alea sequence bit for bit (the compact states change no draw)", () => {
    // Many generators side by side, drawn interleaved, across the states array's growth (64 -> 128 -> 256).
    const names = Array.from({ length: 200 }, (_, i) => `proxy-latency/svc-${i % 7}/${i}`);
    const streams = new RngStreams(12345);
    const ours = names.map((n) => streams.stream(n));
    const theirs = names.map((n) => seedrandom.alea(`12345\u0000${n}`));
    for (let k = 0; k < 2000; k++) {
      const i = (k * 37) % names.length;
      expect((ours[i] as () => number)()).toBe((theirs[i] as () => number)());
    }
    // A long run of one generator (the carry takes many values).
    const one = new AleaStates();
    const a = one.uniform(one.add('long'));
    const b = seedrandom.alea('long');
    for (let k = 0; k < 100_000; k++) if (a() !== b()) expect.fail(`draw ${k} differs`);
    expect(one.size).toBe(1);
  });

  it('ownStream(name) draws as stream(name) would, without keeping the name; refuses a name stream() made', () => {
    const kept = new RngStreams(3);
    const own = new RngStreams(3);
    expect(draw(own.ownStream('lb/s1/7'), 50)).toEqual(draw(kept.stream('lb/s1/7'), 50));
    expect(own.names()).toEqual([]);
    expect(() => kept.ownStream('lb/s1/7')).toThrow(/exists already/);
  });

  it('stream(name) differs across seeds and across names', () => {
    const a = draw(new RngStreams(1).stream('x'), 5);
    expect(draw(new RngStreams(2).stream('x'), 5)).not.toEqual(a);
    expect(draw(new RngStreams(1).stream('y'), 5)).not.toEqual(a);
  });

  it('property: creating and drawing other streams never shifts a stream', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.integer({ min: 0, max: 50 })), { maxLength: 10 }),
        fc.integer({ min: 1, max: 30 }),
        (seed, others, n) => {
          const alone = draw(new RngStreams(seed).stream('target'), n);
          const streams = new RngStreams(seed);
          const target = streams.stream('target');
          const mixed: number[] = [];
          for (const [name, k] of others) {
            if (name === 'target') continue;
            draw(streams.stream(name), k);
            mixed.push(target());
            if (mixed.length === n) break;
          }
          while (mixed.length < n) mixed.push(target());
          expect(mixed).toEqual(alone);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('streams look independent: correlation of paired draws is within 4 standard errors of 0', () => {
    const streams = new RngStreams(7);
    const a = draw(streams.stream('a'), 100_000);
    const b = draw(streams.stream('b'), 100_000);
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const ma = mean(a);
    const mb = mean(b);
    let cov = 0;
    let va = 0;
    let vb = 0;
    for (let i = 0; i < a.length; i++) {
      cov += ((a[i] as number) - ma) * ((b[i] as number) - mb);
      va += ((a[i] as number) - ma) ** 2;
      vb += ((b[i] as number) - mb) ** 2;
    }
    const r = cov / Math.sqrt(va * vb);
    // Under independence r is ~N(0, 1/n).
    expect(Math.abs(r)).toBeLessThan(4 / Math.sqrt(a.length));
  });

  it('replicationSeed(seed, k) is the seed itself for k = 0 and distinct for other k', () => {
    expect(replicationSeed(99, 0)).toBe(99);
    const seeds = new Set(Array.from({ length: 50 }, (_, k) => replicationSeed(99, k)));
    expect(seeds.size).toBe(50);
  });
});
