/**
 * An open-loop traffic source (Fortio and k6 "arrival rate" style): requests arrive at a rate regardless of
 * how fast the mesh answers, so overload shows up as queueing, not as a slower client.
 *
 * Poisson arrivals redraw the pending gap when the rate steps; by memorylessness that is exact.
 *
 * Contents: `OpenLoopSource` (the load generator of a `traffic` entry without `vus`; closed-loop-source.ts
 * has the other).
 */
import {
  drawSource,
  exponentialDraw,
  type Engine,
  type EventId,
  type StreamDraws,
  type Uniform,
} from '../../des/index.js';
import type { TrafficConfig } from '../mesh-config.js';
import type { RequestSender } from './client-placement.js';

export class OpenLoopSource {
  private ratePerMs: number;
  private next: EventId | undefined;
  /**
   * Where the Poisson gaps are drawn: `exponentialDraw` from the arrival stream's generator, as a mean-1
   * exponential `sampler` would (1 x draw is the draw), but inlined here; the sampler's `sample` was an
   * out-of-line call returning its double boxed, once per request.
   */
  private readonly draws: StreamDraws;
  private readonly stream: number;
  private stopMs = 0;

  constructor(
    private readonly engine: Engine,
    readonly config: TrafficConfig,
    private readonly rng: Uniform,
    /** Sends a request at each arrival (an object, not a closure: its `send` inlines into `arrive`). */
    private readonly sender: RequestSender,
  ) {
    this.ratePerMs = config.ratePerMs;
    ({ draws: this.draws, stream: this.stream } = drawSource(rng));
  }

  /** Starts arrivals now and stops them at `stopMs`. */
  start(stopMs: number): void {
    this.stopMs = stopMs;
    for (const step of this.config.steps) {
      if (step.atMs < stopMs) this.engine.scheduleAt(step.atMs, this.changeRate, step.ratePerMs);
    }
    const first = this.config.arrival === 'constant' ? this.rng() * this.gap() : this.gap();
    this.scheduleNext(first);
  }

  private gap(): number {
    if (this.ratePerMs <= 0) return Infinity;
    return this.config.arrival === 'poisson'
      ? exponentialDraw(this.draws, this.stream) / this.ratePerMs
      : 1 / this.ratePerMs;
  }

  private scheduleNext(delay: number): void {
    this.next = undefined;
    if (delay === Infinity || this.engine.now + delay >= this.stopMs) return;
    // Without rate steps nothing cancels the next arrival: `post`, whose compiled code the request path
    // runs anyway, not `schedule`, which brought its own compiled copy of the queue's push (~4 KB run once
    // a request). Callgrind, the bench mesh in the row's process order (both models' warm-ups first), per
    // request: -238 instructions and -78 L1i misses, the minimal model after it unchanged. The trade is
    // V8's: from the mesh's feedback alone (the mesh run by itself) `post` inlines `siftUp` in place of one
    // `less` and runs ~300 instructions more; in s31, under tsx, a fourth caller of `post` cost the minimal
    // model +1,348 instructions a request.
    if (this.config.steps.length === 0) this.engine.post(delay, this.arrive, undefined);
    else this.next = this.engine.schedule(delay, this.arrive, undefined);
  }

  private readonly arrive = (): void => {
    this.sender.send();
    this.scheduleNext(this.gap());
  };

  private readonly changeRate = (ratePerMs: number): void => {
    this.ratePerMs = ratePerMs;
    if (this.next !== undefined) this.engine.cancel(this.next);
    this.scheduleNext(this.gap());
  };
}
