/**
 * Scripted balancing draws for tests of the pickers and the upstream: a `StreamDraws` whose every stream
 * draws from one `Uniform`.
 */
import type { StreamDraws, Uniform } from '../../src/des/index.js';

export function drawsOf(rng: Uniform): StreamDraws {
  return { next: () => rng() };
}
