/**
 * `StreamSampler` (one sampler for many streams, the stream named per draw) must draw what a sampler per
 * stream draws, bit for bit, whatever the interleaving: the mesh's goldens rest on it.
 */
import { describe, expect, it } from 'vitest';
import { RngStreams, StreamSampler, sampler, type Distribution } from '../../src/des/index.js';

const DISTRIBUTIONS: Distribution[] = [
  { dist: 'constant', value: 3 },
  { dist: 'exponential', mean: 2 },
  { dist: 'lognormal', median: 1, p99: 9 },
  { dist: 'normal', mean: 1, stddev: 2 },
  { dist: 'uniform', min: 1, max: 4 },
  { dist: 'pareto', scale: 1, shape: 1.5 },
  {
    dist: 'empirical',
    percentiles: [
      [0.5, 1],
      [0.9, 3],
      [0.99, 10],
    ],
  },
];

describe('StreamSampler', () => {
  for (const d of DISTRIBUTIONS) {
    it(`${d.dist}: draws as sampler(d, stream(name)) per stream, bit for bit, interleaved over 40 streams`, () => {
      const perStream = new RngStreams(7);
      const shared = new RngStreams(7);
      const names = Array.from({ length: 40 }, (_, i) => `proxy-latency/s/${i}`);
      const own = names.map((n) => sampler(d, perStream.stream(n)));
      // Half the streams by name, half as callers' own (the mesh's pods): both index the same states.
      const indices = names.map((n, i) => (i % 2 === 0 ? shared.streamIndex(n) : shared.ownStreamIndex(n)));
      const one = new StreamSampler(d, shared.alea);
      // A fixed irregular interleaving (a stream drawn several times in a row, others skipped for a while).
      let k = 17;
      for (let draw = 0; draw < 20_000; draw++) {
        k = (k * 1103515245 + 12345) % 2147483648;
        const s = k % 40;
        expect(one.sample(indices[s] as number)).toBe((own[s] as { sample(): number }).sample());
      }
    });
  }

  it('streamIndex(name) is the generator stream(name) returns, in either order', () => {
    const a = new RngStreams(3);
    const u = a.stream('x');
    const i = a.streamIndex('x');
    const b = new RngStreams(3);
    const j = b.streamIndex('x');
    const v = b.stream('x');
    for (let n = 0; n < 10; n++) {
      expect(a.alea.next(i)).toBe(b.alea.next(j));
      expect(u()).toBe(v());
    }
    expect(a.names()).toEqual(['x']);
    expect(() => b.ownStreamIndex('x')).toThrow(/exists already/);
  });
});
