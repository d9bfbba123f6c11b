/**
 * The state of many alea generators in one Float64Array, four numbers per generator.
 *
 * seedrandom's `alea` keeps a generator's state in an object of its own (three doubles, each boxed in a
 * heap number, and a carry) reached through three closures: about 500 bytes and six scattered cache lines
 * per generator. A mesh has two streams per sidecar (its latency and its load balancing), so at 25,000 pods
 * those objects were a fifth of the live heap, and every draw on a large mesh missed the cache several
 * times. Here a generator is four adjacent doubles; its `Uniform` is one small closure over an index.
 *
 * The draws are seedrandom's own, bit for bit: seeding is done by seedrandom (its `Mash` over the seed
 * string; its state is read back through `{ state: true }`), and `next` is alea's step verbatim
 * (seedrandom lib/alea.js `Alea.next`, Baagoe's algorithm): t = 2091639·s0 + c·2^-32; s0 ← s1; s1 ← s2;
 * c ← t | 0; s2 ← t − c. test/des/rng-streams.test.ts checks sequences against seedrandom's.
 *
 * Contents: `AleaStates`, `StreamDraws`.
 */
import seedrandom from 'seedrandom';
import type { Uniform } from './rng-streams.js';

/** 2^-32. */
const INV_2_32 = 2.3283064365386963e-10;

export class AleaStates implements StreamDraws {
  /** Generator i: s0, s1, s2 at 4i, 4i+1, 4i+2 and the carry c at 4i+3. */
  private states = new Float64Array(4 * 64);
  private count = 0;

  /** Generators created so far. */
  get size(): number {
    return this.count;
  }

  /** A new generator seeded as `seedrandom.alea(seed)`; returns its index. */
  add(seed: string): number {
    const s = seedrandom.alea(seed, { state: true }).state();
    if (4 * (this.count + 1) > this.states.length) {
      const grown = new Float64Array(this.states.length * 2);
      grown.set(this.states);
      this.states = grown;
    }
    const o = 4 * this.count;
    this.states[o] = s.s0;
    this.states[o + 1] = s.s1;
    this.states[o + 2] = s.s2;
    this.states[o + 3] = s.c;
    return this.count++;
  }

  /** The next uniform on [0, 1) of generator `i` (a multiple of 2^-32). */
  next(i: number): number {
    const s = this.states;
    const o = 4 * i;
    const t = 2091639 * (s[o] as number) + (s[o + 3] as number) * INV_2_32;
    s[o] = s[o + 1] as number;
    s[o + 1] = s[o + 2] as number;
    const c = t | 0;
    s[o + 3] = c;
    return (s[o + 2] = t - c);
  }

  /** Generator `i` as a `Uniform`. */
  uniform(i: number): Uniform {
    const rng = (): number => this.next(i);
    uniforms.set(rng, { draws: this, stream: i });
    return rng;
  }
}

/** A stream of a `StreamDraws`: where a sampler (distribution.ts) takes its uniforms. */
export interface DrawSource {
  readonly draws: StreamDraws;
  readonly stream: number;
}

/** A `Uniform` as a stream (its only one): for one that `AleaStates.uniform` did not make, or in a slow path. */
export class UniformDraws implements StreamDraws {
  constructor(private readonly rng: Uniform) {}
  next(): number {
    return this.rng();
  }
}

/** The generator behind each `Uniform` that `AleaStates.uniform` made. */
const uniforms = new WeakMap<Uniform, DrawSource>();

/**
 * Where `rng`'s draws come from: its generator in its `AleaStates` when `uniform` made it, else `rng` itself
 * behind a `StreamDraws` (a scripted uniform in a test). Either way the draws are `rng`'s, in the same order.
 *
 * Why: a sampler that called its `Uniform` made every `rng()` call site in the shared ziggurat code see
 * closures from two places (`uniform` and `StreamSampler`), so V8 could inline neither: each draw was a call
 * that returned its double boxed. A sampler that calls `AleaStates.next` sees one class, and V8 inlines it.
 */
export function drawSource(rng: Uniform): DrawSource {
  return uniforms.get(rng) ?? { draws: new UniformDraws(rng), stream: 0 };
}

/**
 * Draws from many streams that share one state array, each draw naming its stream: an owner (a mesh's
 * proxy) keeps a stream index instead of a closure and its context, two objects per owner that a draw at a
 * random owner missed in cache. Nothing is returned that could be held and drawn from later, so no draw
 * can land on another owner's stream (`AleaStates`, or a scripted fake in a test).
 */
export interface StreamDraws {
  /** The next uniform on [0, 1) of stream `stream`. */
  next(stream: number): number;
}
