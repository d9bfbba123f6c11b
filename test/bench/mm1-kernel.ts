/**
 * Workload A of performance-anchors.md through the kernel: M/M/1, lambda 0.9, mu 1.0, driven by `Engine`,
 * queued by `Resource`, sampled by the kernel's exponential sampler on `RngStreams` (alea).
 */
import { Acquire, Engine, Resource, RngStreams, sampler } from '../../src/des/index.js';

export interface MmResult {
  events: number;
  meanSojourn: number;
}

export function mm1Kernel(customers: number, lambda = 0.9, mu = 1.0, seed = 1): MmResult {
  const engine = new Engine(1024);
  const streams = new RngStreams(seed);
  const interarrival = sampler({ dist: 'exponential', mean: 1 / lambda }, streams.stream('arrivals'));
  const service = sampler({ dist: 'exponential', mean: 1 / mu }, streams.stream('service'));
  const server = new Resource(1);
  let arrived = 0;
  let events = 0;
  let sojournSum = 0;

  const depart = (arrivalTime: number): void => {
    events++;
    sojournSum += engine.now - arrivalTime;
    server.release();
  };
  const startService = (arrivalTime: number): void => {
    engine.schedule(service.sample(), depart, arrivalTime);
  };
  const arrive = (): void => {
    events++;
    const t = engine.now;
    if (server.acquire(startService, t) === Acquire.GRANTED) startService(t);
    if (++arrived < customers) engine.schedule(interarrival.sample(), arrive, undefined);
  };
  engine.schedule(interarrival.sample(), arrive, undefined);
  engine.run();
  return { events, meanSojourn: sojournSum / customers };
}
