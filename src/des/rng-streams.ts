/**
 * Named random streams derived from one run seed.
 *
 * Every random source in a model draws from its own stream, named after what it randomises
 * (`arrivals/web`, `service-time/orders`). A stream's generator is seeded from (run seed, name) alone, so
 * adding, removing or using another stream never shifts this one: two deployment models compared under the
 * same seed see the same arrivals even though their control planes draw differently (common random
 * numbers). The generator is seedrandom's `alea`: the fastest of its generators that passes the usual
 * batteries, and about four times faster than its default ARC4 (performance-anchors.md). The generators'
 * states live side by side in one array (alea-states.ts): a mesh holds two streams per sidecar, and
 * seedrandom's own objects cost ~500 bytes and several cache misses per draw each; the draws are the same.
 */
import seedrandom from 'seedrandom';
import { AleaStates } from './alea-states.js';

/** A uniform generator on [0, 1). */
export type Uniform = () => number;

export class RngStreams {
  private readonly streams = new Map<string, Uniform>();
  /** Every named stream's generator index in `states` (`stream` and `streamIndex` share it). */
  private readonly indices = new Map<string, number>();
  private readonly states = new AleaStates();

  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed))
      throw new RangeError(`RngStreams: seed must be a safe integer, got ${seed}`);
  }

  /** The stream with this name; the same name always returns the same generator within a run. */
  stream(name: string): Uniform {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      rng = this.states.uniform(this.streamIndex(name));
      this.streams.set(name, rng);
    }
    return rng;
  }

  /**
   * The generator of stream `name` as an index into `alea` (the same generator `stream(name)` returns), for
   * samplers that draw from many streams (distribution.ts `StreamSampler`): a number per stream instead of
   * a closure and a sampler object per stream.
   */
  streamIndex(name: string): number {
    let i = this.indices.get(name);
    if (i === undefined) {
      i = this.seeded(name);
      this.indices.set(name, i);
    }
    return i;
  }

  /** The states every stream of this run draws from (indexed by `streamIndex` / `ownStreamIndex`). */
  get alea(): AleaStates {
    return this.states;
  }

  private seeded(name: string): number {
    // The NUL separator keeps (1, "2x") and (12, "x") apart.
    return this.states.add(`${this.seed}\u0000${name}`);
  }

  /**
   * The generator `stream(name)` would make, for a name its caller alone will ever use (a pod's sidecar,
   * named by its endpoint's id, which is never reused): the name is not kept, so asking for it again would
   * make a second generator with the same draws. Two such streams per pod were, with their names, a sixth
   * of a 25,000-pod mesh's heap in the by-name map. Throws if `stream` already made one of that name.
   */
  ownStream(name: string): Uniform {
    return this.states.uniform(this.ownStreamIndex(name));
  }

  /** `ownStream(name)` as an index into `alea` (see `streamIndex`). */
  ownStreamIndex(name: string): number {
    if (this.indices.has(name)) throw new Error(`stream ${name} exists already: it is not the caller's own`);
    return this.seeded(name);
  }

  /** Names of the streams created so far by `stream` or `streamIndex`, sorted (for diagnostics and tests). */
  names(): string[] {
    return [...this.indices.keys()].sort();
  }
}

/**
 * Seed of replication `k` of a run seeded `seed`: a fixed, documented derivation so that replication k is
 * the same in every model and every worker.
 */
export function replicationSeed(seed: number, k: number): number {
  if (k === 0) return seed;
  const rng = seedrandom.alea(`${seed}\u0000replication\u0000${k}`);
  // 2^31 keeps seeds short enough to type back on a command line.
  return Math.floor(rng() * 2 ** 31);
}
