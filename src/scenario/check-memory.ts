/**
 * Memory of the simulations that will run at once, against the machine: each simulation's estimated peak
 * heap (work-estimate.ts `peakHeapBytes`) must fit one thread's heap limit (worker threads get this
 * process's limit, experiment/replication-pool.ts), and the workers that really run at once (the smaller of
 * the workers asked for and the jobs) times it must fit the machine's memory. The caller passes the limits,
 * so this module knows nothing of V8 or the OS.
 *
 * Contents: `simulationHeapBytes`, `memoryLimitExceeded`, `MemoryLimits`.
 */
import { expectedArrivals } from './normalize-traffic.js';
import type { Scenario } from './scenario.js';
import {
  estimateWork,
  HEAP_BASE_BYTES,
  HEAP_BYTES_PER_CONNECTION,
  HEAP_BYTES_PER_POD,
  HEAP_BYTES_PER_PROXY_SERVICE,
  HEAP_BYTES_PER_VIEW_HOST,
  HEAP_BYTES_PER_WAITING_REQUEST,
} from './work-estimate.js';

/** Estimated peak heap of one simulation of `scenario`, in bytes. */
export function simulationHeapBytes(scenario: Scenario): number {
  const arrivals = scenario.mesh.traffic.map((t) => expectedArrivals(t, scenario.durationMs));
  return estimateWork(scenario, arrivals).peakHeapBytes;
}

export interface MemoryLimits {
  /** Workers asked for (`--workers`, else the cores). */
  readonly workers: number;
  /** Simulations (jobs) of the command. */
  readonly jobs: number;
  /** One thread's heap limit, in bytes. */
  readonly heapLimitBytes: number;
  /** The machine's memory, in bytes. */
  readonly totalMemoryBytes: number;
}

const mb = (bytes: number) => `${Math.ceil(bytes / 2 ** 20).toLocaleString('en-US')} MB`;

/** A per-item size as the message gives it: bytes under 1,000, else KB with one decimal. */
const perItem = (bytes: number) => (bytes < 1000 ? `${bytes} B` : `${(bytes / 1000).toFixed(1)} KB`);

/**
 * The estimate's terms, written from work-estimate.ts's constants: the message once hard-coded them and kept
 * 3.2 KB per pod and 200 B per proxy-service pair after the constants had become 1,200 B and 1,100 B.
 */
const ESTIMATE_TERMS =
  `${HEAP_BASE_BYTES / 2 ** 20} MB + ${perItem(HEAP_BYTES_PER_POD)} per pod + ` +
  `${perItem(HEAP_BYTES_PER_VIEW_HOST)} per shared upstream view host + ` +
  `${perItem(HEAP_BYTES_PER_PROXY_SERVICE)} per proxy-service pair + ` +
  `${perItem(HEAP_BYTES_PER_CONNECTION)} per pooled connection + ` +
  `${perItem(HEAP_BYTES_PER_WAITING_REQUEST)} per request waiting in an unbounded queue`;

/**
 * Why `jobs` simulations of `perSimulationBytes` each, `workers` at a time, would not fit, or undefined
 * when they fit. The message names the estimate, the workers at once and every way out.
 */
export function memoryLimitExceeded(perSimulationBytes: number, limits: MemoryLimits): string | undefined {
  const atOnce = Math.max(1, Math.min(limits.workers, limits.jobs));
  const estimate = `one simulation needs about ${mb(perSimulationBytes)} of heap (${ESTIMATE_TERMS})`;
  const neededMb = Math.ceil((perSimulationBytes * 1.25) / 2 ** 20);
  if (perSimulationBytes > limits.heapLimitBytes)
    return (
      `${estimate}, more than a thread's heap limit of ${mb(limits.heapLimitBytes)} (${atOnce} worker${atOnce === 1 ? '' : 's'} at once, each with that limit). ` +
      `Raise it (NODE_OPTIONS=--max-old-space-size=${neededMb} meshsim ..., or node --max-old-space-size=${neededMb} <meshsim's main.js>), ` +
      'use fewer replicas, or run anyway (--allow-large)'
    );
  if (atOnce * perSimulationBytes <= limits.totalMemoryBytes) return undefined;
  const fits = Math.floor(limits.totalMemoryBytes / perSimulationBytes);
  return (
    `${estimate}; ${atOnce} workers at once need about ${mb(atOnce * perSimulationBytes)}, more than this machine's ` +
    `${mb(limits.totalMemoryBytes)}. ` +
    (fits >= 1 ? `Run fewer at once (--workers ${fits}), ` : 'Use fewer replicas, ') +
    'or run anyway (--allow-large)'
  );
}
