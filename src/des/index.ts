export type { SimTime } from './sim-time.js';
export { SimulationError } from './errors.js';
export { EventQueue, type EventHandler, type EventId, type PoppedEvent } from './event-queue.js';
export { Engine, Priority } from './engine.js';
export { Resource, Acquire } from './resource.js';
export { RngStreams, replicationSeed, type Uniform } from './rng-streams.js';
export { AleaStates, drawSource, type StreamDraws } from './alea-states.js';
export {
  type Distribution,
  type Sampler,
  DistributionKind,
  isDistributionKind,
  sampler,
  StreamSampler,
  distributionMean,
  exponentialDraw,
  normalDraw,
  standardExponential,
  standardNormal,
  Z_99,
} from './distribution.js';
