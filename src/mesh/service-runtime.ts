/**
 * A service as the running mesh needs it: its endpoints across clusters (namespace sameness merges them
 * into one service, istio-behaviour.md 1.1) and its behaviour, with samplers bound to its streams.
 */
import type { Sampler, Uniform } from '../des/index.js';
import type { Endpoint } from './endpoint.js';

export interface CallStep {
  readonly services: Int32Array;
  readonly probabilities: Float64Array;
}

export class ServiceRuntime {
  readonly endpoints: Endpoint[] = [];

  constructor(
    readonly index: number,
    readonly name: string,
    readonly blocking: boolean,
    readonly serviceTime: Sampler,
    readonly errorRate: number,
    readonly steps: readonly CallStep[],
    /** Draws for the error rate and for call probabilities. */
    readonly behaviourRng: Uniform,
  ) {}
}
